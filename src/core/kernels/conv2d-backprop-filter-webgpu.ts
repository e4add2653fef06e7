import { tf } from '../tf.js';
import {
  backpropFilterProblem,
  conv2dBackpropFilterWasmImpl,
  im2colFloatsPerImage,
  isUnitConv,
  MAX_IM2COL_FLOATS,
  type ConvAxis,
  type KernelArgs,
} from './conv2d-backprop-filter.js';
import { WasmKernelScope } from './wasm-kernel-scope.js';

/** Workgroups the dW matmul should reach: a few per multiprocessor of a large GPU (an H200 has 132). */
const TARGET_WORKGROUPS = 1024;
/** Shortest reduction chunk worth a batch entry of its own. */
const MIN_CHUNK = 256;

/**
 * How many chunks to cut dW's reduction into (see conv2d-backprop-filter.ts, viaMatMul's splitK): TF.js's matmul runs one workgroup per
 * 32 x 32 output tile, and a dW's output is a few tiles (a 3x3 64->64 conv: 576 x 64, 36 tiles) while its
 * reduction runs over every position of the batch (9,216 for the default 4 x 48 x 48), so without chunks 36
 * workgroups each loop 9,216 times. On an H200 that ran at 394 GFLOPS (209 at 16 crops) against 3-14 TFLOPS for
 * the same step's forward convolutions (bench/step-profile.ts); chunks bring it to the matmul's own rate.
 * Powers of two that divide the positions; 1 where the matmul has enough tiles already.
 */
export function splitKFor(taps: number, co: number, positions: number): number {
  const tiles = Math.ceil(taps / 32) * Math.ceil(co / 32);
  let s = 1;
  while (tiles * s < TARGET_WORKGROUPS && positions % (2 * s) === 0 && positions / (2 * s) >= MIN_CHUNK)
    s *= 2;
  return s;
}

/**
 * Conv2DBackpropFilter for the webgpu backend as one BatchMatMul over an im2col matrix (the formulation of the wasm
 * kernel's `viaMatMul`: transposed taps [(kh, kw, ci), (n, h, w)] times dy [(n, h, w), co], its reduction cut
 * into chunks by splitKFor) wherever it applies (stride 1, dilation 1, NHWC, matrix under 64 MB), else TF.js's own
 * kernel. TF.js 4.22's webgpu dW is one thread per filter element looping over every output position (no tiling,
 * a 9,216-long serial loop for a default adaptation batch), which was 56 % of a default step's time on
 * SwiftShader; its matmul is tiled. A batch whose matrix would pass the cap is done in groups of images, each
 * within it, and summed: at 16 crops of 48 px TF.js's kernel took 291 of a step's 341 ms of GPU time on an H200.
 * `options.splitK` fixes the chunk count (1: one matmul; for benchmarks); `options.maxIm2colFloats` the cap (tests).
 */
export function makeConv2dBackpropFilterWebGpuConfig(
  native: tf.KernelConfig | undefined,
  options: { splitK?: number; maxIm2colFloats?: number } = {},
): tf.KernelConfig {
  const maxFloats = options.maxIm2colFloats ?? MAX_IM2COL_FLOATS;
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'webgpu',
    kernelFunc: ((args: KernelArgs) => {
      const { x, dy, dataFormat, rows, cols } = backpropFilterProblem(args);
      const perGroup = Math.floor(maxFloats / im2colFloatsPerImage(x, rows, cols));
      if (dataFormat !== 'NHWC' || !isUnitConv(rows, cols) || perGroup < 1) {
        if (!native) throw new Error('webgpu has no Conv2DBackpropFilter for this convolution');
        return native.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
      }
      const scope = new WasmKernelScope(args.backend, 'webgpu');
      try {
        if (perGroup >= x.shape[0]) return chunkedMatMulDw(scope, x, dy, rows, cols, options.splitK);
        let sum: tf.TensorInfo | undefined;
        for (let n0 = 0; n0 < x.shape[0]; n0 += perGroup) {
          const n = Math.min(perGroup, x.shape[0] - n0);
          const xs = scope.run('Slice', { x }, { begin: [n0, 0, 0, 0], size: [n, ...x.shape.slice(1)] });
          const dys = scope.run(
            'Slice',
            { x: dy },
            { begin: [n0, 0, 0, 0], size: [n, ...dy.shape.slice(1)] },
          );
          const part = scope.adopt(chunkedMatMulDw(scope, xs, dys, rows, cols, options.splitK));
          sum = sum === undefined ? part : scope.run('Add', { a: sum, b: part });
        }
        return scope.keep(sum!);
      } finally {
        scope.dispose();
      }
    }) as tf.KernelFunc,
  };
}

/** The matmul dW of one batch that fits the cap, its reduction in splitKFor's chunks unless `splitK` is given. */
function chunkedMatMulDw(
  scope: WasmKernelScope,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  rows: ConvAxis,
  cols: ConvAxis,
  splitK?: number,
): tf.TensorInfo {
  const positions = x.shape[0] * rows.outSize * cols.outSize;
  const k = splitK ?? splitKFor(rows.filterSize * cols.filterSize * x.shape[3], dy.shape[3], positions);
  return conv2dBackpropFilterWasmImpl(scope, x, dy, rows, cols, { path: 'matmul', splitK: k });
}
