/**
 * An emulator of the part of Photopea's plugin API the LWay adapter uses, for browser tests: it receives script
 * strings from a plugin iframe, evaluates them against a small Photoshop-like DOM (documents, a layer stack with
 * pixels, selection bounds, saveToOE, echoToOE, open-as-layer, rasterize, translate) and posts "done" after each.
 *
 * It reproduces the quirks the adapter must survive:
 * - an early/stale "done": for every other script, a "done" is posted as soon as it arrives, before its output
 *   (plus the "ready" done when the plugin loads);
 * - delayed layer appearance: app.open(uri, null, true) adds its layer `openDelayMs` after the script's "done".
 * Scripts run with `new Function` against the emulated DOM only; that is the point of an emulator of a scripting
 * API, and it only ever runs in a test page.
 */

/** A raster layer of the emulated document. */
export interface EmuLayer {
  id: number;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
  visible: boolean;
  rasterized: boolean;
}

/** Options of {@link PhotopeaEmulator}. */
export interface PhotopeaEmulatorOptions {
  /** The plugin's iframe window (where replies go). */
  plugin: () => Window | null;
  /** Delay before a layer opened with app.open appears. */
  openDelayMs?: number;
  /** Post an early "done" before every Nth script's output (0: never). */
  earlyDoneEvery?: number;
}

/** Counters of what the emulator did, so tests can assert the quirks were exercised. */
export interface EmuStats {
  scripts: number;
  earlyDones: number;
  delayedOpens: number;
  errors: string[];
}

export class PhotopeaEmulator {
  width: number;
  height: number;
  /** Top layer first, as in Photopea's `document.layers`. */
  layers: EmuLayer[] = [];
  activeId = 0;
  /** Selection bounds [left, top, right, bottom] or null. */
  selection: [number, number, number, number] | null = null;
  readonly stats: EmuStats = { scripts: 0, earlyDones: 0, delayedOpens: 0, errors: [] };
  private readonly o: Required<PhotopeaEmulatorOptions>;
  private nextId = 1;
  private queue: Promise<void> = Promise.resolve();
  private readonly listener = (ev: MessageEvent) => this.onMessage(ev);

  constructor(width: number, height: number, options: PhotopeaEmulatorOptions) {
    this.width = width;
    this.height = height;
    this.o = { openDelayMs: 150, earlyDoneEvery: 2, ...options };
    window.addEventListener('message', this.listener);
  }

  /** Adds a layer on top and makes it active. */
  addLayer(
    name: string,
    x: number,
    y: number,
    width: number,
    height: number,
    pixels: Uint8ClampedArray,
  ): EmuLayer {
    const l: EmuLayer = {
      id: this.nextId++,
      name,
      x,
      y,
      width,
      height,
      pixels,
      visible: true,
      rasterized: true,
    };
    this.layers.unshift(l);
    this.activeId = l.id;
    return l;
  }

  /** Tells the plugin Photopea is ready (Photopea posts "done" once initialised). */
  announceReady(): void {
    this.post('done');
  }

  dispose(): void {
    window.removeEventListener('message', this.listener);
  }

  private post(data: string | ArrayBuffer): void {
    const w = this.o.plugin();
    if (!w) return;
    if (data instanceof ArrayBuffer) w.postMessage(data, '*', [data]);
    else w.postMessage(data, '*');
  }

  private onMessage(ev: MessageEvent): void {
    if (ev.source !== this.o.plugin() || typeof ev.data !== 'string') return;
    const script = ev.data;
    const n = ++this.stats.scripts;
    if (this.o.earlyDoneEvery > 0 && n % this.o.earlyDoneEvery === 0) {
      this.stats.earlyDones++;
      this.post('done');
    }
    // Photopea handles messages in order; so do we.
    this.queue = this.queue.then(() => this.runScript(script));
  }

  private async runScript(script: string): Promise<void> {
    const outbox: Promise<string | ArrayBuffer>[] = [];
    const app = this.makeApp(outbox);
    try {
      new Function('app', 'RasterizeType', script)(app, { ENTIRECONTENT: 'ENTIRECONTENT' });
    } catch (e) {
      this.stats.errors.push(String(e));
    }
    for (const m of outbox) this.post(await m);
    this.post('done');
  }

