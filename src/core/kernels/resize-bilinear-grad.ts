import type { tf } from '../tf.js';
import { bilinearAxisMap } from './resize-axis-map.js';
import { resizeGradKernel } from './resize-grad-kernel.js';

/**
 * ResizeBilinearGrad for wasm. TF.js 4.22's wasm kernel ignores halfPixelCenters (PyTorch's
 * align_corners=False convention), giving gradients 20-140% off; this one follows the forward kernel's
 * coordinates for every flag combination.
 */
export const resizeBilinearGradWasmConfig: tf.KernelConfig = {
  kernelName: 'ResizeBilinearGrad',
  backendName: 'wasm',
  kernelFunc: resizeGradKernel(bilinearAxisMap),
};
