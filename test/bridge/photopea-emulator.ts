/**
 * An emulator of the part of Photopea's plugin API the LWay adapter uses, for browser tests: it receives script
 * strings from a plugin, runs them against a Photoshop-like DOM (photopea-emulator-dom.ts: documents, a layer
 * tree with folders, bounds of opaque pixels, selection, saveToOE, echoToOE, placing an image, rasterize,
 * translate, remove) and posts "done" after each, as Photopea's live messaging does.
 *
 * It reproduces the quirks the adapter must survive:
 * - an early/stale "done": for every other script, a "done" is posted as soon as it arrives, before its output
 *   (plus the "ready" done when the plugin loads);
 * - late placement: app.open(uri, null, true) adds its layer `openDelayMs` after the script's "done", directly
 *   above the active layer *inside the active layer's folder* (as Photopea does), centred on the canvas, as a
 *   smart object, and makes it the active layer;
 * - a placed image larger than the canvas can be shrunk to fit (`fitPlacedToCanvas`, as File > Open & Place does);
 * - no document, UnitValues with `.value` only, strict enums, a missing selection (see DomOptions);
 * - lost replies (`loseRepliesOf`): the script runs but neither its output nor its "done" comes back.
 * A script that throws stops where it threw; what it echoed before still goes out, then "done".
 * Scripts run with `new Function` against the emulated DOM only; that is the point of an emulator of a scripting
 * API, and it only ever runs in a test page.
 */
import { makeScriptGlobals, type DomHost, type DomOptions } from './photopea-emulator-dom.js';
import {
  EmuDocument,
  resizeNearest,
  type EmuGroup,
  type EmuLayer,
  type EmuNode,
} from './photopea-emulator-model.js';

export type { Box, EmuGroup, EmuLayer, EmuNode } from './photopea-emulator-model.js';
export { EmuDocument, nodeBounds, opaqueBox } from './photopea-emulator-model.js';

/** Options of {@link PhotopeaEmulator}. */
export interface PhotopeaEmulatorOptions extends Partial<DomOptions> {
  /** The plugin's window: replies go there, and only its messages are scripts. */
  plugin: () => Window | null;
  /** Where scripts arrive (default: this window, i.e. the emulator is the plugin's parent). */
  self?: Window;
  /** Posts a reply to the plugin (default: plugin().postMessage(data, '*')). */
  send?: (data: string | ArrayBuffer) => void;
  /** Delay before a layer placed with app.open appears. */
  openDelayMs?: number;
  /** Post an early "done" before every Nth script's output (0: never). */
  earlyDoneEvery?: number;
  /** Shrink a placed image larger than the canvas to fit it. */
  fitPlacedToCanvas?: boolean;
  /** Scripts whose replies (echoes, files, "done") are lost. */
  loseRepliesOf?: (script: string) => boolean;
}

/** Counters of what the emulator did, so tests can assert the quirks were exercised. */
export interface EmuStats {
  scripts: number;
  earlyDones: number;
  delayedOpens: number;
  /** Layers app.open actually added. */
  placed: number;
  /** Errors scripts threw out (a script that catches its own errors adds none). */
  errors: string[];
}

export class PhotopeaEmulator implements DomHost {
  doc: EmuDocument | null = null;
  readonly options: DomOptions;
  readonly stats: EmuStats = { scripts: 0, earlyDones: 0, delayedOpens: 0, placed: 0, errors: [] };
  private readonly o: Required<Omit<PhotopeaEmulatorOptions, keyof DomOptions | 'self' | 'send'>>;
  private readonly self: Window;
  private readonly sendFn: (data: string | ArrayBuffer) => void;
  private nextId = 1;
  private queue: Promise<void> = Promise.resolve();
  private outbox: Promise<string | ArrayBuffer>[] = [];
  private readonly pendingPlacements = new Set<Promise<void>>();
  private readonly listener = (ev: MessageEvent) => this.onMessage(ev);

  constructor(options: PhotopeaEmulatorOptions) {
    this.options = {
      unitValues: options.unitValues ?? 'unitValue',
      strictEnums: options.strictEnums ?? true,
      noDocument: options.noDocument ?? 'null',
      noSelection: options.noSelection ?? 'throw',
      rasterizeThrows: options.rasterizeThrows ?? false,
    };
    this.o = {
      plugin: options.plugin,
      openDelayMs: options.openDelayMs ?? 150,
      earlyDoneEvery: options.earlyDoneEvery ?? 2,
      fitPlacedToCanvas: options.fitPlacedToCanvas ?? false,
      loseRepliesOf: options.loseRepliesOf ?? (() => false),
    };
    this.self = options.self ?? window;
    this.sendFn =
      options.send ??
      ((data) => {
        const w = this.o.plugin();
        if (!w) return;
        if (data instanceof ArrayBuffer) w.postMessage(data, '*', [data]);
        else w.postMessage(data, '*');
      });
    this.self.addEventListener('message', this.listener);
  }

  /** Opens a new empty document of this size (replacing any). */
  openDocument(width: number, height: number): EmuDocument {
    this.doc = new EmuDocument(width, height);
    return this.doc;
  }

