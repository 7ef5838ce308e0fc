import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { lineAt } from './parse-json.js';

/** A parsed XML element: child elements by name, attributes as `@_name`, text as `#text`. */
export type XmlNode = { [key: string]: unknown };

const PREDEFINED: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/**
 * Replaces the five predefined XML entities and numeric character references. Nothing else is
 * expanded: DOCTYPE-declared entities stay as written (no entity expansion, so no "billion laughs").
 */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(Number.parseInt(ref.slice(2), 16), whole);
    if (ref.startsWith('#')) return safeCodePoint(Number(ref.slice(1)), whole);
    return PREDEFINED[ref] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/**
 * Throws a {@link DatasetFormatError} when the document has a `<!DOCTYPE …>` or an `<!ENTITY …>`
 * declaration. Data files (MULAN labels, VOC annotations) never need one, and refusing them up
 * front shuts out entity expansion ("billion laughs") and external entities (XXE) whatever the
 * parser would do with them.
 */
export function rejectDoctype(text: string, source: string): void {
  const match = /<!(DOCTYPE|ENTITY)\b/i.exec(text);
  if (match !== null) {
    throw new DatasetFormatError(
      source,
      lineAt(text, match.index),
      `<!${match[1]?.toUpperCase()}> declarations are not allowed (no DTDs, no entities)`,
    );
  }
}

/**
 * Validates and parses an XML document with `fast-xml-parser`, entity processing off, values kept
 * as strings, elements named in `arrays` always arrays. A DOCTYPE or entity declaration
 * ({@link rejectDoctype}) or malformed XML throws a {@link DatasetFormatError} with the line.
 */
export function parseXml(text: string, source: string, arrays: readonly string[] = []): XmlNode {
  rejectDoctype(text, source);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new DatasetFormatError(source, valid.err.line, `malformed XML: ${valid.err.msg}`);
  }
  const always = new Set(arrays);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => always.has(name),
  });
  try {
    return parser.parse(text) as XmlNode;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new DatasetFormatError(source, undefined, `malformed XML: ${detail}`, { cause });
  }
}

/** The text of a child element (decoded, trimmed), or undefined when absent. */
export function childText(node: XmlNode, name: string): string | undefined {
  const child = node[name];
  if (child === undefined || child === null) return undefined;
  if (typeof child === 'string' || typeof child === 'number') return decodeXmlText(String(child));
  if (typeof child === 'object' && !Array.isArray(child)) {
    const text = (child as XmlNode)['#text'];
    return text === undefined ? '' : decodeXmlText(String(text));
  }
  return undefined;
}
