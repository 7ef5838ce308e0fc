import { ArgumentError } from '@mlap/tensor';
import type { MultiLabelData } from '../dataset.js';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { DatasetLabelError } from '../errors/dataset-label-error.js';
import { SkipLog, type SkipOptions, type SkippedSample } from '../loaders/skip.js';

/** One CSV record: its fields (unquoted) and the 1-based line it starts on. */
export interface CsvRecord {
  /** The record's fields, unquoted. */
  readonly fields: readonly string[];
  /** The 1-based line the record starts on (for error messages). */
  readonly line: number;
}

/**
 * Splits CSV text into records (RFC 4180: fields in double quotes may hold the delimiter, `""` and
 * line breaks). Unquoted fields are trimmed; blank lines are skipped; a UTF-8 byte-order mark is
 * ignored. An unterminated quote throws a {@link DatasetFormatError} with the line it opened on.
 */
export function splitCsv(text: string, source = 'csv', delimiter = ','): CsvRecord[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ArgumentError('delimiter', `must be one character other than " and line breaks`);
  }
  const records: CsvRecord[] = [];
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let empty = true; // nothing but whitespace in this record so far
  const endField = (): void => {
    fields.push(quoted ? field : field.trim());
    field = '';
    quoted = false;
  };
  const endRecord = (): void => {
    endField();
    if (!(empty && fields.length === 1 && fields[0] === '')) {
      records.push({ fields, line: recordLine });
    }
    fields = [];
    empty = true;
  };
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"' && field.trim() === '' && !quoted) {
      // opening quote
      quoted = true;
      empty = false;
      field = '';
      quoteLine = line;
      let closed = false;
      for (i++; i < text.length; i++) {
        const q = text[i] as string;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else {
            closed = true;
            break;
          }
        } else {
          if (q === '\n') line++;
          field += q;
        }
      }
      if (!closed) throw new DatasetFormatError(source, quoteLine, 'unterminated " quote');
      // only whitespace may follow the closing quote before the delimiter / line end
      while (text[i + 1] === ' ' || text[i + 1] === '\t') i++;
      const next = text[i + 1];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new DatasetFormatError(source, line, `unexpected "${next}" after a closing quote`);
      }
      continue;
    }
    if (c === delimiter) {
      endField();
      empty = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (quoted)
        throw new DatasetFormatError(source, line, `unexpected "${c}" after a closing quote`);
      field += c;
      if (c !== ' ' && c !== '\t') empty = false;
    }
  }
  endRecord();
  return records;
}

/** Where the label columns of a CSV file are. */
export type CsvLabelSpec =
  /** Label columns by header name; labels keep this order. */
  | {
      /** The label columns' header names, in label order. */
      readonly names: readonly string[];
    }
  /** The first `first` columns are labels. */
  | {
      /** How many leading columns are labels. */
      readonly first: number;
    }
  /** The last `last` columns are labels. */
  | {
      /** How many trailing columns are labels. */
      readonly last: number;
    };

/** Options of {@link parseCsv}. */
export interface CsvOptions extends SkipOptions {
  /** The label columns (by name or count). */
  readonly labels: CsvLabelSpec;
  /**
   * Whether the first record is a header of column names. Default: detected — a header when any of
   * its fields is not a number. Labels by name (and `ignore`) need a header.
   */
  readonly header?: boolean;
  /** Field delimiter (default `,`; e.g. `;` or `\t`). */
  readonly delimiter?: string;
  /** Columns to drop (by header name), e.g. an id column. */
  readonly ignore?: readonly string[];
  /** The file name, for error messages (default `"csv"`). */
  readonly source?: string;
}

/** A CSV data set: a {@link MultiLabelData} plus the samples skipped with the `skip` option. */
export interface CsvData extends MultiLabelData {
  /** The 1-based line of each kept sample in the file. */
  readonly rowLines: Uint32Array;
  /** Rows skipped (only with `skip`): index = 0-based data row, reason names the line. */
  readonly skipped: readonly SkippedSample[];
}

const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

function parseFeature(raw: string, column: string): number {
  if (raw === '') throw new Error(`column ${column} is empty`);
  const v = Number(raw);
  if (NON_FINITE.test(raw) || (Number.isNaN(v) === false && !Number.isFinite(v))) {
    throw new Error(`column ${column} holds "${raw}": NaN and ∞ are not allowed`);
  }
  if (Number.isNaN(v)) throw new Error(`column ${column} holds "${raw}", which is not a number`);
  return v;
}

