import type { ActiveLayer, EditorAdapter, NewLayer, Rect } from '../src/bridge/index.js';
import type { EditorDocument } from './editor-document.js';

/** Connects the reference editor's document to the LWay host SDK. */
export class ReferenceEditorAdapter implements EditorAdapter {
  readonly name = 'LWay reference editor';
  readonly version = '0.1.0';
  constructor(private readonly doc: EditorDocument) {}

  async getActiveLayer(): Promise<ActiveLayer | null> {
    const l = this.doc.active;
    if (!l) return null;
    return {
      id: l.id,
      name: l.name,
      bounds: { x: l.x, y: l.y, width: l.width, height: l.height },
      // A copy: the buffer is transferred to the plugin.
      image: { width: l.width, height: l.height, data: l.pixels.slice().buffer },
    };
  }

  async getSelection(): Promise<Rect | null> {
    return this.doc.selection ? { ...this.doc.selection } : null;
  }

  async addLayer(layer: NewLayer, signal: AbortSignal): Promise<string> {
    signal.throwIfAborted();
    const { image, position, name } = layer;
    return this.doc.add(
      name,
      position.x,
      position.y,
      image.width,
      image.height,
      new Uint8ClampedArray(image.data),
    );
  }
}
