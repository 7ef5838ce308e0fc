/**
 * `pnpm bench` (ranking): Rank I and Rank II (both terms, and the public port's 'hideOnly') from
 * @mlap/ranking on the attack bench's seeded CNN, on the tfjs wasm and cpu backends, next to the
 * PyTorch reference (bench/reference/rank_attacks.py) run on the same weights, inputs, start
 * labels, targets and settings, exported to bench/results/ranking-case.json. Then the top-k
 * attacks of spec §9 (TkML-AP targeted, untargeted and universal) on the same CNN, mlap only.
 * Prints wall time, success rate, median L2 and mean iterations with ratios to PyTorch; results
 * also go to bench/results/ranking.json.
 *
 * Environment: BENCH_BACKENDS=wasm,cpu (default both), BENCH_RANKING_INPUTS=64 and
 * BENCH_RANKING_CPU_INPUTS=32: the cpu backend is ~10–20× slower than wasm here (the three
 * Rank runs on 16 inputs took 70 s), so by default it attacks the first 32 inputs only (about
 * 2.5 minutes in all), compared with a PyTorch run on the same 32.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type ConcreteBackend, setupBackend } from '@mlap/backend';
import { type AttackRequest, type AttackResult, runAttack } from '@mlap/core';
import {
  leaveTopKTarget,
  planRankingTargets,
  rank1,
  rank2,
  rank2Options,
  rankOptions,
  tkmlOptions,
  tkmlTargeted,
  tkmlUntargeted,
  tkmlUntargetedOptions,
  universalOptions,
  universalTopK,
} from '@mlap/ranking';
import * as tf from '@tensorflow/tfjs-core';
import Table from 'cli-table3';
import { type BenchCase, buildCase, writeAttackCase } from './attack-case.js';
import { ATTACK_LABELS } from './attack-cnn.js';
import {
  COMPARISON_NOTES,
  comparisonTable,
  fmt,
  timedRun,
  torchReference,
} from './attack-compare.js';
import type { AttackRun } from './attack-reference.js';
import { summarise } from './attack-stats.js';

const count = Number(process.env.BENCH_RANKING_INPUTS ?? 64);
const cpuCount = Math.min(count, Number(process.env.BENCH_RANKING_CPU_INPUTS ?? 32));
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',') as ConcreteBackend[];
const results = new URL('../results/', import.meta.url);
const caseFile = new URL('ranking-case.json', results);

/** ML-CW's reduced settings of the attack bench; the rest are the ranking defaults (logit space, κ = 0). */
const CW = { maxIterations: 100, binarySearchSteps: 5 };
/** The ranking attacks compared with PyTorch, resolved against their schemas. */
const SETTINGS = {
  rank1: rankOptions.parse(CW),
  rank2: rank2Options.parse({ ...CW, rank2: 'both' }),
  rank2HideOnly: rank2Options.parse({ ...CW, rank2: 'hideOnly' }),
};
type RankName = keyof typeof SETTINGS;
const RANK_NAMES = Object.keys(SETTINGS) as RankName[];
const RANK_TITLES: Record<RankName, string> = {
  rank1: 'Rank I',
  rank2: 'Rank II',
  rank2HideOnly: "Rank II 'hideOnly'",
};

/**
 * The top-k attacks (mlap only), L2 balls in input units. Targeted and untargeted: ε = 0.5, about
 * 3× the median L2 of Rank I on this case (2× Rank II's), with 50 projected steps of 2.5·ε/50.
 * Universal: one v for all the inputs; ε = 4 (the inputs' own norms are ≈ 16) is the smallest
 * of 2, 4, 8 that reaches the 80% fooling rate on the 64 inputs (ε = 2: 20% after 100 epochs).
 */
const TOP_K = 2;
const TOPK_SETTINGS = {
  tkmlTargeted: tkmlOptions.parse({ norm: 'l2', epsilon: 0.5, iterations: 50 }),
  tkmlUntargeted: tkmlUntargetedOptions.parse({
    norm: 'l2',
    epsilon: 0.5,
    iterations: 50,
    k: TOP_K,
  }),
  universal: universalOptions.parse({
    k: TOP_K,
    norm: 'l2',
    epsilon: 4,
    epochs: 100,
    foolingRate: 0.8,
  }),
};
type TopKName = keyof typeof TOPK_SETTINGS;
const TOPK_NAMES = Object.keys(TOPK_SETTINGS) as TopKName[];
const TOPK_TITLES: Record<TopKName, string> = {
  tkmlTargeted: 'TkML-AP targeted (T on top)',
  tkmlUntargeted: `TkML-AP untargeted (k = ${TOP_K})`,
  universal: `TkML-AP universal (k = ${TOP_K})`,
};

