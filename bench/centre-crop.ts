import type { Pixels } from '../src/core/pixels.js';

/** The centred square of side min(`side`, width, height), RGB (alpha dropped): the benches' crop of a photo. */
export function centreCrop(p: Pixels, side: number): Pixels {
  const s = Math.min(side, p.width, p.height);
  const x0 = Math.floor((p.width - s) / 2);
  const y0 = Math.floor((p.height - s) / 2);
  const out = new Uint8Array(s * s * 3);
  for (let y = 0; y < s; y++)
    for (let x = 0; x < s; x++)
      for (let c = 0; c < 3; c++)
        out[(y * s + x) * 3 + c] = p.data[((y0 + y) * p.width + x0 + x) * p.channels + c];
  return { data: out, width: s, height: s, channels: 3 };
}
