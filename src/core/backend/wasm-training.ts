import { tf } from '../tf.js';
import { conv2dBackpropFilterWasmConfig } from '../kernels/conv2d-backprop-filter.js';
import { makeConv2dBackpropInputWasmConfig } from '../kernels/conv2d-backprop-input.js';
import { depthToSpaceGradConfig } from '../kernels/depth-to-space-grad.js';
import { resizeBilinearGradWasmConfig } from '../kernels/resize-bilinear-grad.js';
import { resizeNearestNeighborGradWasmConfig } from '../kernels/resize-nearest-neighbor-grad.js';

let registered = false;

/**
 * Registers gradients TF.js 4.22 lacks on every backend (DepthToSpace, i.e. pixel shuffle). Idempotent;
 * `selectBackend` calls it for every backend, `registerWasmTrainingKernels` for wasm.
 */
export function registerTrainingGradients(): void {
  if (tf.getGradient('DepthToSpace') === undefined) tf.registerGradient(depthToSpaceGradConfig);
}

/**
 * Registers what training needs and TF.js 4.22's wasm backend lacks or gets wrong: Conv2DBackpropFilter
 * (missing), a Conv2DBackpropInput on XNNPACK (the backend's own C++ loop runs at ~4 GFLOPS; it is kept for
 * strides > 2), resize gradients that honour halfPixelCenters, and the DepthToSpace gradient. Idempotent;
 * `selectBackend('wasm')` calls it. Kernels are global registrations: they apply to every wasm backend instance.
 *
 * Threads: TF.js's wasm backend never uses threads in Node (WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false
 * when IS_NODE, tfjs issue 3830), so `setThreadsCount` has no effect there and a Node step runs on one core.
 * In browsers the threaded-SIMD build loads only with cross-origin isolation (SharedArrayBuffer: COOP/COEP
 * headers); XNNPACK then uses navigator.hardwareConcurrency threads unless `setThreadsCount` says otherwise.
 * The composite kernels here run on XNNPACK's Conv2D, so they use those threads too.
 */
export function registerWasmTrainingKernels(): void {
  registerTrainingGradients();
  if (registered) return;
  registered = true;
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) {
    tf.registerKernel(conv2dBackpropFilterWasmConfig);
  }
  const native = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (native !== undefined) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(makeConv2dBackpropInputWasmConfig(native));
  for (const config of [resizeBilinearGradWasmConfig, resizeNearestNeighborGradWasmConfig]) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}

/** Whether `registerWasmTrainingKernels` has run. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
