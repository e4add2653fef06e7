import { degradeImage } from '../../../src/core/degrade/degrade-image.js';
import {
  DEGRADATION_PRESET_NAMES,
  type DegradationPresetName,
} from '../../../src/core/degrade/degradation-presets.js';
import type { Pixels } from '../../../src/core/pixels.js';

/** A fixed 48x40 RGBA test pattern (smooth gradients plus fine detail, so every stage changes it). */
export function fingerprintPattern(): Pixels {
  const w = 48;
  const h = 40;
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      data[i] = (x * 5 + y * 3) & 255;
      data[i + 1] = Math.round(128 + 100 * Math.sin(x * 0.7) * Math.cos(y * 0.3));
      data[i + 2] = ((x ^ y) * 9) & 255;
      data[i + 3] = 255;
    }
  }
  return { data, width: w, height: h, channels: 4 };
}

/** FNV-1a over bytes, as 8 hex digits. */
export function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * Hash of each preset's output on the fixed pattern at x2 with seed 7: equal strings in Node and in a browser mean
 * the generator gives the same bytes in both.
 */
export function degradationFingerprint(): Record<DegradationPresetName, string> {
  const hr = fingerprintPattern();
  const out = {} as Record<DegradationPresetName, string>;
  for (const preset of DEGRADATION_PRESET_NAMES) {
    out[preset] = fnv1a(degradeImage(hr, { scale: 2, preset, seed: 7 }).data as Uint8Array);
  }
  return out;
}

/** Expected fingerprint (computed in Node by degradationFingerprint; the browser must match it). */
export const DEGRADATION_FINGERPRINT: Record<DegradationPresetName, string> = {
  realesrgan: '4a6818ab',
  bicubic: '6cb0c1f4',
  'blur-sigma2': 'f9078927',
  'blur-noise-jpeg': 'f464e36a',
  phone: 'e8b25a81',
};
