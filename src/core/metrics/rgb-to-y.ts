import { assertPixels, type Pixels } from '../pixels.js';

/**
 * Luma of an 8-bit image per ITU-R BT.601 in the "studio swing" form SR papers use (MATLAB `rgb2ycbcr`, BasicSR
 * `bgr2ycbcr(y_only=True)`): Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255 with R, G, B in [0, 255], so Y is in
 * [16, 235]. Not rounded, so PSNR-Y matches the float convention. Alpha is ignored.
 */
export function rgbToY(image: Pixels): Float64Array {
  assertPixels(image);
  const { data, width, height, channels } = image;
  const y = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const j = i * channels;
    y[i] = 16 + (65.481 * data[j] + 128.553 * data[j + 1] + 24.966 * data[j + 2]) / 255;
  }
  return y;
}
