// Image-quality metrics for benchmarks (8-bit Pixels in, numbers out). LPIPS lives in src/core/lpips.
export { psnr, type PsnrOptions } from './psnr.js';
export { psnrY, type PsnrYOptions } from './psnr-y.js';
export { ssim, type SsimOptions } from './ssim.js';
export { rgbToY } from './rgb-to-y.js';
export { flatRegionNoise, type FlatRegionNoiseOptions } from './flat-region-noise.js';
