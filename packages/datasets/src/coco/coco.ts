import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { DatasetLabelError } from '../errors/dataset-label-error.js';
import { checkCells, MAX_DATA_CELLS } from '../loaders/data-budget.js';
import { parseJson } from '../loaders/parse-json.js';
import { SkipLog, type SkipOptions, type SkippedSample } from '../loaders/skip.js';

/** One image of a COCO instances file with its label vector. */
export interface CocoImage {
  /** `images[].id`. */
  readonly id: number;
  /** `images[].file_name` (relative to the image folder, e.g. `COCO_val2014_000000000042.jpg`). */
  readonly fileName: string;
  /** Label indicators, one per category (categories in id order). */
  readonly labels: Uint8Array;
  /** Position in the file's `images` array. */
  readonly index: number;
}

/** A parsed COCO `instances_*.json`. */
export interface CocoInstances {
  /** Category names (`categories[].name`), ordered by category id: label j ↔ `categoryIds[j]`. */
  readonly labelNames: readonly string[];
  /** The category id of each label (1…90 with gaps in COCO 2014: 80 categories). */
  readonly categoryIds: readonly number[];
  /** Every image (also those without annotations: all-zero labels), in file order. */
  readonly images: readonly CocoImage[];
  /**
   * Images skipped with the `skip` option (an annotation with a category id not in `categories`;
   * the error's `label` is that id).
   */
  readonly skipped: readonly SkippedSample[];
}

/** Options of {@link parseCocoInstances}. */
export interface CocoOptions extends SkipOptions {
  /** The file name, for error messages (default `"instances.json"`). */
  readonly source?: string;
  /** Leave out `iscrowd: 1` annotations (default false: a crowd region counts as present). */
  readonly ignoreCrowd?: boolean;
  /**
   * The most label cells (images × categories) allocated (default `MAX_DATA_CELLS`); a file over
   * it is a {@link DatasetFormatError} before anything is allocated.
   */
  readonly maxCells?: number;
}

type Json = { [key: string]: unknown };

function arrayField(doc: Json, name: string, source: string): unknown[] {
  const value = doc[name];
  if (!Array.isArray(value)) {
    throw new DatasetFormatError(source, undefined, `"${name}" is missing or not an array`);
  }
  return value;
}

function objectAt(list: unknown[], i: number, what: string, source: string): Json {
  const item = list[i];
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new DatasetFormatError(source, undefined, `${what}[${i}] is not an object`);
  }
  return item as Json;
}

function integerField(item: Json, name: string, where: string, source: string): number {
  const v = item[name];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new DatasetFormatError(source, undefined, `${where}.${name} is not an integer`);
  }
  return v;
}

/**
 * Parses a COCO instances file (`{ images, annotations, categories }`) into multi-label vectors:
 * the categories, sorted by id, become contiguous labels 0…K−1 (80 for COCO 2014 / 2017) named
 * from the file; an image's label j is 1 when it has an annotation of category j. Malformed JSON
 * throws a {@link DatasetFormatError} with the line; an annotation with a category not in
 * `categories` throws a {@link DatasetLabelError} naming the file (with `skip`: its image is
 * skipped and reported); more images × categories than `maxCells` a {@link DatasetFormatError}.
 */
export function parseCocoInstances(text: string, options: CocoOptions = {}): CocoInstances {
  const source = options.source ?? 'instances.json';
  const doc = parseJson(text, source);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new DatasetFormatError(
      source,
      1,
      'expected a JSON object with images, annotations and categories',
    );
  }
  const json = doc as Json;
  const categoryList = arrayField(json, 'categories', source);
  const categories = categoryList.map((_, i) => {
    const c = objectAt(categoryList, i, 'categories', source);
    const name = c.name;
    if (typeof name !== 'string' || name === '') {
      throw new DatasetFormatError(source, undefined, `categories[${i}].name is not a string`);
    }
    return { id: integerField(c, 'id', `categories[${i}]`, source), name };
  });
  if (categories.length === 0) throw new DatasetFormatError(source, undefined, 'no categories');
  categories.sort((a, b) => a.id - b.id);
  const labelOf = new Map<number, number>();
  categories.forEach((c, j) => {
    if (labelOf.has(c.id)) {
      throw new DatasetFormatError(source, undefined, `category id ${c.id} is listed twice`);
    }
    labelOf.set(c.id, j);
  });
  const labelNames = categories.map((c) => c.name);
  const K = labelNames.length;

  const imageList = arrayField(json, 'images', source);
  checkCells(
    source,
    undefined,
    { rows: imageList.length, columns: K, what: 'images × categories' },
    options.maxCells ?? MAX_DATA_CELLS,
  );
  const rowOf = new Map<number, number>();
  const images = imageList.map((_, i) => {
    const im = objectAt(imageList, i, 'images', source);
    const id = integerField(im, 'id', `images[${i}]`, source);
    const fileName = im.file_name;
    if (typeof fileName !== 'string' || fileName === '') {
      throw new DatasetFormatError(source, undefined, `images[${i}].file_name is not a string`);
    }
    if (rowOf.has(id))
      throw new DatasetFormatError(source, undefined, `image id ${id} is listed twice`);
    rowOf.set(id, i);
    return { id, fileName, labels: new Uint8Array(K), index: i };
  });

  const bad = new Map<number, Error>();
  const annotations = arrayField(json, 'annotations', source);
  for (let a = 0; a < annotations.length; a++) {
    const ann = objectAt(annotations, a, 'annotations', source);
    const imageId = integerField(ann, 'image_id', `annotations[${a}]`, source);
    const categoryId = integerField(ann, 'category_id', `annotations[${a}]`, source);
    const row = rowOf.get(imageId);
    if (row === undefined) {
      throw new DatasetFormatError(
        source,
        undefined,
        `annotations[${a}] refers to image id ${imageId}, which is not in "images"`,
      );
    }
    const j = labelOf.get(categoryId);
    if (j === undefined) {
      if (!bad.has(row)) {
        bad.set(
          row,
          new DatasetLabelError(
            source,
            String(categoryId),
            categories.map((c) => `${c.id} ${c.name}`),
          ),
        );
      }
      continue;
    }
    if (options.ignoreCrowd === true && ann.iscrowd === 1) continue;
    (images[row] as { labels: Uint8Array }).labels[j] = 1;
  }
  const log = new SkipLog(options);
  for (const [row, error] of [...bad].sort((p, q) => p[0] - q[0])) log.handle(row, source, error);
  return {
    labelNames,
    categoryIds: categories.map((c) => c.id),
    images: bad.size === 0 ? images : images.filter((_, i) => !bad.has(i)),
    skipped: log.skipped,
  };
}
