import sharp from 'sharp';
import { extname } from 'node:path';
import { LwayError, type Pixels } from '../core/index.js';

/** File types the CLI reads and writes (decoded and encoded by sharp). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const;
const FORMATS = new Set(['png', 'jpeg', 'webp']);

export function isImagePath(path: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/**
 * Throws UNSUPPORTED_FORMAT unless `path` ends in one of IMAGE_EXTENSIONS; `role` (e.g. "output") prefixes the
 * message.
 */
export function assertImagePath(path: string, role?: string): void {
  if (!isImagePath(path)) {
    throw new LwayError(
      'UNSUPPORTED_FORMAT',
      `${role ? `${role} ` : ''}${path}: unsupported file type "${extname(path) || '(none)'}"; allowed: ${IMAGE_EXTENSIONS.join(', ')}`,
    );
  }
}

/** Decodes a PNG/JPEG/WebP file to Pixels (RGBA when the file has alpha, else RGB). */
export async function readImage(path: string): Promise<Pixels> {
  assertImagePath(path);
  try {
    const image = sharp(path);
    const meta = await image.metadata();
    if (!meta.format || !FORMATS.has(meta.format)) {
      throw new LwayError(
        'UNSUPPORTED_FORMAT',
        `${path}: contains ${meta.format ?? 'unknown'} data; allowed: PNG, JPEG, WebP`,
      );
    }
    const pipeline = meta.hasAlpha ? image.ensureAlpha() : image.removeAlpha();
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: info.channels === 4 ? 4 : 3,
    };
  } catch (err) {
    if (err instanceof LwayError) throw err;
    throw new LwayError(
      'UNSUPPORTED_FORMAT',
      `${path}: cannot decode image (${err instanceof Error ? err.message : String(err)})`,
      { cause: err },
    );
  }
}

/** Encodes Pixels to the format named by the path's extension (.png, .jpg/.jpeg, .webp). */
export async function writeImage(path: string, pixels: Pixels): Promise<void> {
  assertImagePath(path);
  const ext = extname(path).toLowerCase();
  let image = sharp(Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
  });
  if (ext === '.png') image = image.png();
  else if (ext === '.webp') image = image.webp({ quality: 95 });
  else image = image.flatten({ background: '#ffffff' }).jpeg({ quality: 95 });
  await image.toFile(path);
}
