import { pixelsToTensor, tensorToPixels } from '../image/index.js';
import type { Pixels } from '../pixels.js';
import type { SrModel } from './sr-model.js';

/**
 * `model` applied to the whole of `pixels` in one forward pass (no tiling, no context margin): what the quality
 * and grain benches score, so every method sees exactly the same input. Products upscale through `upscale()`.
 */
export async function predictPixels(model: SrModel, pixels: Pixels): Promise<Pixels> {
  const x = pixelsToTensor(pixels);
  try {
    const y = model.predict(x);
    try {
      return await tensorToPixels(y);
    } finally {
      y.dispose();
    }
  } finally {
    x.dispose();
  }
}
