export { createRng, type Rng, type RngState } from './prng.js';
export {
  createFloatImage,
  floatImageFromPixels,
  floatImageToPixels,
  floatImageToHwc,
  clamp01,
  type FloatImage,
} from './float-image.js';
export {
  gaussianKernel,
  generalizedGaussianKernel,
  plateauKernel,
  sincKernel,
  PULSE_KERNEL,
  type BlurKernel,
  type KernelShape,
} from './blur-kernels.js';
export {
  randomBlurKernel,
  FIRST_BLUR_RANGES,
  SECOND_BLUR_RANGES,
  type BlurStageRanges,
} from './random-blur-kernel.js';
export { filter2d, reflectIndex } from './filter2d.js';
export { resize, RESIZE_MODES, type ResizeMode, type ResizeOptions } from './resize.js';
export { addGaussianNoise, addPoissonNoise } from './add-noise.js';
export { jpegCompress, jpegRoundTrip } from './jpeg-compress.js';
export {
  secondOrderDegradation,
  DEFAULT_SECOND_ORDER_OPTIONS,
  type SecondOrderOptions,
  type DegradationOrderRanges,
} from './second-order-degradation.js';
export {
  DEGRADATION_PRESETS,
  DEGRADATION_PRESET_NAMES,
  isDegradationPresetName,
  type DegradationPreset,
  type DegradationPresetName,
} from './degradation-presets.js';
export { degradeImage, SUPPORTED_SCALES, type DegradeImageOptions } from './degrade-image.js';
