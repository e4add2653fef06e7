import { tf } from '../tf.js';
import { makeConv2dBackpropFilterWebGpuConfig } from '../kernels/index.js';
import { registerTrainingGradients } from './wasm-training.js';

let registered = false;

/**
 * Registers what makes training faster on TF.js 4.22's webgpu backend: a Conv2DBackpropFilter on its tiled matmul
 * (see conv2d-backprop-filter-webgpu.ts), plus the gradients every backend gets. Idempotent; `selectBackend('webgpu')`
 * calls it. Every other kernel a default adaptation step needs exists on webgpu (and on webgl) and agrees with
 * cpu within 1e-6 (test/browser/adapt-steps-cross-backend.test.ts).
 */
export function registerWebGpuTrainingKernels(): void {
  registerTrainingGradients();
  if (registered) return;
  registered = true;
  const native = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
  if (native !== undefined) tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
  tf.registerKernel(makeConv2dBackpropFilterWebGpuConfig(native));
}
