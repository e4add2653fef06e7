// Helpers for comparing our Real-ESRGAN presets with the golden outputs of the ncnn binary (Node only: sharp, fs).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { tf } from '../../../src/core/tf.js';
import type { Pixels } from '../../../src/core/pixels.js';

export const REFERENCE_DIR = resolve(import.meta.dirname, '../../fixtures/reference');
export const MODELS_DIR = resolve(import.meta.dirname, '../../../models');

/** Fixture names (inputs `<name>.png`, outputs `<name>.<preset id>.png`), made by scripts/make-reference-outputs.ts. */
export const REFERENCE_FIXTURES = ['sample-crop-40x28', 'sample-crop-32x32', 'pattern-36x30'] as const;

/**
 * The ncnn binary reflect-pads every tile by 10 LR pixels (realesrgan_preproc.comp: `abs()` mirroring, edge not
 * repeated) and crops the x4 result; we do the same so the comparison holds right up to the image edge.
 */
export const NCNN_PREPADDING = 10;

/** Why a weights-dependent test is skipped, or false when the converted weights are present. */
export function skipUnlessConverted(id: string): string | false {
  return existsSync(join(MODELS_DIR, id, 'weights.json')) && existsSync(join(MODELS_DIR, id, 'weights.bin'))
    ? false
    : `converted weights for ${id} are absent under models/; run npm run build (scripts/setup-models.ts)`;
}

/** Decodes a PNG into 3-channel Pixels. */
export async function readPng(path: string): Promise<Pixels> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

/**
 * Runs `predict` the way the ncnn binary does: RGB/255, reflect-pad by `pad`, forward, crop, clamp, round to bytes.
 * Disposes everything it makes.
 */
export async function upscaleLikeNcnn(
  predict: (x: tf.Tensor4D) => tf.Tensor4D,
  input: Pixels,
  scale: number,
  pad = NCNN_PREPADDING,
): Promise<Pixels> {
  const out = tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(input.data), [1, input.height, input.width, 3]).div(255);
    const padded =
      pad > 0
        ? tf.mirrorPad(
            x,
            [
              [0, 0],
              [pad, pad],
              [pad, pad],
              [0, 0],
            ],
            'reflect',
          )
        : x;
    const y = predict(padded as tf.Tensor4D);
    const cropped = tf.slice(
      y,
      [0, pad * scale, pad * scale, 0],
      [1, input.height * scale, input.width * scale, 3],
    );
    return tf.round(tf.mul(tf.clipByValue(cropped, 0, 1), 255));
  });
  const data = Uint8Array.from(await out.data());
  out.dispose();
  return { data, width: input.width * scale, height: input.height * scale, channels: 3 };
}
