// Host SDK session <-> plugin client over a real Node MessageChannel: typed requests, transfers, permissions,
// timeouts, aborts, reload, and the bad-message table plus random garbage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BridgeError,
  HostSession,
  PROTOCOL_VERSION,
  createPluginClient,
  portTransport,
  rgbaImage,
} from '../../src/bridge/index.js';
import { BAD_MESSAGES_TO_HOST, randomGarbage } from './bad-messages.js';
import { TEST_PLUGIN, connectPair, rawHost, until } from './bridge-harness.js';
import { MemoryAdapter } from './memory-adapter.js';

describe('bridge round trip (MessageChannel)', () => {
  it('handshakes, reads the active layer and selection, adds a layer with a transferred buffer', async () => {
    const pair = await connectPair();
    try {
      assert.equal(pair.handshake.protocolVersion, PROTOCOL_VERSION);
      assert.equal(pair.handshake.plugin.id, TEST_PLUGIN.pluginId);
      assert.deepEqual(pair.client.host, { name: 'memory-editor', version: '1.0.0' });
      assert.ok(pair.client.permissions.includes('layer:write'));

      const layer = await pair.client.getActiveLayer();
      assert.equal(layer.id, 'bg');
      assert.deepEqual(layer.bounds, { x: 0, y: 0, width: 16, height: 12 });
      assert.deepEqual(new Uint8Array(layer.image.data), pair.adapter.layers[0].pixels);

      assert.equal(await pair.client.getSelection(), null);
      pair.adapter.selection = { x: 2, y: 3, width: 4, height: 5 };
      assert.deepEqual(await pair.client.getSelection(), { x: 2, y: 3, width: 4, height: 5 });

      const bytes = new Uint8Array(8 * 8 * 4).fill(200);
      const image = rgbaImage(bytes, 8, 8);
      const id = await pair.client.addLayer({ name: 'up', image, position: { x: 8, y: 12 } });
      assert.equal(image.data.byteLength, 0, 'the pixel buffer was transferred, not copied');
      const added = pair.adapter.layers.find((l) => l.id === id);
      assert.ok(added);
      assert.deepEqual(added.bounds, { x: 8, y: 12, width: 8, height: 8 });
      assert.equal(added.pixels[0], 200);

      pair.client.progress({ stage: 'adapt', done: 1, total: 4 });
      await until(() => pair.progress.length === 1);
      assert.deepEqual(pair.progress[0], { stage: 'adapt', done: 1, total: 4 });
      assert.equal(pair.host.pendingCount, 0);
      assert.deepEqual(pair.warnings, []);
    } finally {
      pair.close();
    }
  });

  it('getActiveLayer({ rect }): only that region of the layer crosses, even from an adapter sending it all', async () => {
    const pair = await connectPair();
    try {
      const full = pair.adapter.layers[0].pixels; // 16x12
      const layer = await pair.client.getActiveLayer({ rect: { x: 3, y: 2, width: 5, height: 4 } });
      assert.deepEqual(
        pair.adapter.rects,
        [{ x: 3, y: 2, width: 5, height: 4 }],
        'the adapter was told the region',
      );
      assert.deepEqual(layer.bounds, { x: 3, y: 2, width: 5, height: 4 });
      assert.equal(layer.image.data.byteLength, 5 * 4 * 4);
      const got = new Uint8Array(layer.image.data);
      for (let y = 0; y < 4; y++) {
        const row = full.subarray(((2 + y) * 16 + 3) * 4, ((2 + y) * 16 + 8) * 4);
        assert.deepEqual(got.subarray(y * 20, (y + 1) * 20), row, `row ${y}`);
      }
      // Partly outside the layer: the part inside; entirely outside: OUTSIDE_LAYER; no rect: the whole layer.
      const edge = await pair.client.getActiveLayer({ rect: { x: 14, y: -3, width: 10, height: 5 } });
      assert.deepEqual(edge.bounds, { x: 14, y: 0, width: 2, height: 2 });
      await assert.rejects(
        pair.client.getActiveLayer({ rect: { x: 30, y: 0, width: 2, height: 2 } }),
        (e: BridgeError) =>
          e.code === 'OUTSIDE_LAYER' && /does not overlap layer "Background"/.test(e.message),
      );
      assert.deepEqual((await pair.client.getActiveLayer()).bounds, { x: 0, y: 0, width: 16, height: 12 });
      // A malformed rect never reaches the host.
      await assert.rejects(
        pair.client.getActiveLayer({ rect: { x: 0, y: 0, width: 0, height: 2 } }),
        (e: BridgeError) => e.code === 'PROTOCOL',
      );
      assert.equal(pair.adapter.rects.length, 4);
      assert.deepEqual(pair.warnings, []);
    } finally {
      pair.close();
    }
  });

  it('a protocol-1 host is never sent a rect (it would refuse the unknown key)', async () => {
    const ch = new MessageChannel();
    const fakeHost = portTransport(ch.port1);
    const payloads: unknown[] = [];
    fakeHost.listen((d) => {
      const m = d as { id: string; type: string; payload: unknown };
      if (m.type !== 'getActiveLayer') return;
      payloads.push(m.payload);
      const payload = {
        id: 'a',
        name: 'n',
        bounds: { x: 0, y: 0, width: 1, height: 1 },
        image: { width: 1, height: 1, data: new ArrayBuffer(4) },
      };
      fakeHost.send({ v: 1, id: m.id, type: 'result', payload }, []);
    });
    const clientP = createPluginClient(portTransport(ch.port2), { ...TEST_PLUGIN, warn: () => undefined });
    fakeHost.send(
      {
        v: 1,
        id: 'h-1',
        type: 'handshake',
        payload: {
          protocol: { min: 1, max: 1 },
          host: { name: 'old', version: '0' },
          capabilities: ['getActiveLayer'],
          permissions: ['layer:read'],
        },
      },
      [],
    );
    const client = await clientP;
    try {
      assert.equal(client.protocolVersion, 1);
      await client.getActiveLayer({ rect: { x: 0, y: 0, width: 1, height: 1 } });
      assert.deepEqual(payloads, [{}]);
    } finally {
      client.dispose();
      fakeHost.close();
    }
  });

  it('the plugin says hello once it listens, and the host handshakes on it', async () => {
    const ch = new MessageChannel();
    const host = new HostSession({
      transport: portTransport(ch.port1),
      adapter: new MemoryAdapter(),
      manifest: { id: TEST_PLUGIN.pluginId, permissions: ['layer:read'] },
    });
    const handshook = new Promise<string>((resolve) =>
      host.onHello(() => void host.handshake().then((r) => resolve(r.plugin.id))),
    );
    const client = await createPluginClient(portTransport(ch.port2), TEST_PLUGIN);
    try {
      assert.equal(await handshook, TEST_PLUGIN.pluginId);
      assert.deepEqual(client.permissions, ['layer:read']);
    } finally {
      client.dispose();
      host.close();
    }
  });

  it('enforces permissions: without layer:write addLayer fails and nothing is added', async () => {
    const pair = await connectPair({ permissions: ['layer:read', 'selection:read'] });
    try {
      const image = rgbaImage(new Uint8Array(4), 1, 1);
      await assert.rejects(
        pair.client.addLayer({ name: 'x', image, position: { x: 0, y: 0 } }),
        (e: BridgeError) => {
          assert.equal(e.code, 'PERMISSION_DENIED');
          assert.match(e.message, /layer:write/);
          assert.equal(e.stack?.includes('host-session'), false, 'no host stack crosses the wire');
          return true;
        },
      );
      assert.equal(pair.adapter.layers.length, 1);
    } finally {
      pair.close();
    }
  });

  it('an adapter returning a malformed layer gives the plugin HOST_ERROR and the host a warning', async () => {
    const adapter = new MemoryAdapter();
    adapter.getActiveLayer = async () => ({
      id: 'bad',
      name: 'bad',
      bounds: { x: 0, y: 0, width: 2, height: 2 },
      image: { width: 2, height: 2, data: new ArrayBuffer(5) },
    });
    const pair = await connectPair({ adapter });
    try {
      await assert.rejects(
        pair.client.getActiveLayer(),
        (e: BridgeError) => e.code === 'HOST_ERROR' && /5 bytes/.test(e.message),
      );
      assert.ok(pair.warnings.includes('host:ADAPTER'));
    } finally {
      pair.close();
    }
  });

  it('times out a request and tells the host to stop', async () => {
    const adapter = new MemoryAdapter();
    const pair = await connectPair({ adapter });
    try {
      adapter.gate = new Promise(() => undefined);
      await assert.rejects(
        pair.client.getActiveLayer({ timeoutMs: 50 }),
        (e: BridgeError) => e.code === 'TIMEOUT',
      );
      await until(() => adapter.signals.at(-1)?.aborted === true);
    } finally {
      pair.close();
    }
  });

  it('aborts a request: rejects with AbortError, the host handler sees the abort, no layer is added', async () => {
    const adapter = new MemoryAdapter();
    const pair = await connectPair({ adapter });
    try {
      let open!: () => void;
      adapter.gate = new Promise((r) => (open = r));
      const ac = new AbortController();
      const image = rgbaImage(new Uint8Array(16), 2, 2);
      const p = pair.client.addLayer({ name: 'x', image, position: { x: 0, y: 0 } }, { signal: ac.signal });
      await until(() => adapter.signals.length === 1);
      ac.abort();
      await assert.rejects(p, (e: BridgeError) => e.name === 'AbortError' && e.code === 'ABORTED');
      await until(() => adapter.signals[0].aborted);
      open();
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(adapter.layers.length, 1);
      await assert.rejects(
        pair.client.getSelection({ signal: AbortSignal.abort() }),
        (e: BridgeError) => e.code === 'ABORTED',
      );
    } finally {
      pair.close();
    }
  });

  it('fails pending requests cleanly when the host closes the session (plugin reload)', async () => {
    const adapter = new MemoryAdapter();
    const pair = await connectPair({ adapter });
    try {
      adapter.gate = new Promise(() => undefined);
      const p = pair.client.getActiveLayer({ timeoutMs: 5000 });
      await until(() => adapter.signals.length === 1);
      const h = pair.host.handshake({ timeoutMs: 5000 });
      pair.host.close(new BridgeError('DISCONNECTED', 'the plugin reloaded'));
      await assert.rejects(h, (e: BridgeError) => e.code === 'DISCONNECTED');
      assert.ok(adapter.signals[0].aborted, 'running handlers are aborted');
      pair.client.dispose();
      await assert.rejects(p, (e: BridgeError) => e.code === 'DISCONNECTED');
    } finally {
      pair.close();
    }
  });

  it('rejects a malformed result from the host with PROTOCOL', async () => {
    const ch = new MessageChannel();
    const fakeHost = portTransport(ch.port1);
    const clientP = createPluginClient(portTransport(ch.port2), { ...TEST_PLUGIN, warn: () => undefined });
    fakeHost.listen((d) => {
      const m = d as { id: string; type: string };
      if (m.type === 'getActiveLayer') {
        // 2x2 claims 16 bytes but carries 3
        const payload = {
          id: 'a',
          name: 'n',
          bounds: { x: 0, y: 0, width: 2, height: 2 },
          image: { width: 2, height: 2, data: new ArrayBuffer(3) },
        };
        fakeHost.send({ v: 1, id: m.id, type: 'result', payload }, []);
      }
      if (m.type === 'getSelection')
        fakeHost.send({ v: 1, id: m.id, type: 'error', payload: { stack: 'x' } }, []);
    });
    fakeHost.send(
      {
        v: 1,
        id: 'h-1',
        type: 'handshake',
        payload: {
          protocol: { min: 1, max: 3 },
          host: { name: 'fake', version: '0' },
          capabilities: [],
          permissions: [],
        },
      },
      [],
    );
    const client = await clientP;
    try {
      assert.equal(client.protocolVersion, PROTOCOL_VERSION, 'negotiates the highest common version');
      await assert.rejects(
        client.getActiveLayer(),
        (e: BridgeError) => e.code === 'PROTOCOL' && /bytes/.test(e.message),
      );
      await assert.rejects(client.getSelection(), (e: BridgeError) => e.code === 'PROTOCOL');
    } finally {
      client.dispose();
      fakeHost.close();
    }
  });

  it('refuses a handshake with no common protocol version', async () => {
    const ch = new MessageChannel();
    const fakeHost = portTransport(ch.port1);
    const replies: { type: string; payload: { code: string } }[] = [];
    fakeHost.listen((d) => replies.push(d as (typeof replies)[number]));
    const clientP = createPluginClient(portTransport(ch.port2), { ...TEST_PLUGIN, handshakeTimeoutMs: 200 });
    fakeHost.send(
      {
        v: 1,
        id: 'h-1',
        type: 'handshake',
        payload: {
          protocol: { min: 5, max: 6 },
          host: { name: 'f', version: '0' },
          capabilities: [],
          permissions: [],
        },
      },
      [],
    );
    await until(() => replies.some((r) => r.type === 'error'));
    assert.deepEqual(
      replies.map((r) => r.type),
      ['hello', 'error'],
      'the plugin said hello, then refused the handshake',
    );
    assert.equal(replies[1].payload.code, 'VERSION_MISMATCH');
    await assert.rejects(clientP, (e: BridgeError) => e.code === 'TIMEOUT');
    fakeHost.close();
  });
});

