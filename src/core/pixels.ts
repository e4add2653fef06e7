import { LwayError } from './errors.js';

/**
 * Core's image type: interleaved 8-bit samples, row-major, top-left origin.
 * `channels` is 3 (RGB) or 4 (RGBA, not premultiplied). Callers decode and encode files.
 */
export interface Pixels {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** Upper bound on a side so a typo cannot ask for a 10^9 pixel buffer. */
export const MAX_SIDE = 65536;

/** Validates a Pixels value at a public entry point; throws BAD_INPUT with what was received. */
export function assertPixels(p: Pixels, what = 'image'): void {
  if (p === null || typeof p !== 'object')
    throw new LwayError('BAD_INPUT', `${what} must be a Pixels object; got ${p}`);
  const { width, height, channels, data } = p;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new LwayError(
      'BAD_INPUT',
      `${what} must be at least 1x1 with integer sides; got ${width}x${height}`,
    );
  }
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw new LwayError('BAD_INPUT', `${what} sides must be at most ${MAX_SIDE}; got ${width}x${height}`);
  }
  if (channels !== 3 && channels !== 4) {
    throw new LwayError('BAD_INPUT', `${what}.channels must be 3 or 4; got ${channels}`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new LwayError('BAD_INPUT', `${what}.data must be a Uint8Array or Uint8ClampedArray`);
  }
  if (data.length !== width * height * channels) {
    throw new LwayError(
      'BAD_INPUT',
      `${what}.data has ${data.length} bytes; ${width}x${height}x${channels} needs ${width * height * channels}`,
    );
  }
}
