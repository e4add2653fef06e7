/**
 * The scripting DOM the Photopea emulator runs scripts against: Photoshop's names (app, Document, ArtLayer,
 * LayerSet, RasterizeType, LayerKind), with the behaviours of Photopea and Photoshop a plugin must cope with:
 * - no document: `app.activeDocument` is null (or throws, as in Photoshop), `app.documents.length` is 0;
 * - `bounds` is the box of the non-transparent pixels, as UnitValues: with `valueOf` and `.value`, or `.value`
 *   only (photopea/photopea#5837: read `.value`), or plain numbers;
 * - `doc.layers` lists the top level only; a folder (LayerSet) has its own `layers`;
 * - strict enums: `rasterize()` accepts only RasterizeType's values (ENTIRELAYER, FILLCONTENT, ...; there is no
 *   ENTIRECONTENT) and throws on anything else, as Photoshop does;
 * - `translate` throws on a non-finite offset;
 * - `doc.selection.bounds` throws when nothing is selected (Photoshop), or is null.
 */
import {
  EmuDocument,
  nodeBounds,
  type EmuGroup,
  type EmuLayer,
  type EmuNode,
} from './photopea-emulator-model.js';

/** How the emulated DOM behaves where Photopea, Photoshop and their versions differ. */
export interface DomOptions {
  /** What bounds and sizes are: UnitValues with valueOf and `.value`, `.value` only, or plain numbers. */
  unitValues: 'unitValue' | 'valueOnly' | 'number';
  /** rasterize() throws unless given one of RasterizeType's values. */
  strictEnums: boolean;
  /** app.activeDocument without a document: null (Photopea) or a thrown error (Photoshop). */
  noDocument: 'null' | 'throw';
  /** doc.selection.bounds without a selection: a thrown error (Photoshop) or null. */
  noSelection: 'throw' | 'null';
  /** rasterize() always throws (a layer this host cannot rasterise). */
  rasterizeThrows: boolean;
}

/** What the DOM needs from the emulator. */
export interface DomHost {
  readonly doc: EmuDocument | null;
  readonly options: DomOptions;
  echo(text: string): void;
  saveToOE(doc: EmuDocument): void;
  /** app.open(uri, null, true): places the image into the document, later (asynchronously). */
  place(uri: string): void;
}

/** Photoshop's RasterizeType values (Photoshop CC JavaScript reference). */
export const RASTERIZE_TYPE = Object.freeze({
  ENTIRELAYER: 'RasterizeType.ENTIRELAYER',
  FILLCONTENT: 'RasterizeType.FILLCONTENT',
  LAYERCLIPPINGPATH: 'RasterizeType.LAYERCLIPPINGPATH',
  LINKEDLAYERS: 'RasterizeType.LINKEDLAYERS',
  SHAPE: 'RasterizeType.SHAPE',
  TEXTCONTENTS: 'RasterizeType.TEXTCONTENTS',
  VECTORMASK: 'RasterizeType.VECTORMASK',
});

/** The LayerKind values the emulator's layers take (numbers, as Photopea reports `kind`). */
export const LAYER_KIND = Object.freeze({ NORMAL: 1, TEXT: 2, SMARTOBJECT: 17 });

