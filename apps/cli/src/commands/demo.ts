import { setupBackend } from '@mlap/backend';
import Table from 'cli-table3';
import type { Command } from 'commander';
import pc from 'picocolors';
import { runDemo } from '../demo/run-demo.js';
import { toyConvNet } from '../demo/toy-model.js';
import { backendOption, type CommonOptions, integerOption, type Output } from '../options.js';

interface DemoOptions extends CommonOptions {
  readonly images: number;
  readonly seed: number;
}

const percent = (v: number) => `${(100 * v).toFixed(0)}%`;

/** `mlap demo`: the paper's classification attacks on a seeded toy CNN, in seconds. */
export function registerDemo(program: Command, out: Output): void {
  program
    .command('demo')
    .description('hide one label per image of a seeded toy CNN with ML-DeepFool, ML-CW and PGD')
    .addOption(backendOption())
    .option(
      '--seed <n>',
      'seed for the model, the images and the targets',
      integerOption('--seed'),
      0,
    )
    .option('--images <n>', 'how many images to draw', integerOption('--images', 1, 256), 16)
    .action(async (options: DemoOptions) => {
      const info = await setupBackend({ backend: options.backend, quiet: true });
      out.log(pc.dim(info.summary));
      const model = toyConvNet(options.seed);
      try {
        const { rows, plan } = await runDemo(model, options.images, options.seed);
        out.log(
          `${plan.indices.length} of ${options.images} images attacked (target: hide one present label); ` +
            `${plan.skipped.length} skipped (no label to hide).`,
        );
        const table = new Table({
          head: ['attack', 'success', 'median L2 (successes)', 'mean iterations', 'seconds'],
          style: { head: [], border: [] },
        });
        for (const r of rows) {
          table.push([
            r.attack,
            percent(r.successRate),
            Number.isNaN(r.medianL2) ? '–' : r.medianL2.toFixed(3),
            r.meanIterations.toFixed(1),
            r.seconds.toFixed(2),
          ]);
        }
        out.log(table.toString());
        out.log('Success is re-checked by running the model on each returned image.');
      } finally {
        model.dispose();
      }
    });
}
