import { tf } from '../tf.js';
import { WasmKernelScope } from './wasm-kernel-scope.js';

type TensorInfo = tf.TensorInfo;

/** Geometry of one spatial axis of a forward convolution. */
export interface ConvAxis {
  /** Input size. */
  inSize: number;
  /** Output size. */
  outSize: number;
  filterSize: number;
  stride: number;
  dilation: number;
  /** Zero padding before the first input element. */
  padBefore: number;
}

/**
 * dW of an NHWC convolution on the wasm backend's XNNPACK kernels: for stride 1 one matmul over an im2col
 * matrix (see `viaMatMul`), otherwise (or when that matrix would pass `MAX_IM2COL_FLOATS`) one convolution:
 *
 * dW[kh,kw,ci,co] = sum over n,h,w of xpad[n, h*s + kh*d, w*s + kw*d, ci] * dy[n,h,w,co]. That is a convolution
 * of x with channels moved to the batch axis ([ci,H,W,N]) by dy used as a filter ([Ho,Wo,N,co]), with the
 * forward stride as its dilation and the forward dilation as its stride; its output [ci,KH,KW,co] is transposed
 * to [KH,KW,ci,co]. Measured on this 2-core machine (64x64x64 -> 64, 3x3, one thread, quiet): 18 ms against
 * 7 ms for the forward conv. (A BatchMatMul with transposeA, wasm's non-XNNPACK path, took ~95-195 ms.)
 */
export function conv2dBackpropFilterWasmImpl(
  scope: WasmKernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  rows: ConvAxis,
  cols: ConvAxis,
  options: { rowBlocks?: number; path?: 'auto' | 'conv' | 'matmul'; splitK?: number } = {},
): TensorInfo {
  const { rowBlocks = ROW_BLOCKS, path = 'auto', splitK = 1 } = options;
  if (path === 'matmul' && !useMatMul(x, rows, cols)) {
    throw new Error('the matmul dW path needs stride 1, dilation 1 and a bounded im2col matrix');
  }
  if (path === 'matmul' || (path === 'auto' && useMatMul(x, rows, cols)))
    return viaMatMul(scope, x, dy, rows, cols, splitK);
  if (rowBlocks > 1 && rows.outSize >= rowBlocks) return blockedRows(scope, x, dy, rows, cols, rowBlocks);
  const [n, , , ci] = x.shape;
  const co = dy.shape[3];
  const { xc, paddings } = fitToReach(
    scope,
    x,
    rows,
    cols,
    reach(rows, rows.outSize),
    reach(cols, cols.outSize),
  );
  // Moving channels to the batch axis is a plain reshape only when one of the two is 1 element wide.
  const image =
    n === 1 && ci === 1
      ? scope.reshape(xc, [1, xc.shape[1], xc.shape[2], 1])
      : scope.transpose(xc, [3, 1, 2, 0]);
  const filter =
    n === 1 ? scope.reshape(dy, [dy.shape[1], dy.shape[2], 1, co]) : scope.transpose(dy, [1, 2, 0, 3]);
  const conv = convOverTaps(scope, image, filter, rows, cols, rows.stride, paddings);
  return scope.keep(tapsFirst(scope, conv, rows, cols));
}

/** The input rows (or columns) `outSize` outputs read, padding included: up to where the last tap reaches. */
function reach(axis: ConvAxis, outSize: number): number {
  return (outSize - 1) * axis.stride + (axis.filterSize - 1) * axis.dilation + 1;
}

/**
 * x cropped at the bottom / right to the rows and columns the taps reach (`needH` x `needW` once padded), and
 * the NHWC zero paddings that complete it: `padBefore` before, whatever is still missing after.
 */
function fitToReach(
  scope: WasmKernelScope,
  x: TensorInfo,
  rows: ConvAxis,
  cols: ConvAxis,
  needH: number,
  needW: number,
): { xc: TensorInfo; paddings: [number, number][] } {
  const padBottom = needH - rows.padBefore - rows.inSize;
  const padRight = needW - cols.padBefore - cols.inSize;
  return {
    xc: scope.cropNhwc(x, 0, padBottom, 0, padRight),
    paddings: [
      [0, 0],
      [rows.padBefore, Math.max(0, padBottom)],
      [cols.padBefore, Math.max(0, padRight)],
      [0, 0],
    ],
  };
}

/** Zero-pads `x` by `paddings` (NHWC); returns `x` itself when they are all zero. */
function padZeros(scope: WasmKernelScope, x: TensorInfo, paddings: [number, number][]): TensorInfo {
  if (paddings.every(([before, after]) => before === 0 && after === 0)) return x;
  return scope.run('PadV2', { x }, { paddings, constantValue: 0 });
}

