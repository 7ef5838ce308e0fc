/**
 * What the protocol reference runs: the paper's four methods × the target strategies and options
 * of the experiments' `mlap eval` config for the same model when `experiments/configs/` has one,
 * else the paper's four strategies and the budget documented here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  mlCwOptions,
  mlDeepFoolOptions,
  parseTargetStrategy,
  type TargetStrategy,
} from '@mlap/core';
import { rank2Options, rankOptions } from '@mlap/ranking';

/** The paper's methods, by mlap option-object name. */
export const METHODS = ['mlDeepFool', 'mlCw', 'rank1', 'rank2'] as const;
/** One of {@link METHODS}. */
export type Method = (typeof METHODS)[number];

/** The `mlap attack --attack` / eval-config name of each method. */
export const CLI_NAMES: Readonly<Record<Method, string>> = {
  mlDeepFool: 'ml-deepfool',
  mlCw: 'ml-cw',
  rank1: 'rank1',
  rank2: 'rank2',
};

/** Whether the method's targets are rankings (`planRankingTargets`). */
export const isRanking = (method: Method) => method === 'rank1' || method === 'rank2';

/** A target strategy by its CLI name, and what it plans. */
export type NamedStrategy = readonly [name: string, strategy: TargetStrategy];

/**
 * The paper's four target strategies (spec §2), run when no experiments config lists the model's
 * strategies.
 */
export const PAPER_STRATEGIES: readonly string[] = ['hide-single', 'random', 'extreme', 'hide-all'];

/**
 * The CW-family budget used when no experiments config names the model: `mlap demo`'s (100 Adam
 * steps × 5 constants, learning rate 0.1, logit margins) — the spec's 1000 × 10 would take hours
 * on wasm for 3 datasets × 3 CW-style methods × 4 strategies.
 */
export const FALLBACK_CW_BUDGET = {
  maxIterations: 100,
  binarySearchSteps: 5,
  learningRate: 0.1,
  space: 'logit',
} as const;

/** Every method's options, resolved against its schema (every default filled in). */
export type ResolvedOptions = Readonly<Record<Method, Record<string, unknown>>>;

/** The options of one dataset's run and where they come from. */
export interface ProtocolSettings {
  /** `experiments/configs/<file>` (repo-relative) or `bench fallback`. */
  readonly source: string;
  readonly seed: number;
  readonly options: ResolvedOptions;
  /** The target strategies, in the config's order (its `file:` targets left out). */
  readonly strategies: readonly NamedStrategy[];
}

/** Resolves raw options against the method's schema (throws naming the method on a bad one). */
export function resolveOptions(
  method: Method,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const schema = {
    mlDeepFool: mlDeepFoolOptions,
    mlCw: mlCwOptions,
    rank1: rankOptions,
    rank2: rank2Options,
  }[method];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `options of ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data as Record<string, unknown>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** An eval config's fields this runner reads. */
interface EvalConfigLike {
  readonly model?: string;
  readonly seed?: number;
  readonly targets?: readonly string[];
  readonly attacks?: readonly (string | { name: string; options?: Record<string, unknown> })[];
}

/** The experiments config whose model is `model` (`default` or a repo-relative path), if any. */
function findConfig(model: string): { file: string; config: EvalConfigLike } | undefined {
  const dir = join(repoRoot, 'experiments/configs');
  if (!existsSync(dir)) return undefined;
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = join(dir, name);
    const config = JSON.parse(readFileSync(file, 'utf8')) as EvalConfigLike;
    if (typeof config.model !== 'string' || !Array.isArray(config.attacks)) continue;
    const same =
      config.model === 'default'
        ? model === 'default'
        : resolve(dirname(file), config.model) === resolve(repoRoot, model);
    if (same) return { file: `experiments/configs/${name}`, config };
  }
  return undefined;
}

/**
 * The settings of the model `model` (`default` for the shipped default model, else its
 * repo-relative model.json): an experiments config's attack options and seed when one names it
 * (methods it lacks get the fallback) and target strategies, else {@link FALLBACK_CW_BUDGET},
 * ML-DeepFool's defaults and {@link PAPER_STRATEGIES}.
 */
export function protocolSettings(model: string): ProtocolSettings {
  const found = findConfig(model);
  const fromConfig = (method: Method) =>
    found?.config.attacks
      ?.map((a) => (typeof a === 'string' ? { name: a, options: {} } : a))
      .find((a) => a.name === CLI_NAMES[method])?.options;
  const options = Object.fromEntries(
    METHODS.map((m) => {
      const fallback = m === 'mlDeepFool' ? {} : FALLBACK_CW_BUDGET;
      return [m, resolveOptions(m, fromConfig(m) ?? fallback)];
    }),
  ) as Record<Method, Record<string, unknown>>;
  // Explicit targets files name rows of the config's own data selection, not strategies.
  const names = (found?.config.targets ?? PAPER_STRATEGIES).filter((t) => !t.startsWith('file:'));
  const strategies = names.map((name): NamedStrategy => [name, parseTargetStrategy(name)]);
  return {
    source: found?.file ?? 'bench fallback',
    seed: found?.config.seed ?? 0,
    options,
    strategies,
  };
}
