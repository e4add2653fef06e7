import jpeg from 'jpeg-js';
import { clamp01, floatImageFromPixels, floatImageToPixels, type FloatImage } from './float-image.js';

/**
 * Encodes to a baseline JPEG at `quality` (1-100) with jpeg-js (a real codec: 4:2:0 chroma subsampling, DCT
 * quantisation, the IJG tables) and decodes it back. Clamps to [0, 1] and rounds to 8 bits first, as any file
 * would. Runs in browsers too (see withBufferShim).
 */
export function jpegCompress(img: FloatImage, quality: number): FloatImage {
  const { bytes } = jpegRoundTrip(img, quality);
  return bytes;
}

/** Like {@link jpegCompress}, also returning the encoded size (for tests and statistics). */
export function jpegRoundTrip(
  img: FloatImage,
  quality: number,
): { bytes: FloatImage; encodedLength: number } {
  const px = floatImageToPixels(clamp01({ ...img, data: img.data.slice() }));
  const rgba = new Uint8Array(px.width * px.height * 4);
  for (let i = 0, j = 0; i < px.data.length; i += 3, j += 4) {
    rgba[j] = px.data[i];
    rgba[j + 1] = px.data[i + 1];
    rgba[j + 2] = px.data[i + 2];
    rgba[j + 3] = 255;
  }
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const encoded = withBufferShim(
    () => jpeg.encode({ data: rgba, width: px.width, height: px.height }, q).data,
  );
  const decoded = jpeg.decode(encoded, { useTArray: true, formatAsRGBA: true });
  const back = floatImageFromPixels({
    data: decoded.data,
    width: decoded.width,
    height: decoded.height,
    channels: 4,
  });
  return { bytes: back, encodedLength: encoded.length };
}

/**
 * jpeg-js's encoder ends with `Buffer.from(bytes)` whenever `module` exists, which is the case inside a bundler's
 * CommonJS wrapper in a browser, where there is no Buffer. Where Buffer is missing we lend a minimal one for the
 * duration of the (synchronous) call, so nothing else can observe it.
 */
function withBufferShim<T>(f: () => T): T {
  const g = globalThis as { Buffer?: unknown };
  if (g.Buffer !== undefined) return f();
  g.Buffer = { from: (bytes: ArrayLike<number>) => Uint8Array.from(bytes) };
  try {
    return f();
  } finally {
    delete g.Buffer;
  }
}
