/**
 * `pnpm experiments`: runs (or resumes) every experiment of the paper's protocol with `mlap eval`,
 * then regenerates the results page from the JSONL logs alone.
 *
 *   --report-only      rebuild the page from the existing logs, run nothing
 *   --quick            tiny counts and budgets (a smoke test; CenterNet is left out)
 *   --fresh            drop the logs and timing of the experiments run, instead of resuming
 *   --only a,b         run only these experiments (the page still covers every log)
 *   --backend NAME     tfjs backend (default wasm, the one the page's numbers come from)
 *   --out-dir DIR      where results/, plots/ and results.md go (default experiments/)
 */
import { parseArgs } from 'node:util';
import { type BackendRequest, setupBackend } from '@mlap/backend';
import { EXPERIMENTS, REPO_ROOT } from './experiment-list.js';
import { writePage } from './page.js';
import { runExperiment } from './run-experiment.js';

// Configs and logs use repository-relative paths (sample names then hold no machine path).
process.chdir(REPO_ROOT);

const { values } = parseArgs({
  options: {
    'report-only': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    only: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    'out-dir': { type: 'string', default: 'experiments' },
  },
});
const outDir = values['out-dir'];
const backend = values.backend;
const only = values.only?.split(',');
const started = performance.now();
if (!values['report-only']) {
  for (const e of EXPERIMENTS) {
    if (only !== undefined && !only.includes(e.name)) continue;
    const t0 = performance.now();
    const settings = { outDir, backend, quick: values.quick, fresh: values.fresh };
    const { summary, skipped } = await runExperiment(e, settings);
    const took = ((performance.now() - t0) / 1000).toFixed(1);
    if (skipped !== undefined) console.log(`${e.name}: skipped — ${skipped}`);
    else
      console.log(
        `${e.name}: ${summary?.written ?? 0} rows written, ${summary?.kept ?? 0} kept, ${took} s`,
      );
  }
}
await setupBackend({ backend: backend as BackendRequest, quiet: true });
const page = writePage(outDir, { quick: values.quick });
const total = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${page} written (${total} s in all)`);
