import { DatasetFormatError } from '../errors/dataset-format-error.js';

/** Offset of the first JSON syntax error in `text`, or undefined when none is found. */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(String(i));
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const expect = (ch: string): void => {
    if (text[i] !== ch) fail();
    i++;
  };
  const string = (): void => {
    expect('"');
    while (i < n) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail();
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail();
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail();
      i++;
    }
    fail();
  };
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (text[i] === ',') i++;
        else {
          expect('}');
          return;
        }
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else {
          expect(']');
          return;
        }
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    number.lastIndex = i;
    if (!number.test(text)) fail();
    i = number.lastIndex;
  };
  try {
    value();
    ws();
    if (i < n) fail();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return Number(error.message);
    return undefined; // e.g. nesting too deep for the stack: no position
  }
}

/** 1-based line of character `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 0x0a) line++;
  return line;
}

/**
 * The deepest JSON nesting accepted: 256 levels of arrays and objects. mlap's JSON files (COCO
 * annotations, sidecars, configs, targets) need fewer than ten; a file nested a million deep
 * would cost `JSON.parse` a second and a stack overflow in any recursive walk.
 */
export const MAX_JSON_DEPTH = 256;

/** Offset of the first bracket nested deeper than `maxDepth` (strings skipped), or -1. */
function tooDeepAt(text: string, maxDepth: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // skip the string: to the next quote not escaped by a backslash
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/**
 * `JSON.parse` that throws a {@link DatasetFormatError} naming the source and the line of the
 * first syntax error, or of the first bracket nested deeper than `maxDepth` (checked first, in
 * one pass over the text).
 */
export function parseJson(text: string, source: string, maxDepth = MAX_JSON_DEPTH): unknown {
  const deep = tooDeepAt(text, maxDepth);
  if (deep >= 0) {
    throw new DatasetFormatError(
      source,
      lineAt(text, deep),
      `JSON nested deeper than ${maxDepth} levels`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const offset = jsonErrorOffset(text);
    const line = offset === undefined ? undefined : lineAt(text, offset);
    const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new DatasetFormatError(source, line, `malformed JSON: ${detail}`, { cause });
  }
}
