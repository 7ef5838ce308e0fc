import { parseMulanLabels } from '../arff/mulan-labels.js';
import { type ArffLabelSpec, arffToMultiLabel, mekaLabelCount } from '../arff/multi-label-arff.js';
import { parseArff } from '../arff/parse-arff.js';
import type { MultiLabelData } from '../dataset.js';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { readText } from './read-file.js';
import { readLineText, type TextLimits } from './read-line-text.js';

/** Options of {@link loadArffFile}. */
export interface LoadArffOptions extends TextLimits {
  /** MULAN label XML file; labels are matched by name and kept in the XML's order. */
  readonly xml?: string;
  /** Or explicit label names / MEKA label count (default: MEKA `-C n` from the relation name). */
  readonly labels?: ArffLabelSpec;
}

/**
 * Reads a multi-label ARFF file: MULAN (labels from the XML file, matched by name) or MEKA (labels
 * from `-C n` in the relation name). Every problem is a typed error naming the file (and line);
 * a line over `maxLineBytes` (16 MiB) is reported as soon as the reader reaches it.
 *
 * @example
 * const train = await loadArffFile('yeast-train.arff', { xml: 'yeast.xml' });
 */
export async function loadArffFile(
  path: string,
  options: LoadArffOptions = {},
): Promise<MultiLabelData> {
  const arff = parseArff(await readLineText(path, options), path);
  let spec = options.labels;
  if (options.xml !== undefined)
    spec = { names: parseMulanLabels(await readText(options.xml), options.xml) };
  if (spec === undefined) {
    const meka = mekaLabelCount(arff.relation);
    if (meka === undefined) {
      throw new DatasetFormatError(
        path,
        undefined,
        'no label information: give the MULAN XML file or labels, or use a MEKA relation with -C n',
      );
    }
    spec = { meka };
  }
  return arffToMultiLabel(arff, spec);
}
