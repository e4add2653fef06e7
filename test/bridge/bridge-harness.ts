import {
  HostSession,
  createPluginClient,
  portTransport,
  type HostClient,
  type Permission,
  type Transport,
} from '../../src/bridge/index.js';
import { MemoryAdapter } from './memory-adapter.js';

export const TEST_PLUGIN = { pluginId: 'lway.super-resolution', pluginVersion: '0.1.0' };
const ALL: Permission[] = ['layer:read', 'layer:write', 'selection:read'];

/** A host session and a plugin client joined by a real MessageChannel, handshake done. */
export async function connectPair(
  options: { permissions?: Permission[]; adapter?: MemoryAdapter; timeoutMs?: number } = {},
) {
  const channel = new MessageChannel();
  const adapter = options.adapter ?? new MemoryAdapter();
  const warnings: string[] = [];
  const progress: unknown[] = [];
  const hostTransport = portTransport(channel.port1);
  const host = new HostSession({
    transport: hostTransport,
    adapter,
    manifest: { id: TEST_PLUGIN.pluginId, permissions: options.permissions ?? ALL },
    warn: (code) => warnings.push(`host:${code}`),
    onProgress: (p) => progress.push(p),
  });
  const pluginTransport = portTransport(channel.port2);
  const clientPromise = createPluginClient(pluginTransport, {
    ...TEST_PLUGIN,
    timeoutMs: options.timeoutMs,
    warn: (code) => warnings.push(`plugin:${code}`),
  });
  const handshake = await host.handshake();
  const client: HostClient = await clientPromise;
  const close = () => {
    client.dispose();
    host.close();
  };
  return { host, client, adapter, warnings, progress, handshake, close };
}

/** A host session on one port, and the raw other port, for feeding it arbitrary messages. */
export function rawHost(permissions: Permission[] = ALL) {
  const channel = new MessageChannel();
  const adapter = new MemoryAdapter();
  const warnings: string[] = [];
  const host = new HostSession({
    transport: portTransport(channel.port1),
    adapter,
    manifest: { id: TEST_PLUGIN.pluginId, permissions },
    warn: (code) => warnings.push(code),
  });
  const replies: { id: string; type: string; payload: { code?: string; layerId?: string } }[] = [];
  const raw: Transport = portTransport(channel.port2);
  raw.listen((d) => replies.push(d as (typeof replies)[number]));
  const close = () => {
    host.close();
    raw.close();
  };
  return { host, adapter, warnings, replies, raw, close };
}

/** Resolves after `pred` holds (polling), or rejects after `ms`. */
export async function until(pred: () => boolean, ms = 2000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
