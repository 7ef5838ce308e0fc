import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { decodeXmlText, parseXml, type XmlNode } from '../loaders/parse-xml.js';

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
    if (typeof name === 'string') out.push(decodeXmlText(name));
    collectLabels(label, out); // hierarchical MULAN files nest labels
  }
}

/**
 * Parses a MULAN label file (`<labels xmlns="http://mulan.sourceforge.net/labels"><label
 * name="…"/>…</labels>`) into label names in document order (nested, hierarchical labels are
 * flattened depth-first). The parser expands no entities: a DOCTYPE or entity declaration
 * (billion laughs, XXE) is refused. Malformed XML throws a {@link DatasetFormatError} with the line.
 *
 * @param text - the XML text
 * @param source - the file name, for error messages
 */
export function parseMulanLabels(text: string, source = 'labels.xml'): string[] {
  const doc = parseXml(text, source);
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
