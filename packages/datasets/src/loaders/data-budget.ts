import { DatasetFormatError } from '../errors/dataset-format-error.js';

/**
 * The most cells (rows × columns, or images × labels) a data file may make mlap allocate:
 * 2^28 (268 million; 2 GiB of float64 ARFF values, 256 MiB of COCO label bytes). Real sets fit
 * (COCO 2017 train: 118k × 80; EUR-Lex: 19k × 5,000), while a few-megabyte file declaring a
 * million attributes and a million sparse rows, or 100,000 categories × 100,000 images, is refused
 * before anything is allocated.
 */
export const MAX_DATA_CELLS = 2 ** 28;

/**
 * Throws a {@link DatasetFormatError} naming the file (and line) when `rows × columns` is over
 * `maxCells` — checked from the declared sizes, before the arrays are allocated.
 */
export function checkCells(
  source: string,
  line: number | undefined,
  size: { readonly rows: number; readonly columns: number; readonly what: string },
  maxCells = MAX_DATA_CELLS,
): void {
  const cells = size.rows * size.columns;
  if (cells > maxCells) {
    throw new DatasetFormatError(
      source,
      line,
      `${size.what}: ${size.rows} × ${size.columns} = ${cells} cells, over the budget of ` +
        `${maxCells} (maxCells)`,
    );
  }
}
