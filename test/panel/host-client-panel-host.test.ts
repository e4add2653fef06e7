import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cropActiveLayer,
  intersectRects,
  type ActiveLayer,
  type GetActiveLayerOptions,
  type HostClient,
  type NewLayer,
  type Rect,
} from '../../src/bridge/index.js';
import { HostClientPanelHost } from '../../src/panel/host-client-panel-host.js';

/** A 4x3 layer at (10, 20) whose pixel (x, y) is [x, y, 7, 255]. */
function layer(): ActiveLayer {
  const data = new Uint8Array(4 * 3 * 4);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) data.set([x, y, 7, 255], 4 * (y * 4 + x));
  return {
    id: 'L9',
    name: 'Base',
    bounds: { x: 10, y: 20, width: 4, height: 3 },
    image: { width: 4, height: 3, data: data.buffer },
  };
}

/**
 * A fake host. By default it ignores `rect` and sends the whole layer (as a protocol-1 host does); with
 * `honourRect` it sends only the region, as the host SDK and the Photopea adapter do.
 */
function client(
  selection: Rect | null,
  canSelect = true,
  honourRect = false,
): HostClient & { added: NewLayer[]; asked: (GetActiveLayerOptions | undefined)[] } {
  const added: NewLayer[] = [];
  const asked: (GetActiveLayerOptions | undefined)[] = [];
  return {
    added,
    asked,
    host: { name: 'fake', version: '1' },
    protocolVersion: 1,
    capabilities: canSelect ? ['getActiveLayer', 'getSelection', 'addLayer'] : ['getActiveLayer', 'addLayer'],
    permissions: ['layer:read', 'layer:write', 'selection:read'],
    getActiveLayer: async (o) => {
      asked.push(o);
      return honourRect && o?.rect ? cropActiveLayer(layer(), o.rect) : layer();
    },
    getSelection: async () => selection,
    addLayer: async (l) => {
      added.push(l);
      return 'new-1';
    },
    progress: () => {},
    notify: () => {},
    onCommand: () => () => {},
    dispose: () => {},
  };
}

test('intersectRects', () => {
  assert.deepEqual(intersectRects({ x: 0, y: 0, width: 4, height: 4 }, { x: 2, y: 3, width: 4, height: 4 }), {
    x: 2,
    y: 3,
    width: 2,
    height: 1,
  });
  assert.equal(
    intersectRects({ x: 0, y: 0, width: 2, height: 2 }, { x: 2, y: 0, width: 2, height: 2 }),
    null,
  );
});

test('the source is the selection cropped from the layer, in document coordinates', async () => {
  const src = await new HostClientPanelHost(client({ x: 11, y: 21, width: 10, height: 1 })).getSource();
  assert.deepEqual(
    [src.x, src.y, src.pixels.width, src.pixels.height, src.isSelection],
    [11, 21, 3, 1, true],
  );
  assert.deepEqual(Array.from(src.pixels.data), [1, 1, 7, 255, 2, 1, 7, 255, 3, 1, 7, 255]);
});

test('the host is asked for the selection only, and the source is what it sends', async () => {
  const c = client({ x: 11, y: 21, width: 2, height: 2 }, true, true);
  const src = await new HostClientPanelHost(c).getSource();
  assert.deepEqual(c.asked, [{ rect: { x: 11, y: 21, width: 2, height: 2 } }]);
  assert.deepEqual(
    [src.x, src.y, src.pixels.width, src.pixels.height, src.isSelection],
    [11, 21, 2, 2, true],
  );
  assert.deepEqual(Array.from(src.pixels.data), [1, 1, 7, 255, 2, 1, 7, 255, 1, 2, 7, 255, 2, 2, 7, 255]);
  // Off the layer: the host's OUTSIDE_LAYER becomes the panel's BAD_INPUT.
  await assert.rejects(
    new HostClientPanelHost(client({ x: 0, y: 0, width: 5, height: 5 }, true, true)).getSource(),
    (e: Error & { code?: string }) =>
      e.code === 'BAD_INPUT' && /does not overlap the active layer/.test(e.message),
  );
});

test('no selection (or no selection capability) gives the whole layer', async () => {
  for (const c of [client(null), client({ x: 11, y: 21, width: 1, height: 1 }, false)]) {
    const src = await new HostClientPanelHost(c).getSource();
    assert.deepEqual(
      [src.x, src.y, src.pixels.width, src.pixels.height, src.isSelection],
      [10, 20, 4, 3, false],
    );
    assert.equal(src.layerId, 'L9');
    assert.deepEqual(c.asked, [{}], 'no rect: the whole layer');
  }
});

test('a selection off the layer is a BAD_INPUT error naming the layer', async () => {
  await assert.rejects(
    new HostClientPanelHost(client({ x: 0, y: 0, width: 5, height: 5 })).getSource(),
    /does not overlap layer "Base"/,
  );
});

test('addLayer sends RGBA with name and position; RGB is widened with opaque alpha', async () => {
  const c = client(null);
  await new HostClientPanelHost(c).addLayer(
    { data: new Uint8Array([1, 2, 3, 4, 5, 6]), width: 2, height: 1, channels: 3 },
    { name: 'Base ×4', x: 10, y: 20 },
  );
  const l = c.added[0];
  assert.deepEqual([l.name, l.position, l.image.width, l.image.height], ['Base ×4', { x: 10, y: 20 }, 2, 1]);
  assert.deepEqual(Array.from(new Uint8Array(l.image.data)), [1, 2, 3, 255, 4, 5, 6, 255]);
});