describe('bridge rejects bad messages (MessageChannel)', () => {
  for (const c of BAD_MESSAGES_TO_HOST) {
    it(`${c.name}: ${typeof c.expect === 'string' ? c.expect : 'replies ' + c.expect.reply}`, async () => {
      const h = rawHost();
      try {
        h.raw.send(c.message, []);
        // A valid request after the bad one proves the host is still alive and answers in order.
        h.raw.send({ v: 1, id: 'probe', type: 'getSelection', payload: {} }, []);
        await until(() => h.replies.some((r) => r.id === 'probe'));
        const others = h.replies.filter((r) => r.id !== 'probe');
        if (c.expect === 'warn') {
          assert.equal(others.length, 0);
          assert.equal(h.warnings.length, 1, `warnings: ${h.warnings.join(',')}`);
        } else if (c.expect === 'ignore') {
          assert.equal(others.length, 0);
        } else {
          assert.equal(others.length, 1);
          assert.equal(others[0].type, 'error');
          assert.equal(others[0].payload.code, c.expect.reply);
        }
        assert.equal(h.adapter.layers.length, 1, 'no bad message added a layer');
      } finally {
        h.close();
      }
    });
  }

  it('survives 300 random garbage messages and still serves', async () => {
    const h = rawHost();
    try {
      for (const g of randomGarbage(1234, 300)) h.raw.send(g, []);
      h.raw.send({ v: 1, id: 'probe', type: 'getSelection', payload: {} }, []);
      await until(() => h.replies.some((r) => r.id === 'probe'), 5000);
      const probe = h.replies.find((r) => r.id === 'probe');
      assert.equal(probe?.type, 'result');
      assert.equal(h.adapter.layers.length, 1);
      assert.ok(
        h.warnings.length + h.replies.length > 250,
        'each garbage message got a warning or an error reply',
      );
      assert.ok(h.replies.filter((r) => r.id !== 'probe').every((r) => r.type === 'error'));
    } finally {
      h.close();
    }
  });
});

