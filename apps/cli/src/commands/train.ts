import { setupBackend } from '@mlap/backend';
import { loadArffFile } from '@mlap/datasets/node';
import { adversarialTraining, buildCnn, buildMlp, type LossName, trainModel } from '@mlap/models';
import { saveModelFiles } from '@mlap/models/node';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../attack/usage-error.js';
import {
  backendSetup,
  type CommonOptions,
  integerOption,
  type Output,
  withBackendOptions,
} from '../options.js';

interface TrainFlags extends CommonOptions {
  readonly data: string;
  readonly labels?: string;
  readonly arch: 'mlp' | 'cnn';
  readonly loss: keyof typeof LOSSES;
  readonly out: string;
  readonly seed: number;
  readonly epochs: number;
  readonly adversarial?: 'pgd';
  readonly epsilon?: number;
}

/** Parses `--epsilon`: a radius in (0, 1], in the units of the [0, 1] box. */
function epsilonOption(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1))
    throw new InvalidArgumentError(`--epsilon takes a number in (0, 1]; got "${value}"`);
  return n;
}

/** `--loss` choices and the @mlap/models losses they name. */
const LOSSES = {
  bce: 'binary-cross-entropy',
  rank: 'pairwise-hinge',
  lsep: 'lsep',
  warp: 'warp',
} as const satisfies Record<string, LossName>;

/** The box trained models take: data ranges are mapped onto [0, 1]. */
const BOX = { lo: 0, hi: 1 } as const;

/** `mlap train`: a multi-label MLP or CNN on a MULAN ARFF file, saved as a TF.js model. */
export function registerTrain(program: Command, out: Output): void {
  withBackendOptions(
    program
      .command('train')
      .description(
        'train a multi-label MLP or CNN and save it as model.json + weights + label names',
      )
      .requiredOption('--data <file.arff>', 'training data: a MULAN .arff file')
      .option('--labels <labels.xml>', 'the MULAN label file (labels are matched by name)')
      .addOption(new Option('--arch <arch>', 'architecture').choices(['mlp', 'cnn']).default('mlp'))
      .addOption(
        new Option(
          '--loss <loss>',
          'binary cross-entropy, or a ranking loss: pairwise hinge (rank), LSEP or exact WARP',
        )
          .choices(Object.keys(LOSSES))
          .default('bce'),
      )
      .requiredOption('--out <dir>', 'folder for model.json and weights.bin')
      .option('--seed <n>', 'seed for weights and shuffling', integerOption('--seed'), 0)
      .option('--epochs <n>', 'training epochs at most', integerOption('--epochs', 1, 10_000), 30)
      .addOption(
        new Option(
          '--adversarial <attack>',
          'adversarial training: half of every batch replaced by untargeted L∞ PGD examples',
        ).choices(['pgd']),
      )
      .option('--epsilon <x>', 'PGD radius for --adversarial (default 8/255)', epsilonOption),
  ).action(async (flags: TrainFlags) => {
    if (!flags.data.toLowerCase().endsWith('.arff'))
      throw new UsageError(`${flags.data}: mlap train reads .arff files`);
    if (flags.epsilon !== undefined && flags.adversarial === undefined)
      throw new UsageError('--epsilon needs --adversarial pgd');
    await setupBackend(backendSetup(flags));
    const data = await loadArffFile(
      flags.data,
      flags.labels === undefined ? {} : { xml: flags.labels },
    );
    const numLabels = data.labelNames.length;
    const [h, w, c] = data.sampleShape;
    if (
      flags.arch === 'cnn' &&
      (data.sampleShape.length !== 3 || h === undefined || w === undefined || c === undefined)
    ) {
      throw new UsageError(
        `${flags.data}: a CNN needs image samples [H, W, C]; these have shape [${data.sampleShape.join(', ')}]`,
        'use --arch mlp',
      );
    }
    const model =
      flags.arch === 'cnn'
        ? buildCnn({ inputShape: [h ?? 0, w ?? 0, c ?? 0], numLabels, seed: flags.seed })
        : buildMlp({ inputShape: data.sampleShape, numLabels, seed: flags.seed });
    try {
      const options = {
        box: BOX,
        epochs: flags.epochs,
        seed: flags.seed,
        loss: LOSSES[flags.loss],
      } as const;
      const history =
        flags.adversarial === undefined
          ? await trainModel(model, data, options)
          : await adversarialTraining(model, data, {
              ...options,
              ...(flags.epsilon === undefined ? {} : { epsilon: flags.epsilon }),
            });
      const path = await saveModelFiles(model, flags.out, {
        labelNames: data.labelNames,
        box: BOX,
        trainedOn: flags.data,
      });
      const last = history.epochs.at(-1);
      out.log(
        `trained ${flags.arch} (${flags.loss}${flags.adversarial === undefined ? '' : ', adversarial PGD'}) for ${history.epochs.length} epochs${last === undefined ? '' : `, final loss ${last.loss.toFixed(4)}`} → ${path}`,
      );
    } finally {
      model.dispose();
    }
  });
}
