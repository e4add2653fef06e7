import { BridgeError } from './bridge-error.js';
import {
  HOST_REQUESTS,
  PLUGIN_REQUESTS,
  REGION_REQUEST_VERSION,
  RectSchema,
  describeIssues,
  negotiateVersion,
  type ActiveLayer,
  type CommandId,
  type HostCapability,
  type NewLayer,
  type Notify,
  type Permission,
  type Progress,
  type Rect,
} from './protocol.js';
import { RpcPeer, type RequestOptions } from './rpc-peer.js';
import { sessionTokenFrom } from './session-token.js';
import { portTransport, type Transport } from './transport.js';
import { defaultWarn, type WarnFn } from './warn.js';

export type { RequestOptions } from './rpc-peer.js';

/** Options of {@link HostClient.getActiveLayer}: the request's own, plus the region wanted. */
export interface GetActiveLayerOptions extends RequestOptions {
  readonly rect?: Rect;
}

/**
 * What the panel sees of its host, whoever the host is (our host SDK, or Photopea through its adapter).
 * The panel codes against this interface only.
 */
export interface HostClient {
  /** Host name and version from the handshake. */
  readonly host: { readonly name: string; readonly version: string };
  /** Protocol version agreed in the handshake. */
  readonly protocolVersion: number;
  /** What this host serves. */
  readonly capabilities: readonly HostCapability[];
  /** Permissions the host granted (the manifest's, possibly fewer). */
  readonly permissions: readonly Permission[];
  /**
   * The active layer's pixels, id, bounds and name. Needs layer:read. With `rect` (document pixels, e.g. the
   * selection plus the model's context margin) the host sends only the part of the layer inside it, so a small
   * selection does not move the whole layer; a protocol-1 host, which cannot take a rect, sends the whole layer
   * (callers crop what they need either way). Rejects with OUTSIDE_LAYER when the rect misses the layer.
   */
  getActiveLayer(options?: GetActiveLayerOptions): Promise<ActiveLayer>;
  /** The selection rectangle in document pixels, or null when nothing is selected. Needs selection:read. */
  getSelection(options?: RequestOptions): Promise<Rect | null>;
  /**
   * Adds a layer on top of the document and resolves with its id. Needs layer:write.
   * `layer.image.data` is transferred: it is detached (byteLength 0) once this returns.
   */
  addLayer(layer: NewLayer, options?: RequestOptions): Promise<string>;
  /** Reports progress of a long job to the host (fire and forget). */
  progress(progress: Progress): void;
  /** Shows a message to the user through the host (fire and forget). */
  notify(level: Notify['level'], message: string): void;
  /** Called when the host invokes a contributed command (e.g. from its menu); returns an unsubscribe. */
  onCommand(listener: (command: CommandId) => void): () => void;
  /** Fails pending requests with DISCONNECTED and stops listening. Idempotent. */
  dispose(): void;
}

/** Options of {@link connectToHost} and {@link createPluginClient}. */
export interface PluginClientOptions {
  /** Plugin id and version, sent in the handshake reply (take them from manifest.json). */
  pluginId: string;
  pluginVersion: string;
  /** Default per-request timeout. */
  timeoutMs?: number;
  /** How long to wait for the host's handshake. */
  handshakeTimeoutMs?: number;
  /** Stops waiting for the handshake. */
  signal?: AbortSignal;
  warn?: WarnFn;
}

/** Defaults of {@link PluginClientOptions}. */
export const DEFAULT_PLUGIN_CLIENT_OPTIONS = {
  timeoutMs: 30_000,
  handshakeTimeoutMs: 15_000,
} as const;

/** Options of {@link connectToHost}: which host protocol to speak and which host origins to trust. */
export interface ConnectOptions extends PluginClientOptions {
  /**
   * 'lway' (our host SDK), 'photopea', or 'auto' (default): Photopea when the page URL has `host=photopea`
   * (the URL in our Photopea plugin JSON has it), else lway.
   */
  host?: 'auto' | 'lway' | 'photopea';
  /**
   * Host origins to announce the plugin to (exact match, or '*' for any): the hello, which hands over the session's
   * channel, is posted with the host's origin as targetOrigin, so an embedding page at another origin never gets
   * the channel. Default ['*'] because a plugin served from a CDN cannot know every editor that embeds it.
   */
  allowedHostOrigins?: readonly string[];
}

/**
 * Connects the plugin page (inside the host's iframe) to its host and resolves once the handshake is done.
 *
 * The session runs on a MessageChannel: the plugin hands one port to its parent with its `hello`, together with
 * the session token the host put in this page's URL, and both sides talk on the port only. So nothing the host
 * sends can reach another document in this frame (our origin is the opaque "null", which postMessage cannot
 * target), and a document this frame navigates to cannot get a session. The Photopea variant lives in
 * adapters/photopea and is loaded by `connectToAnyHost` in index.ts, so this module stays host-agnostic.
 */