describe('the plugin client rejects bad messages from its host (MessageChannel)', () => {
  it('answers each bad message with an error reply or drops it with a warning, and keeps working', async () => {
    const ch = new MessageChannel();
    const host = portTransport(ch.port1);
    const replies: { id: string; type: string }[] = [];
    host.listen((d) => replies.push(d as (typeof replies)[number]));
    const warnings: string[] = [];
    const clientP = createPluginClient(portTransport(ch.port2), {
      ...TEST_PLUGIN,
      warn: (c) => warnings.push(c),
    });
    const hs = {
      protocol: { min: 1, max: 1 },
      host: { name: 'h', version: '1' },
      capabilities: [],
      permissions: [],
    };
    host.send({ v: 1, id: 'hs', type: 'handshake', payload: hs }, []);
    const client = await clientP;
    const commands: string[] = [];
    client.onCommand((c) => commands.push(c));
    try {
      const bad = [
        ...BAD_MESSAGES_TO_HOST.map((c) => c.message),
        { v: 1, id: 'rc1', type: 'runCommand', payload: { command: 'rm -rf /' } },
        { v: 1, id: 'hs2', type: 'handshake', payload: { ...hs, protocol: { min: 3, max: 1 } } },
        ...randomGarbage(7, 200),
      ];
      for (const m of bad) host.send(m, []);
      host.send({ v: 1, id: 'ok', type: 'runCommand', payload: { command: 'lway.upscaleSelection' } }, []);
      await until(() => replies.some((r) => r.id === 'ok'));
      assert.deepEqual(commands, ['lway.upscaleSelection'], 'only the valid command ran');
      assert.equal(replies.find((r) => r.id === 'ok')?.type, 'result');
      // Every bad message but one (an 'abort' for an unknown id, ignored by design) got an error or a warning.
      const errors = replies.filter((r) => r.type === 'error').length;
      assert.ok(errors + warnings.length >= bad.length - 1, `${errors} errors + ${warnings.length} warnings`);
      assert.equal(replies.find((r) => r.id === 'rc1')?.type, 'error');
      assert.equal(replies.find((r) => r.id === 'hs2')?.type, 'error');
    } finally {
      client.dispose();
      host.close();
    }
  });
});
