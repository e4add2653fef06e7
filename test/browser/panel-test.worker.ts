// Worker entry for the panel's browser tests: serves jobs with an engine picked by `?engine=`:
//   core  - the real core engine (core's upscale, real TF.js) with a tiny deterministic x2 model;
//           `&adapt=fake` adds a stand-in adaptation that does real tensor work per step and reports a loss.
//   spin  - keeps this worker's thread busy in long synchronous blocks (to prove the page stays responsive).
//   error - fails after one progress event with an out-of-memory error.
import { createCoreEngine } from '../../src/panel/worker/core-engine.js';
import { serveJobs, type WorkerPort } from '../../src/panel/worker/serve-jobs.js';
import { errorEngine, fakeAdapt, MODELS, spinEngine, tinyNearestX2 } from './panel-fake-engines.js';

const params = new URL(self.location.href).searchParams;
const engineName = params.get('engine') ?? 'core';

const engine =
  engineName === 'spin'
    ? spinEngine()
    : engineName === 'error'
      ? errorEngine()
      : createCoreEngine({
          backend: 'cpu',
          models: MODELS,
          loadModel: async () => tinyNearestX2(),
          adaptModel:
            params.get('adapt') === 'fake' ? fakeAdapt(Number(params.get('stepMs') ?? 20)) : undefined,
          weightMap: async (p, strength) => ({
            data: new Float32Array(p.width * p.height).fill(strength),
            width: p.width,
            height: p.height,
          }),
        });

serveJobs(self as unknown as WorkerPort, engine);
