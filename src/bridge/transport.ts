import type { WarnFn } from './warn.js';

/**
 * A two-way message pipe. The RPC layer sees only this, so the same code runs over a MessagePort (tests, Node,
 * workers) and over window.postMessage between an editor and its plugin iframe.
 */
export interface Transport {
  /** Posts a message, transferring the listed buffers. */
  send(message: unknown, transfer: Transferable[]): void;
  /**
   * Subscribes to messages that passed the transport's source/origin checks; returns an unsubscribe.
   * `origin` is the sender's origin where the channel has one (window messages), else ''.
   */
  listen(onMessage: (data: unknown, origin: string) => void): () => void;
  /** Stops listening and releases the underlying channel. Idempotent. */
  close(): void;
}

/** Minimal MessagePort shape shared by the DOM's and Node's MessagePort. */
export interface PortLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  start?(): void;
  close(): void;
}

/** A transport over one end of a MessageChannel. A port has exactly one peer, so no origin check is needed. */
export function portTransport(port: PortLike): Transport {
  const listeners = new Set<(ev: MessageEvent) => void>();
  let closed = false;
  return {
    send(message, transfer) {
      if (!closed) port.postMessage(message, transfer);
    },
    listen(onMessage) {
      const l = (ev: MessageEvent) => onMessage(ev.data, '');
      listeners.add(l);
      port.addEventListener('message', l);
      port.start?.();
      return () => {
        listeners.delete(l);
        port.removeEventListener('message', l);
      };
    },
    close() {
      if (closed) return;
      closed = true;
      for (const l of listeners) port.removeEventListener('message', l);
      listeners.clear();
      port.close();
    },
  };
}

/** Options of {@link windowTransport}. */
export interface WindowTransportOptions {
  /** The window whose 'message' events we read (our own window). */
  self: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  /** Where we post to; called on each send because an iframe's contentWindow changes on reload. */
  target: () => Pick<Window, 'postMessage'> | null;
  /**
   * targetOrigin for postMessage. '*' reaches whatever document the target window holds at that moment; a
   * sandboxed iframe (opaque origin "null") cannot be targeted otherwise, which is why the host SDK does not use
   * this transport for its plugin frame but the MessagePort the plugin hands over (host-sdk/host.ts).
   * null means "not known yet": the message is dropped with a warning.
   */
  targetOrigin: () => string | null;
  /** Accept an event only if it comes from this window (event.source). */
  expectedSource: () => unknown;
  /** Accept an event only if its origin passes. */
  acceptOrigin: (origin: string) => boolean;
  /** Where rejected events are reported. */
  warn: WarnFn;
}

/**
 * A transport over window.postMessage. Events from another source or origin are dropped with a warning: we cannot
 * reply to a sender we do not trust.
 */
export function windowTransport(o: WindowTransportOptions): Transport {
  const subs = new Set<(ev: MessageEvent) => void>();
  let closed = false;
  return {
    send(message, transfer) {
      const t = o.target();
      if (closed || !t) return;
      const targetOrigin = o.targetOrigin();
      if (targetOrigin === null) {
        o.warn('NO_TARGET_ORIGIN', 'dropped an outgoing message: the peer origin is not known yet');
        return;
      }
      t.postMessage(message, { targetOrigin, transfer });
    },
    listen(onMessage) {
      const l = (ev: MessageEvent) => {
        const expected = o.expectedSource();
        if (expected == null || ev.source !== expected) {
          o.warn('WRONG_SOURCE', `dropped a message from an unexpected window (origin ${ev.origin})`);
          return;
        }
        if (!o.acceptOrigin(ev.origin)) {
          o.warn('WRONG_ORIGIN', `dropped a message from origin ${JSON.stringify(ev.origin)}`);
          return;
        }
        onMessage(ev.data, ev.origin);
      };
      subs.add(l);
      o.self.addEventListener('message', l as EventListener);
      return () => {
        subs.delete(l);
        o.self.removeEventListener('message', l as EventListener);
      };
    },
    close() {
      if (closed) return;
      closed = true;
      for (const l of subs) o.self.removeEventListener('message', l as EventListener);
      subs.clear();
    },
  };
}
