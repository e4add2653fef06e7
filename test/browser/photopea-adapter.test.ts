// The Photopea adapter against our Photopea emulator (test/bridge/photopea-emulator.ts) in Chromium, one case per
// document shape or host quirk of issue 13: transparent margins, a smaller layer without a selection, folders, no
// document, `.value`-only UnitValues, strict enums, late placement, lost replies. Each job must add exactly one
// finished layer, placed exactly, or leave the document as it was; the original layers never change.
import { expect } from '@esm-bundle/chai';
import type { BridgeError, HostClient } from '../../src/bridge/index.js';
import { LwayPanel } from '../../src/panel/lway-panel.js';
import { HostClientPanelHost } from '../../src/panel/host-client-panel-host.js';
import { hashPixels } from '../e2e/hash-pixels.js';
import type { EmuGroup } from '../bridge/photopea-emulator.js';
import {
  pattern,
  photopeaStage,
  runJob,
  snapshot,
  type NodeFacts,
  type PhotopeaStage,
} from '../bridge/photopea-harness.js';

const stages: PhotopeaStage[] = [];
async function stage(...args: Parameters<typeof photopeaStage>): Promise<PhotopeaStage> {
  const s = await photopeaStage(...args);
  stages.push(s);
  return s;
}
afterEach(() => stages.splice(0).forEach((s) => s.close()));

/** A 48x40 document with an opaque "Background" layer (the active one). */
function withBackground(s: PhotopeaStage) {
  s.emu.openDocument(48, 40);
  return s.emu.addLayer('Background', 0, 0, 48, 40, pattern(48, 40));
}

async function rejection(p: Promise<unknown>): Promise<BridgeError> {
  try {
    await p;
  } catch (e) {
    return e as BridgeError;
  }
  throw new Error('expected a rejection');
}

/** Asserts the job added exactly one layer and changed nothing else; returns the new layer. */
function oneNewLayer(before: NodeFacts[], after: NodeFacts[]): NodeFacts {
  const ids = new Set(before.map((n) => n.id));
  const added = after.filter((n) => !ids.has(n.id));
  expect(
    added.map((n) => n.name),
    'one new layer',
  ).to.have.length(1);
  // A folder's bounds and a node's index move when a layer joins it; everything else must stay.
  const strip = ({ index: _i, bounds, ...rest }: NodeFacts) =>
    rest.type === 'group' ? rest : { ...rest, bounds };
  expect(after.filter((n) => ids.has(n.id)).map(strip), 'originals unchanged').to.deep.equal(
    before.map(strip),
  );
  return added[0];
}

function unchanged(before: NodeFacts[], after: NodeFacts[]): void {
  expect(after, 'the document is as it was').to.deep.equal(before);
}

/** Index in the folder of the node with this id. */
function indexOf(nodes: NodeFacts[], id: number): number {
  return nodes.find((n) => n.id === id)!.index;
}

