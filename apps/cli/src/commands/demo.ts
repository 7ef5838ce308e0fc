import { setupBackend } from '@mlap/backend';
import Table from 'cli-table3';
import type { Command } from 'commander';
import pc from 'picocolors';
import { hideTopLabel } from '../demo/hide-top-label.js';
import { toyConvNet } from '../demo/toy-model.js';
import { backendOption, type CommonOptions, integerOption, type Output } from '../options.js';

interface DemoOptions extends CommonOptions {
  readonly images: number;
  readonly seed: number;
}

/** `mlap demo`: a short tour of what mlap can do today, on a seeded toy model. */
export function registerDemo(program: Command, out: Output): void {
  program
    .command('demo')
    .description(
      'hide the top label of a few images of a seeded toy CNN (a preview of ML-DeepFool)',
    )
    .addOption(backendOption())
    .option('--seed <n>', 'seed for the model and the images', integerOption('--seed'), 0)
    .option('--images <n>', 'how many images to attack', integerOption('--images', 1, 64), 8)
    .action(async (options: DemoOptions) => {
      const info = await setupBackend({ backend: options.backend, quiet: true });
      out.log(pc.dim(info.summary));
      const model = toyConvNet(options.seed);
      try {
        const start = performance.now();
        const results = await hideTopLabel(model, {
          images: options.images,
          seed: options.seed + 1,
        });
        const seconds = (performance.now() - start) / 1000;
        const table = new Table({
          head: [
            'image',
            'hidden label',
            'p before → after',
            'steps',
            'L2',
            'L∞',
            'RMSD',
            'other labels changed',
            'success',
          ],
          style: { head: [], border: [] },
        });
        results.forEach((r, i) => {
          table.push([
            i,
            model.labels[r.label] ?? r.label,
            `${r.before.toFixed(3)} → ${r.after.toFixed(3)}`,
            r.iterations,
            r.l2.toFixed(4),
            r.linf.toFixed(4),
            r.rmsd.toFixed(2),
            r.collateral,
            r.success ? pc.green('yes') : pc.red('no'),
          ]);
        });
        out.log(table.toString());
        const hits = results.filter((r) => r.success).length;
        out.log(
          `${hits}/${results.length} labels hidden in ${seconds.toFixed(2)} s ` +
            '(success re-checked on the returned images; RMSD on the 0–255 scale).',
        );
      } finally {
        model.dispose();
      }
    });
}
