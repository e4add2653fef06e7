import type { z } from 'zod';
import { BridgeError, abortError, fromWireError, toWireError } from './bridge-error.js';
import {
  EnvelopeSchema,
  MAX_ID_LENGTH,
  SUPPORTED_PROTOCOL,
  WireErrorSchema,
  describeIssues,
  type EventTable,
  type RequestTable,
} from './protocol.js';
import type { Transport } from './transport.js';
import type { WarnFn } from './warn.js';

/** Per-request options: a timeout and an abort signal. */
export interface RequestOptions {
  /** Rejects with TIMEOUT after this many ms; defaults to the peer's defaultTimeoutMs. */
  timeoutMs?: number;
  /** Rejects with ABORTED (name 'AbortError') and tells the other side to stop. */
  signal?: AbortSignal;
}

/** What a request handler returns: the result and the buffers to transfer with it. */
export interface HandlerReply<R> {
  result: R;
  transfer?: Transferable[];
}

/** Handler of one incoming request type. It should stop when `signal` fires. */
export type RequestHandler<P, R> = (payload: P, ctx: { signal: AbortSignal }) => Promise<HandlerReply<R>>;

/** Options of {@link RpcPeer}. */
export interface RpcPeerOptions<Out extends RequestTable, In extends RequestTable, Ev extends EventTable> {
  transport: Transport;
  /** Requests we send; their result schemas validate the replies. */
  outgoing: Out;
  /** Requests we serve. */
  incoming: In;
  /** Events we receive. */
  events: Ev;
  /** Prefix for our message ids, so logs show who sent what. */
  idPrefix: string;
  defaultTimeoutMs: number;
  warn: WarnFn;
  /** Protocol version written on outgoing messages. */
  version?: () => number;
  /** Called with the sender's origin before a message is handled; used by the plugin to pin the host's origin. */
  onAccepted?: (type: string, origin: string) => void;
}

interface Pending {
  type: string;
  resolve: (value: unknown) => void;
  reject: (err: BridgeError) => void;
  cleanup: () => void;
}

/**
 * One side of the request/response protocol, written once and used by both host and plugin. It validates every
 * inbound message against protocol.ts's schemas, replies with `{ name, code, message }` errors where it can (warns
 * where it cannot), correlates replies by id, and owns timeouts, aborts and the clean failure of pending requests.
 * Nothing a peer sends can make it throw.
 */
export class RpcPeer<Out extends RequestTable, In extends RequestTable, Ev extends EventTable> {
  private readonly o: RpcPeerOptions<Out, In, Ev>;
  private readonly pending = new Map<string, Pending>();
  private readonly serving = new Map<string, AbortController>();
  private readonly handlers = new Map<string, RequestHandler<unknown, unknown>>();
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly unlisten: () => void;
  private counter = 0;
  private closed = false;

