import { tf } from '../tf.js';

type TensorInfo = tf.TensorInfo;

/**
 * Runs the wasm backend's own kernels (XNNPACK / C++) from inside another kernel and frees the intermediates.
 * Kernels cannot call ops (they would be recorded on the tape), so composite kernels call kernel functions
 * directly, the way TF.js's own backends do.
 */
export class WasmKernelScope {
  private readonly temps: TensorInfo[] = [];

  /** `backendName`: whose kernels `run` calls (the composite dW also runs on webgpu's, see conv2d-backprop-filter-webgpu.ts). */
  constructor(
    private readonly backend: tf.KernelBackend,
    private readonly backendName: 'wasm' | 'webgpu' = 'wasm',
  ) {}

  /** Runs kernel `name` and tracks its output as an intermediate (use `keep` for the one to return). */
  run(
    name: string,
    inputs: Record<string, TensorInfo> | TensorInfo[],
    attrs: Record<string, unknown> = {},
  ): TensorInfo {
    const kernel = tf.getKernel(name, this.backendName);
    if (kernel === undefined) throw new Error(`${this.backendName} kernel ${name} is not registered`);
    const out = kernel.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap, // Concat takes a list
      backend: this.backend,
      attrs: attrs as tf.NamedAttrMap,
    });
    const info = Array.isArray(out) ? out[0] : out;
    this.temps.push(info);
    return info;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Crops (negative amounts) rows/cols of an NHWC tensor; returns the input when nothing is cropped. */
  cropNhwc(x: TensorInfo, top: number, bottom: number, left: number, right: number): TensorInfo {
    const t = Math.max(0, -top);
    const b = Math.max(0, -bottom);
    const l = Math.max(0, -left);
    const r = Math.max(0, -right);
    if (t + b + l + r === 0) return x;
    const [n, h, w, c] = x.shape;
    return this.run('Slice', { x }, { begin: [0, t, l, 0], size: [n, h - t - b, w - l - r, c] });
  }

  /**
   * Flips a [KH, KW, ...] filter in both spatial axes (reverses the KH*KW taps). Block copies in JS: the wasm
   * Reverse and GatherV2 kernels take 12-26 ms for a 3x3x192x384 filter, this well under 1 ms.
   */
  flipTaps(filter: TensorInfo): TensorInfo {
    const [kh, kw] = filter.shape;
    const taps = kh * kw;
    const src = this.backend.readSync(filter.dataId) as Float32Array;
    const block = src.length / taps;
    const out = new Float32Array(src.length);
    for (let t = 0; t < taps; t++) out.set(src.subarray(t * block, (t + 1) * block), (taps - 1 - t) * block);
    const info = {
      dataId: this.backend.write(out, filter.shape, 'float32'),
      shape: filter.shape,
      dtype: 'float32' as const,
    };
    this.temps.push(info);
    return info;
  }

  /** Tracks `x` (made outside `run`, e.g. a kept result of a nested implementation) as an intermediate. */
  adopt(x: TensorInfo): TensorInfo {
    this.temps.push(x);
    return x;
  }

  /** Marks `x` as the result: it is not freed with the intermediates. */
  keep(x: TensorInfo): TensorInfo {
    const i = this.temps.indexOf(x);
    if (i >= 0) this.temps.splice(i, 1);
    return x;
  }

  /** Frees every intermediate (call in `finally`). */
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}
