/**
 * 1-D blending weights for one tile along one axis, in output pixels. Sides that border a neighbouring tile get
 * weight 0 over the first third of `ramp` (where the tile lacks context and the model saw padding), then rise
 * with a raised cosine over the rest; sides on the image border stay at 1. Neighbours overlap by >= `ramp`, so
 * every pixel keeps a positive total weight. Because the tile grid is a product of columns and rows, the 2-D weight of a pixel is
 * wx[x] * wy[y] and the normaliser is separable too.
 */
export function featherWeights(
  length: number,
  ramp: number,
  rampStart: boolean,
  rampEnd: boolean,
): Float32Array {
  const w = new Float32Array(length).fill(1);
  if (ramp <= 0) return w;
  const dead = Math.floor(ramp / 3);
  const rise = ramp - dead;
  for (let i = 0; i < Math.min(ramp, length); i++) {
    const v = i < dead ? 0 : 0.5 - 0.5 * Math.cos((Math.PI * (i - dead + 0.5)) / rise);
    if (rampStart) w[i] = Math.min(w[i], v);
    if (rampEnd) w[length - 1 - i] = Math.min(w[length - 1 - i], v);
  }
  return w;
}
