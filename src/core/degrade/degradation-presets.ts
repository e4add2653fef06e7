import { addGaussianNoise, addPoissonNoise } from './add-noise.js';
import { gaussianKernel } from './blur-kernels.js';
import { filter2d } from './filter2d.js';
import { clamp01, createFloatImage, type FloatImage } from './float-image.js';
import { jpegCompress } from './jpeg-compress.js';
import type { Rng } from './prng.js';
import { resize } from './resize.js';
import { quantise, secondOrderDegradation } from './second-order-degradation.js';

/** Names of the degradation presets. */
export type DegradationPresetName = 'realesrgan' | 'bicubic' | 'blur-sigma2' | 'blur-noise-jpeg' | 'phone';

/** A named degradation: HR float image -> LR at floor(HR / scale), drawing its parameters from `rng`. */
export interface DegradationPreset {
  readonly name: DegradationPresetName;
  /** The parameter ranges, in words (shown by the CLI and the model card). */
  readonly description: string;
  apply(hr: FloatImage, scale: number, rng: Rng): FloatImage;
}

const lrSize = (hr: FloatImage, scale: number) =>
  [Math.floor(hr.width / scale), Math.floor(hr.height / scale)] as const;

const gaussianSize = (sigma: number) => 2 * Math.ceil(3 * sigma) + 1;

export const DEGRADATION_PRESETS: Readonly<Record<DegradationPresetName, DegradationPreset>> = {
  realesrgan: {
    name: 'realesrgan',
    description:
      'Real-ESRGAN x4plus second-order pipeline: 2 x (blur: iso/aniso/generalised/plateau Gaussian sigma 0.2-3 ' +
      'then 0.2-1.5, or sinc 10 %; resize area/bilinear/bicubic x0.15-1.5 then x0.3-1.2; Gaussian noise 1-30 ' +
      'then 1-25 levels or Poisson scale 0.05-3 then 0.05-2.5, 40 % grey; JPEG q30-95), final sinc 80 %',
    apply: (hr, scale, rng) => secondOrderDegradation(hr, scale, rng),
  },
  bicubic: {
    name: 'bicubic',
    description: 'antialiased bicubic downscale (MATLAB-style imresize), no randomness',
    apply: (hr, scale) => {
      const [w, h] = lrSize(hr, scale);
      return quantise(resize(hr, w, h, 'bicubic', { antialias: true }));
    },
  },
  'blur-sigma2': {
    name: 'blur-sigma2',
    description: 'isotropic Gaussian blur sigma = 2 (13 x 13), then bicubic downscale without antialiasing',
    apply: (hr, scale) => {
      const [w, h] = lrSize(hr, scale);
      const k = gaussianKernel(gaussianSize(2), { sigmaX: 2, sigmaY: 2, theta: 0 });
      return quantise(resize(filter2d(hr, k), w, h, 'bicubic'));
    },
  },
  'blur-noise-jpeg': {
    name: 'blur-noise-jpeg',
    description:
      'isotropic Gaussian blur sigma 0.2-3, bicubic downscale, colour Gaussian noise 1-25 levels, JPEG q30-95',
    apply: (hr, scale, rng) => {
      const [w, h] = lrSize(hr, scale);
      const sigma = rng.uniform(0.2, 3);
      const k = gaussianKernel(gaussianSize(sigma), { sigmaX: sigma, sigmaY: sigma, theta: 0 });
      let out = resize(filter2d(hr, k), w, h, 'bicubic');
      out = addGaussianNoise(out, rng, rng.uniform(1, 25) / 255, false);
      return quantise(jpegCompress(out, rng.uniform(30, 95)));
    },
  },
  phone: {
    name: 'phone',
    description:
      'camera-phone-like: Gaussian blur sigma 0.6-1.8 HR px, area downscale, Poisson-Gaussian sensor noise ' +
      '(shot scale 0.25-1, read 1-4 levels) correlated by demosaicing (3x3 blur of the noise), unsharp-mask ' +
      'sharpening amount 0-1 (halos), JPEG q45-80',
    apply: (hr, scale, rng) => phoneDegradation(hr, scale, rng),
  },
};

/**
 * A phone pipeline, in the order a camera applies it: optics blur, sensor sampling (area), shot + read noise on
 * the raw signal, demosaicing (spreads each pixel's noise to its neighbours, so it is not white), the ISP's
 * sharpening (halos on edges and amplified grain), then JPEG. Real phone LR is mild blur plus this correlated
 * grain, which neither the Real-ESRGAN pipeline (white noise) nor blur-noise-jpeg models.
 */
function phoneDegradation(hr: FloatImage, scale: number, rng: Rng): FloatImage {
  const [w, h] = lrSize(hr, scale);
  const sigma = rng.uniform(0.6, 1.8);
  const k = gaussianKernel(gaussianSize(sigma), { sigmaX: sigma, sigmaY: sigma, theta: 0 });
  const clean = resize(filter2d(hr, k), w, h, 'area');
  const noise = createFloatImage(w, h);
  const shot = rng.uniform(0.25, 1);
  const read = rng.uniform(1, 4) / 255;
  const noisy = addPoissonNoise(addGaussianNoise(copyFloatImage(clean), rng, read, false), rng, shot, false);
  for (let i = 0; i < noise.data.length; i++) noise.data[i] = noisy.data[i] - clean.data[i];
  const demosaic = gaussianKernel(3, { sigmaX: 0.6, sigmaY: 0.6, theta: 0 });
  const grain = filter2d(noise, demosaic);
  const raw = createFloatImage(w, h);
  // The 3x3 blur lowers the noise's std by ~2x; scale back so the chosen levels are what the pixels carry.
  for (let i = 0; i < raw.data.length; i++) raw.data[i] = clean.data[i] + 2 * grain.data[i];
  const amount = rng.uniform(0, 1);
  const soft = filter2d(raw, gaussianKernel(5, { sigmaX: 1, sigmaY: 1, theta: 0 }));
  for (let i = 0; i < raw.data.length; i++) raw.data[i] += amount * (raw.data[i] - soft.data[i]);
  return quantise(jpegCompress(clamp01(raw), rng.uniform(45, 80)));
}

function copyFloatImage(img: FloatImage): FloatImage {
  return { data: Float32Array.from(img.data), width: img.width, height: img.height };
}

export const DEGRADATION_PRESET_NAMES = Object.keys(DEGRADATION_PRESETS) as DegradationPresetName[];

export function isDegradationPresetName(name: string): name is DegradationPresetName {
  return (DEGRADATION_PRESET_NAMES as string[]).includes(name);
}
