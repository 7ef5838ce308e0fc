import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { DatasetLabelError } from '../errors/dataset-label-error.js';
import { childText, parseXml, type XmlNode } from '../loaders/parse-xml.js';

/** The 20 PASCAL VOC classes, in the official (alphabetical) order of the devkit. */
export const VOC_CLASSES: readonly string[] = Object.freeze([
  'aeroplane',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'bus',
  'car',
  'cat',
  'chair',
  'cow',
  'diningtable',
  'dog',
  'horse',
  'motorbike',
  'person',
  'pottedplant',
  'sheep',
  'sofa',
  'train',
  'tvmonitor',
]);

/** One `<object>` of a VOC annotation. */
export interface VocObject {
  /** Class name (`<name>`). */
  readonly name: string;
  /** `<difficult>1</difficult>`: hard to recognise (excluded from the official evaluation). */
  readonly difficult: boolean;
  /** `<truncated>1</truncated>`: the object extends beyond the image. */
  readonly truncated: boolean;
}

/** A parsed VOC annotation file (`Annotations/<id>.xml`). */
export interface VocAnnotation {
  /** `<filename>` (e.g. `2007_000027.jpg`), if given. */
  readonly filename: string | undefined;
  /** `<size><width>`, when given. */
  readonly width: number | undefined;
  /** `<size><height>`, when given. */
  readonly height: number | undefined;
  /** `<size><depth>` (channels), when given. */
  readonly depth: number | undefined;
  /** The objects, in file order. */
  readonly objects: readonly VocObject[];
}

function flag(node: XmlNode, name: string, source: string): boolean {
  const text = childText(node, name);
  if (text === undefined || text === '' || text === '0') return false;
  if (text === '1') return true;
  throw new DatasetFormatError(source, undefined, `<${name}> is "${text}"; expected 0 or 1`);
}

function dimension(node: XmlNode | undefined, name: string, source: string): number | undefined {
  if (node === undefined) return undefined;
  const text = childText(node, name);
  if (text === undefined || text === '') return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0) {
    throw new DatasetFormatError(
      source,
      undefined,
      `<size><${name}> is "${text}"; expected an integer`,
    );
  }
  return v;
}

/**
 * Parses a PASCAL VOC annotation (`<annotation><filename/><size/><object><name/><truncated/>
 * <difficult/>…</object>…</annotation>`) with `fast-xml-parser`, entity expansion off. Malformed
 * XML throws a {@link DatasetFormatError} with the line.
 */
export function parseVocAnnotation(text: string, source = 'annotation.xml'): VocAnnotation {
  const doc = parseXml(text, source, ['object']);
  const root = doc.annotation;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new DatasetFormatError(source, undefined, 'no <annotation> root element');
  }
  const annotation = root as XmlNode;
  const size = typeof annotation.size === 'object' ? (annotation.size as XmlNode) : undefined;
  const objects = ((annotation.object as unknown[] | undefined) ?? []).map((o) => {
    const node = (typeof o === 'object' && o !== null ? o : {}) as XmlNode;
    const name = childText(node, 'name');
    if (name === undefined || name === '') {
      throw new DatasetFormatError(source, undefined, '<object> without a <name>');
    }
    return {
      name,
      difficult: flag(node, 'difficult', source),
      truncated: flag(node, 'truncated', source),
    };
  });
  return {
    filename: childText(annotation, 'filename'),
    width: dimension(size, 'width', source),
    height: dimension(size, 'height', source),
    depth: dimension(size, 'depth', source),
    objects,
  };
}

/** Options of {@link vocLabelVector}. */
export interface VocLabelOptions {
  /** The class list (default {@link VOC_CLASSES}). */
  readonly classes?: readonly string[];
  /**
   * Objects marked `difficult`: `'present'` (default) counts their class as present, `'ignore'`
   * does not (a class then needs one non-difficult object). Truncated objects always count.
   */
  readonly difficult?: 'present' | 'ignore';
}

/**
 * The label vector of an annotation: 1 for each class with at least one object. A class not in
 * the list throws a {@link DatasetLabelError} naming the source.
 */
export function vocLabelVector(
  annotation: VocAnnotation,
  source: string,
  options: VocLabelOptions = {},
): Uint8Array {
  const classes = options.classes ?? VOC_CLASSES;
  const index = new Map(classes.map((c, i) => [c, i]));
  const labels = new Uint8Array(classes.length);
  for (const object of annotation.objects) {
    const j = index.get(object.name);
    if (j === undefined) throw new DatasetLabelError(source, object.name, classes);
    if (object.difficult && options.difficult === 'ignore') continue;
    labels[j] = 1;
  }
  return labels;
}

/**
 * Parses an `ImageSets/Main/<split>.txt` list: one image id per line (the first token, so the
 * per-class `<class>_<split>.txt` files also work). Blank lines are skipped; a repeated id throws a
 * {@link DatasetFormatError} with its line.
 */
export function parseVocImageSet(text: string, source = 'split.txt'): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, n) => {
    const id = raw.trim().split(/\s+/)[0] ?? '';
    if (id === '') return;
    if (seen.has(id))
      throw new DatasetFormatError(source, n + 1, `image id "${id}" is listed twice`);
    seen.add(id);
    ids.push(id);
  });
  if (ids.length === 0) throw new DatasetFormatError(source, undefined, 'no image ids');
  return ids;
}
