import jpeg from 'jpeg-js';
import { clamp01, floatImageFromPixels, floatImageToPixels, type FloatImage } from './float-image.js';

/**
 * Encodes to a baseline JPEG at `quality` (1-100) with jpeg-js (a real codec: 4:2:0 chroma subsampling, DCT
 * quantisation, the IJG tables) and decodes it back. Clamps to [0, 1] and rounds to 8 bits first, as any file
 * would. Note: jpeg-js returns a Node `Buffer` when bundled as CommonJS, so a browser bundle needs a Buffer shim.
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
  const encoded = jpeg.encode({ data: rgba, width: px.width, height: px.height }, q).data;
  const decoded = jpeg.decode(encoded, { useTArray: true, formatAsRGBA: true });
  const back = floatImageFromPixels({
    data: decoded.data,
    width: decoded.width,
    height: decoded.height,
    channels: 4,
  });
  return { bytes: back, encodedLength: encoded.length };
}
