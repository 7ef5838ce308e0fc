/**
 * Node-only parts of `@mlap/models`: TF.js model files (save and load without `tfjs-node`), the
 * pre-trained default model and the CenterNet loader.
 *
 * @packageDocumentation
 */
export {
  type DefaultModel,
  type DefaultModelInfo,
  defaultModelDir,
  loadDefaultModel,
} from './default-model.js';
export { type CenterNetFiles, type LoadedCenterNet, loadCenterNet } from './load-centernet.js';
export {
  loadGraphModelFiles,
  loadLayersModelFiles,
  readModelArtifacts,
  saveModelFiles,
} from './model-files.js';
