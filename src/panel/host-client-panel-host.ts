import { BridgeError, cropRgba, intersectRects, type HostClient } from '../bridge/index.js';
import { LwayError, type Pixels } from '../core/index.js';
import type { AddLayerOptions, PanelHost, PanelSource } from './panel-host.js';

/**
 * PanelHost over the bridge's HostClient: the source is the active layer cropped to the selection (the whole
 * layer when nothing is selected or the host cannot report a selection), in document coordinates.
 */
export class HostClientPanelHost implements PanelHost {
  constructor(private readonly client: HostClient) {}

  async getSource(): Promise<PanelSource> {
    const canSelect =
      this.client.capabilities.includes('getSelection') && this.client.permissions.includes('selection:read');
    const selection = canSelect ? await this.client.getSelection() : null;
    // Only the selection crosses from the host (a protocol-1 host sends the whole layer; the crop below copes).
    // TODO(#12): ask for the selection plus the model's context margin once jobs take context pixels around their
    // input; until then the margin would cross and be thrown away.
    let layer;
    try {
      layer = await this.client.getActiveLayer(selection ? { rect: selection } : {});
    } catch (err) {
      if (!(selection && err instanceof BridgeError && err.code === 'OUTSIDE_LAYER')) throw err;
      throw new LwayError(
        'BAD_INPUT',
        `The selection (${selection.x},${selection.y} ${selection.width}x${selection.height}) does not overlap the active layer`,
        { cause: err },
      );
    }
    const data = new Uint8ClampedArray(layer.image.data);
    if (!selection) {
      return {
        layerId: layer.id,
        layerName: layer.name,
        x: layer.bounds.x,
        y: layer.bounds.y,
        isSelection: false,
        pixels: { data, width: layer.image.width, height: layer.image.height, channels: 4 },
      };
    }
    const area = intersectRects(selection, layer.bounds);
    if (!area) {
      throw new LwayError(
        'BAD_INPUT',
        `The selection (${selection.x},${selection.y} ${selection.width}x${selection.height}) does not overlap layer "${layer.name}"`,
      );
    }
    const local = { ...area, x: area.x - layer.bounds.x, y: area.y - layer.bounds.y };
    const exact = area.width === layer.image.width && area.height === layer.image.height;
    return {
      layerId: layer.id,
      layerName: layer.name,
      x: area.x,
      y: area.y,
      isSelection: true,
      pixels: {
        // The host usually sent just the selection: then there is nothing left to cut.
        data: exact ? data : cropRgba(data, layer.image.width, local),
        width: area.width,
        height: area.height,
        channels: 4,
      },
    };
  }

  async addLayer(pixels: Pixels, options: AddLayerOptions): Promise<void> {
    const rgba = toRgbaBuffer(pixels);
    await this.client.addLayer({
      name: options.name,
      image: { width: pixels.width, height: pixels.height, data: rgba },
      position: { x: options.x, y: options.y },
    });
  }
}

/** A fresh RGBA ArrayBuffer for the bridge (it is transferred, so never the panel's own buffer). */
function toRgbaBuffer(p: Pixels): ArrayBuffer {
  const out = new Uint8ClampedArray(p.width * p.height * 4);
  if (p.channels === 4) out.set(p.data);
  else
    for (let i = 0; i < p.width * p.height; i++) {
      out[4 * i] = p.data[3 * i];
      out[4 * i + 1] = p.data[3 * i + 1];
      out[4 * i + 2] = p.data[3 * i + 2];
      out[4 * i + 3] = 255;
    }
  return out.buffer;
}
