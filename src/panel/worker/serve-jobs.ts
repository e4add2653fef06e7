import { toWireError } from '../../bridge/index.js';
import { AbortError, LwayError, type Pixels } from '../../core/index.js';
import type { ModelSummary } from './model-summary.js';
import type {
  BackendInfo,
  CachedAdaptationInfo,
  JobProgress,
  JobRequest,
  JobResult,
  WeightMap,
  WorkerMemory,
} from './job-types.js';
import { startLivenessBeats } from './liveness-beats.js';
import { idOf, parseToWorkerMessage, type FromWorkerMessage } from './worker-messages.js';

/** What a job engine returns; serveJobs adds timing and the memory figure. */
export type EngineResult = Omit<JobResult, 'memoryAfter' | 'elapsedMs'>;

/** The work a worker can do. The real one wraps core; tests pass fakes. */
export interface JobEngine {
  run(
    request: JobRequest,
    options: {
      signal: AbortSignal;
      onProgress: (p: JobProgress) => void;
      onBackend: (info: BackendInfo) => void;
    },
  ): Promise<EngineResult>;
  weightMap(pixels: Pixels, strength: number): Promise<WeightMap>;
  clearCache(cacheKey: string): void;
  /** The adapted model held for a layer and model, or null. */
  cachedAdaptation(layerId: string, modelId: string): CachedAdaptationInfo | null;
  /** The presets this engine can run. */
  models(): readonly ModelSummary[];
  /** tf.memory() after the job's tensors were released. */
  memory(): WorkerMemory;
}

/** The worker's side of a message channel (a DedicatedWorkerGlobalScope or a MessagePort). */
export interface WorkerPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** An error as the panel gets it; a thrown value without a code is INTERNAL. */
const wire = (err: unknown) => toWireError(err, 'INTERNAL');

/**
 * Serves panel requests on `port` with `engine`. Every message is checked against worker-messages.ts's schemas: a
 * malformed one is answered with a PROTOCOL error when it has an id (so its sender does not wait forever) and
 * dropped with a warning otherwise. Each run gets its own AbortController, fired by a `cancel` message; the engine
 * checks it between tiles and steps. Result pixels are transferred, not copied.
 */
export function serveJobs(port: WorkerPort, engine: JobEngine): void {
  const running = new Map<number, AbortController>();
  const post = (m: FromWorkerMessage, transfer: Transferable[] = []): void => port.postMessage(m, transfer);

  port.addEventListener('message', (event: MessageEvent) => {
    const parsed = parseToWorkerMessage(event.data);
    if (!parsed.ok) {
      const id = idOf(event.data);
      console.warn(`lway worker: malformed message: ${parsed.reason}`);
      const error = wire(new LwayError('PROTOCOL', `malformed message: ${parsed.reason}`));
      if (id !== undefined) post({ type: 'error', id, error });
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'watch': {
        const [own, sentinel] = event.ports;
        if (own && Number.isFinite(m.beatMs) && m.beatMs > 0) startLivenessBeats(own, sentinel, m.beatMs);
        return;
      }
      case 'cancel':
        running.get(m.id)?.abort();
        return;
      case 'clear-cache':
        engine.clearCache(m.cacheKey);
        post({ type: 'done', id: m.id, result: null });
        return;
      case 'cached':
        post({ type: 'done', id: m.id, result: engine.cachedAdaptation(m.layerId, m.modelId) });
        return;
      case 'models':
        post({ type: 'done', id: m.id, result: engine.models() });
        return;
      case 'memory':
        post({ type: 'done', id: m.id, result: engine.memory() });
        return;
      case 'weight-map':
        engine.weightMap(m.pixels, m.strength).then(
          (map) => post({ type: 'done', id: m.id, result: map }, [map.data.buffer]),
          (err: unknown) => post({ type: 'error', id: m.id, error: wire(err) }),
        );
        return;
      case 'run': {
        const controller = new AbortController();
        running.set(m.id, controller);
        const started = performance.now();
        engine
          .run(m.request, {
            signal: controller.signal,
            onProgress: (progress) => post({ type: 'progress', id: m.id, progress }),
            onBackend: (info) => post({ type: 'backend', id: m.id, info }),
          })
          .then((r) => {
            if (controller.signal.aborted) throw new AbortError();
            const result: JobResult = {
              ...r,
              memoryAfter: engine.memory(),
              elapsedMs: performance.now() - started,
            };
            post({ type: 'done', id: m.id, result }, [r.pixels.data.buffer]);
          })
          .catch((err: unknown) => post({ type: 'error', id: m.id, error: wire(err) }))
          .finally(() => running.delete(m.id));
        return;
      }
    }
  });
}
