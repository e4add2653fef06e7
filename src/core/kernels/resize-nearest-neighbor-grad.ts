import type { tf } from '../tf.js';
import { nearestAxisMap } from './resize-axis-map.js';
import { resizeGradKernel } from './resize-grad-kernel.js';

/**
 * ResizeNearestNeighborGrad for wasm. TF.js 4.22's wasm kernel ignores halfPixelCenters, so it sends
 * gradients to the wrong pixels whenever the scale is not an integer; this one follows the forward kernel.
 */
export const resizeNearestNeighborGradWasmConfig: tf.KernelConfig = {
  kernelName: 'ResizeNearestNeighborGrad',
  backendName: 'wasm',
  kernelFunc: resizeGradKernel(nearestAxisMap),
};
