// The bridge in Chromium: a real MessageChannel round trip, and the bad-message table plus random garbage sent
// through window.postMessage from a sandboxed iframe (origin "null"), with wrong-source and wrong-origin senders.
import { expect } from '@esm-bundle/chai';
import { HostSession, windowTransport, type BridgeError } from '../../src/bridge/index.js';
import { BAD_MESSAGES_TO_HOST, randomGarbage } from '../bridge/bad-messages.js';
import { TEST_PLUGIN, connectPair, until } from '../bridge/bridge-harness.js';
import { MemoryAdapter } from '../bridge/memory-adapter.js';

// The relay iframe re-posts what the test gives it to its parent (so the host sees a sandboxed sender) and
// forwards the host's replies back to the test over a private port.
const RELAY = `<script>
let port;
addEventListener('message', (e) => {
  if (e.data && e.data.__init) { port = e.ports[0]; port.postMessage('ready'); }
  else if (e.data && '__relay' in e.data) parent.postMessage(e.data.__relay, '*');
  else if (port) port.postMessage(e.data);
});
</script>`;

interface Relay {
  frame: HTMLIFrameElement;
  replies: { id: string; type: string; payload: { code?: string } }[];
  send(message: unknown): void;
}

async function relayFrame(sandbox: string | null): Promise<Relay> {
  const frame = document.createElement('iframe');
  if (sandbox !== null) frame.setAttribute('sandbox', sandbox);
  frame.srcdoc = RELAY;
  document.body.append(frame);
  await new Promise((r) => frame.addEventListener('load', r, { once: true }));
  const ch = new MessageChannel();
  const replies: Relay['replies'] = [];
  const ready = new Promise<void>((resolve) => {
    ch.port1.onmessage = (e) => (e.data === 'ready' ? resolve() : replies.push(e.data));
  });
  frame.contentWindow!.postMessage({ __init: true }, '*', [ch.port2]);
  await ready;
  return { frame, replies, send: (m) => frame.contentWindow!.postMessage({ __relay: m }, '*') };
}

function hostFor(frame: HTMLIFrameElement, acceptOrigin: (o: string) => boolean) {
  const warnings: string[] = [];
  const adapter = new MemoryAdapter();
  const session = new HostSession({
    transport: windowTransport({
      self: window,
      target: () => frame.contentWindow,
      targetOrigin: () => '*',
      expectedSource: () => frame.contentWindow,
      acceptOrigin,
      warn: (code) => warnings.push(code),
    }),
    adapter,
    manifest: { id: TEST_PLUGIN.pluginId, permissions: ['layer:read', 'layer:write', 'selection:read'] },
    warn: (code) => warnings.push(code),
  });
  return { session, warnings, adapter };
}

describe('bridge in Chromium: MessageChannel', () => {
  it('round-trips typed requests with transferred pixels', async () => {
    const pair = await connectPair();
    try {
      const layer = await pair.client.getActiveLayer();
      expect(layer.bounds).to.deep.equal({ x: 0, y: 0, width: 16, height: 12 });
      const data = new Uint8Array(16).fill(7).buffer;
      const id = await pair.client.addLayer({
        name: 'x',
        image: { width: 2, height: 2, data },
        position: { x: 1, y: 1 },
      });
      expect(data.byteLength).to.equal(0);
      expect(pair.adapter.layers.find((l) => l.id === id)?.pixels[0]).to.equal(7);
      let err: BridgeError | null = null;
      await pair.client.getSelection({ timeoutMs: 1, signal: AbortSignal.abort() }).catch((e) => (err = e));
      expect(err!.code).to.equal('ABORTED');
    } finally {
      pair.close();
    }
  });
});

describe('bridge in Chromium: window.postMessage from a sandboxed iframe', () => {
  let relay: Relay;
  let host: ReturnType<typeof hostFor>;
  before(async () => {
    relay = await relayFrame('allow-scripts');
    host = hostFor(relay.frame, (o) => o === 'null');
  });
  after(() => {
    host.session.close();
    relay.frame.remove();
  });

  async function probe(): Promise<void> {
    const id = `probe-${Math.random().toString(36).slice(2)}`;
    relay.send({ v: 1, id, type: 'getSelection', payload: {} });
    await until(() => relay.replies.some((r) => r.id === id));
    expect(relay.replies.find((r) => r.id === id)!.type).to.equal('result');
  }

  for (const c of BAD_MESSAGES_TO_HOST) {
    it(`${c.name}: ${typeof c.expect === 'string' ? c.expect : 'replies ' + c.expect.reply}`, async () => {
      relay.replies.length = 0;
      host.warnings.length = 0;
      relay.send(c.message);
      await probe();
      const others = relay.replies.filter((r) => !r.id.startsWith('probe-'));
      if (c.expect === 'warn') {
        expect(others).to.have.length(0);
        expect(host.warnings).to.have.length(1);
      } else if (c.expect === 'ignore') {
        expect(others).to.have.length(0);
      } else {
        expect(others).to.have.length(1);
        expect(others[0].type).to.equal('error');
        expect(others[0].payload.code).to.equal(c.expect.reply);
      }
      expect(host.adapter.layers).to.have.length(1);
    });
  }

  it('survives 300 random garbage messages', async () => {
    relay.replies.length = 0;
    host.warnings.length = 0;
    for (const g of randomGarbage(99, 300)) relay.send(g);
    await probe();
    expect(host.warnings.length + relay.replies.length).to.be.greaterThan(250);
    expect(relay.replies.filter((r) => !r.id.startsWith('probe-')).every((r) => r.type === 'error')).to.equal(
      true,
    );
    expect(host.adapter.layers).to.have.length(1);
  });

  it('drops a well-formed request from the wrong window with a warning, and does not reply', async () => {
    host.warnings.length = 0;
    relay.replies.length = 0;
    window.postMessage({ v: 1, id: 'spoof', type: 'getActiveLayer', payload: {} }, '*');
    await until(() => host.warnings.includes('WRONG_SOURCE'));
    await probe();
    expect(relay.replies.some((r) => r.id === 'spoof')).to.equal(false);
  });

  it('drops a request from the right window but the wrong origin', async () => {
    const sameOrigin = await relayFrame(null); // not sandboxed: origin is the test page's, not "null"
    const h = hostFor(sameOrigin.frame, (o) => o === 'null');
    try {
      sameOrigin.send({ v: 1, id: 'wrong-origin', type: 'getActiveLayer', payload: {} });
      await until(() => h.warnings.includes('WRONG_ORIGIN'));
      expect(sameOrigin.replies).to.have.length(0);
    } finally {
      h.session.close();
      sameOrigin.frame.remove();
    }
  });
});
