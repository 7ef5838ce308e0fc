/**
 * Messages between the page and the attack worker. Everything crossing the boundary is plain data
 * (structured-clone friendly): label vectors, numbers and RGBA pixel buffers.
 */

/** A backend the visitor can ask for. */
export type BackendChoice = 'auto' | 'wasm' | 'webgl' | 'cpu';

/** The models the page can load. */
export type ModelSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'centernet' }
  | {
      readonly kind: 'upload';
      /** `model.json` followed by its weight files. */
      readonly files: readonly File[];
      /** Label names, one per line (optional for layers models with mlap metadata). */
      readonly labels?: string;
    };

/** The attacks the page offers. */
export type AttackName = 'ml-cw' | 'ml-deepfool' | 'rank1' | 'rank2' | 'tkml' | 'pgd';

/** A target preset, built by `planTargets` from the clean prediction. */
export type TargetPreset = 'hideSingle' | 'hideAll' | 'random' | 'extreme';

/** Knobs the page exposes; each attack reads the ones it has. */
export interface AttackSettings {
  /** Iterations at most (per binary-search step for CW-style attacks). */
  readonly maxIterations: number;
  /** Binary-search steps of ML-CW and the ranking attacks. */
  readonly binarySearchSteps: number;
  /** The L∞ budget of PGD and TkML-AP on the 0–255 scale. */
  readonly epsilon255: number;
  /** Seed of every random choice. */
  readonly seed: number;
}

/** An RGBA image of the model's input size. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray<ArrayBuffer>;
}

/** Page → worker. */
export type Request =
  | {
      readonly type: 'init';
      readonly backend: BackendChoice;
      readonly wasmPaths: string;
      /**
       * One Int32 the page sets to 1 to cancel (cross-origin isolated pages only). A `cancel`
       * message alone cannot work: on wasm and cpu every `await` inside an attack resolves as a
       * microtask, so the worker never returns to its event loop to receive messages mid-run.
       */
      readonly cancelFlag?: SharedArrayBuffer;
    }
  | { readonly type: 'load-model'; readonly source: ModelSource; readonly baseUrl: string }
  | { readonly type: 'predict'; readonly image: Blob }
  | { readonly type: 'plan'; readonly preset: TargetPreset; readonly seed: number }
  | {
      readonly type: 'attack';
      readonly attack: AttackName;
      readonly target: readonly (0 | 1 | null)[];
      readonly settings: AttackSettings;
    }
  | { readonly type: 'cancel' };

/** What the worker says about its backend. */
export interface BackendReport {
  readonly backend: string;
  readonly summary: string;
  readonly attempts: readonly { backend: string; ok: boolean; ms?: number; error?: string }[];
}

/** What the worker says about a loaded model. */
export interface ModelReport {
  readonly name: string;
  readonly labelNames: readonly string[];
  readonly inputShape: readonly number[];
  readonly thresholds: readonly number[];
  readonly ms: number;
}

/** The verified outcome of one attack, ready to show. */
export interface AttackReport {
  readonly attack: AttackName;
  readonly success: boolean;
  readonly l2: number;
  readonly linf: number;
  readonly rmsd: number;
  readonly iterations: number;
  readonly ms: number;
  readonly predicted: readonly (0 | 1)[];
  readonly probabilities: readonly number[];
  readonly adversarial: Rgba;
  readonly perturbation: Rgba;
  /** Whether the 8-bit PNG of the adversarial image still meets the target. */
  readonly pngKeepsTarget: boolean;
}

/** Worker → page. */
export type Reply =
  | { readonly type: 'backend'; readonly report: BackendReport }
  | { readonly type: 'model'; readonly report: ModelReport }
  | {
      readonly type: 'prediction';
      readonly input: Rgba;
      readonly probabilities: readonly number[];
      readonly labels: readonly (0 | 1)[];
    }
  | { readonly type: 'plan'; readonly target: readonly (0 | 1 | null)[] }
  | {
      readonly type: 'progress';
      readonly iteration: number;
      readonly total: number;
      readonly ms: number;
    }
  | { readonly type: 'result'; readonly report: AttackReport }
  | { readonly type: 'cancelled' }
  | { readonly type: 'error'; readonly during: Request['type']; readonly message: string };