  private composite(): Uint8ClampedArray {
    const out = new Uint8ClampedArray(this.width * this.height * 4);
    for (const l of [...this.layers].reverse()) {
      if (!l.visible) continue;
      for (let y = 0; y < l.height; y++) {
        const dy = y + l.y;
        if (dy < 0 || dy >= this.height) continue;
        for (let x = 0; x < l.width; x++) {
          const dx = x + l.x;
          if (dx < 0 || dx >= this.width) continue;
          const s = (y * l.width + x) * 4;
          const d = (dy * this.width + dx) * 4;
          const sa = l.pixels[s + 3] / 255;
          const da = out[d + 3] / 255;
          const oa = sa + da * (1 - sa);
          for (let c = 0; c < 3; c++) {
            out[d + c] = oa === 0 ? 0 : (l.pixels[s + c] * sa + out[d + c] * da * (1 - sa)) / oa;
          }
          out[d + 3] = oa * 255;
        }
      }
    }
    return out;
  }

  private makeApp(outbox: Promise<string | ArrayBuffer>[]) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const emu = this;
    const layerView = (l: EmuLayer) => ({
      get id() {
        return l.id;
      },
      get name() {
        return l.name;
      },
      set name(v: string) {
        l.name = String(v);
      },
      get visible() {
        return l.visible;
      },
      set visible(v: boolean) {
        l.visible = Boolean(v);
      },
      get bounds() {
        return [l.x, l.y, l.x + l.width, l.y + l.height];
      },
      rasterize() {
        l.rasterized = true;
      },
      translate(dx: number, dy: number) {
        l.x += Math.round(Number(dx));
        l.y += Math.round(Number(dy));
      },
    });
    // Same view object per layer within a script, so `L[i] == a` compares as in Photopea.
    const views = new Map<number, ReturnType<typeof layerView>>();
    const view = (l: EmuLayer) => views.get(l.id) ?? (views.set(l.id, layerView(l)), views.get(l.id)!);
    const doc = {
      get width() {
        return emu.width;
      },
      get height() {
        return emu.height;
      },
      get layers() {
        return emu.layers.map(view);
      },
      get activeLayer() {
        const l = emu.layers.find((x) => x.id === emu.activeId);
        return l ? view(l) : null;
      },
      selection: {
        get bounds() {
          return emu.selection ? [...emu.selection] : null;
        },
      },
      saveToOE(format: string) {
        if (format !== 'png') throw new Error(`emulator supports png only; got ${format}`);
        const pixels = emu.composite(); // snapshot now, encode later
        outbox.push(encodePng(pixels, emu.width, emu.height));
      },
    };
    return {
      get activeDocument() {
        return doc;
      },
      echoToOE(s: unknown) {
        outbox.push(Promise.resolve(String(s)));
      },
      open(uri: string, _as: unknown, asLayer: boolean) {
        if (!asLayer) throw new Error('emulator supports app.open(uri, null, true) only');
        emu.stats.delayedOpens++;
        void (async () => {
          const bitmap = await createImageBitmap(await (await fetch(uri)).blob(), {
            premultiplyAlpha: 'none',
            colorSpaceConversion: 'none',
          });
          const c = new OffscreenCanvas(bitmap.width, bitmap.height);
          const ctx = c.getContext('2d')!;
          ctx.drawImage(bitmap, 0, 0);
          const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
          await new Promise((r) => setTimeout(r, emu.o.openDelayMs));
          // Photopea centres an image opened into a document; the adapter must move it.
          const x = Math.round((emu.width - bitmap.width) / 2);
          const y = Math.round((emu.height - bitmap.height) / 2);
          const l = emu.addLayer('opened', x, y, bitmap.width, bitmap.height, px);
          l.rasterized = false; // a placed image is a smart object until rasterised
        })();
      },
    };
  }
}

async function encodePng(pixels: Uint8ClampedArray, width: number, height: number): Promise<ArrayBuffer> {
  const c = new OffscreenCanvas(width, height);
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels), width, height), 0, 0);
  return (await c.convertToBlob({ type: 'image/png' })).arrayBuffer();
}
