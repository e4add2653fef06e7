import { Worker } from 'node:worker_threads';
import {
  LwayError,
  type RngState,
  type Stage1Batch,
  type Stage1BatchSource,
  type Stage1BatchSourceFactory,
  type Stage1BatchSpec,
} from '../core/index.js';

/**
 * Batches from a worker thread reading photos in `dataDir`, kept `prefetch` batches ahead of the trainer. Gives the
 * same batches as the in-process path (same RNG sequence). Under tsx (a checkout) the worker runs the .ts source.
 */
export function workerBatchSourceFactory(dataDir: string, prefetch = 2): Stage1BatchSourceFactory {
  return (startState: RngState, spec: Stage1BatchSpec): Stage1BatchSource => {
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(`./stage1-batch-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
    const workerData = { dataDir, startState, spec, prefetch };
    // Node 20 workers do not inherit tsx's loader, so from sources a small bootstrap registers it, then imports
    const worker = fromSource
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
            `.then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`,
          { eval: true, workerData },
        )
      : new Worker(url, { workerData });
    const ready: Stage1Batch[] = [];
    const waiting: Array<{ resolve: (b: Stage1Batch) => void; reject: (e: Error) => void }> = [];
    let failure: Error | null = null;
    const fail = (e: Error) => {
      failure = e;
      for (const w of waiting.splice(0)) w.reject(e);
    };
    worker.on('message', (m: { batch?: Stage1Batch; error?: string }) => {
      if (m.error !== undefined) return fail(new LwayError('INTERNAL', `batch worker: ${m.error}`));
      const w = waiting.shift();
      if (w) w.resolve(m.batch!);
      else ready.push(m.batch!);
    });
    worker.on('error', (e: unknown) => {
      const reason = e instanceof Error ? e.message : String(e);
      fail(new LwayError('INTERNAL', `batch worker crashed: ${reason}`, { cause: e }));
    });
    let disposed = false;
    return {
      next() {
        if (disposed)
          return Promise.reject(new LwayError('DISPOSED', 'batch source was used after dispose()'));
        worker.postMessage('more');
        const b = ready.shift();
        if (b) return Promise.resolve(b);
        if (failure) return Promise.reject(failure);
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        void worker.terminate();
      },
    };
  };
}
