import type { Rect, RgbaImage } from '../../protocol.js';

/**
 * The box of an RGBA image's pixels with alpha > 0, in the image's own coordinates, or null when every pixel is
 * transparent. This is the box Photopea's `layer.bounds` reports for the layer the image becomes, so placing the
 * image means moving that box, not the image's corner.
 */
export function opaqueBox(image: RgbaImage): Rect | null {
  const { width, height } = image;
  const px = new Uint8Array(image.data);
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    for (let x = 0; x < width; x++) {
      if (px[row + x * 4 + 3] === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return right < 0 ? null : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}
