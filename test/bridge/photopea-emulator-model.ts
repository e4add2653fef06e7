/**
 * The document model behind the Photopea emulator: a tree of raster layers and folders (Photopea's "groups",
 * LayerSets in the scripting DOM), with what the scripting API derives from it: a layer's bounds (the box of its
 * non-transparent pixels, as in Photoshop) and the document's composite (what saveToOE exports).
 */

/** A raster (or placed, not yet rasterised) layer. `pixels` is RGBA, `width` x `height`, at (x, y). */
export interface EmuLayer {
  type: 'layer';
  id: number;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
  visible: boolean;
  /** False while the layer is a smart object (what app.open(uri, null, true) adds). */
  rasterized: boolean;
  parent: EmuGroup | null;
}

/** A folder (LayerSet). `children` top first. */
export interface EmuGroup {
  type: 'group';
  id: number;
  name: string;
  visible: boolean;
  children: EmuNode[];
  parent: EmuGroup | null;
}

export type EmuNode = EmuLayer | EmuGroup;

/** A box [left, top, right, bottom] in document pixels. */
export type Box = [number, number, number, number];

/** An open document: its size, the layer tree (top first), the active item and the selection. */
export class EmuDocument {
  root: EmuNode[] = [];
  activeId = 0;
  /** Selection bounds [left, top, right, bottom], or null when nothing is selected. */
  selection: Box | null = null;

  constructor(
    public width: number,
    public height: number,
  ) {}

  /** The list a node lives in (its folder's children, or the document's top level). */
  siblings(node: EmuNode): EmuNode[] {
    return node.parent ? node.parent.children : this.root;
  }

  /** Every node, depth first, top first. */
  all(): EmuNode[] {
    const out: EmuNode[] = [];
    const walk = (list: EmuNode[]) => {
      for (const n of list) {
        out.push(n);
        if (n.type === 'group') walk(n.children);
      }
    };
    walk(this.root);
    return out;
  }

  find(id: number): EmuNode | undefined {
    return this.all().find((n) => n.id === id);
  }

  get active(): EmuNode | undefined {
    return this.find(this.activeId);
  }

  /** Inserts `node` directly above `anchor` in the anchor's list (at the top of the document without one). */
  insertAbove(node: EmuNode, anchor: EmuNode | undefined): void {
    node.parent = anchor?.parent ?? null;
    const list = anchor ? this.siblings(anchor) : this.root;
    const at = anchor ? list.indexOf(anchor) : 0;
    list.splice(Math.max(0, at), 0, node);
  }

  /** Removes a node; the active item moves to the node below it (or above, or the folder). */
  remove(node: EmuNode): void {
    const list = this.siblings(node);
    const at = list.indexOf(node);
    if (at < 0) return;
    list.splice(at, 1);
    if (this.activeId === node.id || !this.active) {
      const next = list[at] ?? list[at - 1] ?? node.parent ?? this.root[0];
      this.activeId = next?.id ?? 0;
    }
  }

  /** Whether the node shows: it and every folder above it are visible. */
  shows(node: EmuNode): boolean {
    for (let n: EmuNode | null = node; n; n = n.parent) if (!n.visible) return false;
    return true;
  }

  /** The document composite (RGBA, canvas size): visible layers over transparency, "normal" blending. */
  composite(): Uint8ClampedArray {
    const out = new Uint8ClampedArray(this.width * this.height * 4);
    const layers = this.all().filter((n): n is EmuLayer => n.type === 'layer' && this.shows(n));
    for (const l of layers.reverse()) {
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
}

/**
 * A node's bounds as Photoshop reports them: the box of its non-transparent pixels (a folder: the union of its
 * children's), [0, 0, 0, 0] when it has none.
 */
export function nodeBounds(node: EmuNode): Box {
  if (node.type === 'group') {
    const boxes = node.children.map(nodeBounds).filter((b) => b[2] > b[0] && b[3] > b[1]);
    if (boxes.length === 0) return [0, 0, 0, 0];
    return [
      Math.min(...boxes.map((b) => b[0])),
      Math.min(...boxes.map((b) => b[1])),
      Math.max(...boxes.map((b) => b[2])),
      Math.max(...boxes.map((b) => b[3])),
    ];
  }
  const box = opaqueBox(node.pixels, node.width, node.height);
  return box ? [node.x + box[0], node.y + box[1], node.x + box[2], node.y + box[3]] : [0, 0, 0, 0];
}

/** The box [left, top, right, bottom] of the pixels with alpha > 0 in an RGBA buffer, or null when none. */
export function opaqueBox(pixels: Uint8ClampedArray, width: number, height: number): Box | null {
  let l = width;
  let t = height;
  let r = -1;
  let b = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (pixels[(y * width + x) * 4 + 3] === 0) continue;
      if (x < l) l = x;
      if (x > r) r = x;
      if (y < t) t = y;
      if (y > b) b = y;
    }
  return r < 0 ? null : [l, t, r + 1, b + 1];
}

/** Nearest-neighbour resize of RGBA pixels (how the emulator scales a placed image it fits to the canvas). */
export function resizeNearest(
  pixels: Uint8ClampedArray,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(toWidth * toHeight * 4);
  for (let y = 0; y < toHeight; y++)
    for (let x = 0; x < toWidth; x++) {
      const s = (Math.floor((y * height) / toHeight) * width + Math.floor((x * width) / toWidth)) * 4;
      out.set(pixels.subarray(s, s + 4), (y * toWidth + x) * 4);
    }
  return out;
}
