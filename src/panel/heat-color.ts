/**
 * Maps a weight in [0, 1] to an RGBA heat colour (transparent blue -> yellow -> opaque red), for the W overlay.
 * Low weights stay see-through so the image under the overlay remains readable.
 */
export function heatColor(v: number): [number, number, number, number] {
  const t = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
  const r = Math.round(255 * Math.min(1, 2 * t));
  const g = Math.round(255 * (t < 0.5 ? 2 * t : 2 - 2 * t));
  const b = Math.round(255 * Math.max(0, 1 - 2 * t));
  const a = Math.round(40 + 180 * t);
  return [r, g, b, a];
}

/** Paints a weight map into RGBA bytes (length width*height*4) with heatColor. */
export function heatMapRgba(weights: Float32Array): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(weights.length * 4);
  for (let i = 0; i < weights.length; i++) out.set(heatColor(weights[i]), i * 4);
  return out;
}
