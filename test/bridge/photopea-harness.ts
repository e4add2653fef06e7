/**
 * Browser-test harness for the Photopea adapter: the emulator answers from a same-origin iframe (so replies have
 * that frame as their source, as Photopea's window is for a real plugin), the plugin side runs in the test page.
 * Also the job a panel runs (source -> nearest-neighbour upscale -> new layer) and snapshots of the document.
 */
import { connectToPhotopea, type HostClient } from '../../src/bridge/index.js';
import { HostClientPanelHost } from '../../src/panel/host-client-panel-host.js';
import type { Pixels } from '../../src/core/pixels.js';
import type { PanelSource } from '../../src/panel/panel-host.js';
import { hashPixels } from '../e2e/hash-pixels.js';
import {
  nodeBounds,
  PhotopeaEmulator,
  type EmuNode,
  type PhotopeaEmulatorOptions,
} from './photopea-emulator.js';

/** Photopea's stand-in: the emulator listening on an iframe's window and replying from it. */
export interface PhotopeaStage {
  emu: PhotopeaEmulator;
  /** Photopea's window, as the plugin sees it. */
  win: Window;
  /** The bridge's warnings, as `code: message`. */
  warnings: string[];
  connect(options?: { timeoutMs?: number; handshakeTimeoutMs?: number }): Promise<HostClient>;
  close(): void;
}

const RELAY = `<script>window.reply = (d, t) => parent.postMessage(d, '*', t || []);</script>`;

export async function photopeaStage(options: Partial<PhotopeaEmulatorOptions> = {}): Promise<PhotopeaStage> {
  const frame = document.createElement('iframe');
  frame.srcdoc = RELAY;
  document.body.append(frame);
  await new Promise((r) => frame.addEventListener('load', r, { once: true }));
  const win = frame.contentWindow!;
  const reply = (win as unknown as { reply: (d: unknown, t?: Transferable[]) => void }).reply;
  const emu = new PhotopeaEmulator({
    plugin: () => window,
    self: win,
    // Called in the frame's realm, so the plugin sees the frame as the sender.
    send: (d) => reply(d, d instanceof ArrayBuffer ? [d] : []),
    ...options,
  });
  const warnings: string[] = [];
  const clients: HostClient[] = [];
  return {
    emu,
    win,
    warnings,
    async connect(o = {}) {
      const client = await connectToPhotopea({
        pluginId: 'lway.super-resolution',
        pluginVersion: '0.1.0',
        target: win,
        photopeaOrigin: location.origin,
        warn: (code, message) => warnings.push(`${code}: ${message}`),
        pollMs: 20,
        timeoutMs: o.timeoutMs ?? 8000,
        handshakeTimeoutMs: o.handshakeTimeoutMs ?? 3000,
      });
      clients.push(client);
      return client;
    },
    close() {
      clients.forEach((c) => c.dispose());
      emu.dispose();
      frame.remove();
    },
  };
}

/** x`s` nearest-neighbour upscale (stands in for the model: the tests are about where the result lands). */
export function nearest(p: Pixels, s: number): Pixels {
  const width = p.width * s;
  const height = p.height * s;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / s) * p.width + Math.floor(x / s)) * 4;
      data.set(p.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  return { data, width, height, channels: 4 };
}

/** What the panel does for one job: read the source, upscale it x4, add the result as a new layer at the source. */
export async function runJob(
  client: HostClient,
  options: { name?: string; scale?: number; timeoutMs?: number } = {},
): Promise<{ source: PanelSource; result: Pixels }> {
  const host = new HostClientPanelHost(client);
  const source = await host.getSource();
  const result = nearest(source.pixels, options.scale ?? 4);
  const pixels = { ...result, data: new Uint8ClampedArray(result.data) }; // addLayer transfers its copy
  if (options.timeoutMs === undefined) {
    await host.addLayer(pixels, { name: options.name ?? 'LWay x4', x: source.x, y: source.y });
  } else {
    await client.addLayer(
      {
        name: options.name ?? 'LWay x4',
        image: { width: pixels.width, height: pixels.height, data: pixels.data.buffer as ArrayBuffer },
        position: { x: source.x, y: source.y },
      },
      { timeoutMs: options.timeoutMs },
    );
  }
  return { source, result };
}

/** One node of the document as a test compares it. */
export interface NodeFacts {
  id: number;
  type: 'layer' | 'group';
  name: string;
  parent: number | null;
  /** Index in its folder (0 = top). */
  index: number;
  visible: boolean;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  rasterized?: boolean;
  hash?: string;
  /** Box of the opaque pixels [left, top, right, bottom]. */
  bounds: number[];
}

/** The document's nodes, depth first, top first. */
export function snapshot(emu: PhotopeaEmulator): NodeFacts[] {
  const doc = emu.doc;
  if (!doc) return [];
  return doc.all().map((n: EmuNode) => ({
    id: n.id,
    type: n.type,
    name: n.name,
    parent: n.parent?.id ?? null,
    index: doc.siblings(n).indexOf(n),
    visible: n.visible,
    bounds: nodeBounds(n),
    ...(n.type === 'layer'
      ? {
          x: n.x,
          y: n.y,
          width: n.width,
          height: n.height,
          rasterized: n.rasterized,
          hash: hashPixels(n.pixels),
        }
      : {}),
  }));
}

/** RGBA pixels of a `width` x `height` image: a gradient, transparent where `clear(x, y)`. */
export function pattern(
  width: number,
  height: number,
  clear: (x: number, y: number) => boolean = () => false,
) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (clear(x, y)) continue; // [0, 0, 0, 0]: survives a PNG round trip exactly
      data.set([(x * 37 + 11) % 256, (y * 53 + 7) % 256, ((x + y) * 19) % 256, 255], (y * width + x) * 4);
    }
  return data;
}
