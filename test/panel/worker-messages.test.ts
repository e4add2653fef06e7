import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { AbortError, OutOfMemoryError, throwIfAborted } from '../../src/core/errors.js';
import type { Pixels } from '../../src/core/pixels.js';
import { DEFAULT_ADAPT_OPTIONS, resolveAdaptSettings } from '../../src/core/adapt/adapt-options.js';
import { WorkerJobRunner, type WorkerLike } from '../../src/panel/worker-job-runner.js';
import { serveJobs, type JobEngine, type WorkerPort } from '../../src/panel/worker/serve-jobs.js';
import { isFromWorkerMessage, isToWorkerMessage } from '../../src/panel/worker/worker-messages.js';
import type { JobRequest } from '../../src/panel/worker/job-types.js';

/** Polls `ready` until it holds (rejects after 5 s): message timing varies with the machine's load. */
async function waitFor(ready: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!ready()) {
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

// A real MessageChannel stands in for the worker boundary: same structured clone and transfer semantics.
function connect(engine: JobEngine): { runner: WorkerJobRunner; close: () => void } {
  const { port1, port2 } = new MessageChannel();
  serveJobs(port2 as unknown as WorkerPort, engine);
  const runner = new WorkerJobRunner(port1 as unknown as WorkerLike);
  return {
    runner,
    close: () => {
      port1.close();
      port2.close();
    },
  };
}

const pixels = (): Pixels => ({
  data: new Uint8ClampedArray([1, 2, 3, 4, 5, 6]),
  width: 2,
  height: 1,
  channels: 3,
});
const request = (): JobRequest => ({ modelId: 'm', scale: 2, tileSize: 64, pixels: pixels() });

function engine(
  overrides: Partial<JobEngine> = {},
): JobEngine & { signals: AbortSignal[]; cleared: string[] } {
  const signals: AbortSignal[] = [];
  const cleared: string[] = [];
  return {
    signals,
    cleared,
    async run(req, { signal, onProgress, onBackend }) {
      signals.push(signal);
      onBackend({ backend: 'wasm', fastPath: false });
      onProgress({ stage: 'upscale', step: 1, total: 1 });
      return {
        pixels: { ...req.pixels, data: req.pixels.data.map((v) => v * 2) },
        backend: 'wasm',
        reusedAdaptation: false,
        adaptationUnavailable: true,
        notices: [],
      };
    },
    weightMap: async (p, s) => ({
      data: new Float32Array(p.width * p.height).fill(s),
      width: p.width,
      height: p.height,
    }),
    clearCache: (key) => void cleared.push(key),
    cachedAdaptation: (layerId, modelId) =>
      layerId === 'L'
        ? { key: `${layerId}:${modelId}`, backend: 'wasm', settings: resolveAdaptSettings({}, modelId) }
        : null,
    models: () => [],
    memory: () => ({ numTensors: 7, numBytes: 70 }),
    ...overrides,
  };
}

test('a run streams backend and progress, then the result with memory; the caller keeps its pixels', async () => {
  const e = engine();
  const { runner, close } = connect(e);
  const events: string[] = [];
  const req = request();
  const result = await runner.run(req, {
    onBackend: (b) => events.push(`backend:${b.backend}:${b.fastPath}`),
    onProgress: (p) => events.push(`${p.stage}:${p.step}/${p.total}`),
  });
  assert.deepEqual(events, ['backend:wasm:false', 'upscale:1/1']);
  assert.deepEqual(Array.from(result.pixels.data), [2, 4, 6, 8, 10, 12]);
  assert.deepEqual(result.memoryAfter, { numTensors: 7, numBytes: 70 });
  assert.equal(result.adaptationUnavailable, true);
  assert.ok(result.elapsedMs >= 0);
  assert.equal(req.pixels.data.byteLength, 6, 'the panel copy must not be detached by the transfer');
  assert.deepEqual(await runner.memory(), { numTensors: 7, numBytes: 70 });
  close();
});

test('cancel rejects at once and fires the AbortSignal inside the worker', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const e = engine({
    async run(_req, { signal, onProgress }) {
      e.signals.push(signal);
      onProgress({ stage: 'adapt', step: 1, total: 100, loss: 0.5 });
      await gate;
      throwIfAborted(signal);
      throw new Error('unreachable');
    },
  });
  const { runner, close } = connect(e);
  const abort = new AbortController();
  let progressed!: () => void;
  const firstProgress = new Promise<void>((r) => (progressed = r));
  const run = runner.run(request(), { signal: abort.signal, onProgress: () => progressed() });
  await firstProgress;
  abort.abort();
  await assert.rejects(run, AbortError);
  await waitFor(() => e.signals[0]?.aborted === true);
  assert.equal(e.signals[0].aborted, true);
  release();
  close();
});

