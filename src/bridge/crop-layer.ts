import { BridgeError } from './bridge-error.js';
import type { ActiveLayer, Rect } from './protocol.js';

/** Intersection of two rectangles, or null when they do not overlap. */
export function intersectRects(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

/** Copies `rect` (in the image's own coordinates, inside it) out of an RGBA image of `width` px rows. */
export function cropRgba(data: Uint8Array | Uint8ClampedArray, width: number, rect: Rect): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rect.width * rect.height * 4);
  for (let row = 0; row < rect.height; row++) {
    const from = ((rect.y + row) * width + rect.x) * 4;
    out.set(data.subarray(from, from + rect.width * 4), row * rect.width * 4);
  }
  return out;
}

/**
 * The part of `layer` inside `rect` (document pixels), as an ActiveLayer whose bounds and image cover just that
 * part: what a host sends when the plugin asks for a region. Returns `layer` itself when it already lies inside
 * `rect` (no copy). Throws OUTSIDE_LAYER when they do not overlap.
 */
export function cropActiveLayer(layer: ActiveLayer, rect: Rect): ActiveLayer {
  const area = intersectRects(layer.bounds, rect);
  if (!area) {
    throw new BridgeError(
      'OUTSIDE_LAYER',
      `the region (${rect.x},${rect.y} ${rect.width}x${rect.height}) does not overlap layer "${layer.name.slice(0, 80)}"`,
    );
  }
  const b = layer.bounds;
  if (area.x === b.x && area.y === b.y && area.width === b.width && area.height === b.height) return layer;
  const local = { ...area, x: area.x - b.x, y: area.y - b.y };
  const data = cropRgba(new Uint8Array(layer.image.data), layer.image.width, local);
  return {
    ...layer,
    bounds: area,
    image: { width: area.width, height: area.height, data: data.buffer as ArrayBuffer },
  };
}
