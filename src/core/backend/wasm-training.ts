import { tf } from '../tf.js';
import {
  conv2dBackpropFilterWasmConfig,
  makeConv2dBackpropInputWasmConfig,
  depthToSpaceGradConfig,
  resizeBilinearGradWasmConfig,
  resizeNearestNeighborGradWasmConfig,
} from '../kernels/index.js';

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
 * Threads (measured here, 2-core machine shared with other jobs, load average 11-14):
 * - Node: TF.js's wasm backend never uses threads (WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false when
 *   IS_NODE, tfjs issue 3830); forcing the flag fails because Node's worker_threads cannot load the blob: URL
 *   emscripten spawns its pthread workers from. So `setThreadsCount` does nothing and a Node step uses one core.
 * - Browsers and workers: the threaded-SIMD build loads with cross-origin isolation (COOP/COEP headers, so
 *   SharedArrayBuffer exists); checked in headless Chromium, page and module worker, training steps included.
 *   XNNPACK's pool is capped at navigator.hardwareConcurrency / 2 (tfjs assumes 2 hyperthreads per core), so
 *   a 2-logical-core machine like this one gets 1 thread whatever `setThreadsCount` asks. With the cap lifted
 *   (hardwareConcurrency spoofed to 4, for the measurement only), x4v3 at 64x64 LR: 1 thread forward
 *   734 / 767 ms, step 3058 / 3601 ms; 2 threads forward 1133 / 924 ms, step 3273 / 3099 ms (medians, two
 *   runs each): no gain while the cores are shared. Our composite kernels run on XNNPACK's Conv2D, so they use
 *   whatever threads the backend has; the JS resize-gradient loops stay on the calling thread.
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
