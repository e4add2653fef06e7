// Worker-thread entry of `lway upscale --jobs n`: upscales the files the pool hands it one at a time, with its own
// backend, model and adaptation session (see upscale-worker-pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { setWebGpuSource } from '../core/index.js';
import { nodeWebGpuSource } from '../node/index.js';
import { formatCliError } from './format-cli-error.js';
import { createUpscaleRunner, type UpscaleCommandOptions, type UpscaleRunner } from './upscale-runner.js';
import type { UpscaleWorkerCommand, UpscaleWorkerMessage } from './upscale-worker-pool.js';

const port = parentPort!;
const { options } = workerData as { options: UpscaleCommandOptions };
setWebGpuSource(nodeWebGpuSource);
let runner: Promise<UpscaleRunner> | undefined;
const post = (m: UpscaleWorkerMessage): void => port.postMessage(m);

port.on('message', (command: UpscaleWorkerCommand) => {
  void (async () => {
    if (command.kind === 'stop') {
      await (await runner?.catch(() => undefined))?.dispose();
      port.close();
      // Closing the port ends the thread unless a native handle (Dawn's device) holds it; then this timer does.
      setTimeout(() => process.exit(0), 2000).unref();
      return;
    }
    try {
      runner ??= createUpscaleRunner(options);
      await (await runner).run(command.job);
      post({ kind: 'done' });
    } catch (err) {
      post({ kind: 'failed', message: formatCliError(err) });
    }
  })();
});
post({ kind: 'ready' });