describe('Photopea adapter against the emulator', () => {
  it('adds the job as one rasterised layer at the selection, directly above the source (strict enums)', async () => {
    const s = await stage();
    const bg = withBackground(s);
    s.emu.doc!.selection = [10, 12, 18, 20];
    const client = await s.connect();
    const before = snapshot(s.emu);
    const { result } = await runJob(client);
    const after = snapshot(s.emu);
    const added = oneNewLayer(before, after);
    expect([added.x, added.y, added.width, added.height]).to.deep.equal([10, 12, 32, 32]);
    expect(added.name).to.equal('LWay x4');
    expect(added.rasterized, 'rasterised, not left a smart object').to.equal(true);
    expect(added.hash).to.equal(hashPixels(result.data));
    expect(added.parent).to.equal(null);
    expect(added.index).to.equal(indexOf(after, bg.id) - 1);
    expect(s.emu.stats.earlyDones).to.be.greaterThan(0);
    expect(s.emu.stats.errors).to.deep.equal([]);
  });

  it('transparent pixels at the selection edge: the image lands at the selection, not at its opaque box', async () => {
    const s = await stage();
    s.emu.openDocument(48, 40);
    // A layer whose pixels left of x = 19 and above y = 15 are transparent; the selection starts at (13, 11),
    // so its first 6 columns and 4 rows are transparent.
    s.emu.addLayer(
      'Shape',
      0,
      0,
      48,
      40,
      pattern(48, 40, (x, y) => x < 19 || y < 15),
    );
    s.emu.doc!.selection = [13, 11, 13 + 16, 11 + 12];
    const client = await s.connect();
    const before = snapshot(s.emu);
    const { result } = await runJob(client);
    const added = oneNewLayer(before, snapshot(s.emu));
    expect([added.x, added.y, added.width, added.height]).to.deep.equal([13, 11, 64, 48]);
    expect(added.bounds, 'opaque box at the selection + 4 x the margin').to.deep.equal([
      13 + 24,
      11 + 16,
      13 + 64,
      11 + 48,
    ]);
    expect(added.hash).to.equal(hashPixels(result.data));
  });

  it('no selection and a layer smaller than the canvas: the whole-canvas result lands at (0, 0)', async () => {
    const s = await stage();
    s.emu.openDocument(24, 20);
    s.emu.addLayer('Small', 7, 5, 10, 8, pattern(10, 8));
    const client = await s.connect();
    const before = snapshot(s.emu);
    const { source } = await runJob(client);
    expect(source.isSelection).to.equal(false);
    const added = oneNewLayer(before, snapshot(s.emu));
    expect([added.x, added.y, added.width, added.height]).to.deep.equal([0, 0, 96, 80]);
    expect(added.bounds).to.deep.equal([28, 20, 68, 52]);
  });

  it('active layer inside folders (one hidden): exports that layer alone, adds the result above it in its folder', async () => {
    const s = await stage();
    withBackground(s);
    const outer = s.emu.addGroup('Outer');
    const inner: EmuGroup = s.emu.addGroup('Inner', outer);
    const below = s.emu.addLayer(
      'Below',
      0,
      0,
      48,
      40,
      pattern(48, 40, (x) => x % 2 === 0),
      inner,
    );
    const src = s.emu.addLayer('Source', 4, 4, 30, 30, pattern(30, 30), inner);
    s.emu.addLayer(
      'Above in folder',
      0,
      0,
      48,
      40,
      pattern(48, 40, (x) => x % 3 !== 0),
      inner,
    );
    s.emu.addLayer(
      'Top',
      0,
      0,
      48,
      40,
      pattern(48, 40, (_x, y) => y % 2 === 0),
    );
    inner.visible = false; // the user hid the folder; the layer is still the one to export
    s.emu.doc!.activeId = src.id;
    s.emu.doc!.selection = [6, 8, 6 + 10, 8 + 9];
    const client = await s.connect();
    const before = snapshot(s.emu);
    const { source, result } = await runJob(client);
    // The source is the layer's own pixels, nothing of the layers around it.
    const expected = pattern(30, 30).filter((_v, i) => {
      const p = i >> 2;
      const x = p % 30;
      const y = Math.floor(p / 30);
      return x >= 2 && x < 12 && y >= 4 && y < 13;
    });
    expect(hashPixels(source.pixels.data)).to.equal(hashPixels(expected));
    const after = snapshot(s.emu);
    const added = oneNewLayer(before, after);
    expect(added.parent, 'inside the source layer’s folder').to.equal(inner.id);
    expect(added.index).to.equal(indexOf(after, src.id) - 1);
    expect([added.x, added.y, added.width, added.height]).to.deep.equal([6, 8, 40, 36]);
    expect(added.rasterized).to.equal(true);
    expect(added.hash).to.equal(hashPixels(result.data));
    expect(below.visible && !inner.visible, 'visibility restored').to.equal(true);
  });

  it('a fully transparent export is a clear error, not a silent upscale; nothing is added', async () => {
    const s = await stage();
    withBackground(s);
    s.emu.addLayer('Empty', 0, 0, 48, 40, new Uint8ClampedArray(48 * 40 * 4));
    const client = await s.connect();
    const before = snapshot(s.emu);
    const err = await rejection(runJob(client));
    expect(err.code).to.equal('EMPTY_LAYER');
    expect(err.message).to.match(/no visible pixels/);
    unchanged(before, snapshot(s.emu));
  });

  for (const noDocument of ['null', 'throw'] as const) {
    it(`no document (activeDocument ${noDocument}): connects, says "Open an image first", works once one is open`, async () => {
      const s = await stage({ noDocument });
      const client = await s.connect({ handshakeTimeoutMs: 2000 });
      const err = await rejection(client.getActiveLayer({ timeoutMs: 2000 }));
      expect(err.code).to.equal('NO_DOCUMENT');
      expect(err.message).to.match(/Open an image first/);
      expect((await rejection(client.getSelection({ timeoutMs: 2000 }))).code).to.equal('NO_DOCUMENT');
      withBackground(s);
      s.emu.doc!.selection = [0, 0, 4, 4];
      const before = snapshot(s.emu);
      await runJob(client);
      expect(oneNewLayer(before, snapshot(s.emu)).width).to.equal(16);
    });
  }

  it('a strict host whose rasterize fails: the job fails with its reason and no smart object is left', async () => {
    const s = await stage({ rasterizeThrows: true });
    withBackground(s);
    s.emu.doc!.selection = [1, 2, 9, 10];
    const client = await s.connect();
    const before = snapshot(s.emu);
    const err = await rejection(runJob(client));
    expect(err.message).to.match(/rasteri[sz]e/);
    await s.emu.settled();
    unchanged(before, snapshot(s.emu));
    expect(s.emu.stats.placed).to.equal(1);
  });

  it('UnitValues with `.value` only (no valueOf): reads the selection and places the layer', async () => {
    const s = await stage({ unitValues: 'valueOnly' });
    withBackground(s);
    s.emu.doc!.selection = [5, 6, 13, 12];
    const client = await s.connect();
    expect(await client.getSelection()).to.deep.equal({ x: 5, y: 6, width: 8, height: 6 });
    const before = snapshot(s.emu);
    await runJob(client);
    const added = oneNewLayer(before, snapshot(s.emu));
    expect([added.x, added.y, added.width, added.height]).to.deep.equal([5, 6, 32, 24]);
  });

  it('plain-number bounds and a lenient host work too', async () => {
    const s = await stage({ unitValues: 'number', strictEnums: false, noSelection: 'null' });
    withBackground(s);
    const client = await s.connect();
    const before = snapshot(s.emu);
    await runJob(client);
    const added = oneNewLayer(before, snapshot(s.emu));
    expect([added.x, added.y, added.width, added.height, added.rasterized]).to.deep.equal([
      0,
      0,
      192,
      160,
      true,
    ]);
  });

  it('late placement: a layer that appears long after "done" is found and placed', async () => {
    const s = await stage({ openDelayMs: 1500 });
    withBackground(s);
    s.emu.doc!.selection = [20, 20, 28, 28];
    const client = await s.connect();
    const before = snapshot(s.emu);
    await runJob(client);
    const added = oneNewLayer(before, snapshot(s.emu));
    expect([added.x, added.y, added.rasterized]).to.deep.equal([20, 20, true]);
  });

  it('a finish whose reply is lost times out and removes what it pasted', async () => {
    const s = await stage({ loseRepliesOf: (script) => /\.rasterize\(/.test(script) });
    withBackground(s);
    s.emu.doc!.selection = [3, 3, 11, 11];
    const client = await s.connect();
    const before = snapshot(s.emu);
    const err = await rejection(runJob(client, { timeoutMs: 1500 }));
    expect(err.code).to.equal('TIMEOUT');
    await s.emu.settled();
    unchanged(before, snapshot(s.emu));
    expect(s.emu.stats.placed).to.equal(1);
  });

  it('a layer placed after the deadline: the job fails, and the late layer is removed by the next call', async () => {
    const s = await stage({ openDelayMs: 1200 });
    withBackground(s);
    s.emu.doc!.selection = [3, 3, 11, 11];
    const client = await s.connect();
    const before = snapshot(s.emu);
    const err = await rejection(runJob(client, { timeoutMs: 400 }));
    expect(err.code).to.equal('TIMEOUT');
    await s.emu.settled();
    expect(s.emu.stats.placed).to.equal(1);
    expect(await client.getSelection()).to.deep.equal({ x: 3, y: 3, width: 8, height: 8 });
    unchanged(before, snapshot(s.emu));
  });

  it('Photopea shrinking a placed image to the canvas: a clear error and nothing left behind', async () => {
    const s = await stage({ fitPlacedToCanvas: true });
    withBackground(s);
    s.emu.doc!.selection = [0, 0, 20, 20]; // x4 = 80 px, larger than the 48x40 canvas
    const client = await s.connect();
    const before = snapshot(s.emu);
    const err = await rejection(runJob(client));
    expect(err.message).to.match(/scaled/);
    await s.emu.settled();
    unchanged(before, snapshot(s.emu));
  });

  it('getActiveLayer({ rect }) returns just that region of the layer; a rect off the canvas is OUTSIDE_LAYER', async () => {
    const s = await stage();
    withBackground(s);
    const client = await s.connect();
    const rect = { x: 10, y: 12, width: 8, height: 6 };
    const layer = await client.getActiveLayer({ rect });
    expect(layer.bounds).to.deep.equal(rect);
    expect([layer.image.width, layer.image.height, layer.image.data.byteLength]).to.deep.equal([
      8,
      6,
      8 * 6 * 4,
    ]);
    const full = pattern(48, 40);
    const want = new Uint8ClampedArray(8 * 6 * 4);
    for (let y = 0; y < 6; y++)
      want.set(full.subarray(((12 + y) * 48 + 10) * 4, ((12 + y) * 48 + 18) * 4), y * 8 * 4);
    expect(hashPixels(new Uint8ClampedArray(layer.image.data))).to.equal(hashPixels(want));
    // Partly off the canvas: the part on it.
    const edge = await client.getActiveLayer({ rect: { x: 44, y: 36, width: 10, height: 10 } });
    expect(edge.bounds).to.deep.equal({ x: 44, y: 36, width: 4, height: 4 });
    const err = await rejection(client.getActiveLayer({ rect: { x: 60, y: 0, width: 4, height: 4 } }));
    expect(err.code).to.equal('OUTSIDE_LAYER');
  });

  it('a flood of foreign messages gives a few warnings with a count, not one each', async () => {
    const s = await stage();
    withBackground(s);
    const client: HostClient = await s.connect();
    const foreign = document.createElement('iframe');
    foreign.srcdoc = `<script>for (let i = 0; i < 3000; i++) parent.postMessage('LWAY:1:forged', '*');
      parent.postMessage('flood-done', '*');</script>`;
    const done = new Promise<void>((resolve) =>
      addEventListener('message', (e) => e.data === 'flood-done' && resolve()),
    );
    document.body.append(foreign);
    await done;
    foreign.remove();
    client.dispose(); // reports what was held back
    const wrong = s.warnings.filter((w) => w.startsWith('WRONG_SOURCE'));
    expect(wrong.length).to.be.within(1, 3);
    expect(wrong.join('\n')).to.match(/30\d\d more/);
  });
});

describe('the panel in Photopea before any document is open', () => {
  it('says "Open an image first", keeps "Use selection" usable and recovers once an image is open', async () => {
    const s = await stage();
    const el = document.createElement('lway-panel') as LwayPanel;
    document.body.append(el);
    try {
      // As src/panel/main.ts does: connect, hand the client to the panel, read the source.
      const client = await s.connect({ handshakeTimeoutMs: 2000 }).catch((e: unknown) => {
        el.reportError(e);
        return undefined;
      });
      if (client) el.host = new HostClientPanelHost(client);
      await el.refreshSource();
      await el.updateComplete;
      const root = el.shadowRoot!;
      const title = root
        .querySelector('lway-error-message')
        ?.shadowRoot?.querySelector('[data-testid=title]');
      expect(title?.textContent).to.equal('Open an image first.');
      const button = root.querySelector<HTMLButtonElement>('#refresh')!;
      expect(button.disabled, '"Use selection" enabled').to.equal(false);
      withBackground(s);
      s.emu.doc!.selection = [2, 2, 10, 10];
      button.click();
      for (let i = 0; i < 200 && !el.source; i++) await new Promise((r) => setTimeout(r, 20));
      await el.updateComplete;
      expect(el.source?.pixels.width).to.equal(8);
      expect(root.querySelector('lway-error-message'), 'the error is gone').to.equal(null);
    } finally {
      el.remove();
    }
  });
});
