import type { ActiveLayer, EditorAdapter, NewLayer, Rect } from '../../../src/bridge/index.js';

/** The slice of tui-image-editor's public API the adapter uses. */
export interface TuiImageEditor {
  getCanvasSize(): { width: number; height: number };
  toDataURL(options?: { format?: string }): string;
  getCropzoneRect(): { left: number; top: number; width: number; height: number } | null;
  addImageObject(url: string): Promise<{ id: number }>;
  setObjectPosition(id: number, pos: { x: number; y: number; originX: string; originY: string }): void;
}

/**
 * Hosts LWay in tui-image-editor (an editor we did not write) through its public API only:
 * - the "layer" is the flattened canvas (tui has one background image plus objects), read with toDataURL, which
 *   hides the crop box itself;
 * - the selection is the cropper's rectangle (tui's only rectangular selection), when the cropper is active;
 * - a new layer is an image object (addImageObject), moved so its top-left is at the requested position.
 */
export class TuiEditorAdapter implements EditorAdapter {
  readonly name = 'tui-image-editor';
  readonly version = '3.15.3';
  constructor(private readonly editor: TuiImageEditor) {}

  async getActiveLayer(): Promise<ActiveLayer> {
    const { width, height } = this.editor.getCanvasSize();
    const img = await createImageBitmap(
      await (await fetch(this.editor.toDataURL({ format: 'png' }))).blob(),
      {
        premultiplyAlpha: 'none',
        colorSpaceConversion: 'none',
      },
    );
    const c = new OffscreenCanvas(width, height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0, width, height);
    const data = ctx.getImageData(0, 0, width, height).data.buffer as ArrayBuffer;
    return {
      id: 'canvas',
      name: 'Canvas',
      bounds: { x: 0, y: 0, width, height },
      image: { width, height, data },
    };
  }

  async getSelection(): Promise<Rect | null> {
    let r: ReturnType<TuiImageEditor['getCropzoneRect']>;
    try {
      r = this.editor.getCropzoneRect();
    } catch {
      return null; // not in crop mode
    }
    if (!r || r.width < 1 || r.height < 1) return null;
    const x = Math.round(r.left);
    const y = Math.round(r.top);
    return { x, y, width: Math.round(r.left + r.width) - x, height: Math.round(r.top + r.height) - y };
  }

  async addLayer(layer: NewLayer, signal: AbortSignal): Promise<string> {
    const { image, position } = layer;
    const c = new OffscreenCanvas(image.width, image.height);
    c.getContext('2d')!.putImageData(
      new ImageData(new Uint8ClampedArray(image.data), image.width, image.height),
      0,
      0,
    );
    const blob = await c.convertToBlob({ type: 'image/png' });
    const url = await new Promise<string>((resolve) => {
      const fr = new FileReader();
      fr.onload = () => resolve(String(fr.result));
      fr.readAsDataURL(blob);
    });
    signal.throwIfAborted();
    const obj = await this.editor.addImageObject(url);
    this.editor.setObjectPosition(obj.id, { x: position.x, y: position.y, originX: 'left', originY: 'top' });
    return String(obj.id);
  }
}
