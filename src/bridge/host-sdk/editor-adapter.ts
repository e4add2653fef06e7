import type { ActiveLayer, NewLayer, Rect } from '../protocol.js';

/**
 * What an editor implements to host LWay. All editor-specific code lives in the adapter; the host SDK only
 * routes validated, permitted requests to it. Pixels are RGBA ArrayBuffers (they are transferred to the plugin,
 * so return a fresh buffer each time, not the editor's own backing store).
 */
export interface EditorAdapter {
  /** Editor name and version, told to the plugin in the handshake. */
  readonly name: string;
  readonly version: string;
  /**
   * The active layer (pixels exactly covering its bounds), or null when the document has none. With `rect`
   * (document pixels), only the part inside it is needed: return just that part (cheaper), or the whole layer,
   * which the host SDK crops before sending.
   */
  getActiveLayer(signal: AbortSignal, options?: { readonly rect?: Rect }): Promise<ActiveLayer | null>;
  /** The selection rectangle in document pixels, or null. */
  getSelection(signal: AbortSignal): Promise<Rect | null>;
  /** Adds a layer on top and returns its id. Must not add anything once `signal` has fired. */
  addLayer(layer: NewLayer, signal: AbortSignal): Promise<string>;
}
