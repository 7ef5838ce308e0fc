import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { imageToTensor } from '@mlap/datasets';
import { readImage } from '@mlap/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../attack/usage-error.js';
import { isLogHeader, type LogHeader } from '../eval/log-header.js';
import { readTextFile, TEXT_FILE_LIMITS } from '../read-text-file.js';
import { l2Distribution, successVsBudget } from './charts.js';
import { type GroupStats, groupStats, type LogRow } from './group-stats.js';
import { amplified, dataUri } from './images.js';
import { scoreBars } from './score-bars.js';

/** A log's rows, and the header of an `mlap eval` log (label names and thresholds) when it has one. */
export interface ReadLog {
  readonly rows: LogRow[];
  readonly header: LogHeader | undefined;
}

/** Reads a JSONL log of `mlap attack` or `mlap eval`; problems name the file and line. */
export function readLog(path: string): ReadLog {
  const text = readTextFile(path, 'the log', TEXT_FILE_LIMITS.log);
  const lines = text.split('\n').flatMap((line, n): unknown[] => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line)];
    } catch {
      throw new UsageError(`${path}:${n + 1}: not a JSON row`);
    }
  });
  return {
    rows: lines.filter((l): l is LogRow => !isLogHeader(l)),
    header: lines.find(isLogHeader),
  };
}

const fmt = (v: number | undefined, digits = 3) => (v === undefined ? '–' : v.toFixed(digits));
const pct = (g: GroupStats) => (g.attacked === 0 ? 'n/a' : `${(100 * g.successRate).toFixed(1)}%`);
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The summary table in Markdown. */
export function markdownTable(groups: readonly GroupStats[]): string {
  const head =
    '| job | attacked | skipped | success | mean L2 | median L2 | median L∞ | mean iterations |\n|---|---:|---:|---:|---:|---:|---:|---:|\n';
  return (
    head +
    groups
      .map(
        (g) =>
          `| ${g.name} | ${g.attacked} | ${g.skipped} | ${pct(g)} | ${fmt(g.meanL2)} | ${fmt(g.medianL2)} | ${fmt(g.medianLinf, 4)} | ${fmt(g.meanIterations, 1)} |`,
      )
      .join('\n') +
    '\n'
  );
}

/** Original / adversarial / amplified-perturbation images of a row, when the log has them. */
async function triplet(dir: string, r: LogRow): Promise<string> {
  const advPath = join(
    dir,
    `${String(r.index).padStart(5, '0')}-${basename(r.name, extname(r.name))}.png`,
  );
  if (!existsSync(advPath) || !existsSync(r.name)) return '';
  const box = { lo: 0, hi: 255 };
  const advImage = await readImage(advPath);
  const channels = advImage.channels === 1 ? 1 : 3;
  const adv = imageToTensor(await readImage(advPath, { channels }), { box });
  const clean = imageToTensor(await readImage(r.name, { channels }), {
    size: [adv.shape[0], adv.shape[1]],
    box,
  });
  const pert = amplified(clean, adv, box);
  const [a, b, p] = [
    await dataUri(clean, box, 1),
    await dataUri(adv, box, 1),
    await dataUri(pert, box, 1),
  ];
  tf.dispose([adv, clean, pert]);
  return `<div class="imgs"><img src="${a}" alt="original"><img src="${b}" alt="adversarial"><img src="${p}" alt="perturbation, amplified"></div>`;
}

/**
 * Up to `limit` attacked samples of a log (successful ones first): image triplets for image
 * inputs of `mlap attack` logs, and every label's score before and after the attack. Label names
 * and thresholds come from each row, else from the eval log's header.
 */
async function examples(log: string, { rows, header }: ReadLog, limit: number): Promise<string[]> {
  const dir = join(dirname(log), `${basename(log, extname(log))}-adversarial`);
  const images = existsSync(dir);
  const names =
    header?.labelNames ?? rows.find((r) => r.labelNames !== undefined)?.labelNames ?? [];
  const attacked = rows.filter((r) => r.attacked);
  const chosen = [
    ...attacked.filter((r) => r.success === true),
    ...attacked.filter((r) => r.success !== true),
  ].slice(0, limit);
  const out: string[] = [];
  for (const r of chosen) {
    const job = r.job === undefined ? '' : `${esc(r.job)} · `;
    const outcome = r.success === true ? `L2 ${fmt(r.l2 ?? undefined)}` : 'failed';
    out.push(
      `<figure><figcaption>${job}${esc(basename(r.name) || `sample ${r.index}`)} · ${outcome}</figcaption>${images ? await triplet(dir, r) : ''}${scoreBars(r, names, header?.thresholds)}</figure>`,
    );
  }
  return out;
}

/** The HTML report and Markdown table of one or more logs. */
export async function buildReport(
  logs: readonly string[],
): Promise<{ html: string; markdown: string; groups: GroupStats[] }> {
  const perLog = logs.map((log) => ({ log, read: readLog(log) }));
  const groups = perLog.flatMap(({ log, read }) =>
    groupStats(read.rows, basename(log, extname(log))),
  );
  const markdown = markdownTable(groups);
  const samples = (await Promise.all(perLog.map(({ log, read }) => examples(log, read, 6)))).flat();
  const rows = groups.map(
    (g) =>
      `<tr><td>${esc(g.name)}</td><td>${g.attacked}</td><td>${g.skipped}</td><td>${pct(g)}</td><td>${fmt(g.meanL2)}</td><td>${fmt(g.medianL2)}</td><td>${fmt(g.medianLinf, 4)}</td><td>${fmt(g.meanIterations, 1)}</td></tr>`,
  );
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mlap report</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#111;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3rem .6rem;text-align:right}td:first-child{text-align:left}.imgs{display:flex;gap:.8rem;flex-wrap:wrap}.imgs img{max-width:16rem;border:1px solid #999}figure{margin:1.2rem 0}.samples{display:flex;flex-wrap:wrap;gap:0 2rem}.note{color:#555;font-size:13px}</style></head><body>
<h1>mlap report</h1><p>From ${logs.map((l) => `<code>${esc(basename(l))}</code>`).join(', ')}. Success is the verified success of each returned input; L2, L∞ and their statistics are over successful samples.</p>
<table><thead><tr><th>job</th><th>attacked</th><th>skipped</th><th>success</th><th>mean L2</th><th>median L2</th><th>median L∞</th><th>mean iterations</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>Success rate against the perturbation budget</h2>${successVsBudget(groups)}
<h2>L2 of successful samples</h2><p>Box: quartiles, thick line: median, whiskers: minimum to maximum.</p>${l2Distribution(groups)}
${samples.length === 0 ? '' : `<h2>Attacked samples</h2><p>Images (for image inputs): original, adversarial, amplified perturbation. Bars: each label's score σ(logit) before (blue) and after (orange) the attack; dashed: the decision threshold; under each label the target: ▲ on, ▼ off, · don't care.</p><div class="samples">${samples.join('\n')}</div>`}
</body></html>
`;
  return { html, markdown, groups };
}
