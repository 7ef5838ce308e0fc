import { type CsvData, type CsvOptions, parseCsv } from '../csv/parse-csv.js';
import { readLineText, type TextLimits } from './read-line-text.js';

/**
 * Reads a multi-label CSV file (see `parseCsv`): features and 0/1 label columns by name or count.
 * Errors name the file and line (a line over `maxLineBytes`, 16 MiB, as soon as the reader reaches
 * it); with `skip`, bad rows are skipped and listed in `skipped`.
 *
 * @example
 * const data = await loadCsvFile('train.csv', { labels: { names: ['cat', 'dog'] } });
 */
export async function loadCsvFile(
  path: string,
  options: Omit<CsvOptions, 'source'> & TextLimits,
): Promise<CsvData> {
  return parseCsv(await readLineText(path, options), { ...options, source: path });
}
