import { AbortError, throwIfAborted } from '../../core/errors.js';
import {
  createKnownDegradationOperator,
  createLrReconstruction,
  loadStage1,
  pixelsToTensor,
  type ReconstructionOperator,
  type Stage1Networks,
} from '../../core/lway/index.js';
import type { FetchBytes } from '../../core/models/model-definition.js';
import type { Pixels } from '../../core/pixels.js';
import { tf } from '../../core/tf.js';

/** Where the adaptation's reconstruction operator comes from for one scale. */
export interface Stage1OperatorSource {
  /** `r`: the trained stage-1 R(y, E(x)); `known`: Gaussian blur + area downscale (the fallback). */
  readonly kind: 'r' | 'known';
  /** Set when R could not be used: a plain sentence for the job's notices, saying why. */
  readonly notice?: string;
  /** The operator for one LR selection (R: its embedding E(x) is computed here). The caller disposes it. */
  forPixels(lr: Pixels): ReconstructionOperator;
  /** Frees E and R (nothing for `known`). Idempotent. */
  dispose(): void;
}

/** The error's message and its cause's (loadStage1 wraps "HTTP 404 ..." in "cannot read weights.json"). */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && !err.message.includes(cause) ? `${err.message} (${cause})` : err.message;
}

function knownSource(scale: number, reason: string): Stage1OperatorSource {
  return {
    kind: 'known',
    notice:
      `The trained LWay degradation model (stage-1 R) for x${scale} could not be used: ${reason}. ` +
      'This adaptation used the known-degradation operator (Gaussian blur + area downscale) instead.',
    forPixels: () => createKnownDegradationOperator({ scale }),
    dispose: () => undefined,
  };
}

/**
 * Loads E and R for `scale` from `weights.json` (+ its .bin) through `fetchBytes`, on the current TF.js backend.
 * Anything that keeps R from being used (missing or unreadable files, a foreign format, weights for another scale)
 * gives the known-degradation operator with a notice saying why; only an abort rejects (with AbortError), since
 * the adaptation must not fail for want of R.
 */
export async function loadStage1OperatorSource(
  fetchBytes: FetchBytes,
  scale: number,
  signal?: AbortSignal,
): Promise<Stage1OperatorSource> {
  let nets: Stage1Networks;
  try {
    const loaded = await loadStage1(fetchBytes, { file: 'weights.json', signal });
    tf.dispose(Object.values(loaded.extra)); // a checkpoint's optimizer state, if someone shipped one
    nets = loaded;
  } catch (err) {
    if (err instanceof AbortError) throw err;
    throwIfAborted(signal);
    return knownSource(scale, reasonOf(err));
  }
  const got = nets.reconstructor.config.scale;
  if (got !== scale) {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
    return knownSource(scale, `its weights.json holds an x${got} model`);
  }
  return {
    kind: 'r',
    forPixels(lr) {
      const x = pixelsToTensor(lr);
      try {
        return createLrReconstruction(nets, x);
      } finally {
        x.dispose();
      }
    },
    dispose() {
      nets.encoder.dispose(); // both idempotent
      nets.reconstructor.dispose();
    },
  };
}

/** Options of {@link createStage1OperatorLoader}. */
export interface Stage1OperatorLoaderOptions {
  /** Reads files of the stage-1 folder for `scale` (e.g. `<models>/lway-degradation/x<scale>/`). */
  fetchBytesFor(scale: number, signal: AbortSignal): FetchBytes;
  /** The backend the networks will live on; default the current TF.js backend. */
  backend?: () => string;
}

/** Per-scale, per-backend cache of {@link loadStage1OperatorSource}. */
export interface Stage1OperatorLoader {
  /** The source for `scale`, loaded on first use; later calls share it. An aborted load is retried next call. */
  get(scale: number, signal: AbortSignal): Promise<Stage1OperatorSource>;
  /** Frees every loaded E and R and forgets them. */
  dispose(): Promise<void>;
}

/**
 * Loads E and R lazily, once per scale and backend (weights live on the backend active at load time, and a job on
 * another one, WebGPU in particular, cannot read them), and keeps them for later jobs. A fallback to the known
 * operator is kept too: the notice repeats on every job without asking the server again.
 */
export function createStage1OperatorLoader(options: Stage1OperatorLoaderOptions): Stage1OperatorLoader {
  const backend = options.backend ?? (() => tf.getBackend());
  const loads = new Map<string, Promise<Stage1OperatorSource>>();
  return {
    get(scale, signal) {
      const key = `${backend()}:x${scale}`;
      let p = loads.get(key);
      if (!p) {
        p = loadStage1OperatorSource(options.fetchBytesFor(scale, signal), scale, signal);
        loads.set(key, p);
        const mine = p;
        p.catch(() => {
          if (loads.get(key) === mine) loads.delete(key);
        });
      }
      return p;
    },
    async dispose() {
      const all = [...loads.values()];
      loads.clear();
      for (const r of await Promise.allSettled(all)) if (r.status === 'fulfilled') r.value.dispose();
    },
  };
}
