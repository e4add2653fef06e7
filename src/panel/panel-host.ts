import type { Pixels } from '../core/index.js';

/** The image the panel works on: the active layer's selection, or the whole layer when nothing is selected. */
export interface PanelSource {
  readonly layerId: string;
  readonly layerName: string;
  /** Top-left of `pixels` in document coordinates. */
  readonly x: number;
  readonly y: number;
  /** True when `pixels` is a selection, false when it is the whole layer. */
  readonly isSelection: boolean;
  readonly pixels: Pixels;
}

/** Where a new layer goes: its name and top-left in document coordinates. */
export interface AddLayerOptions {
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

/** Theme the host editor is using. */
export type HostTheme = 'light' | 'dark';

/**
 * The panel's port to the editor (the bridge's plugin client in production, a fake in tests).
 * Templates never call it; the panel's controllers do.
 */
export interface PanelHost {
  getSource(): Promise<PanelSource>;
  addLayer(pixels: Pixels, options: AddLayerOptions): Promise<void>;
  /** The host's theme, if it reports one; the panel otherwise follows prefers-color-scheme. */
  getTheme?(): Promise<HostTheme | undefined>;
}
