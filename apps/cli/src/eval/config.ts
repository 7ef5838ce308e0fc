import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATA } from '../attack/load-inputs.js';
import { DEFAULT_MODEL } from '../attack/load-model.js';
import { UsageError } from '../attack/usage-error.js';
import { readTextFile, TEXT_FILE_LIMITS } from '../read-text-file.js';

/** One attack of an evaluation: a name, with options for the attack's schema. */
const attackEntry = z.union([
  z.string(),
  z.object({ name: z.string(), options: z.record(z.string(), z.unknown()).default({}) }),
]);

/** An evaluation config: one model and dataset, attacks × target strategies. */
export const evalConfigSchema = z.object({
  /** TF.js model.json (relative paths are relative to the config file), or `default`. */
  model: z.string(),
  /** `default` (the default data set's test split), a MULAN .arff file, an image, or a folder of images. */
  data: z.string(),
  /** Label names (MULAN XML or labels.txt). */
  labels: z.string().optional(),
  /** Attacks by name, optionally with options. */
  attacks: z.array(attackEntry).min(1),
  /** Target strategies as `mlap attack --target` takes them. */
  targets: z.array(z.string()).min(1),
  seed: z.number().int().default(0),
  limit: z.number().int().positive().optional(),
  /** Samples per attack batch; batches are fixed, so resumed and sharded runs repeat them exactly. */
  batchSize: z.number().int().positive().default(16),
  anyPrediction: z.boolean().default(false),
  minLabels: z.number().int().min(0).default(2),
});

/** A parsed config with paths resolved. */
export type EvalConfig = z.output<typeof evalConfigSchema> & {
  readonly attackList: readonly {
    readonly name: string;
    readonly options: Record<string, unknown>;
  }[];
};

/** Reads and checks a config file; problems name the field (exit code 2). */
export function readEvalConfig(path: string): EvalConfig {
  const text = readTextFile(path, 'the config', TEXT_FILE_LIMITS.config);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path}: cannot read the config (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const parsed = evalConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `${path}: ${issue?.path.join('.') || '(config)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const base = dirname(path);
  const resolve = (p: string) => (isAbsolute(p) ? p : join(base, p));
  const c = parsed.data;
  return {
    ...c,
    model: c.model === DEFAULT_MODEL ? c.model : resolve(c.model),
    data: c.data === DEFAULT_DATA ? c.data : resolve(c.data),
    ...(c.labels === undefined ? {} : { labels: resolve(c.labels) }),
    attackList: c.attacks.map((a) => (typeof a === 'string' ? { name: a, options: {} } : a)),
  };
}
