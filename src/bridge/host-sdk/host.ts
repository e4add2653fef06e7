import { BridgeError } from '../bridge-error.js';
import { manifestSupportsHost, parseManifest, type Manifest } from '../manifest-schema.js';
import {
  EnvelopeSchema,
  HelloSchema,
  SUPPORTED_PROTOCOL,
  type CommandId,
  type HandshakeResult,
  type Notify,
  type Progress,
} from '../protocol.js';
import { newSessionToken, withSessionToken } from '../session-token.js';
import { portTransport } from '../transport.js';
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
  /** Timeout of host -> plugin requests, and of the hello after each (re)load. */
  timeoutMs?: number;
  onProgress?: (p: Progress) => void;
  onNotify?: (n: Notify) => void;
  /** Called on every state change, e.g. to show "plugin crashed, reload?". */
  onStateChange?: (state: LwayHostState, error?: BridgeError) => void;
  /**
   * Asked once the manifest is valid, before anything is loaded, with the manifest and the page that would be
   * framed: resolve false to refuse, and createHost rejects with PERMISSION_DENIED. E.g. ask the user about a
   * plugin from another origin, showing its origin and permissions.
   */
  approve?: (manifest: Manifest, pluginUrl: URL) => boolean | Promise<boolean>;
  warn?: WarnFn;
}

/** Life cycle of the hosted plugin. */
export type LwayHostState = 'loading' | 'ready' | 'failed' | 'disposed';

/** Defaults of {@link LwayHostOptions}. */
export const DEFAULT_HOST_OPTIONS = { timeoutMs: 15_000 } as const;

/** One load of the plugin: its iframe element, the token in its URL, and how far it got. */
interface PluginFrame {
  readonly iframe: HTMLIFrameElement;
  readonly token: string;
  loads: number;
  /** A hello with the token arrived: the session belongs to that document. */
  greeted: boolean;
  ended: boolean;
}

/**
 * Loads a plugin's manifest, embeds its panel in a sandboxed iframe and serves it the editor through the adapter.
 *
 * The iframe gets `sandbox="allow-scripts"` without allow-same-origin, so the panel runs in an opaque origin
 * ("null"): it cannot touch the editor's DOM, storage or cookies — and the host cannot address it by origin. So a
 * session is bound to the document the host loaded, not to an origin:
 * - every load is a new iframe element whose URL carries a fresh random token (`#lway-session=`);
 * - the plugin's `hello` must come from that iframe, echo the token (once) and hand over a MessagePort;
 * - everything after, layer pixels included, travels on that port only. Nothing is posted to the frame's window,
 *   so a document the frame navigates to (or one that reloads itself) receives nothing, and its own hello is
 *   refused: a load event after the first, or a second hello, ends the session ('failed') until the host
 *   reloads the plugin.
 * Reloading replaces the iframe element, which also recovers a plugin whose renderer crashed. Requests of the
 * previous session fail with DISCONNECTED.
 */
export class LwayHost {
  /** The validated manifest. */
  readonly manifest: Manifest;
  private readonly pluginUrl: URL;
  private readonly o: LwayHostOptions;
  private readonly warn: WarnFn;
  private frame!: PluginFrame;
  private session: HostSession | null = null;
  private helloTimer?: ReturnType<typeof setTimeout>;
  private currentState: LwayHostState = 'loading';
  private readyPromise!: Promise<HandshakeResult>;
  private settleReady!: { resolve: (r: HandshakeResult) => void; reject: (e: BridgeError) => void };

  /** Use {@link createHost}, which fetches and validates the manifest first. */
  constructor(manifest: Manifest, manifestUrl: URL, options: LwayHostOptions) {
    this.manifest = manifest;
    this.pluginUrl = new URL(manifest.main, manifestUrl);
    this.o = options;
    this.warn = options.warn ?? defaultWarn;
    this.resetReady();
    window.addEventListener('message', this.onWindowMessage);
    this.load();
  }

