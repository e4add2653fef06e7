import { AbortError, LwayError, lwayErrorFrom, type Pixels } from '../core/index.js';
import { WORKER_ERROR } from './describe-error.js';
import {
  type ModelSummary,
  type BackendInfo,
  type CachedAdaptationInfo,
  type JobProgress,
  type JobRequest,
  type JobResult,
  type JobRunner,
  type RunJobOptions,
  type WeightMap,
  type WorkerMemory,
  FromWorkerMessageSchema,
  RESULT_SCHEMAS,
  idOf,
  type FromWorkerMessage,
  type ResultOf,
  type ToWorkerMessage,
} from './worker/index.js';

/** The panel's side of a worker: a Worker, or a MessagePort in tests. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate?(): void;
}

interface Pending {
  /** The type of the request: its `done` result is checked against RESULT_SCHEMAS[type]. */
  type: keyof typeof RESULT_SCHEMAS;
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: JobProgress) => void;
  onBackend?: (info: BackendInfo) => void;
}

/** Copies pixels into a fresh buffer so transferring it does not detach the panel's own copy. */
function copyPixels(p: Pixels): Pixels {
  return { data: new Uint8ClampedArray(p.data), width: p.width, height: p.height, channels: p.channels };
}

/** Options of {@link WorkerJobRunner}. */
export interface WorkerJobRunnerOptions {
  /**
   * Starts a fresh worker once this one died (silently, or with an error event). Without it, calls after a death
   * fail with WorkerError.
   */
  readonly restart?: () => WorkerLike | Promise<WorkerLike>;
  /** Interval of the worker's liveness beats, ms. */
  readonly beatMs?: number;
  /** Silence of the sentinel thread's beats after which the worker is taken for dead, ms. */
  readonly deadAfterMs?: number;
  /**
   * The same when only the worker's own thread beats (no nested workers there): a long synchronous step silences
   * it too, so the limit is much longer.
   */
  readonly deadAfterMsOwnThread?: number;
  /** How long a new worker may take to send its first beat (it is loading its script and TF.js), ms. */
  readonly startupMs?: number;
}

/** Defaults of {@link WorkerJobRunnerOptions}. */
export const DEFAULT_WORKER_RUNNER_OPTIONS = {
  beatMs: 1000,
  deadAfterMs: 10_000,
  deadAfterMsOwnThread: 180_000,
  startupMs: 60_000,
} as const;

function workerError(message: string): LwayError {
  const err = new LwayError('INTERNAL', message);
  err.name = WORKER_ERROR;
  return err;
}

/**
 * JobRunner over a Web Worker speaking the messages in worker/worker-messages.ts. Aborting a run posts `cancel`
 * and rejects at once with AbortError, so the panel is free immediately; anything the worker sends later for that
 * job is ignored.
 *
 * A worker that dies is noticed two ways: an `error` event, or its liveness beats stopping (a worker that closes
 * itself fires no event at all; see worker/liveness-beats.ts). Either way every pending request rejects with a
 * WorkerError, the dead worker is terminated, and the next request starts a fresh one through `restart`.
 */
export class WorkerJobRunner implements JobRunner {
  private readonly pending = new Map<number, Pending>();
  private readonly o: Required<Omit<WorkerJobRunnerOptions, 'restart'>> & WorkerJobRunnerOptions;
  private nextId = 1;
  private disposed = false;
  /** The live worker, or null once it died (until the next request restarts it). */
  private worker: WorkerLike | null = null;
  private starting?: Promise<WorkerLike>;
  /** The current worker's beats: when the last came, whether any came (it started), and from the sentinel. */
  private liveness?: { ports: MessagePort[]; lastBeat: number; up: boolean; sentinel: boolean };
  private watchdog?: ReturnType<typeof setInterval>;

  constructor(worker: WorkerLike, options: WorkerJobRunnerOptions = {}) {
    this.o = { ...DEFAULT_WORKER_RUNNER_OPTIONS, ...options };
    this.adopt(worker);
  }

  /**
   * Where the current worker's liveness beats come from: `none` yet (loading, or dead), its own `thread`, or its
   * `sentinel` (then a long synchronous step cannot be mistaken for death).
   */
  get beatSource(): 'none' | 'thread' | 'sentinel' {
    const l = this.liveness;
    return !this.worker || !l?.up ? 'none' : l.sentinel ? 'sentinel' : 'thread';
  }

