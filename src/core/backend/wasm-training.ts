import { tf } from '../tf.js';
import { conv2dBackpropFilterWasmConfig } from '../kernels/conv2d-backprop-filter.js';
import { makeConv2dBackpropInputWasmConfig } from '../kernels/conv2d-backprop-input.js';
import { depthToSpaceGradConfig } from '../kernels/depth-to-space-grad.js';
import { resizeBilinearGradWasmConfig } from '../kernels/resize-bilinear-grad.js';
import { resizeNearestNeighborGradWasmConfig } from '../kernels/resize-nearest-neighbor-grad.js';

let registered = false;

/**
 * Registers what training needs and TF.js 4.22's wasm backend lacks: Conv2DBackpropFilter, a faster
 * Conv2DBackpropInput (XNNPACK instead of the backend's C++ loop, which it keeps for strides > 2), resize
 * gradients that honour halfPixelCenters, and the DepthToSpace gradient (missing on every backend). Idempotent; `selectBackend('wasm')` calls it.
 *
 * Threads: the wasm backend disables its threaded-SIMD build in Node (WASM_HAS_MULTITHREAD_SUPPORT is false
 * when IS_NODE), so Node runs on one thread whatever `setThreadsCount` says. Browsers get threads only with
 * cross-origin isolation (SharedArrayBuffer); the backend then uses navigator.hardwareConcurrency threads.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined)
    tf.registerKernel(conv2dBackpropFilterWasmConfig);
  const native = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (native !== undefined) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(makeConv2dBackpropInputWasmConfig(native));
  for (const config of [resizeBilinearGradWasmConfig, resizeNearestNeighborGradWasmConfig]) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  if (tf.getGradient('DepthToSpace') === undefined) tf.registerGradient(depthToSpaceGradConfig);
}

/** Whether `registerWasmTrainingKernels` has run. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
