import { ModelLoadError } from '../../errors.js';
import { float16ToFloat32 } from './float16.js';

/** Storage tags ncnn writes before a tagged ("auto" type) weight blob. */
export const NCNN_TAG_FP16 = 0x01306b47;
export const NCNN_TAG_INT8 = 0x000d4b38;
export const NCNN_TAG_FP32 = 0x0002c056;

/** How a tagged blob was stored in the `.bin`, so a converter can keep fp16 storage where it was fp16. */
export type NcnnStorage = 'float16' | 'float32' | 'int8' | 'quantized-uint8';

/** Values read from an ncnn `.bin`, widened to float32, plus how they were stored. */
export interface NcnnBlob {
  readonly values: Float32Array;
  readonly storage: NcnnStorage;
}

/**
 * Sequential reader for an ncnn `.bin`, mirroring ncnn's ModelBinFromDataReader:
 * - `readTagged(n)` (ncnn type 0, used for convolution weights): a 4-byte tag, then
 *   fp16 (0x01306B47), int8 (0x000D4B38), fp32 with the tag 0x0002C056, fp32 after a zero tag, or, for any other
 *   non-zero tag, a 256-entry float table followed by n uint8 indices; every blob is padded to 4 bytes;
 * - `readRaw(n)` (ncnn type 1, used for biases and PReLU slopes): n little-endian fp32 with no tag.
 * Throws ModelLoadError when the file ends early. Pure TS (no Node built-ins) so it also runs in the browser.
 */
export class NcnnWeightReader {
  private readonly view: DataView;
  private pos = 0;

  constructor(buffer: ArrayBuffer | ArrayBufferView) {
    this.view = ArrayBuffer.isView(buffer)
      ? new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
      : new DataView(buffer);
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.view.byteLength - this.pos;
  }

  /** Reads `count` raw little-endian float32 values (ncnn type 1). */
  readRaw(count: number): Float32Array {
    this.need(count * 4, `${count} raw float32 values`);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat32(this.pos + 4 * i, true);
    this.pos += count * 4;
    return out;
  }

  /** Reads one tagged blob of `count` values (ncnn type 0). */
  readTagged(count: number): NcnnBlob {
    this.need(4, 'a storage tag');
    const tag = this.view.getUint32(this.pos, true);
    const tagAt = this.pos;
    this.pos += 4;
    if (tag === NCNN_TAG_FP16) {
      this.need(align4(count * 2), `${count} float16 values`);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = float16ToFloat32(this.view.getUint16(this.pos + 2 * i, true));
      this.pos += align4(count * 2);
      return { values: out, storage: 'float16' };
    }
    if (tag === NCNN_TAG_INT8) {
      this.need(align4(count), `${count} int8 values`);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = this.view.getInt8(this.pos + i);
      this.pos += align4(count);
      return { values: out, storage: 'int8' };
    }
    if (tag === NCNN_TAG_FP32 || tag === 0) {
      return { values: this.readRaw(count), storage: 'float32' };
    }
    // Any other non-zero tag: a 256-float lookup table then one uint8 index per value.
    this.need(
      256 * 4 + align4(count),
      `a quantization table and ${count} indices (tag 0x${hex(tag)} at ${tagAt})`,
    );
    const table = this.readRaw(256);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = table[this.view.getUint8(this.pos + i)];
    this.pos += align4(count);
    return { values: out, storage: 'quantized-uint8' };
  }

  private need(bytes: number, what: string): void {
    if (this.pos + bytes > this.view.byteLength) {
      throw new ModelLoadError(
        `ncnn .bin is truncated: needed ${what} (${bytes} bytes) at offset ${this.pos}, ` +
          `but the file has ${this.view.byteLength} bytes`,
      );
    }
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
