import sharp from 'sharp';
import type { EmbeddingProjection } from '../core/index.js';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** SVG scatter of a 2-D embedding projection, one colour per degradation preset, with a legend. */
export function projectionPlotSvg(p: EmbeddingProjection, title: string, width = 800, height = 600): string {
  const m = { l: 50, r: 230, t: 40, b: 45 };
  const presets = [...new Set(p.points.map((q) => q.preset))];
  const xs = p.points.map((q) => q.x);
  const ys = p.points.map((q) => q.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const px = (x: number) => m.l + ((x - x0) / Math.max(x1 - x0, 1e-12)) * (width - m.l - m.r);
  const py = (y: number) => m.t + (1 - (y - y0) / Math.max(y1 - y0, 1e-12)) * (height - m.t - m.b);
  const dots = p.points.map(
    (q) =>
      `<circle cx="${px(q.x).toFixed(1)}" cy="${py(q.y).toFixed(1)}" r="4" fill="${PALETTE[presets.indexOf(q.preset) % PALETTE.length]}" fill-opacity="0.75"/>`,
  );
  const legend = presets.map((name, i) => {
    const y = m.t + 10 + i * 22;
    return (
      `<circle cx="${width - m.r + 20}" cy="${y}" r="5" fill="${PALETTE[i % PALETTE.length]}"/>` +
      `<text x="${width - m.r + 32}" y="${y + 4}">${esc(name)} (${p.points.filter((q) => q.preset === name).length})</text>`
    );
  });
  const stats = [
    `nearest neighbour (cosine, all dims)`,
    `among other images:`,
    `  same preset ${(100 * p.nearestSamePreset).toFixed(0)} %`,
    `among other presets:`,
    `  same image ${(100 * p.nearestSameImage).toFixed(0)} %`,
  ].map(
    (s, i) =>
      `<text x="${width - m.r + 15}" y="${m.t + 40 + presets.length * 22 + i * 18}" xml:space="preserve">${s}</text>`,
  );
  const pc = (i: 0 | 1) => `PC${i + 1} (${(100 * p.explained[i]).toFixed(1)} % of variance)`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<rect x="${m.l}" y="${m.t}" width="${width - m.l - m.r}" height="${height - m.t - m.b}" fill="none" stroke="#999"/>
${dots.join('')}${legend.join('')}${stats.join('')}
<text x="${m.l}" y="${m.t - 14}" font-size="14">${esc(title)}</text>
<text x="${(width - m.r + m.l) / 2}" y="${height - 12}" text-anchor="middle">${pc(0)}</text>
<text transform="translate(16 ${(height + m.t - m.b) / 2}) rotate(-90)" text-anchor="middle">${pc(1)}</text>
</svg>`;
}

/** Renders {@link projectionPlotSvg} to a PNG file with sharp (librsvg). */
export async function writeProjectionPlot(
  p: EmbeddingProjection,
  pngPath: string,
  title = 'Degradation embeddings E(LR), PCA',
): Promise<void> {
  await sharp(Buffer.from(projectionPlotSvg(p, title)))
    .png()
    .toFile(pngPath);
}
