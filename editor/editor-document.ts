import type { Rect } from '../src/bridge/index.js';

/** One raster layer: RGBA pixels placed at (x, y) in document coordinates. */
export interface EditorLayer {
  readonly id: string;
  name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** RGBA, not premultiplied. Never handed out directly: readers get copies. */
  readonly pixels: Uint8ClampedArray;
  visible: boolean;
}

/** The editor's whole state: document size, layer stack (bottom first), active layer and selection. */
export class EditorDocument extends EventTarget {
  width = 0;
  height = 0;
  layers: EditorLayer[] = [];
  activeId: string | null = null;
  selection: Rect | null = null;
  private nextId = 1;

  /** Replaces the document with one image as its only layer. */
  open(name: string, image: ImageData): void {
    this.width = image.width;
    this.height = image.height;
    this.layers = [];
    this.selection = null;
    this.activeId = this.add(name, 0, 0, image.width, image.height, image.data);
  }

  /** Adds a layer on top, makes it active and returns its id. */
  add(
    name: string,
    x: number,
    y: number,
    width: number,
    height: number,
    rgba: Uint8ClampedArray | Uint8Array,
  ): string {
    const id = `layer-${this.nextId++}`;
    this.layers.push({ id, name, x, y, width, height, pixels: new Uint8ClampedArray(rgba), visible: true });
    this.activeId = id;
    this.changed();
    return id;
  }

  get active(): EditorLayer | null {
    return this.layers.find((l) => l.id === this.activeId) ?? null;
  }

  setActive(id: string): void {
    this.activeId = id;
    this.changed();
  }

  setVisible(id: string, visible: boolean): void {
    const l = this.layers.find((x) => x.id === id);
    if (l) l.visible = visible;
    this.changed();
  }

  /** Sets the selection, clipped to the document; an empty rectangle clears it. */
  setSelection(rect: Rect | null): void {
    if (rect) {
      const x0 = Math.max(0, Math.min(rect.x, this.width));
      const y0 = Math.max(0, Math.min(rect.y, this.height));
      const x1 = Math.max(0, Math.min(rect.x + rect.width, this.width));
      const y1 = Math.max(0, Math.min(rect.y + rect.height, this.height));
      rect = x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
    }
    this.selection = rect;
    this.changed();
  }

  /** Draws the visible layers, bottom first, into a canvas context the size of the document. */
  composite(ctx: CanvasRenderingContext2D): void {
    ctx.clearRect(0, 0, this.width, this.height);
    const scratch = document.createElement('canvas');
    for (const l of this.layers) {
      if (!l.visible) continue;
      scratch.width = l.width;
      scratch.height = l.height;
      scratch
        .getContext('2d')!
        .putImageData(new ImageData(new Uint8ClampedArray(l.pixels), l.width, l.height), 0, 0);
      ctx.drawImage(scratch, l.x, l.y);
    }
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
