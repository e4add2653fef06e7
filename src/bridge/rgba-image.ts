import type { RgbaImage } from './protocol.js';

/**
 * Wraps RGBA bytes as an RgbaImage for the bridge. The bytes are copied into a fresh ArrayBuffer unless the view
 * already spans its whole buffer, because the buffer is transferred (detached) when posted.
 */
export function rgbaImage(data: Uint8Array | Uint8ClampedArray, width: number, height: number): RgbaImage {
  const whole =
    data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  const buffer = whole ? (data.buffer as ArrayBuffer) : (data.slice().buffer as ArrayBuffer);
  return { width, height, data: buffer };
}
