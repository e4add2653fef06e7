import { tf } from '../tf.js';
import {
  backpropFilterProblem,
  conv2dBackpropFilterWasmImpl,
  useMatMul,
  type KernelArgs,
} from './conv2d-backprop-filter.js';
import { WasmKernelScope } from './wasm-kernel-scope.js';

/**
 * Conv2DBackpropFilter for the webgpu backend as one BatchMatMul over an im2col matrix (the formulation of the wasm
 * kernel's `viaMatMul`: transposed taps [(kh, kw, ci), (n, h, w)] times dy [(n, h, w), co]) wherever it applies
 * (stride 1, dilation 1, NHWC, matrix under 64 MB), else TF.js's own kernel. TF.js 4.22's webgpu dW is one thread
 * per filter element looping over every output position (no tiling, a 9,216-long serial loop for a default
 * adaptation batch), which was 56 % of a default step's time on SwiftShader; its matmul is tiled.
 */
export function makeConv2dBackpropFilterWebGpuConfig(native: tf.KernelConfig | undefined): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'webgpu',
    kernelFunc: ((args: KernelArgs) => {
      const { x, dy, dataFormat, rows, cols } = backpropFilterProblem(args);
      if (dataFormat !== 'NHWC' || !useMatMul(x, rows, cols)) {
        if (!native) throw new Error('webgpu has no Conv2DBackpropFilter for this convolution');
        return native.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
      }
      const scope = new WasmKernelScope(args.backend, 'webgpu');
      try {
        return conv2dBackpropFilterWasmImpl(scope, x, dy, rows, cols, { path: 'matmul' });
      } finally {
        scope.dispose();
      }
    }) as tf.KernelFunc,
  };
}
