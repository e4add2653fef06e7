import { BridgeError } from '../../bridge-error.js';
import type { HostClient, PluginClientOptions } from '../../plugin-client.js';
import { cropActiveLayer } from '../../crop-layer.js';
import {
  ActiveLayerSchema,
  NewLayerSchema,
  PROTOCOL_VERSION,
  RectSchema,
  describeIssues,
  type Rect,
} from '../../protocol.js';
import { rateLimitWarn } from '../../rate-limit-warn.js';
import { defaultWarn } from '../../warn.js';
import { PhotopeaChannel, type ScriptReply } from './photopea-channel.js';
import { PhotopeaLayerPlacer, type RunScript } from './photopea-layer-placer.js';
import {
  ERROR_ECHO,
  NO_DOCUMENT_ECHO,
  exportActiveLayerScript,
  probeScript,
  selectionScript,
} from './photopea-scripts.js';
import { opaqueBox } from './opaque-box.js';
import { decodePng } from './png-codec.js';

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
 * posting Photopea scripts to window.parent (see photopea-scripts.ts). Resolves once Photopea answers a probe
 * that needs no document (the panel may be opened before any image; calls then fail with NO_DOCUMENT).
 */
export async function connectToPhotopea(options: PhotopeaClientOptions): Promise<HostClient> {
  const origin = options.photopeaOrigin ?? PHOTOPEA_ORIGIN;
  // A flood of foreign messages must not become a flood of console lines.
  const warn = rateLimitWarn(options.warn ?? defaultWarn);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const ch = new PhotopeaChannel({ target: options.target ?? window.parent, self: window, origin, warn });
  const run: RunScript = async (build, o = {}) => {
    const seq = ch.nextSeq();
    return checkGuard(
      await ch.run(seq, build(seq), { signal: o.signal, timeoutMs: o.timeoutMs ?? timeoutMs }),
    );
  };
  const placer = new PhotopeaLayerPlacer({ run, warn, pollMs: options.pollMs ?? 100, timeoutMs });

  try {
    await run(probeScript, { signal: options.signal, timeoutMs: options.handshakeTimeoutMs ?? 15_000 });
  } catch (e) {
    ch.dispose();
    warn.flush();
    throw e;
  }

  return {
    host: { name: 'Photopea', version: 'live' },
    protocolVersion: PROTOCOL_VERSION,
    capabilities: ['getActiveLayer', 'getSelection', 'addLayer'],
    permissions: ['layer:read', 'layer:write', 'selection:read'],

    async getActiveLayer({ rect, ...o } = {}) {
      await placer.sweep(o.signal);
      // Photopea exports whole documents only (saveToOE): the layer comes at canvas size and the region is cut
      // here, so only it reaches the panel. See exportActiveLayerScript for why not a cropped duplicate.
      const r = await run(exportActiveLayerScript, o);
      const info = parseEcho(r.echoes[0] ?? 'null') as {
        width: number;
        height: number;
        name: string;
        id: string;
      } | null;
      if (!info || r.buffers.length !== 1) {
        throw new BridgeError('NO_LAYER', 'Photopea did not export the active layer');
      }
      const image = await decodePng(r.buffers[0]);
      if (!opaqueBox(image)) {
        throw new BridgeError(
          'EMPTY_LAYER',
          `layer "${String(info.name).slice(0, 80)}" has no visible pixels (empty, or fully transparent)`,
        );
      }
      const parsed = ActiveLayerSchema.safeParse({
        id: String(info.id ?? '').slice(0, 64) || 'layer',
        name: String(info.name ?? '').slice(0, 1024),
        bounds: { x: 0, y: 0, width: image.width, height: image.height },
        image,
      });
      if (!parsed.success)
        throw new BridgeError('PROTOCOL', `Photopea layer export: ${describeIssues(parsed.error)}`);
      if (!rect) return parsed.data;
      const region = RectSchema.safeParse(rect);
      if (!region.success)
        throw new BridgeError('PROTOCOL', `getActiveLayer rect: ${describeIssues(region.error)}`);
      return cropActiveLayer(parsed.data, region.data);
    },

    async getSelection(o) {
      await placer.sweep(o?.signal);
      const r = await run(selectionScript, o);
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
      return placer.place(layer, o);
    },

    progress: () => undefined,
    notify: () => undefined,
    onCommand: () => () => undefined,
    dispose: () => {
      ch.dispose();
      warn.flush();
    },
  };
}

/** Turns a guarded script's NO_DOCUMENT / error echo into a BridgeError; passes other replies through. */
function checkGuard(reply: ScriptReply): ScriptReply {
  for (const e of reply.echoes) {
    if (e === NO_DOCUMENT_ECHO) {
      throw new BridgeError('NO_DOCUMENT', 'Open an image first: Photopea has no open document');
    }
    if (e.startsWith(ERROR_ECHO)) {
      throw new BridgeError('HOST_ERROR', `Photopea: ${e.slice(ERROR_ECHO.length, ERROR_ECHO.length + 300)}`);
    }
  }
  return reply;
}

/** Parses a JSON echo from Photopea; malformed text becomes a PROTOCOL error, not a SyntaxError. */
function parseEcho(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BridgeError('PROTOCOL', `Photopea sent malformed data: ${text.slice(0, 80)}`);
  }
}