  /** The plugin's iframe (a new element after each reload). */
  get iframe(): HTMLIFrameElement {
    return this.frame.iframe;
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

  /** Loads the plugin again in a fresh frame (e.g. after it crashed); pending requests fail, a new session starts. */
  reload(): void {
    if (this.currentState === 'disposed') return;
    this.load();
  }

  /** Closes the session and removes the iframe. Idempotent. */
  dispose(): void {
    if (this.currentState === 'disposed') return;
    window.removeEventListener('message', this.onWindowMessage);
    clearTimeout(this.helloTimer);
    this.session?.close(new BridgeError('DISCONNECTED', 'the host was disposed'));
    this.session = null;
    this.setState('disposed');
    this.settleReady.reject(new BridgeError('DISCONNECTED', 'the host was disposed'));
    this.frame.iframe.remove();
  }

  private resetReady(): void {
    this.readyPromise = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    // A caller that never awaits ready() must not get an unhandled rejection.
    this.readyPromise.catch(() => undefined);
  }

  /** A new iframe element with a new token, in place of the old one. */
  private load(): void {
    const previous = this.frame as PluginFrame | undefined;
    if (previous) {
      const reloaded = new BridgeError('DISCONNECTED', 'the plugin reloaded');
      this.session?.close(reloaded);
      this.session = null;
      this.settleReady.reject(reloaded); // no-op if it already settled
      this.resetReady();
    }
    clearTimeout(this.helloTimer);
    const token = newSessionToken();
    const iframe = document.createElement('iframe');
    iframe.setAttribute('sandbox', 'allow-scripts');
    iframe.title = this.manifest.name;
    iframe.className = 'lway-plugin-frame';
    iframe.src = withSessionToken(this.pluginUrl, token).href;
    const frame: PluginFrame = { iframe, token, loads: 0, greeted: false, ended: false };
    iframe.addEventListener('load', () => this.onFrameLoad(frame));
    this.frame = frame;
    if (previous) previous.iframe.replaceWith(iframe);
    else this.o.container.append(iframe);
    this.setState('loading');
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_HOST_OPTIONS.timeoutMs;
    this.helloTimer = setTimeout(
      () =>
        this.end(frame, new BridgeError('TIMEOUT', `the plugin did not say hello within ${timeoutMs} ms`)),
      timeoutMs,
    );
  }

  /** The first load is the document the host loaded; any later one is a document the frame navigated to. */
  private onFrameLoad(frame: PluginFrame): void {
    if (++frame.loads === 1) return;
    this.end(frame, navigatedAway());
  }

  /** Only a hello travels on the window; it must come from the current frame with its token and a port. */
  private readonly onWindowMessage = (ev: MessageEvent): void => {
    const frame = this.frame;
    if (frame.ended || ev.source === null || ev.source !== frame.iframe.contentWindow) return; // not our plugin
    if (ev.origin !== 'null') {
      this.warn(
        'WRONG_ORIGIN',
        `dropped a message from the plugin frame with origin ${JSON.stringify(ev.origin)}`,
      );
      return;
    }
    const envelope = EnvelopeSchema.safeParse(ev.data);
    const hello =
      envelope.success && envelope.data.type === 'hello'
        ? HelloSchema.safeParse(envelope.data.payload)
        : null;
    if (!hello?.success) {
      this.warn(
        'PROTOCOL',
        'dropped a window message from the plugin frame: only hello travels on the window',
      );
      return;
    }
    if (frame.greeted) {
      // A document says hello once: a second hello is another document in the frame.
      this.warn(
        'SESSION',
        'refused a second hello from the plugin frame: only the document the editor loaded has a session',
      );
      this.end(frame, navigatedAway());
      return;
    }
    if (hello.data.session !== frame.token || ev.ports.length !== 1) {
      this.warn(
        'SESSION',
        "refused a hello without this load's session token and port: a document the editor did not load gets no session",
      );
      return;
    }
    frame.greeted = true;
    clearTimeout(this.helloTimer);
    const session = new HostSession({
      transport: portTransport(ev.ports[0]),
      adapter: this.o.adapter,
      manifest: this.manifest,
      timeoutMs: this.o.timeoutMs ?? DEFAULT_HOST_OPTIONS.timeoutMs,
      onProgress: this.o.onProgress,
      onNotify: this.o.onNotify,
      warn: this.warn,
    });
    this.session = session;
    void this.handshake(frame, session);
  };

  private async handshake(frame: PluginFrame, session: HostSession): Promise<void> {
    try {
      const res = await session.handshake();
      if (this.session !== session) return;
      this.setState('ready');
      this.settleReady.resolve(res);
    } catch (err) {
      this.end(frame, err instanceof BridgeError ? err : new BridgeError('PROTOCOL', String(err)));
    }
  }

  /** Ends `frame`'s session for good (it stays 'failed' until reload()). */
  private end(frame: PluginFrame, e: BridgeError): void {
    if (frame !== this.frame || frame.ended || this.currentState === 'disposed') return;
    frame.ended = true;
    clearTimeout(this.helloTimer);
    this.session?.close(e);
    this.session = null;
    this.warn('SESSION', `plugin session ended: ${e.message}`);
    this.setState('failed', e);
    this.settleReady.reject(e);
  }

  private setState(state: LwayHostState, error?: BridgeError): void {
    this.currentState = state;
    this.o.onStateChange?.(state, error);
  }
}

function navigatedAway(): BridgeError {
  return new BridgeError(
    'DISCONNECTED',
    'the plugin frame navigated away from the page the editor loaded, so it has no access; reload the plugin to use it again',
  );
}

/**
 * Fetches and validates the plugin manifest, asks `approve` (when given), then embeds the plugin. Throws
 * BAD_MANIFEST on a bad manifest, PERMISSION_DENIED when not approved.
 */
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
  const pluginUrl = new URL(manifest.main, url);
  if (options.approve && !(await options.approve(manifest, pluginUrl))) {
    throw new BridgeError(
      'PERMISSION_DENIED',
      `loading plugin ${manifest.id} from ${pluginUrl.origin} was not allowed`,
    );
  }
  return new LwayHost(manifest, url, options);
}
