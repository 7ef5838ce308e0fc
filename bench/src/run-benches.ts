/**
 * `pnpm bench`: runs every benchmark, each in its own process (each sets up its own tfjs
 * backends and frees everything at exit). BENCH_ONLY=attacks,ranking (a comma list of the names below)
 * runs some only.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Benchmark name → script in this folder, in running order. */
const BENCHES: Readonly<Record<string, string>> = {
  cnn: 'cnn-bench.ts',
  centernet: 'centernet-bench.ts',
  attacks: 'attack-bench.ts',
  ranking: 'ranking-bench.ts',
  metrics: 'metrics-bench.ts',
};

function selected(): string[] {
  const only = process.env.BENCH_ONLY;
  if (only === undefined || only === '') return Object.keys(BENCHES);
  const names = only.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    console.error(
      `BENCH_ONLY: unknown ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`,
    );
    process.exit(2);
  }
  return names;
}

let failed = 0;
for (const name of selected()) {
  const script = fileURLToPath(new URL(BENCHES[name] ?? '', import.meta.url));
  // Same node and loader flags as this process (tsx, and e.g. --conditions when given).
  const run = spawnSync(process.execPath, [...process.execArgv, script], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
