import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Progress } from '../attack/run-attack-command.js';
import { mergeLogs } from '../eval/merge.js';
import { type EvalOptions, runEval } from '../eval/run-eval.js';
import { type Output, withBackendOptions } from '../options.js';

function bar(enabled: boolean): Progress {
  if (!enabled) return { start: () => {}, advance: () => {}, stop: () => {} };
  const b = new cliProgress.SingleBar(
    {
      format: 'evaluating |{bar}| {value}/{total} batches · ETA {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return { start: (t) => b.start(t, 0), advance: (d) => b.update(d), stop: () => b.stop() };
}

/** `mlap eval` and `mlap merge`: large evaluations, resumable and shardable. */
export function registerEval(program: Command, out: Output): void {
  withBackendOptions(
    program
      .command('eval')
      .description(
        'run attacks × target strategies from a config file; JSONL row by row, resumable, shardable',
      )
      .requiredOption(
        '--config <file.json>',
        'model, data, labels, attacks, targets, seed, limit, batchSize',
      )
      .requiredOption('--out <results.jsonl>', 'the log: one JSON line per (job, sample)')
      .option('--resume', 'continue a killed run: keep its rows, redo unfinished batches', false)
      .option(
        '--shard <i/n>',
        'run batches k with k mod n = i; auto/n reads JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID',
      )
      .option('--json', 'print only a summary object', false),
  ).action(async (o: EvalOptions & { json: boolean }) => {
    const summary = await runEval(o, bar(!o.json && process.stdout.isTTY === true));
    if (o.json) out.log(JSON.stringify(summary));
    else
      out.log(
        `shard ${summary.shard.index}/${summary.shard.count}: ${summary.written} rows written, ${summary.kept} kept, ${summary.seconds.toFixed(1)} s → ${o.out}`,
      );
  });
  program
    .command('merge')
    .description('join eval logs (shards) into one, sorted by job and sample')
    .argument('<logs...>', 'JSONL logs from mlap eval')
    .requiredOption('--out <merged.jsonl>', 'where to write the merged log')
    .action((logs: string[], o: { out: string }) => {
      const n = mergeLogs(logs, o.out);
      out.log(`${n} rows from ${logs.length} logs → ${o.out}`);
    });
}
