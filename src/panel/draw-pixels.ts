import type { Pixels } from '../core/index.js';

/** Converts Pixels (RGB or RGBA) to ImageData, filling alpha with 255 for RGB. */
export function pixelsToImageData(p: Pixels): ImageData {
  const rgba: Uint8ClampedArray<ArrayBuffer> = new Uint8ClampedArray(p.width * p.height * 4);
  if (p.channels === 4) rgba.set(p.data);
  else {
    for (let i = 0, j = 0; i < p.width * p.height; i++, j += 3) {
      rgba[4 * i] = p.data[j];
      rgba[4 * i + 1] = p.data[j + 1];
      rgba[4 * i + 2] = p.data[j + 2];
      rgba[4 * i + 3] = 255;
    }
  }
  return new ImageData(rgba, p.width, p.height);
}

/** Sizes `canvas` to the image and paints it (1 canvas pixel per image pixel; CSS does the scaling). */
export function drawPixels(canvas: HTMLCanvasElement, p: Pixels): void {
  canvas.width = p.width;
  canvas.height = p.height;
  canvas.getContext('2d')?.putImageData(pixelsToImageData(p), 0, 0);
}
