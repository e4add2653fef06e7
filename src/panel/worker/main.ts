/**
 * The panel's Web Worker entry (built to plugin/worker.js): all TF.js work runs here so the panel and the editor
 * stay responsive. Start it with `new Worker(url, { type: 'module' })`; `?models=<base URL>` says where model
 * folders live (default `../models/`, where `npm start` serves them next to `plugin/`).
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { getModelDefinition, MODEL_REGISTRY } from '../../core/models/registry.js';
import { summarizeModel } from '../model-summary.js';
import { adapt, haarWeightMapOfPixels } from '../../core/lway/index.js';
import type { FetchBytes } from '../../core/models/model-definition.js';
import { tf } from '../../core/tf.js';
import { tryLoadLpips, type LpipsLoadResult } from '../../core/lpips/index.js';
import { createCoreEngine } from './core-engine.js';
import { createStage1OperatorLoader } from './stage1-operator-loader.js';
import { workerScriptUrl } from './worker-script-url.js';
import { serveJobs, type WorkerPort } from './serve-jobs.js';

// The script's real URL, also when the page started it from a blob: (sandboxed iframe).
const here = workerScriptUrl();

/** LPIPS is loaded once, on the first adaptation that wants it; a failure becomes a notice (L1 alone). */
let lpipsLoad: Promise<LpipsLoadResult> | undefined;
function getLpips(signal: AbortSignal): Promise<LpipsLoadResult> {
  lpipsLoad ??= tryLoadLpips('squeeze', urlFetchBytes(new URL('lpips/', modelsBase), signal), signal);
  lpipsLoad.catch(() => (lpipsLoad = undefined)); // an aborted load is retried next time
  return lpipsLoad;
}

/** FetchBytes over HTTP relative to `base`. */
function urlFetchBytes(base: URL, signal: AbortSignal): FetchBytes {
  return async (rel, s) => {
    const res = await fetch(new URL(rel, base), { signal: s ?? signal });
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${res.url}`);
    return res.arrayBuffer();
  };
}
const modelsBase = new URL(here.searchParams.get('models') ?? '../models/', here);

/** Trained stage-1 E and R per scale (and backend), loaded on the first adaptation that needs them. */
const stage1 = createStage1OperatorLoader({
  fetchBytesFor: (scale, signal) => urlFetchBytes(new URL(`lway-degradation/x${scale}/`, modelsBase), signal),
});
// The build copies the wasm binaries next to this script.
setWasmPaths(new URL('./', here).href);

serveJobs(
  self as unknown as WorkerPort,
  createCoreEngine({
    models: MODEL_REGISTRY.map(summarizeModel),
    async loadModel(id, signal) {
      const def = getModelDefinition(id);
      return def.load({
        signal,
        fetchBytes: urlFetchBytes(new URL(`${def.weightsDir}/`, modelsBase), signal),
      });
    },
    async adaptModel(model, pixels, o) {
      const notices: string[] = [];
      const lpips = o.lpipsWeight > 0 ? await getLpips(o.signal) : undefined;
      if (lpips && !lpips.ok) notices.push(lpips.warning.message);
      // R(y, E(x)) from the shipped stage-1 weights; without usable weights, blur + area downscale and a notice.
      const source = await stage1.get(model.scale, o.signal);
      if (source.notice) notices.push(source.notice);
      const operator = source.forPixels(pixels);
      try {
        const adapted = await adapt(model, pixels, {
          operator,
          lpips: lpips?.ok ? (a, b) => tf.tidy(() => lpips.lpips.distance(a, b).mean()) : undefined,
          steps: o.steps,
          strength: o.strength,
          learningRate: o.lr,
          paramFraction: o.paramFraction,
          lpipsWeight: o.lpipsWeight,
          residualSigma: o.residualSigma,
          signal: o.signal,
          onProgress: (p) => o.onProgress({ stage: 'adapt', step: p.step, total: p.total, loss: p.loss }),
        });
        // LPIPS_UNAVAILABLE from adapt repeats what the loader already said.
        for (const n of adapted.report.notices) if (n.code !== 'LPIPS_UNAVAILABLE') notices.push(n.message);
        return { model: adapted, notices, stepsRun: adapted.report.stepsRun };
      } finally {
        operator.dispose();
      }
    },
    weightMap: (pixels, strength) => haarWeightMapOfPixels(pixels, { strength }),
  }),
);
