import { BridgeError, abortError } from '../../bridge-error.js';
import type { HostClient, PluginClientOptions } from '../../plugin-client.js';
import { ActiveLayerSchema, NewLayerSchema, describeIssues, type Rect } from '../../protocol.js';
import { defaultWarn } from '../../warn.js';
import { PhotopeaChannel } from './photopea-channel.js';
import {
  exportActiveLayerScript,
  layerCountScript,
  openAsLayerScript,
  placeActiveLayerScript,
  selectionScript,
} from './photopea-scripts.js';
import { decodePng, encodePngDataUri } from './png-codec.js';

/** Photopea's origin; the plugin posts only there and accepts messages only from there. */
export const PHOTOPEA_ORIGIN = 'https://www.photopea.com';

/** Options of {@link connectToPhotopea}. */
export interface PhotopeaClientOptions extends PluginClientOptions {
  /** Photopea's origin (tests point it at the emulator). */
  photopeaOrigin?: string;
  /** Photopea's window; defaults to window.parent (Photopea embeds plugins in an iframe). */
  target?: Window;
  /** How often to poll for the layer app.open adds (it appears asynchronously). */
  pollMs?: number;
}

/**
 * The plugin-side client for Photopea: the same HostClient the panel uses with our host SDK, implemented by
 * posting Photopea scripts to window.parent (see photopea-scripts.ts). Resolves once Photopea answers a probe.
 */
export async function connectToPhotopea(options: PhotopeaClientOptions): Promise<HostClient> {
  const origin = options.photopeaOrigin ?? PHOTOPEA_ORIGIN;
  const warn = options.warn ?? defaultWarn;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 100;
  const ch = new PhotopeaChannel({ target: options.target ?? window.parent, self: window, origin, warn });
  const run = async (build: (seq: number) => string, signal?: AbortSignal, t = timeoutMs) => {
    const seq = ch.nextSeq();
    return ch.run(seq, build(seq), { signal, timeoutMs: t });
  };
  const layerCount = async (signal?: AbortSignal) => Number((await run(layerCountScript, signal)).echoes[0]);

  try {
    await run(layerCountScript, options.signal, options.handshakeTimeoutMs ?? 15_000);
  } catch (e) {
    ch.dispose();
    throw e;
  }

  return {
    host: { name: 'Photopea', version: 'live' },
    protocolVersion: 1,
    capabilities: ['getActiveLayer', 'getSelection', 'addLayer'],
    permissions: ['layer:read', 'layer:write', 'selection:read'],

    async getActiveLayer(o) {
      const r = await run(exportActiveLayerScript, o?.signal, o?.timeoutMs);
      const info = parseEcho(r.echoes[0] ?? 'null') as {
        width: number;
        height: number;
        name: string;
        id: string;
      } | null;
      if (!info || r.buffers.length !== 1) {
        throw new BridgeError('NO_LAYER', 'Photopea did not export the active layer (is a document open?)');
      }
      const image = await decodePng(r.buffers[0]);
      const parsed = ActiveLayerSchema.safeParse({
        id: String(info.id ?? '').slice(0, 64) || 'layer',
        name: String(info.name ?? '').slice(0, 1024),
        bounds: { x: 0, y: 0, width: image.width, height: image.height },
        image,
      });
      if (!parsed.success)
        throw new BridgeError('PROTOCOL', `Photopea layer export: ${describeIssues(parsed.error)}`);
      return parsed.data;
    },

    async getSelection(o) {
      const r = await run(selectionScript, o?.signal, o?.timeoutMs);
      const s = (parseEcho(r.echoes[0] ?? '{"selection":null}') as { selection?: unknown[] } | null)
        ?.selection;
      if (
        !Array.isArray(s) ||
        s.length !== 4 ||
        !s.every((v) => typeof v === 'number' && Number.isFinite(v))
      ) {
        return null;
      }
      const [l, t, r2, b] = s as number[];
      const x = Math.floor(l);
      const y = Math.floor(t);
      const rect: Rect = { x, y, width: Math.ceil(r2) - x, height: Math.ceil(b) - y };
      return rect.width > 0 && rect.height > 0 ? rect : null;
    },

    async addLayer(layer, o) {
      const parsed = NewLayerSchema.safeParse(layer);
      if (!parsed.success) throw new BridgeError('PROTOCOL', `addLayer: ${describeIssues(parsed.error)}`);
      const signal = o?.signal;
      const uri = await encodePngDataUri(layer.image);
      const before = await layerCount(signal);
      if (signal?.aborted) throw abortError('addLayer');
      await run((seq) => openAsLayerScript(seq, uri), signal, o?.timeoutMs);
      // app.open adds the layer asynchronously: poll until the stack grows.
      const deadline = Date.now() + (o?.timeoutMs ?? timeoutMs);
      while ((await layerCount(signal)) <= before) {
        if (Date.now() > deadline) throw new BridgeError('TIMEOUT', 'Photopea did not add the layer in time');
        await new Promise((r) => setTimeout(r, pollMs));
      }
      // Past this point the layer exists; finish placing it even if aborted, so the document is not left half-done.
      const { x, y } = layer.position;
      const placed = await run(
        (seq) => placeActiveLayerScript(seq, layer.name, x, y),
        undefined,
        o?.timeoutMs,
      );
      return (placed.echoes[0] ?? 'layer').slice(0, 64);
    },

    progress: () => undefined,
    notify: () => undefined,
    onCommand: () => () => undefined,
    dispose: () => ch.dispose(),
  };
}

/** Parses a JSON echo from Photopea; malformed text becomes a PROTOCOL error, not a SyntaxError. */
function parseEcho(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BridgeError('PROTOCOL', `Photopea sent malformed data: ${text.slice(0, 80)}`);
  }
}
