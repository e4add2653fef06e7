// Node-only API (file access): presets, LPIPS and stage-1 files from this machine's disk, core's adaptation session
// over them, and the training helpers the CLI uses (plots, crop sampling, worker-thread batches).
export { loadPresetModel } from './load-preset-model.js';
export { modelDirFor, missingModelHint, PACKAGE_ROOT } from './model-files.js';
export {
  nodeFetchBytes,
  resolveModelsDir,
  SETUP_MODELS_COMMAND,
  DEFAULT_MISSING_HINT,
} from './node-fetch-bytes.js';
export { type LossRow, writeLossPlot } from './loss-plot.js';
export { fileFetchBytes, lpipsFetchBytes } from './lpips-weights.js';
export { createNodeAdaptSession } from './node-adapt-session.js';
export { nodeWebGpuSource } from './node-webgpu.js';
export { exportStage1Checkpoint, loadStage1Folder } from './stage1-folder.js';
export { writeProjectionPlot } from './stage1-projection-plot.js';
export { createTrainingCropSampler } from './training-crops.js';
export { workerBatchSourceFactory } from './worker-batch-source.js';
