import type { EditorDocument } from './editor-document.js';

/**
 * Shows the document on a canvas at a zoom factor and lets the user drag a rectangular selection.
 * The canvas holds document pixels; zoom is CSS scaling (pixelated), so coordinates map by a single division.
 */
export class CanvasView {
  readonly canvas = document.createElement('canvas');
  private readonly marquee = document.createElement('div');
  private zoomFactor = 2;
  private dragStart: { x: number; y: number } | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly doc: EditorDocument,
  ) {
    this.canvas.className = 'doc-canvas';
    this.marquee.className = 'marquee';
    host.append(this.canvas, this.marquee);
    doc.addEventListener('change', () => this.render());
    this.canvas.addEventListener('pointerdown', (e) => this.onDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.onMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.onUp(e));
  }

  get zoom(): number {
    return this.zoomFactor;
  }

  /** Sets the zoom factor, clamped to [0.25, 16]. */
  setZoom(z: number): void {
    this.zoomFactor = Math.min(16, Math.max(0.25, z));
    this.render();
  }

  render(): void {
    const { doc, canvas } = this;
    if (canvas.width !== doc.width || canvas.height !== doc.height) {
      canvas.width = doc.width;
      canvas.height = doc.height;
    }
    canvas.style.width = `${doc.width * this.zoomFactor}px`;
    canvas.style.height = `${doc.height * this.zoomFactor}px`;
    doc.composite(canvas.getContext('2d')!);
    const s = doc.selection;
    this.marquee.hidden = s === null;
    if (s) {
      const z = this.zoomFactor;
      Object.assign(this.marquee.style, {
        left: `${s.x * z}px`,
        top: `${s.y * z}px`,
        width: `${s.width * z}px`,
        height: `${s.height * z}px`,
      });
    }
  }

  private toDoc(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: Math.round((e.clientX - r.left) / this.zoomFactor),
      y: Math.round((e.clientY - r.top) / this.zoomFactor),
    };
  }

  private onDown(e: PointerEvent): void {
    this.canvas.setPointerCapture(e.pointerId);
    this.dragStart = this.toDoc(e);
  }

  private onMove(e: PointerEvent): void {
    if (this.dragStart) this.select(this.dragStart, this.toDoc(e));
  }

  private onUp(e: PointerEvent): void {
    if (!this.dragStart) return;
    this.select(this.dragStart, this.toDoc(e));
    this.dragStart = null;
  }

  private select(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    const width = Math.abs(a.x - b.x);
    const height = Math.abs(a.y - b.y);
    this.doc.setSelection(width > 0 && height > 0 ? { x, y, width, height } : null);
  }
}
