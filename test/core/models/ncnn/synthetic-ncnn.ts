// Builds tiny ncnn `.bin` files byte by byte for the converter tests (no real model needed).
import { float32ToFloat16 } from '../../../../src/core/models/ncnn/float16.js';
import { NCNN_TAG_FP16, NCNN_TAG_INT8 } from '../../../../src/core/models/ncnn/ncnn-weight-reader.js';

/** Appends ncnn blobs to a growing byte list. */
export class BinWriter {
  private readonly bytes: number[] = [];

  private u32(v: number): void {
    const b = new Uint8Array(new Uint32Array([v]).buffer);
    this.bytes.push(...b);
  }

  private pad4(): void {
    while (this.bytes.length % 4 !== 0) this.bytes.push(0);
  }

  /** Type-0 blob stored as fp16 (tag 0x01306B47). */
  fp16(values: readonly number[]): this {
    this.u32(NCNN_TAG_FP16);
    for (const v of values) {
      const h = float32ToFloat16(v);
      this.bytes.push(h & 0xff, h >> 8);
    }
    this.pad4();
    return this;
  }

  /** Type-0 blob stored as fp32 after a zero tag. */
  fp32Tagged(values: readonly number[]): this {
    this.u32(0);
    return this.raw(values);
  }

  /** Type-0 blob stored as int8 (tag 0x000D4B38). */
  int8(values: readonly number[]): this {
    this.u32(NCNN_TAG_INT8);
    for (const v of values) this.bytes.push(v & 0xff);
    this.pad4();
    return this;
  }

  /** Type-0 blob quantized: a non-zero tag, a 256-float table, then uint8 indices. */
  quantized(table: readonly number[], indices: readonly number[]): this {
    this.u32(0x00000001);
    this.raw([...table, ...new Array<number>(256 - table.length).fill(0)]);
    this.bytes.push(...indices);
    this.pad4();
    return this;
  }

  /** Type-1 blob: raw fp32, no tag. */
  raw(values: readonly number[]): this {
    this.bytes.push(...new Uint8Array(new Float32Array(values).buffer));
    return this;
  }

  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** `n` values 0.25, 0.5, ... (exact in fp16), optionally offset, so every weight is distinguishable. */
export function ramp(n: number, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => offset + (i + 1) / 4);
}