/** Samples each backend attacks: every input on wasm, a prefix on the slow cpu backend. */
const inputsFor = (backend: ConcreteBackend) => (backend === 'cpu' ? cpuCount : count);

type RankingCase = BenchCase<typeof SETTINGS>;

/** One Rank I / Rank II run on the first `n` samples, from the case's start labels. */
function runRank(rankingCase: RankingCase, name: RankName, n: number): Promise<AttackRun> {
  return timedRun(
    rankingCase,
    n,
    (request) =>
      name === 'rank1'
        ? runAttack(rank1, request, rankingCase.settings.rank1)
        : runAttack(rank2, request, rankingCase.settings[name]),
    true,
  );
}

/** The untargeted goal of every sample: none of its present labels may stay in the top k. */
function untargetedCase(rankingCase: RankingCase): RankingCase {
  const targets = rankingCase.start.map((y) =>
    leaveTopKTarget(
      ATTACK_LABELS,
      y.flatMap((v, j) => (v === 1 ? [j] : [])),
    ),
  );
  return { ...rankingCase, targets };
}

/** A top-k run; the universal attack also reports its perturbation's L2 norm through `norms`. */
function runTopK(
  rankingCase: RankingCase,
  name: TopKName,
  n: number,
  norms: Map<number, number>,
): Promise<AttackRun> {
  const attack = (request: AttackRequest): Promise<AttackResult> => {
    if (name === 'tkmlTargeted') return runAttack(tkmlTargeted, request, TOPK_SETTINGS[name]);
    if (name === 'tkmlUntargeted') return runAttack(tkmlUntargeted, request, TOPK_SETTINGS[name]);
    return universalTopK(request, TOPK_SETTINGS.universal).then(async (u) => {
      const norm = tf.tidy(() => tf.norm(u.perturbation));
      norms.set(n, (await norm.data())[0] ?? Number.NaN);
      norm.dispose();
      return { ...u.result, dispose: () => u.dispose() };
    });
  };
  const goal = name === 'tkmlTargeted' ? rankingCase : untargetedCase(rankingCase);
  return timedRun(goal, n, attack, true);
}

/** What one backend measured. */
interface BackendRuns {
  readonly rank: Record<RankName, AttackRun>;
  readonly topK: Record<TopKName, AttackRun>;
  /** ‖v‖₂ of the universal perturbation. */
  readonly universalL2: number;
}

