import sharp from 'sharp';

/** One row of the stage-1 loss log. */
export interface LossRow {
  readonly step: number;
  readonly loss: number;
  readonly l1: number;
  readonly lpips: number;
}

const COLOURS = { loss: '#1f77b4', l1: '#d62728', lpips: '#2ca02c' } as const;

/** Moving average over `window` rows (the raw curve is noisy: each step sees new random degradations). */
function smooth(values: number[], window: number): number[] {
  const out: number[] = [];
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    acc += values[i];
    if (i >= window) acc -= values[i - window];
    out.push(acc / Math.min(i + 1, window));
  }
  return out;
}

/** SVG line chart of the loss terms against the step (log-scaled y). */
export function lossPlotSvg(rows: readonly LossRow[], width = 800, height = 450): string {
  const m = { l: 70, r: 20, t: 30, b: 45 };
  const keys = (['loss', 'l1', 'lpips'] as const).filter((k) => rows.some((r) => Number.isFinite(r[k])));
  const window = Math.max(1, Math.round(rows.length / 50));
  const series = keys.map((k) => ({
    k,
    ys: smooth(
      rows.map((r) => r[k]),
      window,
    ),
  }));
  const all = series.flatMap((s) => s.ys).filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.log10(Math.min(...all, 1));
  const hi = Math.log10(Math.max(...all, 1e-3));
  const span = Math.max(hi - lo, 1e-6);
  const s0 = rows[0]?.step ?? 0;
  const s1 = Math.max(rows[rows.length - 1]?.step ?? 1, s0 + 1);
  const px = (s: number) => m.l + ((s - s0) / (s1 - s0)) * (width - m.l - m.r);
  const py = (v: number) => m.t + (1 - (Math.log10(Math.max(v, 1e-9)) - lo) / span) * (height - m.t - m.b);
  const lines = series.map(
    ({ k, ys }) =>
      `<polyline fill="none" stroke="${COLOURS[k]}" stroke-width="1.5" points="${ys
        .map((v, i) => `${px(rows[i].step).toFixed(1)},${py(v).toFixed(1)}`)
        .join(' ')}"/>`,
  );
  const ticks: string[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const f of [1, 2, 5]) {
      const v = f * 10 ** e;
      if (Math.log10(v) < lo || Math.log10(v) > hi) continue;
      ticks.push(
        `<line x1="${m.l}" x2="${width - m.r}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>` +
          `<text x="${m.l - 6}" y="${py(v) + 4}" text-anchor="end">${v.toPrecision(2)}</text>`,
      );
    }
  }
  const legend = keys.map(
    (k, i) => `<text x="${m.l + 10 + i * 90}" y="${m.t - 10}" fill="${COLOURS[k]}">${k}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>${ticks.join('')}${lines.join('')}${legend.join('')}
<text x="${(width + m.l) / 2}" y="${height - 10}" text-anchor="middle">step (moving average over ${window})</text>
<text x="${m.l}" y="${height - 25}" text-anchor="middle">${s0}</text><text x="${width - m.r}" y="${height - 25}" text-anchor="middle">${s1}</text>
</svg>`;
}

/** Renders the chart to a PNG file with sharp (librsvg). */
export async function writeLossPlot(rows: readonly LossRow[], pngPath: string): Promise<void> {
  await sharp(Buffer.from(lossPlotSvg(rows)))
    .png()
    .toFile(pngPath);
}
