import { isAbortLike } from './is-abort-like.js';
import { createLpips, type Lpips } from './lpips.js';
import { loadLpipsWeights, type LpipsNet } from './lpips-weights.js';
import type { FetchBytes } from '../models/index.js';

/** Warning code shown when the LPIPS weights cannot be loaded and the loss falls back to L1 alone. */
export const LPIPS_UNAVAILABLE = 'LPIPS_UNAVAILABLE';

/** A warning a caller must surface (the panel shows it; the CLI prints it). */
export interface LpipsWarning {
  readonly code: typeof LPIPS_UNAVAILABLE;
  readonly message: string;
}

/** Either an LPIPS instance or the reason there is none. */
export type LpipsLoadResult =
  { readonly ok: true; readonly lpips: Lpips } | { readonly ok: false; readonly warning: LpipsWarning };

/**
 * Loads LPIPS, turning a missing or broken weights file into a warning instead of an error, so the product can
 * fall back to L1 alone and say so. Aborts still reject with AbortError.
 */
export async function tryLoadLpips(
  net: LpipsNet,
  fetchBytes: FetchBytes,
  signal?: AbortSignal,
): Promise<LpipsLoadResult> {
  try {
    return { ok: true, lpips: createLpips(net, await loadLpipsWeights(net, fetchBytes, signal)) };
  } catch (err) {
    if (isAbortLike(err, signal)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      warning: {
        code: LPIPS_UNAVAILABLE,
        message: `LPIPS unavailable (${reason}); the loss falls back to L1 alone`,
      },
    };
  }
}