function isNumeric(raw: string): boolean {
  return raw !== '' && !Number.isNaN(Number(raw));
}

/**
 * Parses a multi-label CSV file: one sample per record, feature columns and 0/1 label columns (by
 * header name, or the first / last n columns). Every value must be a finite number; NaN, ±∞, empty
 * and non-numeric values throw a {@link DatasetFormatError} naming the file, line and column — or,
 * with `skip`, skip that row and report it. The features' `range` is their observed min / max.
 *
 * @example
 * const data = parseCsv(text, { labels: { last: 14 }, source: 'yeast.csv' });
 */
export function parseCsv(text: string, options: CsvOptions): CsvData {
  const source = options.source ?? 'csv';
  const records = splitCsv(text, source, options.delimiter ?? ',');
  if (records.length === 0) throw new DatasetFormatError(source, undefined, 'no rows');
  const first = records[0] as CsvRecord;
  const header = options.header ?? first.fields.some((f) => !isNumeric(f));
  const width = first.fields.length;
  const names = header
    ? first.fields.map((f, i) => (f === '' ? `column ${i + 1}` : f))
    : Array.from({ length: width }, (_, i) => `column ${i + 1}`);
  if (header) {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) {
        throw new DatasetFormatError(source, first.line, `column "${name}" appears twice`);
      }
      seen.add(name);
    }
  }
  const byName = new Map(names.map((n, i) => [n, i]));
  const column = (name: string): number => {
    if (!header) {
      throw new ArgumentError('header', `columns by name ("${name}") need a header row`);
    }
    const c = byName.get(name);
    if (c === undefined) throw new DatasetLabelError(source, name, names);
    return c;
  };
  const spec = options.labels;
  let labelColumns: number[];
  if ('names' in spec) {
    labelColumns = spec.names.map(column);
  } else {
    const n = 'first' in spec ? spec.first : spec.last;
    if (!Number.isInteger(n) || n < 1) {
      throw new ArgumentError('labels', `label count must be a positive integer; got ${n}`);
    }
    if (n >= width) {
      throw new DatasetFormatError(
        source,
        first.line,
        `has ${width} columns; ${n} label columns leave no feature (label count must be below ${width})`,
      );
    }
    labelColumns = Array.from({ length: n }, (_, i) => ('first' in spec ? i : width - n + i));
  }
  if (new Set(labelColumns).size !== labelColumns.length) {
    throw new ArgumentError('labels', 'a label column is named twice');
  }
  const dropped = new Set([...labelColumns, ...(options.ignore ?? []).map(column)]);
  const featureColumns = Array.from({ length: width }, (_, i) => i).filter((i) => !dropped.has(i));
  const F = featureColumns.length;
  const L = labelColumns.length;
  const rows = header ? records.slice(1) : records;
  const features = new Float32Array(rows.length * F);
  const labels = new Uint8Array(rows.length * L);
  const rowLines = new Uint32Array(rows.length);
  const log = new SkipLog(options);
  const quote = (c: number) => (header ? `"${names[c]}"` : String(c + 1));
  let kept = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  rows.forEach((record, r) => {
    try {
      try {
        const { fields } = record;
        if (fields.length !== width) {
          throw new Error(`row has ${fields.length} values; expected ${width}`);
        }
        const base = kept * F;
        for (let f = 0; f < F; f++) {
          const c = featureColumns[f] as number;
          features[base + f] = parseFeature(fields[c] as string, quote(c));
        }
        for (let j = 0; j < L; j++) {
          const c = labelColumns[j] as number;
          const raw = fields[c] as string;
          const v = Number(raw);
          if (raw === '' || (v !== 0 && v !== 1)) {
            throw new Error(`label column ${quote(c)} holds "${raw}"; expected 0 or 1`);
          }
          labels[kept * L + j] = v;
        }
      } catch (error) {
        if (error instanceof Error && !(error as { code?: unknown }).code) {
          throw new DatasetFormatError(source, record.line, error.message);
        }
        throw error;
      }
    } catch (error) {
      log.handle(r, source, error);
      return;
    }
    for (let f = 0; f < F; f++) {
      const v = features[kept * F + f] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    rowLines[kept] = record.line;
    kept++;
  });
  return {
    features: features.slice(0, kept * F),
    labels: labels.slice(0, kept * L),
    count: kept,
    sampleShape: [F],
    labelNames: labelColumns.map((c) => names[c] as string),
    range: hi > lo ? { lo, hi } : { lo: 0, hi: 1 },
    rowLines: rowLines.slice(0, kept),
    skipped: log.skipped,
  };
}
