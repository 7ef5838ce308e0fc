import { ArgumentError } from '@mlap/tensor';
import { splitCsv } from '../csv/parse-csv.js';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { DatasetLabelError } from '../errors/dataset-label-error.js';
import { checkCells } from '../loaders/data-budget.js';
import { parseJson } from '../loaders/parse-json.js';
import { SkipLog, type SkipOptions, type SkippedSample } from '../loaders/skip.js';

/** Labels of a folder of images, read from a sidecar file. */
export interface ImageLabels {
  /** Label names, in label order. */
  readonly labelNames: readonly string[];
  /** One entry per listed image, in file order: image path relative to the folder, and labels. */
  readonly entries: readonly {
    /** The image's path relative to the folder. */
    readonly file: string;
    /** Its labels, 0/1 per label. */
    readonly labels: Uint8Array;
    /** Its position in the sidecar's file order (the `files` list). */
    readonly index: number;
  }[];
  /** Every image file the sidecar names, skipped ones included, in file order. */
  readonly files: readonly string[];
  /** Entries skipped with `skip` (bad label values, unknown labels). */
  readonly skipped: readonly SkippedSample[];
}

/** Options of {@link parseImageLabels}. */
export interface ImageLabelOptions extends SkipOptions {
  /** `csv` or `json` (default: from the source's extension). */
  readonly format?: 'csv' | 'json';
  /** The label list; required names for the JSON / `labels`-column forms (default: sorted union). */
  readonly labelNames?: readonly string[];
  /** The sidecar's name, for error messages (default `"labels"`). */
  readonly source?: string;
}

const FILE_COLUMNS = ['file', 'filename', 'file_name', 'image', 'path'];

function vector(
  names: readonly string[],
  labelNames: readonly string[],
  index: Map<string, number>,
  source: string,
): Uint8Array {
  const out = new Uint8Array(labelNames.length);
  for (const name of names) {
    const j = index.get(name);
    if (j === undefined) throw new DatasetLabelError(source, name, labelNames);
    out[j] = 1;
  }
  return out;
}

/**
 * Parses the labels of a folder of images from a sidecar file:
 * - **CSV** with a header: a file column (`file`, `filename`, `image` or `path`, else the first
 *   column) and either one 0/1 column per label (the header names the labels) or a single `labels`
 *   column of names separated by spaces, `;` or `|`;
 * - **JSON**: `{ "a.png": ["cat", "dog"], … }`, or `{ "labelNames": [...], "images": { … } }`, or
 *   `[{ "file": "a.png", "labels": ["cat"] }, …]`.
 * Malformed files throw a {@link DatasetFormatError} with the line, unknown labels a
 * {@link DatasetLabelError} (with `skip`, that image is skipped and reported); more images ×
 * labels than `MAX_DATA_CELLS` a {@link DatasetFormatError} before the label vectors are made.
 */
