// The worker's protocol as the page sees it: job types, the message schemas and the backend choices. The
// worker itself (serve-jobs, core-engine, main) is started from its own entry and is not imported by the page.
export {
  BACKEND_CHOICES,
  type BackendChoice,
  type BackendInfo,
  type CachedAdaptationInfo,
  type JobProgress,
  type JobRequest,
  type JobResult,
  type JobRunner,
  type JobStage,
  type RunJobOptions,
  type WeightMap,
  type WorkerMemory,
} from './job-types.js';
export type { ModelSummary } from './model-summary.js';
export {
  type FromWorkerMessage,
  FromWorkerMessageSchema,
  RESULT_SCHEMAS,
  type ResultOf,
  type ToWorkerMessage,
  idOf,
} from './worker-messages.js';
