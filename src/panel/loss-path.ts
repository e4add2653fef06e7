/**
 * SVG path data for a loss curve in a `width` x `height` box (y down), scaled to the losses' own range so the
 * trend stays visible as the loss shrinks. Returns '' for no points. Non-finite losses are skipped.
 */
export function lossPath(losses: readonly number[], width: number, height: number, pad = 2): string {
  const pts = losses.map((v, i) => [i, v] as const).filter(([, v]) => Number.isFinite(v));
  if (pts.length === 0) return '';
  const lo = Math.min(...pts.map(([, v]) => v));
  const hi = Math.max(...pts.map(([, v]) => v));
  const span = hi - lo || 1;
  const n = Math.max(1, losses.length - 1);
  const x = (i: number): number => pad + ((width - 2 * pad) * i) / n;
  const y = (v: number): number => pad + (height - 2 * pad) * (1 - (v - lo) / span);
  return pts.map(([i, v], k) => `${k === 0 ? 'M' : 'L'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`).join(' ');
}