/** Builds the globals one script runs with. Views are cached per script, so `L[i] == a` compares as in Photopea. */
export function makeScriptGlobals(host: DomHost): Record<string, unknown> {
  const o = host.options;
  const unit = (v: number): unknown => {
    if (o.unitValues === 'number') return v;
    const u: Record<string, unknown> = { value: v, type: 'px' };
    if (o.unitValues === 'unitValue') {
      u.valueOf = () => v;
      u.toString = () => `${v} px`;
      u.as = (t: string) => (t === 'px' ? v : null);
    }
    return u;
  };
  const num = (v: unknown): number => {
    const n =
      typeof v === 'number' ? v : v && typeof v === 'object' && 'value' in v ? Number(v.value) : Number(v);
    if (!Number.isFinite(n)) throw new Error(`Invalid number: ${String(v)}`);
    return n;
  };
  const doc = host.doc;
  const views = new Map<number, object>();

  const common = (n: EmuNode) => ({
    get id() {
      return n.id;
    },
    get name() {
      return n.name;
    },
    set name(v: string) {
      n.name = String(v);
    },
    get visible() {
      return n.visible;
    },
    set visible(v: boolean) {
      n.visible = Boolean(v);
    },
    get bounds() {
      return nodeBounds(n).map(unit);
    },
    get parent() {
      return n.parent ? view(n.parent) : docView;
    },
    remove() {
      doc!.remove(n);
    },
  });

  const layerView = (l: EmuLayer) =>
    Object.defineProperties(common(l), {
      typename: { value: 'ArtLayer' },
      kind: { get: () => (l.rasterized ? LAYER_KIND.NORMAL : LAYER_KIND.SMARTOBJECT) },
      rasterize: {
        value: (what: unknown) => {
          if (o.rasterizeThrows) throw new Error('rasterize: this layer cannot be rasterised');
          if (o.strictEnums && !(Object.values(RASTERIZE_TYPE) as unknown[]).includes(what)) {
            throw new Error(`rasterize: invalid RasterizeType ${String(what)}`);
          }
          l.rasterized = true;
        },
      },
      translate: {
        value: (dx: unknown, dy: unknown) => {
          const x = Math.round(num(dx));
          const y = Math.round(num(dy));
          l.x += x;
          l.y += y;
        },
      },
    });

  const groupView = (g: EmuGroup) =>
    Object.defineProperties(common(g), {
      typename: { value: 'LayerSet' },
      layers: { get: () => g.children.map(view) },
      translate: {
        value: (dx: unknown, dy: unknown) => {
          const x = Math.round(num(dx));
          const y = Math.round(num(dy));
          const move = (n: EmuNode): void => {
            if (n.type === 'group') n.children.forEach(move);
            else {
              n.x += x;
              n.y += y;
            }
          };
          move(g);
        },
      },
    });

  const view = (n: EmuNode): object => {
    let v = views.get(n.id);
    if (!v) {
      v = n.type === 'layer' ? layerView(n) : groupView(n);
      views.set(n.id, v);
    }
    return v;
  };

  const docView = doc && {
    typename: 'Document',
    get width() {
      return unit(doc.width);
    },
    get height() {
      return unit(doc.height);
    },
    get layers() {
      return doc.root.map(view);
    },
    get activeLayer(): object | null {
      const a = doc.active;
      return a ? view(a) : null;
    },
    set activeLayer(v: object) {
      const hit = doc.all().find((n) => views.get(n.id) === v);
      if (!hit) throw new Error('activeLayer: not a layer of this document');
      doc.activeId = hit.id;
    },
    selection: {
      get bounds() {
        if (doc.selection) return doc.selection.map(unit);
        if (o.noSelection === 'throw') throw new Error('There is no selection');
        return null;
      },
    },
    saveToOE(format: string) {
      if (format !== 'png') throw new Error(`emulator supports png only; got ${format}`);
      host.saveToOE(doc);
    },
  };

  const app = {
    get activeDocument() {
      if (!docView && o.noDocument === 'throw') throw new Error('No such element');
      return docView;
    },
    documents: { length: doc ? 1 : 0 },
    echoToOE(s: unknown) {
      host.echo(String(s));
    },
    open(uri: string, _as: unknown, asSmart: unknown) {
      if (asSmart !== true) throw new Error('emulator supports app.open(uri, null, true) only');
      if (!doc) throw new Error('emulator: no document to place the image into');
      host.place(uri);
    },
  };

  return { app, RasterizeType: RASTERIZE_TYPE, LayerKind: LAYER_KIND };
}
