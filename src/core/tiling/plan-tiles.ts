import { LwayError } from '../errors.js';

/** One tile: the input region it reads (image coordinates, clipped to the image). */
export interface Tile {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Column and row of the tile in the grid. */
  readonly col: number;
  readonly row: number;
}

/** A grid of overlapping tiles covering the image; tiles of one row share `y` and `height`. */
export interface TilePlan {
  readonly tiles: readonly Tile[];
  readonly cols: number;
  readonly rows: number;
  /** Start of each column and row, in image pixels. */
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** Width of every column's tiles and height of every row's tiles (all tiles share one size). */
  readonly tileWidth: number;
  readonly tileHeight: number;
}

export interface PlanTilesInput {
  readonly width: number;
  readonly height: number;
  readonly tileSize: number;
  readonly overlap: number;
}

/**
 * Covers a width x height image with tiles of at most tileSize x tileSize that overlap by at least `overlap`
 * pixels. Every tile has the same size (the image side when it is smaller than tileSize), and starts are spread
 * evenly, so the real overlap is >= `overlap` and the ragged remainder is shared out instead of making a sliver.
 */
export function planTiles({ width, height, tileSize, overlap }: PlanTilesInput): TilePlan {
  for (const [name, v, min] of [
    ['width', width, 1],
    ['height', height, 1],
    ['tileSize', tileSize, 1],
    ['overlap', overlap, 0],
  ] as const) {
    if (!Number.isInteger(v) || v < min) {
      throw new LwayError('BAD_INPUT', `${name} must be an integer >= ${min}; got ${v}`);
    }
  }
  if (overlap * 2 > tileSize) {
    throw new LwayError('BAD_INPUT', `overlap must be at most tileSize/2 (${tileSize / 2}); got ${overlap}`);
  }
  const xs = axisStarts(width, tileSize, overlap);
  const ys = axisStarts(height, tileSize, overlap);
  const tileWidth = Math.min(tileSize, width);
  const tileHeight = Math.min(tileSize, height);
  const tiles: Tile[] = [];
  ys.forEach((y, row) =>
    xs.forEach((x, col) => tiles.push({ x, y, width: tileWidth, height: tileHeight, col, row })),
  );
  return { tiles, cols: xs.length, rows: ys.length, xs, ys, tileWidth, tileHeight };
}

/** Starts of tiles of length `tile` along a side of length `size`, neighbours overlapping by >= `overlap`. */
function axisStarts(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const step = tile - overlap;
  const n = Math.ceil((size - overlap) / step);
  const span = size - tile;
  return Array.from({ length: n }, (_, i) => Math.round((i * span) / (n - 1)));
}