test('an already-aborted signal never reaches the worker', async () => {
  const e = engine();
  const { runner, close } = connect(e);
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(runner.run(request(), { signal: abort.signal }), AbortError);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(e.signals.length, 0);
  close();
});

test('engine errors come back as the same class with code and message', async () => {
  const { runner, close } = connect(
    engine({
      run: async () => {
        throw new OutOfMemoryError('Failed to allocate 1 GiB');
      },
    }),
  );
  await assert.rejects(runner.run(request()), (err: unknown) => {
    assert.ok(err instanceof OutOfMemoryError);
    assert.equal(err.code, 'OUT_OF_MEMORY');
    assert.equal(err.message, 'Failed to allocate 1 GiB');
    return true;
  });
  close();
});

test('weight maps, cache questions and cache clearing round-trip; dispose rejects later calls', async () => {
  const e = engine();
  const { runner, close } = connect(e);
  const map = await runner.weightMap(pixels(), 0.25);
  assert.deepEqual([map.width, map.height, Array.from(map.data)], [2, 1, [0.25, 0.25]]);
  const held = await runner.cachedAdaptation('L', 'm');
  assert.deepEqual([held?.key, held?.settings.steps], ['L:m', DEFAULT_ADAPT_OPTIONS.steps]);
  assert.equal(await runner.cachedAdaptation('other', 'm'), null);
  await runner.clearCache('L::m');
  assert.deepEqual(e.cleared, ['L::m']);
  runner.dispose();
  runner.dispose();
  await assert.rejects(runner.run(request()), /after dispose/);
  close();
});

test('message guards: the schemas check every field, not only type and id', () => {
  const good = { type: 'run', id: 1, request: request() };
  assert.equal(isToWorkerMessage(good), true);
  assert.equal(isToWorkerMessage({ type: 'run', id: 1, request: {} }), false, 'an empty request');
  assert.equal(isToWorkerMessage({ type: 'run', id: '1', request: request() }), false);
  const bad = (change: Partial<JobRequest>) => ({ ...good, request: { ...request(), ...change } });
  assert.equal(isToWorkerMessage(bad({ tileSize: 0 })), false, 'tile size');
  assert.equal(isToWorkerMessage(bad({ backend: 'cuda' as never })), false, 'backend');
  assert.equal(isToWorkerMessage(bad({ correction: 'sharpen' as never })), false, 'correction');
  assert.equal(isToWorkerMessage(bad({ adapt: { lr: 1 } as never })), false, "adapt keys are core's names");
  assert.equal(isToWorkerMessage(bad({ adapt: { learningRate: 2e-6, anchorWeight: 0.3 } })), true);
  const short = { ...pixels(), data: new Uint8ClampedArray(5) };
  assert.equal(isToWorkerMessage(bad({ pixels: short })), false, 'pixel buffer of the wrong length');
  assert.equal(isToWorkerMessage({ type: 'progress', id: 1 }), false);
  assert.equal(isToWorkerMessage(null), false);
  assert.equal(isFromWorkerMessage({ type: 'done', id: 2, result: null }), true);
  assert.equal(isFromWorkerMessage({ type: 'cancel', id: 2 }), false);
  assert.equal(
    isFromWorkerMessage({ type: 'progress', id: 2, progress: { stage: 'x', step: 1, total: 1 } }),
    false,
  );
  assert.equal(isFromWorkerMessage({ type: 'error', id: 2, error: { name: 'E', code: 'X' } }), false);
});

