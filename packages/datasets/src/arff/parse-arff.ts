import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { checkCells, MAX_DATA_CELLS } from '../loaders/data-budget.js';

/** One ARFF attribute. */
export interface ArffAttribute {
  /** The attribute name (quotes removed). */
  readonly name: string;
  /** `numeric` (also `real`, `integer`) or `nominal` (a `{a,b,…}` list). */
  readonly kind: 'numeric' | 'nominal';
  /** The allowed values of a nominal attribute, in declaration order. */
  readonly values?: readonly string[];
}

/** A parsed ARFF file: every value as a number (nominal values by their index in the value list). */
export interface ArffData {
  /** The `@relation` name. */
  readonly relation: string;
  /** The attributes, in file order. */
  readonly attributes: readonly ArffAttribute[];
  /** Number of data rows. */
  readonly numRows: number;
  /** Values, [numRows, attributes.length] row-major; sparse rows are 0 where not given. */
  readonly values: Float64Array;
  /** 1-based line of each data row in the file. */
  readonly rowLines: Uint32Array;
  /** The file or source name. */
  readonly source: string;
}

/** Splits on commas outside single or double quotes, trimming each piece. */
function splitFields(text: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== undefined) {
      if (ch === '\\' && i + 1 < text.length) {
        current += text[++i];
        continue;
      }
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === separator) {
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (quote !== undefined) throw new Error(`unterminated ${quote} quote`);
  out.push(current.trim());
  return out;
}

/** Reads a possibly quoted token from the start of `text`; returns it and the rest. */
function readToken(text: string): [string, string] {
  const t = text.trimStart();
  const q = t[0];
  if (q === "'" || q === '"') {
    const end = t.indexOf(q, 1);
    if (end < 0) throw new Error(`unterminated ${q} quote`);
    return [t.slice(1, end), t.slice(end + 1).trim()];
  }
  const m = /^(\S+)\s*(.*)$/s.exec(t);
  if (m === null) throw new Error('missing name');
  return [m[1] as string, m[2] as string];
}

function parseAttribute(rest: string): ArffAttribute {
  const [name, type] = readToken(rest);
  if (type.startsWith('{')) {
    if (!type.endsWith('}')) throw new Error(`nominal list of "${name}" is not closed with }`);
    const values = splitFields(type.slice(1, -1), ',');
    return { name, kind: 'nominal', values };
  }
  const lower = type.toLowerCase();
  if (lower === 'numeric' || lower === 'real' || lower === 'integer')
    return { name, kind: 'numeric' };
  throw new Error(`attribute "${name}" has unsupported type "${type}" (numeric or nominal only)`);
}

function parseValue(raw: string, attribute: ArffAttribute): number {
  if (raw === '?') throw new Error(`missing value "?" for attribute "${attribute.name}"`);
  if (attribute.kind === 'nominal') {
    const index = attribute.values?.indexOf(raw) ?? -1;
    if (index < 0) {
      throw new Error(
        `value "${raw}" is not one of {${attribute.values?.join(',')}} of attribute "${attribute.name}"`,
      );
    }
    return index;
  }
  const v = raw === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(v)) {
    throw new Error(
      `value "${raw}" of numeric attribute "${attribute.name}" is not a finite number`,
    );
  }
  return v;
}

/**
 * Parses a Weka / MULAN / MEKA ARFF file with numeric and nominal attributes, dense rows
 * (`v1,v2,…`) and sparse rows (`{index value, …}`, 0-based indices, absent values 0). Comments
 * (`%`) and blank lines are skipped. Any problem throws a {@link DatasetFormatError} naming the
 * source and the line — also a file whose lines after `@data` times its attributes exceed
 * `maxCells` (a small file of sparse rows can declare an enormous dense table), before allocating.
 *
 * @param text - the file's text
 * @param source - the file name, for error messages
 * @param maxCells - the most values (rows × attributes) allocated (default `MAX_DATA_CELLS`)
 */
export function parseArff(text: string, source = 'arff', maxCells = MAX_DATA_CELLS): ArffData {
  const lines = text.split(/\r?\n/);
  let relation = '';
  const attributes: ArffAttribute[] = [];
  let inData = false;
  let values = new Float64Array(0);
  let rowLines = new Uint32Array(0);
  let numRows = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    const lineNo = n + 1;
    if (line === '' || line.startsWith('%')) continue;
    try {
      if (!inData) {
        const m = /^@(\w+)\s*(.*)$/s.exec(line);
        if (m === null)
          throw new Error(`expected @relation, @attribute or @data; got "${line.slice(0, 40)}"`);
        const keyword = (m[1] as string).toLowerCase();
        const rest = m[2] as string;
        if (keyword === 'relation') relation = readToken(rest)[0];
        else if (keyword === 'attribute') attributes.push(parseAttribute(rest));
        else if (keyword === 'data') {
          if (attributes.length === 0) throw new Error('@data before any @attribute');
          inData = true;
          const rowsLeft = lines.length - lineNo; // an upper bound: every later line a row
          checkCells(
            source,
            lineNo,
            { rows: rowsLeft, columns: attributes.length, what: 'data rows × attributes' },
            maxCells,
          );
          // start small: a header declaring a million attributes must not allocate 1024 rows of them
          const rows = Math.max(1, Math.min(1024, Math.floor(2 ** 16 / attributes.length)));
          values = new Float64Array(rows * attributes.length);
          rowLines = new Uint32Array(rows);
        } else throw new Error(`unknown declaration @${m[1]}`);
        continue;
      }
      const width = attributes.length;
      if (numRows === rowLines.length) {
        const grown = new Float64Array(values.length * 2);
        grown.set(values);
        values = grown;
        const grownLines = new Uint32Array(rowLines.length * 2);
        grownLines.set(rowLines);
        rowLines = grownLines;
      }
      const base = numRows * width;
      if (line.startsWith('{')) {
        if (!line.endsWith('}')) throw new Error('sparse row is not closed with }');
        const body = line.slice(1, -1).trim();
        if (body !== '') {
          for (const pair of splitFields(body, ',')) {
            const m = /^(\d+)\s+(.+)$/s.exec(pair);
            if (m === null) throw new Error(`sparse entry "${pair}" is not "index value"`);
            const index = Number(m[1]);
            const attribute = attributes[index];
            if (attribute === undefined) {
              throw new Error(`sparse index ${index} is outside the ${width} attributes`);
            }
            values[base + index] = parseValue(readToken(m[2] as string)[0], attribute);
          }
        }
      } else {
        const fields = splitFields(line, ',');
        if (fields.length !== width) {
          throw new Error(
            `row has ${fields.length} values; the header declares ${width} attributes`,
          );
        }
        for (let a = 0; a < width; a++) {
          values[base + a] = parseValue(fields[a] as string, attributes[a] as ArffAttribute);
        }
      }
      rowLines[numRows] = lineNo;
      numRows++;
    } catch (error) {
      if (error instanceof Error && !(error as { code?: unknown }).code) {
        throw new DatasetFormatError(source, lineNo, error.message);
      }
      throw error;
    }
  }
  if (!inData) throw new DatasetFormatError(source, undefined, 'no @data section');
  return {
    relation,
    attributes,
    numRows,
    values: values.slice(0, numRows * attributes.length),
    rowLines: rowLines.slice(0, numRows),
    source,
  };
}
