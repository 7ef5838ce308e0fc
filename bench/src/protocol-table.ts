/** The printed table of one data set's protocol comparison. */
import Table from 'cli-table3';
import { fmt } from './attack-compare.js';
import type { Comparison, EngineResult } from './protocol-compare.js';

/** One job's results as the table and the results file hold them. */
export interface JobResult {
  readonly method: string;
  readonly strategy: string;
  /** Samples attacked on wasm and by the reference (0 when the strategy does not apply). */
  readonly attacked: number;
  /** Why no sample was attacked, when none was (e.g. ranking hide-all: k = 0). */
  readonly inapplicable?: string;
  readonly mlapWasm?: EngineResult;
  readonly mlapCpu?: EngineResult;
  readonly reference?: EngineResult;
  /** The reference on the cpu backend's samples (the case's first ones), for its ratios. */
  readonly referenceCpuSubset?: EngineResult;
  readonly comparisons: readonly Comparison[];
}

const cells = (values: (number | undefined)[], digits: number) =>
  values.map((v) => (v === undefined ? '–' : fmt(v, digits))).join(' / ');

const HEAD = [
  'method',
  'strategy',
  'n\n(cpu n)',
  'success %\nwasm / cpu / ref',
  'median L2\nwasm / cpu / ref',
  'time s\nwasm / cpu / ref',
  'time ÷ ref\nwasm / cpu',
  'success Δ pts\nwasm / cpu',
  'median L2 ÷ ref\nwasm / cpu',
  'same outcome %\nwasm / cpu',
  'flags',
];

/** The table: one row per job; time ratios and agreement on the same samples per backend. */
export function protocolTable(dataset: string, jobs: readonly JobResult[]): string {
  const table = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const j of jobs) {
    if (j.inapplicable !== undefined) {
      table.push([
        j.method,
        j.strategy,
        '0',
        { colSpan: 8, content: `not applicable: ${j.inapplicable}` },
      ]);
      continue;
    }
    const [w, c] = [
      j.comparisons.find((x) => x.engine === 'mlapWasm'),
      j.comparisons.find((x) => x.engine === 'mlapCpu'),
    ];
    const flagged = j.comparisons.filter((x) => x.flagged);
    table.push([
      j.method,
      j.strategy,
      `${j.attacked} (${j.mlapCpu?.samples ?? 0})`,
      cells([j.mlapWasm?.successRate, j.mlapCpu?.successRate, j.reference?.successRate], 1),
      cells([j.mlapWasm?.medianL2, j.mlapCpu?.medianL2, j.reference?.medianL2], 4),
      cells([j.mlapWasm?.seconds, j.mlapCpu?.seconds, j.reference?.seconds], 2),
      cells([w?.timeRatio, c?.timeRatio], 2),
      cells([w?.successDelta, c?.successDelta], 1),
      cells([w?.medianL2Ratio, c?.medianL2Ratio], 3),
      cells([w?.sameOutcome, c?.sameOutcome], 0),
      flagged
        .map((x) => `${x.engine === 'mlapWasm' ? 'wasm' : 'cpu'}: ${x.flags.join('; ')}`)
        .join('\n'),
    ]);
  }
  return `${dataset}\n${table.toString()}`;
}

/** Every flagged comparison with its samples, one line each, for the console. */
export function flagLines(dataset: string, jobs: readonly JobResult[]): string[] {
  return jobs.flatMap((j) =>
    j.comparisons
      .filter((x) => x.flagged)
      .map((x) => {
        const samples = x.disagreements
          .map(
            (d) =>
              `#${d.index} ${d.why}: mlap ${d.mlap.success ? 'ok' : 'fail'} ${fmt(d.mlap.l2, 4)}, ref ${d.reference.success ? 'ok' : 'fail'} ${fmt(d.reference.l2, 4)}`,
          )
          .join('; ');
        return `FLAG ${dataset} ${j.method}/${j.strategy} ${x.engine}: ${x.flags.join('; ')} — ${samples}`;
      }),
  );
}
