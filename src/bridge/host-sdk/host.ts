import { BridgeError } from '../bridge-error.js';
import { manifestSupportsHost, parseManifest, type Manifest } from '../manifest-schema.js';
import type { CommandId, HandshakeResult, Notify, Progress } from '../protocol.js';
import { SUPPORTED_PROTOCOL } from '../protocol.js';
import { windowTransport } from '../transport.js';
import { defaultWarn, type WarnFn } from '../warn.js';
import type { EditorAdapter } from './editor-adapter.js';
import { HostSession } from './host-session.js';

/** Options of {@link createHost}. */
export interface LwayHostOptions {
  /** Element the plugin's iframe is appended to. */
  container: HTMLElement;
  adapter: EditorAdapter;
  /** URL of the plugin's manifest.json; its `main` and `icon` resolve against it. */
  manifestUrl: string | URL;
  /** Timeout of host -> plugin requests, and of the handshake after each (re)load. */
  timeoutMs?: number;
  onProgress?: (p: Progress) => void;
  onNotify?: (n: Notify) => void;
  /** Called on every state change, e.g. to show "plugin crashed, reload?". */
  onStateChange?: (state: LwayHostState, error?: BridgeError) => void;
  warn?: WarnFn;
}

/** Life cycle of the hosted plugin. */
export type LwayHostState = 'loading' | 'ready' | 'failed' | 'disposed';

/** Defaults of {@link LwayHostOptions}. */
export const DEFAULT_HOST_OPTIONS = { timeoutMs: 15_000 } as const;

/**
 * Loads a plugin's manifest, embeds its panel in a sandboxed iframe and serves it the editor through the adapter.
 *
 * The iframe gets `sandbox="allow-scripts"` without allow-same-origin, so the panel runs in an opaque origin
 * ("null"): it cannot touch the editor's DOM, storage or cookies. Inbound messages are therefore checked by
 * source (event.source === iframe.contentWindow) and by the opaque origin, not by a URL origin.
 * Each load of the iframe (first load, plugin reload, crash-and-reload) starts a new session; the handshake runs
 * when the plugin says `hello` (so a slow-starting plugin is not missed). Requests of the previous session fail
 * with DISCONNECTED.
 */
export class LwayHost {
  /** The validated manifest. */
  readonly manifest: Manifest;
  /** The plugin's iframe. */
  readonly iframe: HTMLIFrameElement;
  private readonly o: LwayHostOptions;
  private readonly warn: WarnFn;
  private session: HostSession | null = null;
  private currentState: LwayHostState = 'loading';
  private readyPromise!: Promise<HandshakeResult>;
  private settleReady!: { resolve: (r: HandshakeResult) => void; reject: (e: BridgeError) => void };

  /** Use {@link createHost}, which fetches and validates the manifest first. */
  constructor(manifest: Manifest, manifestUrl: URL, options: LwayHostOptions) {
    this.manifest = manifest;
    this.o = options;
    this.warn = options.warn ?? defaultWarn;
    this.resetReady();
    const iframe = document.createElement('iframe');
    iframe.setAttribute('sandbox', 'allow-scripts');
    iframe.title = manifest.name;
    iframe.className = 'lway-plugin-frame';
    iframe.addEventListener('load', () => void this.attach());
    iframe.src = new URL(manifest.main, manifestUrl).href;
    this.iframe = iframe;
    options.container.append(iframe);
  }

  /** Current state of the plugin. */
  get state(): LwayHostState {
    return this.currentState;
  }

  /** Resolves when the current plugin instance has completed its handshake. */
  ready(): Promise<HandshakeResult> {
    return this.readyPromise;
  }

  /** Invokes a contributed command in the plugin. */
  async runCommand(command: CommandId): Promise<void> {
    if (!this.manifest.contributes.commands.some((c) => c.command === command)) {
      throw new BridgeError('UNSUPPORTED', `the plugin does not contribute ${command}`);
    }
    if (!this.session) throw new BridgeError('DISCONNECTED', 'the plugin is not connected');
    await this.session.runCommand(command);
  }

