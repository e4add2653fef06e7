import type { JobProgress, JobRunner } from './worker/index.js';

/**
 * Wraps a JobRunner so every progress event is also passed to `report` (main.ts forwards them to the host, which
 * may show them in its own status bar). Everything else is delegated unchanged.
 */
export function withProgressReporting(runner: JobRunner, report: (p: JobProgress) => void): JobRunner {
  return {
    run: (request, options = {}) =>
      runner.run(request, {
        ...options,
        onProgress: (p) => {
          options.onProgress?.(p);
          report(p);
        },
      }),
    weightMap: (pixels, strength) => runner.weightMap(pixels, strength),
    models: () => runner.models(),
    cachedAdaptation: (layerId, modelId) => runner.cachedAdaptation(layerId, modelId),
    clearCache: (key) => runner.clearCache(key),
    dispose: () => runner.dispose(),
  };
}
