import { Worker } from 'node:worker_threads';
import { progressBar, type UpscaleCommandOptions, type UpscaleJob } from './upscale-runner.js';

/** What a worker posts: ready for a job, or the outcome of the one it was given. */
export type UpscaleWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string };

/** What a worker is sent: a job, or that there are no more. */
export type UpscaleWorkerCommand =
  { readonly kind: 'job'; readonly job: UpscaleJob } | { readonly kind: 'stop' };

/** Starts one upscale worker thread. Under tsx (a checkout) it runs the .ts source, as the stage-1 batch worker. */
function startWorker(options: UpscaleCommandOptions): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./upscale-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  // Each worker prints its own per-file line; bars from several threads would overwrite each other.
  const workerData = { options: { ...options, progress: false } };
  return fromSource
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
          `.then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`,
        { eval: true, workerData },
      )
    : new Worker(url, { workerData });
}

/**
 * Runs `jobs` on `count` worker threads, each with its own backend, model and adaptation session (TF.js's wasm
 * backend uses one core in Node, so a batch on an n-core machine is up to n times faster this way). Workers take
 * the next job when free. A file that fails is reported on stderr as it fails and its input returned; a worker
 * that crashes fails only the file it had, and its share goes to the others. Resolves with the failed inputs.
 */
export async function runUpscaleWorkers(
  jobs: readonly UpscaleJob[],
  options: UpscaleCommandOptions,
  count: number,
): Promise<string[]> {
  const queue = [...jobs];
  const failed: string[] = [];
  let crash: string | undefined;
  const bar = progressBar(options, `[{bar}] {value}/{total} images (${count} at once)`);
  bar?.start(jobs.length, 0);
  const fail = (input: string, message: string): void => {
    console.error(message);
    failed.push(input);
    bar?.increment();
  };

  const runOne = (): Promise<void> =>
    new Promise((resolve) => {
      const worker = startWorker(options);
      let current: UpscaleJob | undefined;
      const next = (): void => {
        current = queue.shift();
        const command: UpscaleWorkerCommand = current ? { kind: 'job', job: current } : { kind: 'stop' };
        worker.postMessage(command);
      };
      worker.on('message', (m: UpscaleWorkerMessage) => {
        if (m.kind === 'failed') fail(current!.input, m.message);
        else if (m.kind === 'done') bar?.increment();
        next();
      });
      worker.on('error', (err: Error) => {
        crash = err.message;
        if (current) fail(current.input, `${current.input}: the worker upscaling it crashed: ${err.message}`);
        current = undefined;
      });
      worker.on('exit', () => resolve());
    });

  try {
    await Promise.all(Array.from({ length: count }, runOne));
  } finally {
    bar?.stop();
  }
  // Every worker gone with files left (each crashed): those files were never tried.
  for (const job of queue.splice(0))
    fail(job.input, `${job.input}: not upscaled: every worker stopped${crash ? ` (${crash})` : ''}`);
  return failed;
}
