import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStage1Networks, serializeStage1 } from '../../../src/core/stage1/stage1-networks.js';
import type { Pixels } from '../../../src/core/pixels.js';

/** A tiny x2 stage-1 pair (E and R) for fast tests; `seed` picks the initialisation. */
export const tinyStage1 = (seed: number) =>
  createStage1Networks(2, {
    encoder: { channels: [4, 8], hidden: 8, embeddingDim: 8 },
    reconstructor: { width: 8, depth: 2 },
    seed,
  });

/** A smooth, textured RGB test image; `seed` varies its frequencies. */
export function syntheticPhoto(w: number, h: number, seed: number): Pixels {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++) {
    const p = Math.floor(i / 3);
    data[i] = Math.round(
      127 + 100 * Math.sin((p % w) * (0.2 + 0.07 * seed) + (i % 3)) * Math.cos((p / w) * 0.3),
    );
  }
  return { data, width: w, height: h, channels: 3 };
}

/** Writes {@link tinyStage1}(seed) as a model folder (`weights.json` + `weights.bin`) into `dir`; frees the nets. */
export async function writeTinyStage1Folder(dir: string, seed: number): Promise<void> {
  const nets = tinyStage1(seed);
  try {
    const art = await serializeStage1(nets);
    await writeFile(join(dir, 'weights.json'), JSON.stringify(art.manifest));
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(art.weightData));
  } finally {
    nets.encoder.dispose();
    nets.reconstructor.dispose();
  }
}
