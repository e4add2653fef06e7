import type { Page } from 'playwright-core';

/** One layer of the reference editor's document, copied out of the page. */
export interface LayerSnapshot {
  id: string;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** RGBA bytes, row-major. */
  pixels: number[];
}

/** The reference editor's layers (window.lwayEditor.doc), bottom first. */
export function documentLayers(page: Page): Promise<LayerSnapshot[]> {
  return page.evaluate(() =>
    window.lwayEditor.doc.layers.map((l) => ({
      id: l.id,
      name: l.name,
      x: l.x,
      y: l.y,
      width: l.width,
      height: l.height,
      pixels: Array.from(l.pixels),
    })),
  );
}
