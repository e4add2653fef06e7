import { LwayError } from '../errors.js';

/** Progress of a tiled upscale: one event per finished tile. */
export interface UpscaleProgress {
  readonly stage: 'upscale';
  readonly done: number;
  readonly total: number;
}

export interface UpscaleOptions {
  /** Input tile side in pixels. Default: the largest that fits `memoryBudgetBytes` (at most MAX_AUTO_TILE_SIZE). */
  readonly tileSize?: number;
  /** Minimum overlap between neighbouring tiles, input pixels; the blend ramps over it. At most tileSize/2. */
  readonly overlap?: number;
  /**
   * Context pixels read around every tile and cropped from its output (reflected past the image border). Default:
   * the model's `contextPad` (its reference implementation's choice), else 10, what Real-ESRGAN's ncnn tool uses: without it, the model's zero padding darkens and blurs the
   * image's outer rows (PSNR against the tool drops from 58 to 43 dB within 8 px of the border).
   */
  readonly contextPad?: number;
  /** Memory the backend may use for one tile; picks tileSize when that is not given. Default per backend. */
  readonly memoryBudgetBytes?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: UpscaleProgress) => void;
}

export interface ResolvedUpscaleOptions {
  readonly tileSize: number;
  readonly overlap: number;
  readonly contextPad: number;
  readonly memoryBudgetBytes: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: UpscaleProgress) => void) | undefined;
}

const MIB = 1024 * 1024;

/** Default per-tile memory budget by backend: GPUs share memory with the page, wasm has a 4 GiB heap. */
export const DEFAULT_MEMORY_BUDGET_BYTES: Readonly<Record<string, number>> = {
  webgpu: 256 * MIB,
  webgl: 192 * MIB,
  wasm: 512 * MIB,
  cpu: 256 * MIB,
};

export const DEFAULT_UPSCALE_OPTIONS = {
  tileSize: undefined,
  overlap: 16,
  contextPad: undefined,
  memoryBudgetBytes: undefined,
  signal: undefined,
  onProgress: undefined,
} as const satisfies Record<keyof UpscaleOptions, unknown>;

/** Context margin when neither the options nor the model say: what Real-ESRGAN's ncnn tool uses. */
export const DEFAULT_CONTEXT_PAD = 10;
/** Largest context margin accepted: beyond the receptive field of every preset it only costs time. */
export const MAX_CONTEXT_PAD = 64;
/** Smallest tile we accept: below this the model sees too little context and overhead dominates. */
export const MIN_TILE_SIZE = 8;
/** Largest tile picked automatically (bigger tiles buy little speed and stall the UI longer between checks). */
export const MAX_AUTO_TILE_SIZE = 512;

/**
 * Rough peak bytes per input pixel while a tile runs: a few live 64-channel float feature maps plus the output
 * and its copies. Conservative for SRVGG/RDN, about right for RRDB (dense blocks concatenate up to 192 channels).
 */
export function bytesPerInputPixel(scale: number): number {
  return 4 * (64 * 6 + scale * scale * 3 * 3);
}

/**
 * Fills defaults and validates once, at the entry point. `backend` picks the default memory budget; `scale` sizes
 * the tile from the budget.
 */
export function resolveUpscaleOptions(
  options: UpscaleOptions,
  context: { readonly backend: string; readonly scale: number; readonly contextPad?: number },
): ResolvedUpscaleOptions {
  const o = { ...DEFAULT_UPSCALE_OPTIONS, ...stripUndefined(options) };
  const budget = o.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES[context.backend] ?? 256 * MIB;
  if (!Number.isFinite(budget) || budget <= 0) {
    throw new LwayError(
      'BAD_INPUT',
      `memoryBudgetBytes must be a positive number; got ${o.memoryBudgetBytes}`,
    );
  }
  const contextPad: number = o.contextPad ?? context.contextPad ?? DEFAULT_CONTEXT_PAD;
  if (!Number.isInteger(contextPad) || contextPad < 0 || contextPad > MAX_CONTEXT_PAD) {
    throw new LwayError(
      'BAD_INPUT',
      `contextPad must be an integer in [0, ${MAX_CONTEXT_PAD}]; got ${o.contextPad}`,
    );
  }
  let tileSize: number;
  if (o.tileSize === undefined) {
    // The budget covers the tile plus its context margin on both sides.
    const side = Math.floor(Math.sqrt(budget / bytesPerInputPixel(context.scale))) - 2 * contextPad;
    tileSize = Math.max(MIN_TILE_SIZE, Math.min(MAX_AUTO_TILE_SIZE, side));
  } else {
    tileSize = o.tileSize;
    if (!Number.isInteger(tileSize) || tileSize < MIN_TILE_SIZE) {
      throw new LwayError('BAD_INPUT', `tileSize must be an integer >= ${MIN_TILE_SIZE}; got ${o.tileSize}`);
    }
  }
  let overlap: number = o.overlap;
  if (!Number.isInteger(overlap) || overlap < 0) {
    throw new LwayError('BAD_INPUT', `overlap must be an integer >= 0; got ${o.overlap}`);
  }
  if (overlap * 2 > tileSize) {
    // Only an explicit overlap is an error; the default shrinks to fit a small tile.
    if (options.overlap !== undefined) {
      throw new LwayError(
        'BAD_INPUT',
        `overlap must be at most tileSize/2 (${Math.floor(tileSize / 2)}); got ${overlap}`,
      );
    }
    overlap = Math.floor(tileSize / 4);
  }
  if (o.signal !== undefined && !isAbortSignal(o.signal)) {
    throw new LwayError('BAD_INPUT', 'signal must be an AbortSignal');
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new LwayError('BAD_INPUT', `onProgress must be a function; got ${typeof o.onProgress}`);
  }
  return {
    tileSize,
    overlap,
    contextPad,
    memoryBudgetBytes: budget,
    signal: o.signal,
    onProgress: o.onProgress,
  };
}

function isAbortSignal(s: unknown): s is AbortSignal {
  return typeof s === 'object' && s !== null && typeof (s as AbortSignal).aborted === 'boolean';
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