export function connectToHost(options: ConnectOptions): Promise<HostClient> {
  const allowed = options.allowedHostOrigins ?? ['*'];
  const parentOrigin = location.ancestorOrigins?.[0];
  const targetOrigin = allowed.includes('*')
    ? '*'
    : allowed.length === 1
      ? allowed[0]
      : parentOrigin && allowed.includes(parentOrigin)
        ? parentOrigin
        : null;
  if (targetOrigin === null) {
    return Promise.reject(
      new BridgeError(
        'PROTOCOL',
        `cannot tell which of the allowed host origins (${allowed.join(', ')}) embeds this page`,
      ),
    );
  }
  const channel = new MessageChannel();
  const session = sessionTokenFrom(location);
  return createPluginClient(portTransport(channel.port1), {
    ...options,
    announce: () =>
      window.parent.postMessage(
        { v: 1, id: 'p-hello', type: 'hello', payload: session ? { session } : {} },
        targetOrigin,
        [channel.port2],
      ),
  });
}

/**
 * The transport-agnostic plugin client: waits for the host's handshake on `transport` and resolves with a
 * HostClient. Tests use it over a MessageChannel; {@link connectToHost} uses it over window.postMessage.
 */
export function createPluginClient(
  transport: Transport,
  options: PluginClientOptions & {
    onHandshakeOrigin?: (origin: string) => void;
    /** Posts the `hello` event; defaults to sending it over `transport`. */
    announce?: (hello: unknown) => void;
  },
): Promise<HostClient> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PLUGIN_CLIENT_OPTIONS.timeoutMs;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_PLUGIN_CLIENT_OPTIONS.handshakeTimeoutMs;
  const warn = options.warn ?? defaultWarn;
  let version = 1;
  const peer = new RpcPeer({
    transport,
    outgoing: PLUGIN_REQUESTS,
    incoming: HOST_REQUESTS,
    events: {},
    idPrefix: 'p',
    defaultTimeoutMs: timeoutMs,
    warn,
    version: () => version,
    onAccepted: (type, origin) => {
      if (type === 'handshake') options.onHandshakeOrigin?.(origin);
    },
  });
  const commandListeners = new Set<(c: CommandId) => void>();

  return new Promise<HostClient>((resolve, reject) => {
    let client: HostClient | null = null;
    const fail = (err: BridgeError) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      peer.close(err);
      transport.close();
      reject(err);
    };
    const onAbort = () =>
      fail(
        new BridgeError('ABORTED', 'waiting for the host handshake was cancelled', { name: 'AbortError' }),
      );
    const timer = setTimeout(
      () => fail(new BridgeError('TIMEOUT', `no handshake from the host within ${handshakeTimeoutMs} ms`)),
      handshakeTimeoutMs,
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    peer.handle('handshake', async (hs) => {
      const picked = negotiateVersion(hs.protocol);
      if (picked === null) {
        throw new BridgeError(
          'VERSION_MISMATCH',
          `host speaks protocol ${hs.protocol.min}..${hs.protocol.max}; this plugin speaks ${version}`,
        );
      }
      version = picked;
      const state = {
        host: hs.host,
        capabilities: hs.capabilities,
        permissions: hs.permissions,
        version: picked,
      };
      if (client === null) {
        client = makeClient(peer, transport, state, commandListeners, () => version);
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(client);
      } else {
        // The host re-handshook (e.g. it re-attached us): keep the client, refresh what it knows.
        Object.assign(client, {
          host: state.host,
          capabilities: state.capabilities,
          permissions: state.permissions,
        });
      }
      return {
        result: { protocolVersion: picked, plugin: { id: options.pluginId, version: options.pluginVersion } },
      };
    });
    peer.handle('runCommand', async ({ command }) => {
      for (const l of commandListeners) l(command);
      return { result: {} };
    });
    const hello = { v: 1, id: 'p-hello', type: 'hello', payload: {} };
    if (options.announce) options.announce(hello);
    else transport.send(hello, []);
  });
}

function makeClient(
  peer: RpcPeer<typeof PLUGIN_REQUESTS, typeof HOST_REQUESTS, Record<string, never>>,
  transport: Transport,
  state: {
    host: HostClient['host'];
    capabilities: HostCapability[];
    permissions: Permission[];
    version: number;
  },
  commandListeners: Set<(c: CommandId) => void>,
  currentVersion: () => number,
): HostClient {
  return {
    host: state.host,
    protocolVersion: state.version,
    capabilities: state.capabilities,
    permissions: state.permissions,
    getActiveLayer: ({ rect, ...o } = {}) => {
      // zod's parse would throw a ZodError, not a BridgeError: check the rect here, as the host will.
      const checked = rect && RectSchema.safeParse(rect);
      if (checked && !checked.success) {
        return Promise.reject(
          new BridgeError('PROTOCOL', `getActiveLayer rect: ${describeIssues(checked.error)}`),
        );
      }
      const payload = rect && currentVersion() >= REGION_REQUEST_VERSION ? { rect } : {};
      return peer.request('getActiveLayer', payload, o);
    },
    getSelection: async (o) => (await peer.request('getSelection', {}, o ?? {})).rect,
    addLayer: async (layer, o) =>
      (await peer.request('addLayer', layer, { ...(o ?? {}), transfer: [layer.image.data] })).layerId,
    progress: (p) => peer.emit('progress', p),
    notify: (level, message) => peer.emit('notify', { level, message }),
    onCommand: (l) => {
      commandListeners.add(l);
      return () => commandListeners.delete(l);
    },
    dispose: () => {
      peer.close();
      transport.close();
    },
  };
}
