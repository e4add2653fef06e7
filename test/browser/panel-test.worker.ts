// Worker entry for the panel's browser tests: serves jobs with an engine picked by `?engine=`:
//   core  - the real core engine (core's upscale, real TF.js) with a tiny deterministic x2 model;
//           `&adapt=fake` adds a stand-in adaptation that does real tensor work per step and reports a loss;
//           `&adapt=core` runs core's real adapt() (tiny trainable x2 model, known-degradation operator); both
//           behind core's real adaptation session (its cache, notices and cancel handling).
//   spin  - keeps this worker's thread busy in long synchronous blocks (to prove the page stays responsive).
//   error - fails after one progress event with an out-of-memory error.
// `&dieOnRun=N` makes the N-th run report one tile, then close this worker from inside (no error event, no reply);
// `&blockMs=` sets spin's block length (default 300).
// `&stamp=1` adds `at` (performance.timeOrigin + now, comparable with the page's) to every message posted.
import { adapt, type AdaptRun } from '../../src/core/adapt/index.js';
import { createCoreEngine } from '../../src/panel/worker/core-engine.js';
import { serveJobs, type WorkerPort } from '../../src/panel/worker/serve-jobs.js';
import { createAdaptTinyModel } from '../core/adapt/adapt-tiny-model.js';
import { sessionOver } from '../helpers/fake-adapt-run.js';
import {
  dyingEngine,
  errorEngine,
  fakeAdapt,
  MODELS,
  spinEngine,
  tinyNearestX2,
} from './panel-fake-engines.js';

const params = new URL(self.location.href).searchParams;
const engineName = params.get('engine') ?? 'core';
const adaptMode = params.get('adapt');

/**
 * core's real adapt() behind the production session, minus LPIPS and the trained R (the known operator), training
 * every parameter of the tiny model and with the noise guard off.
 */
const coreAdapt: AdaptRun = (model, pixels, o) =>
  adapt(model, pixels, { ...o, paramFraction: 1, maxNoiseSigma: Infinity });

const chosen =
  engineName === 'spin'
    ? spinEngine(Number(params.get('blockMs') ?? 300))
    : engineName === 'error'
      ? errorEngine()
      : createCoreEngine({
          backend: 'cpu',
          models: MODELS,
          loadModel: async () => (adaptMode === 'core' ? createAdaptTinyModel('tiny-x2') : tinyNearestX2()),
          session:
            adaptMode === 'fake'
              ? sessionOver(fakeAdapt(Number(params.get('stepMs') ?? 20)))
              : adaptMode === 'core'
                ? sessionOver(coreAdapt)
                : undefined,
          weightMap: async (p, strength) => ({
            data: new Float32Array(p.width * p.height).fill(strength),
            width: p.width,
            height: p.height,
          }),
        });

const dieOnRun = Number(params.get('dieOnRun') ?? 0);
const engine = dieOnRun > 0 ? dyingEngine(chosen, dieOnRun, () => self.close()) : chosen;

const scope = self as unknown as WorkerPort;
const port: WorkerPort =
  params.get('stamp') === '1'
    ? {
        postMessage: (m, transfer) =>
          scope.postMessage({ ...(m as object), at: performance.timeOrigin + performance.now() }, transfer),
        addEventListener: (type, listener) => scope.addEventListener(type, listener),
      }
    : scope;
serveJobs(port, engine);