  run(request: JobRequest, options: RunJobOptions = {}): Promise<JobResult> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortError());
    const pixels = copyPixels(request.pixels);
    const id = this.nextId++;
    const done: Promise<JobResult> = this.send(
      { type: 'run', id, request: { ...request, pixels } },
      [pixels.data.buffer],
      options,
    );
    if (!signal) return done;
    return new Promise<JobResult>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.pending.delete(id)) this.post({ type: 'cancel', id }, []);
        this.disarmIfIdle();
        reject(new AbortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  weightMap(pixels: Pixels, strength: number): Promise<WeightMap> {
    const copy = copyPixels(pixels);
    return this.send({ type: 'weight-map', id: this.nextId++, pixels: copy, strength }, [copy.data.buffer]);
  }

  async clearCache(cacheKey: string): Promise<void> {
    await this.send({ type: 'clear-cache', id: this.nextId++, cacheKey }, []);
  }

  cachedAdaptation(layerId: string, modelId: string): Promise<CachedAdaptationInfo | null> {
    return this.send({ type: 'cached', id: this.nextId++, layerId, modelId }, []);
  }

  models(): Promise<readonly ModelSummary[]> {
    return this.send({ type: 'models', id: this.nextId++ }, []);
  }

  /** The worker's tf.memory() now (numTensors, numBytes). */
  memory(): Promise<WorkerMemory> {
    return this.send({ type: 'memory', id: this.nextId++ }, []);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.failPending(new AbortError('The worker was stopped'));
    this.stopLiveness();
    this.worker?.terminate?.();
    this.worker = null;
    void this.starting?.then((w) => w.terminate?.());
  }

  /** Listens to a (new) worker and hands it the liveness ports. */
  private adopt(worker: WorkerLike): void {
    this.worker = worker;
    worker.addEventListener('message', (event: MessageEvent) => {
      if (this.worker === worker) this.onMessage(event.data);
    });
    worker.addEventListener('error', (event: ErrorEvent) => {
      if (this.worker === worker) this.die(`The worker crashed: ${event.message || 'unknown error'}`);
    });
    if (typeof MessageChannel !== 'function') return;
    const own = new MessageChannel();
    const sentinel = new MessageChannel();
    const liveness = {
      ports: [own.port1, sentinel.port1],
      lastBeat: performance.now(),
      up: false,
      sentinel: false,
    };
    this.liveness = liveness;
    for (const port of liveness.ports) {
      port.onmessage = (e: MessageEvent) => {
        liveness.lastBeat = performance.now();
        liveness.up = true;
        if ((e.data as { sentinel?: unknown } | null)?.sentinel === true) liveness.sentinel = true;
      };
      (port as { unref?: () => void }).unref?.(); // Node: an idle runner must not keep a test process alive
    }
    worker.postMessage({ type: 'watch', id: 0, beatMs: this.o.beatMs } satisfies ToWorkerMessage, [
      own.port2,
      sentinel.port2,
    ]);
  }

  /** How long the worker has been silent beyond what its kind of beats allows (> 0: dead). */
  private overdue(): number {
    const l = this.liveness;
    if (!l) return 0;
    const limit = !l.up ? this.o.startupMs : l.sentinel ? this.o.deadAfterMs : this.o.deadAfterMsOwnThread;
    return performance.now() - l.lastBeat - limit;
  }

  /** Watches the beats while requests are pending (no timer runs while the panel is idle). */
  private arm(): void {
    if (this.watchdog !== undefined) return;
    this.watchdog = setInterval(() => {
      if (this.worker && this.overdue() > 0) {
        this.die(
          `The worker stopped without a word: no sign of life for ${Math.round(
            (performance.now() - this.liveness!.lastBeat) / 1000,
          )} s (it may have run out of memory or been closed)`,
        );
      }
    }, this.o.beatMs);
  }

  private disarmIfIdle(): void {
    if (this.pending.size > 0 || this.watchdog === undefined) return;
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private stopLiveness(): void {
    for (const port of this.liveness?.ports ?? []) port.close();
    this.liveness = undefined;
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  /**
   * The worker is gone: fail what waits on it and stop it for good. A worker that had started (beaten) is
   * replaced at once; one that never started is replaced on the next request, so a worker that cannot start is
   * not restarted in a loop.
   */
  private die(message: string): void {
    const dead = this.worker;
    const wasUp = this.liveness?.up === true;
    this.worker = null;
    this.stopLiveness();
    this.failPending(workerError(message));
    dead?.terminate?.();
    if (!wasUp || !this.o.restart || this.disposed) return;
    try {
      const next = this.current();
      if (next instanceof Promise) next.catch(() => undefined); // reported by the next request instead
    } catch {
      // likewise
    }
  }

  private failPending(err: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(err);
  }

  /** The live worker, starting a fresh one when the last one died. */
  private current(): WorkerLike | Promise<WorkerLike> {
    if (this.worker && this.overdue() > 0) this.die('The worker stopped without a word while idle');
    if (this.worker) return this.worker;
    if (!this.o.restart)
      throw workerError('The worker stopped and no fresh one can be started; reload the plugin');
    this.starting ??= Promise.resolve(this.o.restart()).then(
      (w) => {
        this.starting = undefined;
        if (this.disposed) {
          w.terminate?.();
          throw new LwayError('DISPOSED', 'WorkerJobRunner was used after dispose()');
        }
        this.adopt(w);
        return w;
      },
      (err: unknown) => {
        this.starting = undefined;
        throw workerError(
          `Could not start a fresh worker: ${err instanceof Error ? err.message : String(err)}`,
        );
      },
    );
    return this.starting;
  }

  /** Posts to the live worker, after a restart when one is needed; a failed restart fails `message`'s request. */
  private post(message: ToWorkerMessage, transfer: Transferable[]): void {
    let target: WorkerLike | Promise<WorkerLike>;
    try {
      target = this.current();
    } catch (err) {
      this.reject(message.id, err as Error);
      return;
    }
    if (!(target instanceof Promise)) return void target.postMessage(message, transfer);
    target.then(
      (w) => {
        // Still wanted (not cancelled or failed while the worker started)?
        if (message.type === 'cancel' || this.pending.has(message.id)) w.postMessage(message, transfer);
      },
      (err: Error) => this.reject(message.id, err),
    );
  }

  private reject(id: number, err: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.disarmIfIdle();
    p.reject(err);
  }

  private send<M extends ToWorkerMessage & { type: keyof ResultOf }>(
    message: M,
    transfer: Transferable[],
    callbacks: Pick<RunJobOptions, 'onProgress' | 'onBackend'> = {},
  ): Promise<ResultOf[M['type']]> {
    if (this.disposed)
      return Promise.reject(new LwayError('DISPOSED', 'WorkerJobRunner was used after dispose()'));
    return new Promise<ResultOf[M['type']]>((resolve, reject) => {
      this.pending.set(message.id, {
        type: message.type,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: callbacks.onProgress,
        onBackend: callbacks.onBackend,
      });
      this.arm();
      this.post(message, transfer);
    });
  }

  /**
   * A message from the worker, checked against worker-messages.ts's schemas (a `done` result against its
   * request's). A malformed message for a pending request fails it with a PROTOCOL error; others are dropped with a
   * warning.
   */
  private onMessage(m: unknown): void {
    const parsed = FromWorkerMessageSchema.safeParse(m);
    if (!parsed.success) {
      const id = idOf(m);
      console.warn('lway panel: dropped a malformed worker message');
      if (id !== undefined) this.reject(id, new LwayError('PROTOCOL', 'The worker sent a malformed message'));
      return;
    }
    const msg = parsed.data as FromWorkerMessage;
    const p = this.pending.get(msg.id);
    if (!p) return; // a job that was cancelled or already settled
    switch (msg.type) {
      case 'progress':
        p.onProgress?.(msg.progress);
        return;
      case 'backend':
        p.onBackend?.(msg.info);
        return;
      case 'done': {
        const result = RESULT_SCHEMAS[p.type].safeParse(msg.result);
        if (!result.success) {
          this.reject(msg.id, new LwayError('PROTOCOL', `The worker's ${p.type} result is malformed`));
          return;
        }
        this.pending.delete(msg.id);
        this.disarmIfIdle();
        p.resolve(result.data);
        return;
      }
      case 'error':
        this.pending.delete(msg.id);
        this.disarmIfIdle();
        p.reject(lwayErrorFrom(msg.error));
        return;
    }
  }
}
