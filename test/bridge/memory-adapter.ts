import type { ActiveLayer, EditorAdapter, NewLayer, Rect } from '../../src/bridge/index.js';

/** A layer of the in-memory test document. */
export interface MemoryLayer {
  id: string;
  name: string;
  bounds: Rect;
  pixels: Uint8Array;
}

/** An EditorAdapter over an in-memory document, for bridge tests. `gate` lets a test hold a call open. */
export class MemoryAdapter implements EditorAdapter {
  readonly name = 'memory-editor';
  readonly version = '1.0.0';
  readonly layers: MemoryLayer[] = [];
  selection: Rect | null = null;
  activeIndex = 0;
  /** When set, every call awaits it first (a test resolves it, or aborts). */
  gate: Promise<void> | null = null;
  /** Signals the adapter saw, so tests can check aborts reached the host. */
  readonly signals: AbortSignal[] = [];
  /** The `rect` of each getActiveLayer call (undefined: the whole layer was asked for). */
  readonly rects: (Rect | undefined)[] = [];

  constructor(width = 16, height = 12) {
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) % 251;
    this.layers.push({ id: 'bg', name: 'Background', bounds: { x: 0, y: 0, width, height }, pixels });
  }

  /** Returns the whole layer whatever `rect` says (the host SDK must cut the region). */
  async getActiveLayer(signal: AbortSignal, options?: { rect?: Rect }): Promise<ActiveLayer | null> {
    this.rects.push(options?.rect);
    await this.wait(signal);
    const l = this.layers[this.activeIndex];
    if (!l) return null;
    return {
      id: l.id,
      name: l.name,
      bounds: { ...l.bounds },
      image: { width: l.bounds.width, height: l.bounds.height, data: l.pixels.slice().buffer },
    };
  }

  async getSelection(signal: AbortSignal): Promise<Rect | null> {
    await this.wait(signal);
    return this.selection;
  }

  async addLayer(layer: NewLayer, signal: AbortSignal): Promise<string> {
    await this.wait(signal);
    if (signal.aborted) throw new Error('aborted');
    const id = `layer-${this.layers.length}`;
    this.layers.push({
      id,
      name: layer.name,
      bounds: { ...layer.position, width: layer.image.width, height: layer.image.height },
      pixels: new Uint8Array(layer.image.data),
    });
    return id;
  }

  private async wait(signal: AbortSignal): Promise<void> {
    this.signals.push(signal);
    if (!this.gate) return;
    await Promise.race([
      this.gate,
      new Promise<void>((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      ),
    ]);
  }
}