  /** Reloads the plugin page (e.g. after it crashed); pending requests fail, then a new handshake runs. */
  reload(): void {
    if (this.currentState === 'disposed') return;
    // Reassigning src reloads a cross-origin frame (we cannot call its location.reload()).
    const src = this.iframe.src;
    this.iframe.src = 'about:blank';
    this.iframe.src = src;
  }

  /** Closes the session and removes the iframe. Idempotent. */
  dispose(): void {
    if (this.currentState === 'disposed') return;
    this.session?.close(new BridgeError('DISCONNECTED', 'the host was disposed'));
    this.session = null;
    this.setState('disposed');
    this.settleReady.reject(new BridgeError('DISCONNECTED', 'the host was disposed'));
    this.iframe.remove();
  }

  private resetReady(): void {
    this.readyPromise = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    // A caller that never awaits ready() must not get an unhandled rejection.
    this.readyPromise.catch(() => undefined);
  }

  private async attach(): Promise<void> {
    if (this.currentState === 'disposed') return;
    if (this.iframe.src === 'about:blank' || this.iframe.contentWindow === null) return;
    if (this.session) {
      const reloaded = new BridgeError('DISCONNECTED', 'the plugin reloaded');
      this.session.close(reloaded);
      this.settleReady.reject(reloaded); // no-op if it already settled
      this.resetReady();
    }
    this.setState('loading');
    const frame = this.iframe;
    const session = new HostSession({
      transport: windowTransport({
        self: window,
        target: () => frame.contentWindow,
        targetOrigin: () => '*',
        expectedSource: () => frame.contentWindow,
        // Sandboxed without allow-same-origin: the frame's origin is always the opaque "null".
        acceptOrigin: (origin) => origin === 'null',
        warn: this.warn,
      }),
      adapter: this.o.adapter,
      manifest: this.manifest,
      timeoutMs: this.o.timeoutMs ?? DEFAULT_HOST_OPTIONS.timeoutMs,
      onProgress: this.o.onProgress,
      onNotify: this.o.onNotify,
      warn: this.warn,
    });
    this.session = session;
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_HOST_OPTIONS.timeoutMs;
    const noHello = setTimeout(
      () =>
        this.fail(session, new BridgeError('TIMEOUT', `the plugin did not say hello within ${timeoutMs} ms`)),
      timeoutMs,
    );
    session.onHello(() => {
      clearTimeout(noHello);
      void this.handshake(session);
    });
  }

  private async handshake(session: HostSession): Promise<void> {
    try {
      const res = await session.handshake();
      if (this.session !== session) return;
      this.setState('ready');
      this.settleReady.resolve(res);
    } catch (err) {
      this.fail(session, err instanceof BridgeError ? err : new BridgeError('PROTOCOL', String(err)));
    }
  }

  private fail(session: HostSession, e: BridgeError): void {
    if (this.session !== session || this.currentState === 'disposed') return;
    this.warn('HANDSHAKE', `plugin handshake failed: ${e.message}`);
    this.setState('failed', e);
    this.settleReady.reject(e);
  }

  private setState(state: LwayHostState, error?: BridgeError): void {
    this.currentState = state;
    this.o.onStateChange?.(state, error);
  }
}

/** Fetches and validates the plugin manifest, then embeds the plugin. Throws BAD_MANIFEST on a bad manifest. */
export async function createHost(options: LwayHostOptions): Promise<LwayHost> {
  const url = new URL(options.manifestUrl, document.baseURI);
  const res = await fetch(url);
  if (!res.ok)
    throw new BridgeError('BAD_MANIFEST', `could not load manifest ${url.href}: HTTP ${res.status}`);
  const manifest = parseManifest(await res.json());
  if (!manifestSupportsHost(manifest)) {
    throw new BridgeError(
      'VERSION_MISMATCH',
      `plugin ${manifest.id} needs host protocol ${manifest.engines.lway}; this host speaks protocol ${SUPPORTED_PROTOCOL.min}..${SUPPORTED_PROTOCOL.max}`,
    );
  }
  return new LwayHost(manifest, url, options);
}