  constructor(options: RpcPeerOptions<Out, In, Ev>) {
    this.o = options;
    this.unlisten = options.transport.listen((data, origin) => {
      try {
        this.receive(data, origin);
      } catch (err) {
        // A bug of ours, not the peer's input: report it, keep the channel alive.
        options.warn(
          'INTERNAL',
          `message handling failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    });
  }

  /** Number of requests awaiting a reply (tests use it to check that nothing leaks). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Registers the handler of an incoming request type (one per type). */
  handle<K extends keyof In & string>(
    type: K,
    handler: RequestHandler<z.output<In[K]['payload']>, z.input<In[K]['result']>>,
  ): void {
    this.handlers.set(type, handler as RequestHandler<unknown, unknown>);
  }

  /** Subscribes to an incoming event type; returns an unsubscribe. */
  on<K extends keyof Ev & string>(type: K, listener: (payload: z.output<Ev[K]>) => void): () => void {
    let set = this.eventListeners.get(type);
    if (!set) this.eventListeners.set(type, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** Sends a request and resolves with its validated result. */
  request<K extends keyof Out & string>(
    type: K,
    payload: z.input<Out[K]['payload']>,
    options: RequestOptions & { transfer?: Transferable[] } = {},
  ): Promise<z.output<Out[K]['result']>> {
    if (this.closed)
      return Promise.reject(new BridgeError('DISCONNECTED', `cannot send ${type}: the connection is closed`));
    const { signal, transfer = [] } = options;
    const timeoutMs = options.timeoutMs ?? this.o.defaultTimeoutMs;
    if (signal?.aborted) return Promise.reject(abortError(type));
    const id = this.nextId();
    return new Promise<z.output<Out[K]['result']>>((resolve, reject) => {
      const onAbort = () => {
        this.settle(id)?.reject(abortError(type));
        this.send({ v: this.version(), id, type: 'abort', payload: {} }, []);
      };
      const timer = setTimeout(() => {
        this.settle(id)?.reject(new BridgeError('TIMEOUT', `${type} got no reply within ${timeoutMs} ms`));
        this.send({ v: this.version(), id, type: 'abort', payload: {} }, []);
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        type,
        resolve: resolve as (v: unknown) => void,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      });
      try {
        this.send({ v: this.version(), id, type, payload }, transfer);
      } catch (err) {
        // DataCloneError (e.g. a detached buffer) or a closed port.
        this.settle(id)?.reject(
          new BridgeError('PROTOCOL', `could not post ${type}: ${String(err)}`, { cause: err }),
        );
      }
    });
  }

  /** Sends an event (no reply). */
  emit(type: string, payload: unknown): void {
    if (this.closed) return;
    this.send({ v: this.version(), id: this.nextId(), type, payload }, []);
  }

  /**
   * Fails every pending request with DISCONNECTED (or the given error), aborts the handlers still running and stops
   * listening. Idempotent. Does not close the transport (its owner does).
   */
  close(reason: BridgeError = new BridgeError('DISCONNECTED', 'the connection was closed')): void {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    this.failPending(reason);
    for (const c of this.serving.values()) c.abort();
    this.serving.clear();
  }

  /** Fails every pending request (e.g. the plugin reloaded) but keeps the peer usable. */
  failPending(reason: BridgeError): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(reason);
  }

  private version(): number {
    return this.o.version?.() ?? SUPPORTED_PROTOCOL.min;
  }

  private nextId(): string {
    return `${this.o.idPrefix}-${++this.counter}`;
  }

  private send(message: unknown, transfer: Transferable[]): void {
    this.o.transport.send(message, transfer);
  }

  private settle(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    p.cleanup();
    return p;
  }

  private replyError(id: string, err: BridgeError | unknown): void {
    this.send({ v: this.version(), id, type: 'error', payload: toWireError(err) }, []);
  }

  private receive(data: unknown, origin: string): void {
    if (this.closed) return;
    const env = EnvelopeSchema.safeParse(data);
    if (!env.success) {
      const maybeId = (data as { id?: unknown } | null)?.id;
      const maybeType = (data as { type?: unknown } | null)?.type;
      const why = describeIssues(env.error);
      const canReply =
        typeof maybeId === 'string' &&
        maybeId.length > 0 &&
        maybeId.length <= MAX_ID_LENGTH &&
        maybeType !== 'result' &&
        maybeType !== 'error';
      if (canReply) this.replyError(maybeId, new BridgeError('PROTOCOL', `malformed message: ${why}`));
      else this.o.warn('MALFORMED', `dropped a malformed message (${describeValue(data)}): ${why}`);
      return;
    }
    const { v, id, type, payload } = env.data;
    if (v < SUPPORTED_PROTOCOL.min || v > SUPPORTED_PROTOCOL.max) {
      const msg = `protocol version ${v} is not supported; this side speaks ${SUPPORTED_PROTOCOL.min}..${SUPPORTED_PROTOCOL.max}`;
      if (type === 'result' || type === 'error') {
        this.settle(id)?.reject(new BridgeError('VERSION_MISMATCH', msg));
      } else this.replyError(id, new BridgeError('VERSION_MISMATCH', msg));
      return;
    }
    this.o.onAccepted?.(type, origin);
    if (type === 'result' || type === 'error') return this.receiveReply(id, type, payload);
    if (type === 'abort') {
      this.serving.get(id)?.abort();
      return;
    }
    if (Object.hasOwn(this.o.incoming, type)) return this.receiveRequest(id, type, payload);
    if (Object.hasOwn(this.o.events, type)) return this.receiveEvent(type, payload);
    this.replyError(
      id,
      new BridgeError(
        'UNSUPPORTED',
        `unknown message type ${JSON.stringify(type)}; this side accepts ${[
          ...Object.keys(this.o.incoming),
          ...Object.keys(this.o.events),
        ].join(', ')}`,
      ),
    );
  }

  private receiveReply(id: string, type: 'result' | 'error', payload: unknown): void {
    const p = this.pending.get(id);
    if (!p) {
      this.o.warn('STALE_REPLY', `dropped a ${type} for unknown or finished request ${id}`);
      return;
    }
    this.settle(id);
    if (type === 'error') {
      const e = WireErrorSchema.safeParse(payload);
      p.reject(
        e.success
          ? fromWireError(e.data)
          : new BridgeError(
              'PROTOCOL',
              `${p.type} failed with a malformed error: ${describeIssues(e.error)}`,
            ),
      );
      return;
    }
    const r = this.o.outgoing[p.type].result.safeParse(payload);
    if (r.success) p.resolve(r.data);
    else
      p.reject(
        new BridgeError('PROTOCOL', `${p.type} returned a malformed result: ${describeIssues(r.error)}`),
      );
  }

  private receiveRequest(id: string, type: string, payload: unknown): void {
    const parsed = this.o.incoming[type].payload.safeParse(payload);
    if (!parsed.success) {
      this.replyError(
        id,
        new BridgeError('PROTOCOL', `${type}: malformed payload: ${describeIssues(parsed.error)}`),
      );
      return;
    }
    if (this.serving.has(id)) {
      this.replyError(id, new BridgeError('PROTOCOL', `duplicate request id ${id}`));
      return;
    }
    const handler = this.handlers.get(type);
    if (!handler) {
      this.replyError(id, new BridgeError('UNSUPPORTED', `${type} is not served here`));
      return;
    }
    const controller = new AbortController();
    this.serving.set(id, controller);
    const run = async () => {
      try {
        const reply = await handler(parsed.data, { signal: controller.signal });
        if (controller.signal.aborted) throw abortError(type);
        this.send({ v: this.version(), id, type: 'result', payload: reply.result }, reply.transfer ?? []);
      } catch (err) {
        this.replyError(id, controller.signal.aborted ? abortError(type) : err);
      } finally {
        this.serving.delete(id);
      }
    };
    void run();
  }

  private receiveEvent(type: string, payload: unknown): void {
    const parsed = this.o.events[type].safeParse(payload);
    if (!parsed.success) {
      this.o.warn('MALFORMED', `dropped a malformed ${type} event: ${describeIssues(parsed.error)}`);
      return;
    }
    for (const l of this.eventListeners.get(type) ?? []) {
      try {
        l(parsed.data);
      } catch (err) {
        this.o.warn(
          'LISTENER',
          `a ${type} listener threw: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  }
}

/** A short, safe description of an untrusted value for a warning (never the value itself). */
function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `array of ${x.length}`;
  if (typeof x === 'string') return `string of ${x.length} chars`;
  return typeof x;
}
