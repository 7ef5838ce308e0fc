import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { SkipLog, type SkipOptions, type SkippedSample } from '../loaders/skip.js';

/** A list file's non-blank lines (trimmed) with their 1-based line numbers. */
function listLines(text: string): { value: string; line: number }[] {
  const out: { value: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, n) => {
    const value = raw.trim();
    if (value !== '') out.push({ value, line: n + 1 });
  });
  return out;
}

/**
 * Parses NUS-WIDE's `ConceptsList/Concepts81.txt`: one concept name per line (81, alphabetical).
 * A repeated or missing name throws a {@link DatasetFormatError} with the line.
 */
export function parseNusWideConcepts(text: string, source = 'Concepts81.txt'): string[] {
  const seen = new Set<string>();
  const names = listLines(text).map(({ value, line }) => {
    if (seen.has(value))
      throw new DatasetFormatError(source, line, `concept "${value}" is listed twice`);
    seen.add(value);
    return value;
  });
  if (names.length === 0) throw new DatasetFormatError(source, undefined, 'no concepts');
  return names;
}

/**
 * Parses a NUS-WIDE image list (`ImageList/Imagelist.txt`, `TrainImagelist.txt`,
 * `TestImagelist.txt`): one image per line, Windows paths such as
 * `C:\ImageData\Flickr\actor\0001_2124494179.jpg` or `actor\0001_2124494179.jpg`.
 */
export function parseNusWideImageList(text: string, source = 'Imagelist.txt'): string[] {
  const entries = listLines(text).map((l) => l.value);
  if (entries.length === 0) throw new DatasetFormatError(source, undefined, 'no images');
  return entries;
}

/**
 * The path of a NUS-WIDE image-list entry relative to the `Flickr/` image folder: everything up to
 * and including a `Flickr\` (or `ImageData\Flickr\`) prefix is dropped and backslashes become `/`
 * (`C:\ImageData\Flickr\actor\0001_2124494179.jpg` → `actor/0001_2124494179.jpg`).
 */
export function nusWideImagePath(entry: string): string {
  const path = entry.replace(/\\/g, '/');
  const m = /(?:^|\/)flickr\/(.*)$/i.exec(path);
  return (m === null ? path : (m[1] as string)).replace(/^\/+/, '');
}

/** Options of {@link buildNusWideLabels}. */
export interface NusWideLabelOptions extends SkipOptions {
  /** The concept names (label order). */
  readonly concepts: readonly string[];
  /** Number of images in the image list the label files align with. */
  readonly imageCount: number;
  /** Text and source name of each concept's label file (`Labels_<concept>_Train.txt` …). */
  readonly files: readonly {
    /** The label file's text: one 0/1 line per image. */
    readonly text: string;
    /** Its name, for error messages. */
    readonly source: string;
  }[];
}

/** Result of {@link buildNusWideLabels}. */
export interface NusWideLabels {
  /** [imageCount, concepts.length] row-major 0/1. */
  readonly labels: Uint8Array;
  /** Image-list positions whose labels are bad and were skipped (only with `skip`). */
  readonly skipped: readonly SkippedSample[];
  /** True at the image-list positions that were skipped. */
  readonly isSkipped: (index: number) => boolean;
}

/**
 * Assembles NUS-WIDE's per-concept label columns (`Groundtruth/…/Labels_<concept>[_Train|_Test].txt`:
 * one 0 or 1 per line, line k ↔ image k of the list) into label vectors. A file whose line count
 * differs from the image list throws a {@link DatasetFormatError}; a value other than 0 / 1 throws
 * one with its line (with `skip`: that image is skipped and reported).
 */
export function buildNusWideLabels(options: NusWideLabelOptions): NusWideLabels {
  const { concepts, imageCount, files } = options;
  const L = concepts.length;
  if (files.length !== L) {
    throw new DatasetFormatError(
      'labels',
      undefined,
      `${files.length} label files for ${L} concepts`,
    );
  }
  const labels = new Uint8Array(imageCount * L);
  const bad = new Map<number, Error>();
  files.forEach(({ text, source }, j) => {
    const lines = listLines(text);
    if (lines.length !== imageCount) {
      throw new DatasetFormatError(
        source,
        lines.length > imageCount ? lines[imageCount]?.line : undefined,
        `${lines.length} label lines for ${imageCount} images in the image list`,
      );
    }
    lines.forEach(({ value, line }, i) => {
      if (value === '1') labels[i * L + j] = 1;
      else if (value !== '0' && !bad.has(i)) {
        bad.set(i, new DatasetFormatError(source, line, `label "${value}"; expected 0 or 1`));
      }
    });
  });
  const log = new SkipLog(options);
  for (const [i, error] of [...bad].sort((p, q) => p[0] - q[0])) log.handle(i, 'labels', error);
  return { labels, skipped: log.skipped, isSkipped: (i) => bad.has(i) };
}
