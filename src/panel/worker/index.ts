// The worker's protocol as the page sees it: job types, the message schemas and the backend choices. The
// worker itself (serve-jobs, core-engine, main) is started from its own entry and is not imported by the page.
// A job: what the page asks, what streams back while it runs, what it ends with.
export {
  BACKEND_CHOICES,
  type BackendChoice,
  type JobRequest,
  type RunJobOptions,
  type JobRunner,
  type JobStage,
  type JobProgress,
  type BackendInfo,
  type JobResult,
  type WorkerMemory,
  type WeightMap,
  type CachedAdaptationInfo,
} from './job-types.js';
export type { ModelSummary } from './model-summary.js';
// The messages, checked on both sides.
export {
  FromWorkerMessageSchema,
  RESULT_SCHEMAS,
  idOf,
  type FromWorkerMessage,
  type ToWorkerMessage,
  type ResultOf,
} from './worker-messages.js';
