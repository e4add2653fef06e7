/**
 * The panel's Web Worker entry (built to plugin/worker.js): all TF.js work runs here so the panel and the editor
 * stay responsive. Start it with `new Worker(url, { type: 'module' })`; `?models=<base URL>` says where model
 * folders live (default `../models/`, where `npm start` serves them next to `plugin/`).
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { getModelDefinition, MODEL_REGISTRY } from '../../core/models/registry.js';
import { summarizeModel } from '../model-summary.js';
import { adapt, createKnownDegradationOperator, haarWeightMapOfPixels } from '../../core/lway/index.js';
import { createCoreEngine } from './core-engine.js';
import { serveJobs, type WorkerPort } from './serve-jobs.js';

const here = new URL(self.location.href);
const modelsBase = new URL(here.searchParams.get('models') ?? '../models/', here);
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
        fetchBytes: async (rel, s) => {
          const res = await fetch(new URL(`${def.weightsDir}/${rel}`, modelsBase), { signal: s ?? signal });
          if (!res.ok) throw new Error(`HTTP ${res.status} for ${res.url}`);
          return res.arrayBuffer();
        },
      });
    },
    async adaptModel(model, pixels, o) {
      // Until trained E/R weights ship, R is core's known-degradation operator (blur + area downscale).
      const operator = createKnownDegradationOperator({ scale: model.scale });
      try {
        return await adapt(model, pixels, {
          operator,
          steps: o.steps,
          strength: o.strength,
          learningRate: o.lr,
          paramFraction: o.paramFraction,
          lpipsWeight: o.lpipsWeight,
          signal: o.signal,
          onProgress: (p) => o.onProgress({ stage: 'adapt', step: p.step, total: p.total, loss: p.loss }),
        });
      } finally {
        operator.dispose();
      }
    },
    weightMap: (pixels, strength) => haarWeightMapOfPixels(pixels, { strength }),
  }),
);
