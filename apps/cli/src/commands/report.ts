import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupBackend } from '@mlap/backend';
import type { Command } from 'commander';
import { backendSetup, type CommonOptions, type Output, withBackendOptions } from '../options.js';
import { buildReport } from '../report/build-report.js';

/** `mlap report`: an HTML page and a Markdown table from attack or eval logs. */
export function registerReport(program: Command, out: Output): void {
  withBackendOptions(
    program
      .command('report')
      .description(
        'an HTML report (tables, success-vs-budget and L2 plots, image triplets, per-label score bars) and a Markdown table from JSONL logs',
      )
      .argument('<logs...>', 'JSONL logs from mlap attack or mlap eval')
      .option('--out <dir>', 'where to write report.html and report.md', 'mlap-report'),
  ).action(async (logs: string[], o: CommonOptions & { out: string }) => {
    // Image triplets are decoded and differenced as tensors.
    await setupBackend(backendSetup(o));
    const { html, markdown, groups } = await buildReport(logs);
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, 'report.html'), html);
    writeFileSync(join(o.out, 'report.md'), markdown);
    out.log(markdown.trimEnd());
    out.log(`${groups.length} jobs → ${join(o.out, 'report.html')}, ${join(o.out, 'report.md')}`);
  });
}
