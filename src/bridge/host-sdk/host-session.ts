import { BridgeError } from '../bridge-error.js';
import { cropActiveLayer } from '../crop-layer.js';
import type { Manifest } from '../manifest-schema.js';
import {
  ActiveLayerSchema,
  describeIssues,
  HOST_REQUESTS,
  PLUGIN_EVENTS,
  PLUGIN_REQUESTS,
  REQUIRED_PERMISSION,
  SUPPORTED_PROTOCOL,
  type CommandId,
  type HandshakeResult,
  type HostCapability,
  type Notify,
  type PluginRequestType,
  type Progress,
} from '../protocol.js';
import { RpcPeer } from '../rpc-peer.js';
import type { Transport } from '../transport.js';
import { defaultWarn, type WarnFn } from '../warn.js';
import type { EditorAdapter } from './editor-adapter.js';

/** Options of {@link HostSession}. */
export interface HostSessionOptions {
  transport: Transport;
  adapter: EditorAdapter;
  /** The plugin's manifest: its id must match the handshake, its permissions gate the requests. */
  manifest: Pick<Manifest, 'id' | 'permissions'>;
  /** Default timeout of host -> plugin requests. */
  timeoutMs?: number;
  onProgress?: (p: Progress) => void;
  onNotify?: (n: Notify) => void;
  warn?: WarnFn;
}

const HOST_CAPABILITIES: HostCapability[] = [
  'getActiveLayer',
  'getSelection',
  'addLayer',
  'notify',
  'progress',
];

/**
 * The host's side of one connection to one plugin instance: enforces the manifest's permissions and routes the
 * plugin's requests to the editor adapter. Transport-agnostic; {@link LwayHost} makes a new session each time the
 * plugin's iframe (re)loads, and closing a session fails its pending requests cleanly.
 */
export class HostSession {
  private readonly peer: RpcPeer<typeof HOST_REQUESTS, typeof PLUGIN_REQUESTS, typeof PLUGIN_EVENTS>;
  private readonly o: HostSessionOptions;
  private version: number = SUPPORTED_PROTOCOL.min;
  private closed = false;

  constructor(options: HostSessionOptions) {
    this.o = options;
    const warn = options.warn ?? defaultWarn;
    this.peer = new RpcPeer({
      transport: options.transport,
      outgoing: HOST_REQUESTS,
      incoming: PLUGIN_REQUESTS,
      events: PLUGIN_EVENTS,
      idPrefix: 'h',
      defaultTimeoutMs: options.timeoutMs ?? 15_000,
      warn,
      version: () => this.version,
    });
    const { adapter } = options;
    this.peer.handle('getActiveLayer', async ({ rect }, { signal }) => {
      this.authorize('getActiveLayer');
      const layer = await adapter.getActiveLayer(signal, rect ? { rect } : {});
      if (!layer) throw new BridgeError('NO_LAYER', 'the document has no active layer');
      // Check the adapter's output here, where its author can see the warning, not only in the plugin.
      const checked = ActiveLayerSchema.safeParse(layer);
      if (!checked.success) {
        const why = `the editor adapter returned an invalid layer: ${describeIssues(checked.error)}`;
        warn('ADAPTER', why);
        throw new BridgeError('HOST_ERROR', why);
      }
      // Only the asked-for region crosses to the plugin, whatever the adapter returned.
      const sent = rect ? cropActiveLayer(layer, rect) : layer;
      return { result: sent, transfer: [sent.image.data] };
    });
    this.peer.handle('getSelection', async (_p, { signal }) => {
      this.authorize('getSelection');
      return { result: { rect: await adapter.getSelection(signal) } };
    });
    this.peer.handle('addLayer', async (layer, { signal }) => {
      this.authorize('addLayer');
      return { result: { layerId: await adapter.addLayer(layer, signal) } };
    });
    if (options.onProgress) this.peer.on('progress', options.onProgress);
    if (options.onNotify) this.peer.on('notify', options.onNotify);
  }

  /** Calls `listener` each time the plugin says hello (its listeners are up: time to handshake). */
  onHello(listener: () => void): () => void {
    return this.peer.on('hello', () => listener());
  }

  /** Requests still waiting for the plugin. */
  get pendingCount(): number {
    return this.peer.pendingCount;
  }

  /** Negotiates version and capabilities with the plugin; rejects if its id is not the manifest's. */
  async handshake(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<HandshakeResult> {
    const res = await this.peer.request(
      'handshake',
      {
        protocol: { ...SUPPORTED_PROTOCOL },
        host: { name: this.o.adapter.name, version: this.o.adapter.version },
        capabilities: HOST_CAPABILITIES,
        permissions: [...this.o.manifest.permissions],
      },
      options,
    );
    if (res.plugin.id !== this.o.manifest.id) {
      throw new BridgeError(
        'PROTOCOL',
        `plugin answered the handshake as ${JSON.stringify(res.plugin.id)}; the manifest says ${JSON.stringify(this.o.manifest.id)}`,
      );
    }
    this.version = res.protocolVersion;
    return res;
  }

  /** Invokes a contributed command in the plugin (e.g. from the editor's menu). */
  async runCommand(command: CommandId, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.peer.request('runCommand', { command }, options);
  }

  /** Fails pending requests with `reason`, aborts running handlers and stops listening. Idempotent. */
  close(reason?: BridgeError): void {
    if (this.closed) return;
    this.closed = true;
    this.peer.close(reason);
    this.o.transport.close();
  }

  private authorize(type: PluginRequestType): void {
    const need = REQUIRED_PERMISSION[type];
    if (!this.o.manifest.permissions.includes(need)) {
      throw new BridgeError(
        'PERMISSION_DENIED',
        `${type} needs permission ${need}; the manifest grants ${this.o.manifest.permissions.join(', ') || 'none'}`,
        { name: 'PermissionError' },
      );
    }
  }
}