export function parseImageLabels(text: string, options: ImageLabelOptions = {}): ImageLabels {
  const source = options.source ?? 'labels';
  const format = options.format ?? (/\.json$/i.test(source) ? 'json' : 'csv');
  const log = new SkipLog(options);
  const lists: { file: string; names: string[]; index: number; line?: number }[] = [];
  let fixedNames: readonly string[] | undefined = options.labelNames;
  let vectors: { file: string; labels: Uint8Array; index: number }[] | undefined;
  const files: string[] = [];
  if (format === 'csv') {
    const records = splitCsv(text, source);
    const header = records[0];
    if (header === undefined) throw new DatasetFormatError(source, undefined, 'no header row');
    const lower = header.fields.map((f) => f.toLowerCase());
    const fileColumn = Math.max(
      0,
      lower.findIndex((f) => FILE_COLUMNS.includes(f)),
    );
    const others = header.fields.map((_, c) => c).filter((c) => c !== fileColumn);
    const namesColumn = others.length === 1 && lower[others[0] as number] === 'labels';
    const rows = records.slice(1);
    if (namesColumn) {
      rows.forEach((r, i) => {
        files.push(r.fields[fileColumn] ?? '');
        const raw = r.fields[others[0] as number] ?? '';
        lists.push({
          file: r.fields[fileColumn] ?? '',
          names: raw.split(/[\s;|]+/).filter(Boolean),
          index: i,
          line: r.line,
        });
      });
    } else {
      const labelNames = others.map((c) => header.fields[c] as string);
      if (fixedNames !== undefined && fixedNames.join('\n') !== labelNames.join('\n')) {
        throw new ArgumentError(
          'labelNames',
          `${source} has label columns ${labelNames.join(', ')}`,
        );
      }
      fixedNames = labelNames;
      vectors = [];
      rows.forEach((r, i) => {
        files.push(r.fields[fileColumn] ?? '');
        try {
          if (r.fields.length !== header.fields.length) {
            throw new DatasetFormatError(
              source,
              r.line,
              `row has ${r.fields.length} values; expected ${header.fields.length}`,
            );
          }
          const labels = Uint8Array.from(others, (c) => {
            const raw = r.fields[c] as string;
            if (raw !== '0' && raw !== '1') {
              throw new DatasetFormatError(
                source,
                r.line,
                `label column "${header.fields[c]}" holds "${raw}"; expected 0 or 1`,
              );
            }
            return Number(raw);
          });
          vectors?.push({ file: r.fields[fileColumn] as string, labels, index: i });
        } catch (error) {
          log.handle(i, source, error);
        }
      });
    }
  } else {
    const doc = parseJson(text, source);
    let map: unknown = doc;
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc) && 'images' in doc) {
      const wrapped = doc as { labelNames?: unknown; images: unknown };
      if (wrapped.labelNames !== undefined) {
        if (
          !Array.isArray(wrapped.labelNames) ||
          !wrapped.labelNames.every((n) => typeof n === 'string')
        ) {
          throw new DatasetFormatError(source, undefined, '"labelNames" is not a list of strings');
        }
        fixedNames ??= wrapped.labelNames as string[];
      }
      map = wrapped.images;
    }
    const pairs: [string, unknown][] = Array.isArray(map)
      ? map.map((item, i) => {
          const o = (item ?? {}) as { file?: unknown; labels?: unknown };
          if (typeof o.file !== 'string') {
            throw new DatasetFormatError(source, undefined, `entry ${i} has no "file" string`);
          }
          return [o.file, o.labels];
        })
      : typeof map === 'object' && map !== null
        ? Object.entries(map)
        : [];
    if (pairs.length === 0) throw new DatasetFormatError(source, undefined, 'no images listed');
    pairs.forEach(([file, names], i) => {
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
        throw new DatasetFormatError(
          source,
          undefined,
          `labels of "${file}" are not a list of strings`,
        );
      }
      files.push(file);
      lists.push({ file, names: names as string[], index: i });
    });
  }
  const labelNames = fixedNames ?? [...new Set(lists.flatMap((l) => l.names))].sort();
  if (vectors === undefined) {
    checkCells(source, undefined, {
      rows: lists.length,
      columns: labelNames.length,
      what: 'images × labels',
    });
    const index = new Map(labelNames.map((n, j) => [n, j]));
    vectors = [];
    for (const l of lists) {
      try {
        vectors.push({
          file: l.file,
          labels: vector(l.names, labelNames, index, source),
          index: l.index,
        });
      } catch (error) {
        log.handle(l.index, source, error);
      }
    }
  }
  const seen = new Set<string>();
  for (const v of vectors) {
    if (v.file === '')
      throw new DatasetFormatError(source, undefined, `entry ${v.index} has an empty file name`);
    if (seen.has(v.file))
      throw new DatasetFormatError(source, undefined, `"${v.file}" is listed twice`);
    seen.add(v.file);
  }
  return { labelNames, entries: vectors, files, skipped: log.skipped };
}
