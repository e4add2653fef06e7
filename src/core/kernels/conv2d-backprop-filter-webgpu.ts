import { tf } from '../tf.js';
import { axis, conv2dBackpropFilterWasmImpl, useMatMul } from './conv2d-backprop-filter.js';
import { WasmKernelScope } from './wasm-kernel-scope.js';

type TensorInfo = tf.TensorInfo;

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
    kernelFunc: ((args: {
      inputs: tf.NamedTensorInfoMap;
      backend: tf.KernelBackend;
      attrs?: tf.NamedAttrMap;
    }) => {
      const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
        args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      const rows = axis(
        info.inHeight,
        info.outHeight,
        info.filterHeight,
        info.strideHeight,
        1,
        info.padInfo.top,
      );
      const cols = axis(
        info.inWidth,
        info.outWidth,
        info.filterWidth,
        info.strideWidth,
        1,
        info.padInfo.left,
      );
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
