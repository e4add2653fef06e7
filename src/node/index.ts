// Node-only API (file access): load presets from this machine's files.
export { loadPresetModel } from './load-preset-model.js';
export { modelDirFor, missingModelHint, PACKAGE_ROOT } from './model-files.js';
export {
  nodeFetchBytes,
  resolveModelsDir,
  SETUP_MODELS_COMMAND,
  DEFAULT_MISSING_HINT,
} from './node-fetch-bytes.js';