/** Every attack on one backend, each after a tiny warm-up run; fails on a tensor leak. */
async function measureBackend(
  backend: ConcreteBackend,
  rankingCase: RankingCase,
): Promise<BackendRuns> {
  await setupBackend({ backend, quiet: true });
  const before = tf.memory().numTensors;
  const n = inputsFor(backend);
  // Kernel set-up and first-call costs stay out of the timing, as in the PyTorch script.
  const tiny = <T extends (typeof SETTINGS)[RankName]>(s: T): T => ({
    ...s,
    maxIterations: 2,
    binarySearchSteps: 1,
  });
  const { rank1: r1, rank2: r2, rank2HideOnly: r2h } = rankingCase.settings;
  const tinyCase = {
    ...rankingCase,
    settings: { rank1: tiny(r1), rank2: tiny(r2), rank2HideOnly: tiny(r2h) },
  };
  const rank = {} as Record<RankName, AttackRun>;
  for (const name of RANK_NAMES) {
    await runRank(tinyCase, name, 2);
    rank[name] = await runRank(rankingCase, name, n);
    report(backend, RANK_TITLES[name], rank[name]);
  }
  const topK = {} as Record<TopKName, AttackRun>;
  const norms = new Map<number, number>();
  for (const name of TOPK_NAMES) {
    await runTopK(rankingCase, name, 2, norms);
    topK[name] = await runTopK(rankingCase, name, n, norms);
    report(backend, TOPK_TITLES[name], topK[name]);
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${backend}: ${leaked} tensors leaked during the attacks`);
  return { rank, topK, universalL2: norms.get(n) ?? Number.NaN };
}

function report(backend: ConcreteBackend, title: string, run: AttackRun): void {
  const s = summarise(run);
  process.stderr.write(
    `  ${backend} ${title}: ${s.seconds.toFixed(1)} s, ${s.successRate.toFixed(1)}% success\n`,
  );
}

/** The top-k table: mlap only (no PyTorch implementation of these attacks here). */
function topKTable(mlap: Partial<Record<ConcreteBackend, BackendRuns>>): string {
  const head = ['engine', 'inputs', 'time s', 'success\n%', 'median\nL2', 'mean\niters'];
  const table = new Table({ head: ['top-k attack', ...head], style: { head: [], border: [] } });
  for (const name of TOPK_NAMES) {
    for (const backend of backends) {
      const runs = mlap[backend];
      const run = runs?.topK[name];
      if (runs === undefined || run === undefined) continue;
      const s = summarise(run);
      const l2 =
        name === 'universal'
          ? `${fmt(s.medianL2, 4)} (‖v‖ ${fmt(runs.universalL2, 4)})`
          : fmt(s.medianL2, 4);
      table.push([
        TOPK_TITLES[name],
        `mlap ${backend}`,
        String(s.inputs),
        fmt(s.seconds, 2),
        fmt(s.successRate, 1),
        l2,
        fmt(s.meanIterations, 1),
      ]);
    }
  }
  return table.toString();
}

const TOPK_NOTES = `Top-k attacks: projected L2 steps (TkML-AP, spec §9). Targeted: the target positives T of the
ranking case must be exactly the top |T| (the goal of Rank I), ε = ${TOPK_SETTINGS.tkmlTargeted.epsilon}; untargeted: no
clean-present label may stay in the top ${TOP_K}, ε = ${TOPK_SETTINGS.tkmlUntargeted.epsilon}; both ${TOPK_SETTINGS.tkmlTargeted.iterations} steps, stopping a sample at its
first success. Universal: one perturbation v for all the inputs (‖v‖₂ ≤ ${TOPK_SETTINGS.universal.epsilon}), grown until
${100 * TOPK_SETTINGS.universal.foolingRate}% are fooled or ${TOPK_SETTINGS.universal.epochs} epochs; "success" is its verified fooling rate, "mean iters" its epochs.`;

async function main(): Promise<void> {
  // Built on the cpu backend, as the attack bench's case: the same CNN, inputs and targets
  // (random strategy, seed 5), kept where a ranking attack applies (k ≥ 1 and a negative).
  await setupBackend({ backend: 'cpu', quiet: true });
  const rankingCase = await buildCase(count, 5, { kind: 'random' }, SETTINGS, planRankingTargets);
  mkdirSync(results, { recursive: true });
  writeAttackCase(rankingCase, caseFile);
  process.stderr.write(
    `ranking bench: CNN 16×16×3 → ${ATTACK_LABELS} labels, ${count} inputs (cpu: first ${cpuCount}), ` +
      'target strategy random; case in bench/results/ranking-case.json\n',
  );
  const torch = await torchReference(caseFile, backends.map(inputsFor), 'rank_attacks.py');
  const mlap: Partial<Record<ConcreteBackend, BackendRuns>> = {};
  for (const backend of backends) mlap[backend] = await measureBackend(backend, rankingCase);
  const rankRuns = Object.fromEntries(
    Object.entries(mlap).map(([backend, runs]) => [backend, runs.rank]),
  );
  for (const name of RANK_NAMES)
    console.log(
      comparisonTable(RANK_TITLES[name], name, backends, inputsFor, rankRuns, torch.runs),
    );
  console.log(COMPARISON_NOTES);
  console.log(topKTable(mlap));
  console.log(TOPK_NOTES);
  if (backends.includes('cpu') && cpuCount < count) {
    console.log(
      `The cpu backend attacked the first ${cpuCount} of the ${count} inputs only ` +
        '(BENCH_RANKING_CPU_INPUTS; all of them take minutes), compared with PyTorch on the same ones.',
    );
  }
  if (torch.skipped !== undefined) console.log(`PyTorch reference skipped: ${torch.skipped}`);
  const record = {
    date: new Date().toISOString(),
    inputs: { wasm: count, cpu: cpuCount },
    settings: { ...rankingCase.settings, ...TOPK_SETTINGS },
    reference: Object.fromEntries(torch.runs),
    mlap,
  };
  writeFileSync(new URL('ranking.json', results), `${JSON.stringify(record, null, 2)}\n`);
}

// Report failures in one line: the wasm runtime's exception hook would print its whole source.
await main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