/**
 * The dW convolution: `image` [ci, H, W, taps] by `filter` [Ho, Wo, taps, co], with the forward dilation as its
 * stride and the forward stride (times any row phases, `rowDilation`) as its dilation. Gives [ci, KH, KW, co].
 */
function convOverTaps(
  scope: WasmKernelScope,
  image: TensorInfo,
  filter: TensorInfo,
  rows: ConvAxis,
  cols: ConvAxis,
  rowDilation: number,
  pad: [number, number][] | 'valid',
): TensorInfo {
  return scope.run(
    'Conv2D',
    { x: image, filter },
    {
      strides: [rows.dilation, cols.dilation],
      dilations: [rowDilation, cols.stride],
      pad,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    },
  );
}

/** [ci, KH, KW, co] -> dW's [KH, KW, ci, co]. */
function tapsFirst(scope: WasmKernelScope, conv: TensorInfo, rows: ConvAxis, cols: ConvAxis): TensorInfo {
  const [ci, , , co] = conv.shape;
  return ci === 1
    ? scope.reshape(conv, [rows.filterSize, cols.filterSize, 1, co])
    : scope.transpose(conv, [1, 2, 0, 3]);
}

/**
 * XNNPACK convolves best with several input channels per filter tap; the plain formulation above has N
 * (usually 1). Splitting dy's rows into `b` interleaved phases (h = b*hb + hi) and moving the phase to the
 * channel axis gives b*N channels per tap: the image becomes b row-shifted copies of x and the filter a
 * reshape + transpose of dy, with dilation b*stride along the rows. Costs b copies of x.
 */
export const ROW_BLOCKS = 3;

function blockedRows(
  scope: WasmKernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  rows: ConvAxis,
  cols: ConvAxis,
  b: number,
): TensorInfo {
  const [n, , , ci] = x.shape;
  const [, ho, wo, co] = dy.shape;
  const hb = Math.ceil(ho / b);
  // dy rows padded to b*hb (the extra rows are zeros, so the extra input rows they meet do not matter).
  const dyp = padZeros(scope, dy, [
    [0, 0],
    [0, hb * b - ho],
    [0, 0],
    [0, 0],
  ]);
  const filter = scope.reshape(scope.transpose(scope.reshape(dyp, [n, hb, b, wo, co]), [1, 3, 2, 0, 4]), [
    hb,
    wo,
    b * n,
    co,
  ]);
  // Zero-padded x covering every row/column the taps reach.
  const needW = reach(cols, cols.outSize);
  const { xc, paddings } = fitToReach(scope, x, rows, cols, reach(rows, hb * b), needW);
  const xp = padZeros(scope, xc, paddings);
  // Phase hi reads rows hi*stride + j; its copy is `len` rows long.
  const len = (hb - 1) * b * rows.stride + (rows.filterSize - 1) * rows.dilation + 1;
  const shifts: TensorInfo[] = [];
  for (let hi = 0; hi < b; hi++) {
    shifts.push(
      scope.run('Slice', { x: xp }, { begin: [0, hi * rows.stride, 0, 0], size: [n, len, needW, ci] }),
    );
  }
  const stacked = scope.run('Concat', shifts, { axis: 0 });
  const image = scope.transpose(stacked, [3, 1, 2, 0]); // [ci, len, needW, b*n], channel index hi*n + n
  const conv = convOverTaps(scope, image, filter, rows, cols, b * rows.stride, 'valid');
  return scope.keep(tapsFirst(scope, conv, rows, cols));
}

/** Largest im2col matrix (floats) the matmul path may build: 64 MB. */
export const MAX_IM2COL_FLOATS = 16 * 2 ** 20;

/** Stride 1 and dilation 1 on both axes: the im2col matrix is a set of shifted copies of x. */
export function isUnitConv(rows: ConvAxis, cols: ConvAxis): boolean {
  return rows.stride === 1 && cols.stride === 1 && rows.dilation === 1 && cols.dilation === 1;
}

/** Floats of the im2col matrix of one image of x. */
export function im2colFloatsPerImage(x: TensorInfo, rows: ConvAxis, cols: ConvAxis): number {
  return rows.outSize * cols.outSize * rows.filterSize * cols.filterSize * x.shape[3];
}

/** Stride 1, dilation 1 and a column matrix of bounded size: the matmul formulation applies. */
export function useMatMul(x: TensorInfo, rows: ConvAxis, cols: ConvAxis): boolean {
  return isUnitConv(rows, cols) && x.shape[0] * im2colFloatsPerImage(x, rows, cols) <= MAX_IM2COL_FLOATS;
}

