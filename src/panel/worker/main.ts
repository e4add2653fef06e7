/**
 * The panel's Web Worker entry (built to plugin/worker.js): all TF.js work runs here so the panel and the editor
 * stay responsive. Start it with `new Worker(url, { type: 'module' })`; `?models=<base URL>` says where model
 * folders live (default `../models/`, where `npm start` serves them next to `plugin/`).
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  getModelDefinition,
  MODEL_REGISTRY,
  createAdaptSession,
  haarWeightMapOfPixels,
  type FetchBytes,
} from '../../core/index.js';
import { summarizeModel } from './model-summary.js';
import { createCoreEngine } from './core-engine.js';
import { workerScriptUrl } from './worker-script-url.js';
import { serveJobs, type WorkerPort } from './serve-jobs.js';

// The script's real URL, also when the page started it from a blob: (sandboxed iframe).
const here = workerScriptUrl();
const modelsBase = new URL(here.searchParams.get('models') ?? '../models/', here);

/** FetchBytes over HTTP relative to `base`. */
function urlFetchBytes(base: URL, signal?: AbortSignal): FetchBytes {
  return async (rel, s) => {
    const res = await fetch(new URL(rel, base), { signal: s ?? signal });
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${res.url}`);
    return res.arrayBuffer();
  };
}

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
    // Adaptation as core runs it everywhere: R from the shipped stage-1 weights (without usable weights, blur +
    // area downscale and a notice), LPIPS-squeeze (the smaller network) for the loss's perceptual terms.
    session: createAdaptSession({
      operators: {
        fetchBytesFor: (scale) => urlFetchBytes(new URL(`lway-degradation/x${scale}/`, modelsBase)),
      },
      lpips: { net: 'squeeze', fetchBytes: urlFetchBytes(new URL('lpips/', modelsBase)) },
    }),
    weightMap: (pixels, strength) => haarWeightMapOfPixels(pixels, { strength }),
  }),
);
