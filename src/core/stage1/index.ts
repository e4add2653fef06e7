// LWay stage 1, offline: the degradation encoder E and the LR reconstructor R, their training (synthetic batches,
// Adam, checkpoints), evaluation and the embedding projection. The runtime (../adapt) only loads what this trains.
export {
  createStage1Networks,
  loadStage1,
  serializeStage1,
  type LoadedStage1,
  type Stage1Artifacts,
  type Stage1Manifest,
  type Stage1Networks,
} from './stage1-networks.js';
export {
  DEFAULT_DEGRADATION_ENCODER_CONFIG,
  DegradationEncoder,
  encoderMacsPerPixel,
  type DegradationEncoderConfig,
} from './degradation-encoder.js';
export {
  DEFAULT_RECONSTRUCTOR_CONFIG,
  Reconstructor,
  reconstructorMacsPerPixel,
  type ReconstructorConfig,
} from './reconstructor.js';
export {
  DEFAULT_STAGE1_TRAINING_OPTIONS,
  Stage1Trainer,
  type CropSampler,
  type Stage1StepInfo,
  type Stage1TrainingOptions,
} from './stage1-training.js';
export {
  synthesizeStage1Batch,
  type Stage1Batch,
  type Stage1BatchSource,
  type Stage1BatchSourceFactory,
  type Stage1BatchSpec,
} from './stage1-batch.js';
export {
  EVAL_SEED_BASE,
  cropToMultiple,
  evaluateStage1,
  evaluateStage1Pairs,
  type Stage1EvalImageResult,
  type Stage1EvalOptions,
  type Stage1EvalPair,
  type Stage1EvalSummary,
} from './stage1-evaluation.js';
export {
  degradationEmbeddings,
  pca2d,
  projectDegradationEmbeddings,
  type DegradationEmbedding,
  type DegradationEmbeddingOptions,
  type EmbeddingProjection,
  type ProjectedEmbedding,
} from './stage1-embedding-projection.js';
export {
  judgeEmbedding,
  parseCleanInputGate,
  type CleanInputGate,
  type InputJudgement,
} from './clean-input-gate.js';
