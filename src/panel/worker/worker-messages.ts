/**
 * The panel <-> worker wire format. A small typed message layer instead of Comlink because (1) an AbortSignal
 * cannot cross postMessage, and cancellation must reach the worker at once as its own message; (2) progress is a
 * stream of events per job, which maps to tagged messages more plainly than Comlink proxies (one round trip
 * each); (3) pixel buffers must be transferred, which here is one explicit transfer list per message.
 */
import type { Pixels } from '../../core/pixels.js';
import type { WireError } from '../describe-error.js';
import type { ModelSummary } from '../model-summary.js';
import type {
  BackendInfo,
  CachedAdaptationInfo,
  JobProgress,
  JobRequest,
  JobResult,
  WeightMap,
  WorkerMemory,
} from '../job-types.js';

/** Messages the panel posts to the worker. */
export type ToWorkerMessage =
  | { readonly type: 'run'; readonly id: number; readonly request: JobRequest }
  | { readonly type: 'cancel'; readonly id: number }
  | { readonly type: 'weight-map'; readonly id: number; readonly pixels: Pixels; readonly strength: number }
  | { readonly type: 'clear-cache'; readonly id: number; readonly cacheKey: string }
  | { readonly type: 'cached'; readonly id: number; readonly layerId: string; readonly modelId: string }
  | { readonly type: 'memory'; readonly id: number }
  | { readonly type: 'models'; readonly id: number }
  /** Carries two MessagePorts (event.ports) for the liveness beats; see liveness-beats.ts. No reply. */
  | { readonly type: 'watch'; readonly id: number; readonly beatMs: number };

/** Messages the worker posts back. `done` carries the job's result (JobResult, WeightMap, WorkerMemory or null). */
export type FromWorkerMessage =
  | { readonly type: 'progress'; readonly id: number; readonly progress: JobProgress }
  | { readonly type: 'backend'; readonly id: number; readonly info: BackendInfo }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly result:
        JobResult | WeightMap | WorkerMemory | readonly ModelSummary[] | CachedAdaptationInfo | null;
    }
  | { readonly type: 'error'; readonly id: number; readonly error: WireError };

const TO_WORKER_TYPES = new Set([
  'run',
  'cancel',
  'weight-map',
  'clear-cache',
  'cached',
  'memory',
  'models',
  'watch',
]);
const FROM_WORKER_TYPES = new Set(['progress', 'backend', 'done', 'error']);

function hasTypeAndId(m: unknown): m is { type: string; id: number } {
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof (m as { type?: unknown }).type === 'string' &&
    Number.isInteger((m as { id?: unknown }).id)
  );
}

/** Guard for messages arriving in the worker. */
export function isToWorkerMessage(m: unknown): m is ToWorkerMessage {
  return hasTypeAndId(m) && TO_WORKER_TYPES.has(m.type);
}

/** Guard for messages arriving in the panel. */
export function isFromWorkerMessage(m: unknown): m is FromWorkerMessage {
  return hasTypeAndId(m) && FROM_WORKER_TYPES.has(m.type);
}
