import type { Pixels } from '../src/core/pixels.js';

/** The `side` x `side` square at (x0, y0), RGB (alpha dropped). The caller keeps it inside the image. */
export function cropSquare(p: Pixels, x0: number, y0: number, side: number): Pixels {
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      for (let c = 0; c < 3; c++)
        out[(y * side + x) * 3 + c] = p.data[((y0 + y) * p.width + x0 + x) * p.channels + c];
  return { data: out, width: side, height: side, channels: 3 };
}

/** The centred square of side min(`side`, width, height), RGB (alpha dropped): the benches' crop of a photo. */
export function centreCrop(p: Pixels, side: number): Pixels {
  const s = Math.min(side, p.width, p.height);
  return cropSquare(p, Math.floor((p.width - s) / 2), Math.floor((p.height - s) / 2), s);
}
