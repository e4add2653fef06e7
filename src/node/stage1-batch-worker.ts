// Worker-thread entry: synthesises stage-1 training batches (crop decoding + degradation) ahead of the trainer, so
// on a multi-core machine data synthesis overlaps the TF.js step instead of adding to it. Started by
// workerBatchSourceFactory; it draws from the RNG state it is given, so batches equal the in-process ones.
import { parentPort, workerData } from 'node:worker_threads';
import { createRng, type RngState, synthesizeStage1Batch, type Stage1BatchSpec } from '../core/index.js';
import { createTrainingCropSampler } from './training-crops.js';

interface Init {
  readonly dataDir: string;
  readonly startState: RngState;
  readonly spec: Stage1BatchSpec;
  readonly prefetch: number;
}

const init = workerData as Init;
const port = parentPort!;
const { sampler } = await createTrainingCropSampler(init.dataDir);
const rng = createRng(0);
rng.setState(init.startState);
let credits = init.prefetch;
let busy = false;

async function pump(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    while (credits > 0) {
      credits--;
      const batch = await synthesizeStage1Batch(rng, sampler, init.spec);
      port.postMessage({ batch }, [batch.hr.buffer as ArrayBuffer, batch.lr.buffer as ArrayBuffer]);
    }
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  } finally {
    busy = false;
  }
}

port.on('message', (m: string) => {
  if (m === 'more') {
    credits++;
    void pump();
  }
});
void pump();