  /** Adds a raster layer on top of `parent` (a folder, or the document's top level) and makes it active. */
  addLayer(
    name: string,
    x: number,
    y: number,
    width: number,
    height: number,
    pixels: Uint8ClampedArray,
    parent: EmuGroup | null = null,
  ): EmuLayer {
    const doc = this.requireDoc();
    const l: EmuLayer = {
      type: 'layer',
      id: this.nextId++,
      name,
      x,
      y,
      width,
      height,
      pixels,
      visible: true,
      rasterized: true,
      parent,
    };
    (parent ? parent.children : doc.root).unshift(l);
    doc.activeId = l.id;
    return l;
  }

  /** Adds an empty folder on top of `parent` (or the top level). */
  addGroup(name: string, parent: EmuGroup | null = null): EmuGroup {
    const doc = this.requireDoc();
    const g: EmuGroup = { type: 'group', id: this.nextId++, name, visible: true, children: [], parent };
    (parent ? parent.children : doc.root).unshift(g);
    return g;
  }

  /** Every raster layer, depth first, top first. */
  flatLayers(): EmuLayer[] {
    return (this.doc?.all() ?? []).filter((n): n is EmuLayer => n.type === 'layer');
  }

  /** Resolves once every app.open placement in flight has landed (or failed). */
  async settled(): Promise<void> {
    while (this.pendingPlacements.size > 0) await Promise.allSettled([...this.pendingPlacements]);
    await this.queue;
  }

  /** Tells the plugin Photopea is ready (Photopea posts "done" once initialised). */
  announceReady(): void {
    this.sendFn('done');
  }

  dispose(): void {
    this.self.removeEventListener('message', this.listener);
  }

  // DomHost

  echo(text: string): void {
    this.outbox.push(Promise.resolve(text));
  }

  saveToOE(doc: EmuDocument): void {
    const pixels = doc.composite(); // snapshot now, encode later
    this.outbox.push(encodePng(pixels, doc.width, doc.height));
  }

  place(uri: string): void {
    const doc = this.requireDoc();
    this.stats.delayedOpens++;
    const p = this.placeLater(doc, uri).finally(() => this.pendingPlacements.delete(p));
    this.pendingPlacements.add(p);
  }

  private async placeLater(doc: EmuDocument, uri: string): Promise<void> {
    const bitmap = await createImageBitmap(await (await fetch(uri)).blob(), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    let pixels: Uint8ClampedArray = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let width = bitmap.width;
    let height = bitmap.height;
    bitmap.close();
    if (this.o.fitPlacedToCanvas && (width > doc.width || height > doc.height)) {
      const s = Math.min(doc.width / width, doc.height / height);
      const w = Math.max(1, Math.round(width * s));
      const h = Math.max(1, Math.round(height * s));
      pixels = resizeNearest(pixels, width, height, w, h);
      width = w;
      height = h;
    }
    await new Promise((r) => setTimeout(r, this.o.openDelayMs));
    if (this.doc !== doc) return; // the document was closed meanwhile
    const l: EmuLayer = {
      type: 'layer',
      id: this.nextId++,
      name: 'Layer',
      // Photopea centres a placed image on the canvas; the adapter must move it.
      x: Math.round((doc.width - width) / 2),
      y: Math.round((doc.height - height) / 2),
      width,
      height,
      pixels,
      visible: true,
      rasterized: false, // a placed image is a smart object until rasterised
      parent: null,
    };
    doc.insertAbove(l, doc.active);
    doc.activeId = l.id;
    this.stats.placed++;
  }

  private requireDoc(): EmuDocument {
    if (!this.doc) throw new Error('emulator: open a document first');
    return this.doc;
  }

  private onMessage(ev: MessageEvent): void {
    if (ev.source !== this.o.plugin() || typeof ev.data !== 'string') return;
    const script = ev.data;
    const n = ++this.stats.scripts;
    if (this.o.earlyDoneEvery > 0 && n % this.o.earlyDoneEvery === 0) {
      this.stats.earlyDones++;
      this.sendFn('done');
    }
    // Photopea handles messages in order; so do we.
    this.queue = this.queue.then(() => this.runScript(script));
  }

  private async runScript(script: string): Promise<void> {
    this.outbox = [];
    const globals = makeScriptGlobals(this);
    try {
      new Function(...Object.keys(globals), script)(...Object.values(globals));
    } catch (e) {
      this.stats.errors.push(String(e));
    }
    const out = this.outbox;
    this.outbox = [];
    if (this.o.loseRepliesOf(script)) return;
    for (const m of out) this.sendFn(await m);
    this.sendFn('done');
  }
}

/** The emulator's nodes by name (first match, depth first): a test helper. */
export function nodeNamed(doc: EmuDocument, name: string): EmuNode | undefined {
  return doc.all().find((n) => n.name === name);
}

async function encodePng(pixels: Uint8ClampedArray, width: number, height: number): Promise<ArrayBuffer> {
  const c = new OffscreenCanvas(width, height);
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels), width, height), 0, 0);
  return (await c.convertToBlob({ type: 'image/png' })).arrayBuffer();
}
