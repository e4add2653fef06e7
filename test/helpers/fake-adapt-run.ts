// Stand-ins for core's adapt() behind a real adaptation session, for the engine and panel tests: the session's
// cache, notices and cancel handling are real; only the training is replaced.
import { createAdaptSession, type AdaptRun, type AdaptSession } from '../../src/core/adapt/index.js';
import type { AdaptNotice, AdaptReport } from '../../src/core/adapt/index.js';

/** A report as adapt() would give for `stepsRun` steps. */
export function stubReport(stepsRun: number, notices: readonly AdaptNotice[] = []): AdaptReport {
  return {
    stepsRun,
    stopReason: stepsRun === 0 ? 'no-steps' : 'completed',
    initialLoss: NaN,
    finalLoss: NaN,
    initialHeldOutLoss: NaN,
    bestHeldOutLoss: NaN,
    bestStep: stepsRun,
    deviation: 0,
    heldOutCrops: 0,
    noiseSigma: 0,
    trainedParams: [],
    trainedScalars: 0,
    seconds: 0,
    notices,
  };
}

/** A session over `run` with the known operator (no R to load) and no LPIPS. */
export function sessionOver(run: AdaptRun, maxCached?: number): AdaptSession {
  return createAdaptSession({
    operators: { choice: 'known', fetchBytesFor: () => () => Promise.reject(new Error('no R in tests')) },
    run,
    maxCached,
  });
}
