// Node-only API (file access): load presets from this machine's files.
export { loadPresetModel } from './load-preset-model.js';
export { modelDirFor, fileFetchBytes, PACKAGE_ROOT } from './model-files.js';
