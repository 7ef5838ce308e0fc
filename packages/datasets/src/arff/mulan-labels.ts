import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DatasetFormatError } from '../errors/dataset-format-error.js';

type XmlNode = { [key: string]: unknown };

function collectLabels(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectLabels(item, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const labels = (node as XmlNode).label;
  if (labels === undefined) return;
  for (const label of Array.isArray(labels) ? labels : [labels]) {
    const name = (label as XmlNode | null)?.['@_name'];
    if (typeof name === 'string') out.push(name);
    collectLabels(label, out); // hierarchical MULAN files nest labels
  }
}

/**
 * Parses a MULAN label file (`<labels xmlns="http://mulan.sourceforge.net/labels"><label
 * name="…"/>…</labels>`) into label names in document order (nested, hierarchical labels are
 * flattened depth-first). Malformed XML throws a {@link DatasetFormatError} with the line.
 *
 * @param text - the XML text
 * @param source - the file name, for error messages
 */
export function parseMulanLabels(text: string, source = 'labels.xml'): string[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new DatasetFormatError(source, valid.err.line, `malformed XML: ${valid.err.msg}`);
  }
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(
    text,
  ) as XmlNode;
  const root = doc.labels;
  if (root === undefined)
    throw new DatasetFormatError(source, undefined, 'no <labels> root element');
  const names: string[] = [];
  collectLabels(root, names);
  if (names.length === 0)
    throw new DatasetFormatError(source, undefined, 'no <label name="…"> element');
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      throw new DatasetFormatError(source, undefined, `label "${name}" is listed twice`);
    seen.add(name);
  }
  return names;
}
