import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { LwayError, type Rng, type CropSampler, type Pixels } from '../core/index.js';

const EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

interface Decoded {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Random HR crops from a folder of photos, decoded with sharp (RGB) and kept in a small LRU cache (a 768 px
 * photo is ~2 MB decoded). The image, position and flip are drawn from the trainer's RNG, so crops are
 * reproducible and a resumed run sees the same data as an uninterrupted one.
 */
export async function createTrainingCropSampler(
  dir: string,
  options: { cacheSize?: number } = {},
): Promise<{ sampler: CropSampler; files: string[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => EXTENSIONS.has(extname(n).toLowerCase())).sort();
  } catch (err) {
    throw new LwayError(
      'BAD_INPUT',
      `training data folder ${dir} cannot be read (${(err as Error).message})`,
    );
  }
  if (names.length === 0)
    throw new LwayError('BAD_INPUT', `training data folder ${dir} holds no PNG/JPEG/WebP images`);
  const files = names.map((n) => join(dir, n));
  const cacheSize = options.cacheSize ?? 48;
  const cache = new Map<number, Decoded>();

  const decode = async (i: number): Promise<Decoded> => {
    const hit = cache.get(i);
    if (hit) {
      cache.delete(i);
      cache.set(i, hit);
      return hit;
    }
    const { data, info } = await sharp(files[i]).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const img = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
    cache.set(i, img);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as number);
    return img;
  };

  const sampler = async (rng: Rng, size: number): Promise<Pixels> => {
    const img = await decode(rng.int(0, files.length - 1));
    if (img.width < size || img.height < size) {
      throw new LwayError(
        'BAD_INPUT',
        `crop ${size} is larger than a training image (${img.width}x${img.height})`,
      );
    }
    const x0 = rng.int(0, img.width - size);
    const y0 = rng.int(0, img.height - size);
    const flip = rng.next() < 0.5;
    const out = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      const src = ((y0 + y) * img.width + x0) * 3;
      if (!flip) {
        out.set(img.data.subarray(src, src + size * 3), y * size * 3);
      } else {
        for (let x = 0; x < size; x++) {
          const s = src + (size - 1 - x) * 3;
          const d = (y * size + x) * 3;
          out[d] = img.data[s];
          out[d + 1] = img.data[s + 1];
          out[d + 2] = img.data[s + 2];
        }
      }
    }
    return { data: out, width: size, height: size, channels: 3 };
  };
  return { sampler, files };
}
