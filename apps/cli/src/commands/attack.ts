import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { cliAttacks } from '../attack/registry.js';
import {
  type AttackCommandOptions,
  type Progress,
  runAttackCommand,
} from '../attack/run-attack-command.js';
import { integerOption, type Output, withBackendOptions } from '../options.js';

interface Flags extends AttackCommandOptions {
  readonly json: boolean;
}

function progressBar(enabled: boolean): Progress | undefined {
  if (!enabled) return undefined;
  const bar = new cliProgress.SingleBar(
    { format: 'attacking |{bar}| {value}/{total} samples · ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    advance: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}

/** `mlap attack`: one model, one dataset, one attack, one target strategy → JSONL + summary. */
export function registerAttack(program: Command, out: Output): void {
  withBackendOptions(
    program
      .command('attack')
      .description('attack one model on one dataset, image or folder; one JSON line per sample')
      .requiredOption(
        '--model <model.json>',
        'TF.js model (layers model from mlap train, or a graph model), or default (the pre-trained default model)',
      )
      .requiredOption(
        '--data <path>',
        "default (the default data set's test split, with ground truth), a MULAN .arff file, an image, or a folder of images",
      )
      .option('--labels <file>', 'label names: MULAN labels.xml or labels.txt (one per line)')
      .addOption(
        new Option('--attack <name>', 'attack to run')
          .choices(Object.keys(cliAttacks))
          .makeOptionMandatory(),
      )
      .requiredOption(
        '--target <spec>',
        'extreme | hide-all | hide-single | random | add:<label> | remove:<label> | file:<targets.json>',
      )
      .option('--seed <n>', 'seed for targets and attacks', integerOption('--seed'), 0)
      .option('--limit <n>', 'read at most this many samples', integerOption('--limit', 1))
      .requiredOption('--out <results.jsonl>', 'where to write one JSON line per sample')
      .option('--json', 'print only the summary, as one JSON object', false)
      .option(
        '--set <key=value>',
        'attack option, e.g. --set maxIterations=200 (repeatable)',
        (v: string, acc: string[]) => [...acc, v],
        [],
      )
      .option('--any-prediction', 'also attack samples whose clean prediction is wrong', false)
      .option(
        '--min-labels <n>',
        'attack only samples with at least n predicted labels',
        integerOption('--min-labels', 0),
        2,
      )
      .option(
        '--batch-size <n>',
        'samples per attack batch',
        integerOption('--batch-size', 1, 4096),
        16,
      )
      .addHelpText(
        'after',
        '\nExamples:\n  mlap attack --model model/model.json --data scene-test.arff --labels scene.xml \\\n    --attack ml-deepfool --target hide-single --out runs/scene.jsonl\n  mlap attack --model default --data default --limit 100 --attack ml-deepfool --target random --out runs/default.jsonl',
      ),
  ).action(async (flags: Flags) => {
    const bar = progressBar(!flags.json && process.stdout.isTTY === true);
    const summary = await runAttackCommand(flags, bar);
    if (flags.json) out.log(JSON.stringify(summary));
    else {
      const l2 = summary.medianL2 === null ? '–' : summary.medianL2.toFixed(4);
      out.log(
        `${summary.attack} / ${summary.target} on ${summary.backend}: ${summary.attacked} attacked, ${summary.skipped} skipped, ` +
          `success ${(100 * summary.successRate).toFixed(1)}%, median L2 ${l2}, ${summary.seconds.toFixed(1)} s → ${flags.out}`,
      );
    }
  });
}
