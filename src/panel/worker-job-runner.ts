import { AbortError, LwayError, OutOfMemoryError, type LwayErrorCode } from '../core/errors.js';
import type { Pixels } from '../core/pixels.js';
import type { WireError } from './describe-error.js';
import type { ModelSummary } from './model-summary.js';
import type {
  BackendInfo,
  JobProgress,
  JobRequest,
  JobResult,
  JobRunner,
  RunJobOptions,
  WeightMap,
  WorkerMemory,
} from './job-types.js';
import {
  isFromWorkerMessage,
  type FromWorkerMessage,
  type ToWorkerMessage,
} from './worker/worker-messages.js';

/** The panel's side of a worker: a Worker, or a MessagePort in tests. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate?(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: JobProgress) => void;
  onBackend?: (info: BackendInfo) => void;
}

const KNOWN_CODES = new Set<string>([
  'ABORTED',
  'BAD_INPUT',
  'UNKNOWN_MODEL',
  'MODEL_LOAD',
  'OUT_OF_MEMORY',
  'BACKEND_UNAVAILABLE',
  'UNSUPPORTED_FORMAT',
  'TIMEOUT',
  'PROTOCOL',
  'DISPOSED',
  'DIVERGED',
  'INTERNAL',
]);

/** Rebuilds an error that crossed postMessage as the same class where one exists. */
export function fromWireError(w: WireError): LwayError {
  if (w.code === 'ABORTED') return new AbortError(w.message);
  if (w.code === 'OUT_OF_MEMORY') return new OutOfMemoryError(w.message);
  const err = new LwayError(KNOWN_CODES.has(w.code) ? (w.code as LwayErrorCode) : 'INTERNAL', w.message);
  err.name = w.name;
  return err;
}

/** Copies pixels into a fresh buffer so transferring it does not detach the panel's own copy. */
function copyPixels(p: Pixels): Pixels {
  return { data: new Uint8ClampedArray(p.data), width: p.width, height: p.height, channels: p.channels };
}

/**
 * JobRunner over a Web Worker speaking the messages in worker/worker-messages.ts. Aborting a run posts `cancel`
 * and rejects at once with AbortError, so the panel is free immediately; anything the worker sends later for that
 * job is ignored. A worker crash rejects every pending job with a WorkerError.
 */
export class WorkerJobRunner implements JobRunner {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event: MessageEvent) => this.onMessage(event.data));
    worker.addEventListener('error', (event: ErrorEvent) => {
      const err = new LwayError('INTERNAL', `The worker crashed: ${event.message || 'unknown error'}`);
      err.name = 'WorkerError';
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  run(request: JobRequest, options: RunJobOptions = {}): Promise<JobResult> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortError());
    const pixels = copyPixels(request.pixels);
    const id = this.nextId++;
    const done = this.send<JobResult>(
      { type: 'run', id, request: { ...request, pixels } },
      [pixels.data.buffer],
      options,
    );
    if (!signal) return done;
    return new Promise<JobResult>((resolve, reject) => {
      const onAbort = (): void => {
        this.worker.postMessage({ type: 'cancel', id } satisfies ToWorkerMessage, []);
        this.pending.delete(id);
        reject(new AbortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  weightMap(pixels: Pixels, strength: number): Promise<WeightMap> {
    const copy = copyPixels(pixels);
    return this.send<WeightMap>({ type: 'weight-map', id: this.nextId++, pixels: copy, strength }, [
      copy.data.buffer,
    ]);
  }

  async clearCache(cacheKey: string): Promise<void> {
    await this.send<null>({ type: 'clear-cache', id: this.nextId++, cacheKey }, []);
  }

  models(): Promise<readonly ModelSummary[]> {
    return this.send<readonly ModelSummary[]>({ type: 'models', id: this.nextId++ }, []);
  }

  /** The worker's tf.memory() now (numTensors, numBytes). */
  memory(): Promise<WorkerMemory> {
    return this.send<WorkerMemory>({ type: 'memory', id: this.nextId++ }, []);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.pending.values()) p.reject(new AbortError('The worker was stopped'));
    this.pending.clear();
    this.worker.terminate?.();
  }

  private send<T>(
    message: ToWorkerMessage,
    transfer: Transferable[],
    callbacks: Pick<RunJobOptions, 'onProgress' | 'onBackend'> = {},
  ): Promise<T> {
    if (this.disposed)
      return Promise.reject(new LwayError('DISPOSED', 'WorkerJobRunner was used after dispose()'));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(message.id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: callbacks.onProgress,
        onBackend: callbacks.onBackend,
      });
      this.worker.postMessage(message, transfer);
    });
  }

  private onMessage(m: unknown): void {
    if (!isFromWorkerMessage(m)) {
      console.warn('lway panel: dropped a malformed worker message');
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return; // a job that was cancelled or already settled
    const msg: FromWorkerMessage = m;
    switch (msg.type) {
      case 'progress':
        p.onProgress?.(msg.progress);
        return;
      case 'backend':
        p.onBackend?.(msg.info);
        return;
      case 'done':
        this.pending.delete(msg.id);
        p.resolve(msg.result);
        return;
      case 'error':
        this.pending.delete(msg.id);
        p.reject(fromWireError(msg.error));
        return;
    }
  }
}
