import { BridgeError } from '../../bridge-error.js';
import { MAX_IMAGE_SIDE, type RgbaImage } from '../../protocol.js';

/** Decodes a PNG (or any browser-decodable image) into RGBA with the browser's decoder. */
export async function decodePng(bytes: ArrayBuffer): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
  try {
    if (bitmap.width > MAX_IMAGE_SIDE || bitmap.height > MAX_IMAGE_SIDE) {
      throw new BridgeError(
        'PROTOCOL',
        `image ${bitmap.width}x${bitmap.height} exceeds ${MAX_IMAGE_SIDE} px a side`,
      );
    }
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, data: data.buffer as ArrayBuffer };
  } finally {
    bitmap.close();
  }
}

/** Encodes RGBA as a PNG data URI (what Photopea's app.open takes). */
export async function encodePngDataUri(image: RgbaImage): Promise<string> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas
    .getContext('2d')!
    .putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(bin)}`;
}