/**
 * dW = cols^T-as-rows x dy: one plain BatchMatMul (XNNPACK, no transposed operand) of the transposed im2col
 * matrix [(kh, kw, ci), (n, h, w)] by dy [(n, h, w), co], whose [KH*KW*ci, co] result is already dW's layout.
 * The matrix is built from x with channels first ([ci, N, Hp, Wp], one Transpose), one Slice per tap (rows of
 * Wo contiguous floats) and one Concat; a 1x1 kernel needs only the Transpose. Measured with the cores shared
 * (load ~8, medians of 9, ms, this path vs the convolution one; same results to 1e-6): 3x3 64->64 at 64x64:
 * 26.8 vs 32.1; 3->64: 0.8 vs 1.7; 64->48: 21.0 vs 23.0; 1x1 64->64: 1.2 vs 8.9; 3x3 32->64 at 128x128:
 * 59 vs 78; 5x5 64->192 at 31x31: 41 vs 45; 3x3 192->384 at 15x15: 21 vs 31. So it is the default for stride 1.
 *
 * `splitK` > 1 (a divisor of N*Ho*Wo) cuts the reduction over positions into that many chunks, multiplied as one
 * batch ([splitK, taps, P/splitK] by [splitK, P/splitK, co], one Transpose to get there) and summed: for GPUs,
 * whose matmul gives one workgroup per output tile, and a dW's output is a few tiles (see
 * conv2d-backprop-filter-webgpu.ts).
 */
function viaMatMul(
  scope: WasmKernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  rows: ConvAxis,
  cols: ConvAxis,
  splitK = 1,
): TensorInfo {
  const [n, , , ci] = x.shape;
  const [, ho, wo, co] = dy.shape;
  const kh = rows.filterSize;
  const kw = cols.filterSize;
  const { xc, paddings } = fitToReach(scope, x, rows, cols, reach(rows, ho), reach(cols, wo));
  const padded = padZeros(scope, xc, paddings);
  const xt = scope.transpose(padded, [3, 0, 1, 2]); // [ci, N, Hp, Wp]
  const p = n * ho * wo;
  let colsT: TensorInfo;
  if (kh === 1 && kw === 1) {
    colsT = scope.reshape(xt, [ci, p]);
  } else {
    const taps: TensorInfo[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const tap = scope.run('Slice', { x: xt }, { begin: [0, 0, i, j], size: [ci, n, ho, wo] });
        taps.push(scope.reshape(tap, [ci, p]));
      }
    }
    colsT = scope.run('Concat', taps, { axis: 0 });
  }
  const taps = kh * kw * ci;
  if (splitK > 1) {
    if (p % splitK !== 0) throw new Error(`splitK ${splitK} does not divide the ${p} positions`);
    const chunk = p / splitK;
    const a = scope.transpose(scope.reshape(colsT, [taps, splitK, chunk]), [1, 0, 2]);
    const partial = scope.run(
      'BatchMatMul',
      { a, b: scope.reshape(dy, [splitK, chunk, co]) },
      { transposeA: false, transposeB: false },
    );
    const dw = scope.run('Sum', { x: partial }, { axis: [0], keepDims: false });
    return scope.keep(scope.reshape(dw, [kh, kw, ci, co]));
  }
  const dw = scope.run(
    'BatchMatMul',
    { a: colsT, b: scope.reshape(dy, [p, co]) },
    { transposeA: false, transposeB: false },
  );
  return scope.keep(scope.reshape(dw, [kh, kw, ci, co]));
}

/** The arguments TF.js passes a kernel function. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/** A Conv2DBackpropFilter call's inputs, data format and two spatial axes (dilation 1, as TF.js's dW assumes). */
export function backpropFilterProblem(args: KernelArgs): {
  x: TensorInfo;
  dy: TensorInfo;
  dataFormat: string;
  rows: ConvAxis;
  cols: ConvAxis;
} {
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
  return {
    x,
    dy,
    dataFormat,
    rows: axis(info.inHeight, info.outHeight, info.filterHeight, info.strideHeight, 1, info.padInfo.top),
    cols: axis(info.inWidth, info.outWidth, info.filterWidth, info.strideWidth, 1, info.padInfo.left),
  };
}

function conv2dBackpropFilterWasm(args: KernelArgs): TensorInfo {
  const { x, dy, dataFormat, rows, cols } = backpropFilterProblem(args);
  if (dataFormat !== 'NHWC') {
    throw new Error(`Conv2DBackpropFilter on wasm supports dataFormat NHWC only; got ${dataFormat}`);
  }
  const scope = new WasmKernelScope(args.backend);
  try {
    return conv2dBackpropFilterWasmImpl(scope, x, dy, rows, cols);
  } finally {
    scope.dispose();
  }
}

export function axis(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  dilation: number,
  padBefore: number,
): ConvAxis {
  return { inSize, outSize, filterSize, stride, dilation, padBefore };
}

/** Conv2DBackpropFilter for the wasm backend (which has none), built on its XNNPACK Conv2D. */
export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as tf.KernelFunc,
};
