import { byId } from './ui/dom.js';

/** The page's fixed elements (from index.html), looked up once. */
export function pageElements() {
  return {
    backendSelect: byId('backend-select', HTMLSelectElement),
    backendStatus: byId('backend-status', HTMLOutputElement),
    modelSelect: byId('model-select', HTMLSelectElement),
    modelStatus: byId('model-status', HTMLOutputElement),
    modelFiles: byId('model-files', HTMLInputElement),
    modelLabels: byId('model-labels', HTMLInputElement),
    modelUpload: byId('model-upload', HTMLButtonElement),
    samples: byId('samples', HTMLDivElement),
    imageFile: byId('image-file', HTMLInputElement),
    attackSelect: byId('attack-select', HTMLSelectElement),
    maxIterations: byId('max-iterations', HTMLInputElement),
    searchSteps: byId('search-steps', HTMLInputElement),
    epsilon: byId('epsilon', HTMLInputElement),
    seed: byId('seed', HTMLInputElement),
    attackNote: byId('attack-note', HTMLParagraphElement),
    presetSelect: byId('preset-select', HTMLSelectElement),
    presetApply: byId('preset-apply', HTMLButtonElement),
    showAll: byId('show-all', HTMLInputElement),
    targetLabels: byId('target-labels', HTMLElement),
    labels: byId('labels', HTMLDivElement),
    topk: byId('topk', HTMLFieldSetElement),
    topkList: byId('topk-list', HTMLOListElement),
    topkChips: byId('topk-chips', HTMLDivElement),
    run: byId('run', HTMLButtonElement),
    cancel: byId('cancel', HTMLButtonElement),
    progress: byId('progress', HTMLProgressElement),
    status: byId('status', HTMLOutputElement),
    original: byId('original', HTMLCanvasElement),
    adversarial: byId('adversarial', HTMLCanvasElement),
    perturbation: byId('perturbation', HTMLCanvasElement),
    predictedBefore: byId('predicted-before', HTMLElement),
    predictedAfter: byId('predicted-after', HTMLElement),
    topkAfterRow: byId('topk-after-row', HTMLParagraphElement),
    topkAfter: byId('topk-after', HTMLElement),
    metrics: byId('metrics', HTMLDListElement),
    download: byId('download', HTMLButtonElement),
    creditList: byId('credit-list', HTMLUListElement),
  };
}

/** The page's elements by role. */
export type PageElements = ReturnType<typeof pageElements>;
