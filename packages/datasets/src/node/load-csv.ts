import { type CsvData, type CsvOptions, parseCsv } from '../csv/parse-csv.js';
import { readText } from './read-file.js';

/**
 * Reads a multi-label CSV file (see `parseCsv`): features and 0/1 label columns by name or count.
 * Errors name the file and line; with `skip`, bad rows are skipped and listed in `skipped`.
 *
 * @example
 * const data = await loadCsvFile('train.csv', { labels: { names: ['cat', 'dog'] } });
 */
export async function loadCsvFile(
  path: string,
  options: Omit<CsvOptions, 'source'>,
): Promise<CsvData> {
  return parseCsv(await readText(path), { ...options, source: path });
}
