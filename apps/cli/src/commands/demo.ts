import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupBackend } from '@mlap/backend';
import * as tf from '@tensorflow/tfjs-core';
import Table from 'cli-table3';
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadDemoSetup } from '../demo/demo-data.js';
import { cellSummary, demoReport } from '../demo/report.js';
import { type DemoCell, demoAttacks, demoStrategies, runCell } from '../demo/run-demo.js';
import {
  backendSetup,
  type CommonOptions,
  integerOption,
  type Output,
  withBackendOptions,
} from '../options.js';

interface DemoOptions extends CommonOptions {
  readonly images: number;
  readonly seed: number;
  readonly outDir: string;
}

/** `mlap demo`: the paper's four methods × four target strategies on the default model and data. */
export function registerDemo(program: Command, out: Output): void {
  withBackendOptions(
    program
      .command('demo')
      .description(
        "the paper's attacks (ML-DeepFool, ML-CW, Rank I, Rank II) × target strategies on the pre-trained default model; writes JSONL and an HTML report",
      )
      .option('--seed <n>', 'seed for the targets and attacks', integerOption('--seed'), 0)
      .option('--images <n>', 'test images to attack', integerOption('--images', 1, 256), 8)
      .option('--out-dir <dir>', 'where to write results.jsonl and report.html', 'mlap-demo'),
  ).action(async (options: DemoOptions) => {
    const info = await setupBackend(backendSetup(options));
    out.log(pc.dim(info.summary));
    const setup = await loadDemoSetup(options.images);
    mkdirSync(options.outDir, { recursive: true });
    const jsonl = join(options.outDir, 'results.jsonl');
    writeFileSync(jsonl, '');
    const cells: DemoCell[] = [];
    try {
      for (const strategy of demoStrategies) {
        for (const [attack, ranking, settings] of demoAttacks) {
          const cell = await runCell(setup, attack, ranking, settings, strategy, options.seed);
          for (const row of cell.rows)
            appendFileSync(
              jsonl,
              `${JSON.stringify({ attack: cell.attack, strategy: cell.strategy, ...row })}\n`,
            );
          cells.push(cell);
        }
      }
      const table = new Table({
        head: ['attack', 'target', 'attacked', 'success', 'median L2', 'seconds'],
        style: { head: [], border: [] },
      });
      for (const c of cells) {
        const s = cellSummary(c);
        table.push([
          c.attack,
          c.strategy,
          s.attacked,
          `${(100 * s.successRate).toFixed(0)}%`,
          s.medianL2 === undefined ? '–' : s.medianL2.toFixed(3),
          c.seconds.toFixed(2),
        ]);
      }
      out.log(
        `${setup.indices.length} default test images (clean prediction right, ≥ 2 labels), pre-trained default model:`,
      );
      out.log(table.toString());
      const report = join(options.outDir, 'report.html');
      writeFileSync(
        report,
        await demoReport(cells, setup.model.box, setup.model.labelNames ?? [], info.backend),
      );
      out.log(`Success is re-checked on every returned image. Rows: ${jsonl} · report: ${report}`);
    } finally {
      for (const c of cells)
        if (c.example !== undefined) tf.dispose([c.example.clean, c.example.adversarial]);
      setup.dispose();
    }
  });
}
