import { tf } from '../tf.js';
import type { ConvAxis } from './conv2d-backprop-filter.js';
import { WasmKernelScope } from './wasm-kernel-scope.js';

type TensorInfo = tf.TensorInfo;

/**
 * dX of an NHWC convolution as one stride-1 XNNPACK convolution on the wasm backend.
 *
 * dx[i] = sum over k of z[i + padBefore - k*d] * w[k], where z is dy with (stride - 1) zeros between its
 * elements: a correlation of the zero-upsampled dy with the spatially flipped filter, its in/out channels
 * swapped, padded so that the output has the input's size. With stride s, s^2 of its multiply-adds hit the
 * inserted zeros, so for s > 2 the wasm backend's own C++ loop (~4 GFLOPS, against ~40 for XNNPACK at s = 1)
 * is faster and the kernel hands those back to it (see `MAX_UPSAMPLED_STRIDE`). A phase split (s*s stride-1
 * convolutions with sub-filters, interleaved by one DepthToSpace) avoids the waste but measured slower still
 * (64x64, 3x3, 64->64, stride 2: 14 ms min / 52 ms median vs 8.7 / 21.5 ms upsampled; its s*s operator
 * creations and channel concat dominate), so it was dropped.
 */
export function conv2dBackpropInputWasmImpl(
  scope: WasmKernelScope,
  dy: TensorInfo,
  filter: TensorInfo,
  rows: ConvAxis,
  cols: ConvAxis,
): TensorInfo {
  const [n, ho, wo, co] = dy.shape;
  const [kh, kw, ci] = filter.shape;
  let z = dy;
  if (rows.stride > 1 || cols.stride > 1) {
    const spread = scope.reshape(dy, [n, ho, 1, wo, 1, co]);
    const padded = scope.run(
      'PadV2',
      { x: spread },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, rows.stride - 1],
          [0, 0],
          [0, cols.stride - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    z = scope.reshape(padded, [n, ho * rows.stride, wo * cols.stride, co]);
  }
  const top = (rows.filterSize - 1) * rows.dilation - rows.padBefore;
  const left = (cols.filterSize - 1) * cols.dilation - cols.padBefore;
  const bottom = rows.inSize + (rows.filterSize - 1) * rows.dilation - top - z.shape[1];
  const right = cols.inSize + (cols.filterSize - 1) * cols.dilation - left - z.shape[2];
  const zc = scope.cropNhwc(z, top, bottom, left, right);
  const flipped = scope.flipTaps(filter);
  const swapped =
    ci === 1 || co === 1 ? scope.reshape(flipped, [kh, kw, co, ci]) : scope.transpose(flipped, [0, 1, 3, 2]);
  const dx = scope.run(
    'Conv2D',
    { x: zc, filter: swapped },
    {
      strides: [1, 1],
      dilations: [rows.dilation, cols.dilation],
      pad: [
        [0, 0],
        [Math.max(0, top), Math.max(0, bottom)],
        [Math.max(0, left), Math.max(0, right)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    },
  );
  return scope.keep(dx);
}

/**
 * Above this stride the zero-upsampling wastes more than XNNPACK's speed-up over the wasm backend's own loop.
 * Measured (64x64 input, one thread, median of 5): 3x3 64->64 stride 1: 8.6 ms here vs 74 ms native; stride 2:
 * 8.5 vs 19.8 ms; stride 4: 8.1 vs 5.8 ms; 11x11 3->64 stride 4: 12.5 vs 2.8 ms.
 */
export const MAX_UPSAMPLED_STRIDE = 2;

/** Creates the kernel; `fallback` is the wasm backend's own Conv2DBackpropInput, used for large strides. */
export function makeConv2dBackpropInputWasmConfig(fallback: tf.KernelConfig | undefined): tf.KernelConfig {
  const kernelFunc = (args: {
    inputs: tf.NamedTensorInfoMap;
    backend: tf.KernelBackend;
    attrs?: tf.NamedAttrMap;
  }): TensorInfo => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const bigStride = Math.max(info.strideHeight, info.strideWidth) > MAX_UPSAMPLED_STRIDE;
    if (fallback !== undefined && (dataFormat !== 'NHWC' || bigStride)) {
      return fallback.kernelFunc(args) as TensorInfo;
    }
    if (dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropInput on wasm supports dataFormat NHWC only; got ${dataFormat}`);
    }
    const scope = new WasmKernelScope(args.backend);
    try {
      return conv2dBackpropInputWasmImpl(
        scope,
        dy,
        filter,
        {
          inSize: info.inHeight,
          outSize: info.outHeight,
          filterSize: info.filterHeight,
          stride: info.strideHeight,
          dilation: 1,
          padBefore: info.padInfo.top,
        },
        {
          inSize: info.inWidth,
          outSize: info.outWidth,
          filterSize: info.filterWidth,
          stride: info.strideWidth,
          dilation: 1,
          padBefore: info.padInfo.left,
        },
      );
    } finally {
      scope.dispose();
    }
  };
  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc };
}
