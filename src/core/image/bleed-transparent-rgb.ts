import type { Pixels } from '../pixels.js';

/** How many one-pixel dilation passes to run before filling what is left with the mean opaque colour. */
const MAX_PASSES = 16;

/**
 * Returns a copy of an RGBA image whose fully transparent pixels take the average colour of their nearest
 * non-transparent neighbours (grown outwards pass by pass). Their original RGB is arbitrary (often black), and the
 * SR model would smear it into the visible edge as a dark fringe. Alpha is left untouched. RGB images and images
 * without transparent pixels come back as they are.
 */
export function bleedTransparentRgb(pixels: Pixels): Pixels {
  const { data, width, height, channels } = pixels;
  if (channels !== 4) return pixels;
  const n = width * height;
  const known = new Uint8Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    known[i] = data[i * 4 + 3] > 0 ? 1 : 0;
    if (!known[i]) missing++;
  }
  if (missing === 0) return pixels;
  const out = new Uint8Array(data);
  if (missing === n) return { data: out, width, height, channels };
  let frontier = known.slice();
  for (let pass = 0; pass < MAX_PASSES && missing > 0; pass++) {
    const next = frontier.slice();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (frontier[i]) continue;
        let r = 0;
        let g = 0;
        let b = 0;
        let c = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= height) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= width) continue;
            const j = yy * width + xx;
            if (!frontier[j]) continue;
            r += out[j * 4];
            g += out[j * 4 + 1];
            b += out[j * 4 + 2];
            c++;
          }
        }
        if (c > 0) {
          out[i * 4] = Math.round(r / c);
          out[i * 4 + 1] = Math.round(g / c);
          out[i * 4 + 2] = Math.round(b / c);
          next[i] = 1;
          missing--;
        }
      }
    }
    frontier = next;
  }
  if (missing > 0) {
    // Far from any visible pixel: the colour hardly matters, so use the mean of the visible ones.
    const mean = [0, 0, 0];
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (!known[i]) continue;
      for (let k = 0; k < 3; k++) mean[k] += data[i * 4 + k];
      c++;
    }
    for (let i = 0; i < n; i++) {
      if (frontier[i]) continue;
      for (let k = 0; k < 3; k++) out[i * 4 + k] = Math.round(mean[k] / c);
    }
  }
  return { data: out, width, height, channels };
}