test('a malformed request is answered with a PROTOCOL error; a malformed result fails its request', async (t) => {
  const { port1, port2 } = new MessageChannel();
  // Closed even when an assertion fails: an open port keeps the test file's process alive.
  t.after(() => {
    port1.close();
    port2.close();
  });
  serveJobs(port2 as unknown as WorkerPort, engine());
  const replies: unknown[] = [];
  port1.on('message', (m) => replies.push(m));
  port1.postMessage({ type: 'run', id: 5, request: { modelId: 'm' } });
  port1.postMessage({ no: 'id' });
  // The worker handles messages in order: once the probe after them is answered, a reply to the id-less message
  // would have come. (A fixed wait was flaky on a loaded machine.)
  port1.postMessage({ type: 'memory', id: 6 });
  const idOf = (m: unknown) => (m as { id?: number }).id;
  await waitFor(() => replies.some((m) => idOf(m) === 6));
  const answers = replies.filter((m) => idOf(m) !== 6);
  assert.equal(answers.length, 1, 'one reply: the message without an id is only dropped');
  const reply = answers[0] as { type: string; id: number; error: { code: string; message: string } };
  assert.deepEqual([reply.type, reply.id, reply.error.code], ['error', 5, 'PROTOCOL']);
  assert.match(reply.error.message, /malformed message: .*request\.(pixels|tileSize|scale)/s);

  // A worker answering with a result of the wrong shape: the request fails instead of handing it on.
  const { runner, close } = connect(engine({ memory: () => ({ numTensors: -1, numBytes: 0 }) }));
  await assert.rejects(runner.memory(), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'PROTOCOL');
    assert.match(err.message, /memory result is malformed/);
    return true;
  });
  close();
});

test("errors cross as the bridge's wire error and come back as core classes; a plain Error is INTERNAL", async () => {
  const { runner, close } = connect(
    engine({
      run: async () => {
        throw new Error('tf.js said no');
      },
      weightMap: async () => {
        throw new AbortError();
      },
    }),
  );
  await assert.rejects(runner.run(request()), (err: Error & { code?: string }) => {
    assert.deepEqual([err.code, err.message], ['INTERNAL', 'tf.js said no']);
    return true;
  });
  await assert.rejects(runner.weightMap(pixels(), 0.5), AbortError);
  close();
});

/** A stand-in worker over a MessageChannel whose death the test controls: `crash()` fires an error event. */
function crashableWorker(e: JobEngine): { worker: WorkerLike; crash: () => void; close: () => void } {
  const { port1, port2 } = new MessageChannel();
  serveJobs(port2 as unknown as WorkerPort, e);
  const errorListeners: ((ev: ErrorEvent) => void)[] = [];
  const worker: WorkerLike = {
    postMessage: (m, t) => port1.postMessage(m, t as never),
    addEventListener: ((type: string, l: (ev: never) => void) => {
      if (type === 'error') errorListeners.push(l as (ev: ErrorEvent) => void);
      else port1.addEventListener('message', l as never);
    }) as WorkerLike['addEventListener'],
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
  return {
    worker,
    crash: () => errorListeners.forEach((l) => l({ message: 'boom' } as ErrorEvent)),
    close: () => worker.terminate?.(),
  };
}

test('a worker that crashed is replaced: pending work fails with WorkerError, the next request runs on a fresh one', async () => {
  const hung = engine({ run: () => new Promise<never>(() => {}) });
  const first = crashableWorker(hung);
  const second = crashableWorker(engine());
  let restarts = 0;
  const runner = new WorkerJobRunner(first.worker, {
    restart: () => {
      restarts++;
      return second.worker;
    },
  });
  const job = runner.run(request());
  await new Promise((r) => setTimeout(r, 20));
  first.crash();
  await assert.rejects(job, (err: Error) => err.name === 'WorkerError' && /crashed: boom/.test(err.message));
  const r = await runner.run(request());
  assert.deepEqual(Array.from(r.pixels.data), [2, 4, 6, 8, 10, 12]);
  assert.equal(restarts, 1);
  runner.dispose();
  second.close();
});

test('without a way to restart, calls after a crash fail with WorkerError instead of hanging', async () => {
  const w = crashableWorker(engine({ run: () => new Promise<never>(() => {}) }));
  const runner = new WorkerJobRunner(w.worker);
  const job = runner.run(request());
  w.crash();
  await assert.rejects(job, (err: Error) => err.name === 'WorkerError');
  await assert.rejects(
    runner.memory(),
    (err: Error) => err.name === 'WorkerError' && /reload the plugin/.test(err.message),
  );
  runner.dispose();
});
