/** Above this side (px) the panel warns before running: outputs get slow and can exhaust GPU memory. */
export const LARGE_OUTPUT_SIDE = 4096;

/** Size and memory of an upscaled output. */
export interface OutputEstimate {
  readonly width: number;
  readonly height: number;
  /** Bytes the worker holds at peak: the RGBA result plus the float32 RGB output buffer the tiler fills. */
  readonly bytes: number;
  /** True when either side exceeds LARGE_OUTPUT_SIDE. */
  readonly large: boolean;
}

/** Estimates the output of upscaling `width` x `height` by `scale`. */
export function estimateOutput(width: number, height: number, scale: number): OutputEstimate {
  const w = width * scale;
  const h = height * scale;
  // 4 bytes RGBA out + 3 float32 channels (12 bytes) in the tiler's CPU buffer.
  const bytes = w * h * (4 + 12);
  return { width: w, height: h, bytes, large: Math.max(w, h) > LARGE_OUTPUT_SIDE };
}

/** Formats a byte count for people: `512 KB`, `1.5 MB`, `2.3 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
