import { ModelLoadError } from '../../errors.js';

/** A value of an ncnn layer parameter: a scalar, or an array for keys written `-233xx=n,a,b,...`. */
export type NcnnParamValue = number | readonly number[];

/** One layer line of an ncnn `.param` file. */
export interface NcnnLayer {
  readonly type: string;
  readonly name: string;
  readonly bottoms: readonly string[];
  readonly tops: readonly string[];
  /** Parameters by id. Array parameters are stored under their plain id (`-23310=...` becomes key 10). */
  readonly params: ReadonlyMap<number, NcnnParamValue>;
}

/** A parsed ncnn `.param` file (text format, magic 7767517). */
export interface NcnnParam {
  readonly layers: readonly NcnnLayer[];
  readonly blobCount: number;
}

const NCNN_PARAM_MAGIC = 7767517;
/** ncnn writes array parameter `id` as key `-23300 - id`. */
const ARRAY_KEY_BASE = -23300;

/**
 * Parses the text form of an ncnn `.param` file: the magic line, `layerCount blobCount`, then one line per layer
 * (`type name nBottom nTop bottoms... tops... k=v...`). Throws ModelLoadError on a malformed file.
 * Written by hand because no maintained npm package reads ncnn files; the format is a few lines of text.
 */
export function parseNcnnParam(text: string): NcnnParam {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length < 2 || Number(lines[0]) !== NCNN_PARAM_MAGIC) {
    throw new ModelLoadError(
      `ncnn .param must start with the magic ${NCNN_PARAM_MAGIC}; got "${(lines[0] ?? '').slice(0, 20)}"`,
    );
  }
  const counts = lines[1].split(/\s+/).map(Number);
  if (counts.length !== 2 || !counts.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new ModelLoadError(`ncnn .param line 2 must be "layerCount blobCount"; got "${lines[1]}"`);
  }
  const [layerCount, blobCount] = counts;
  const layerLines = lines.slice(2);
  if (layerLines.length !== layerCount) {
    throw new ModelLoadError(
      `ncnn .param declares ${layerCount} layers but has ${layerLines.length} layer lines`,
    );
  }
  return { layers: layerLines.map((line, i) => parseLayer(line, i + 3)), blobCount };
}

function parseLayer(line: string, lineNo: number): NcnnLayer {
  const tokens = line.split(/\s+/);
  const [type, name] = tokens;
  const nBottom = Number(tokens[2]);
  const nTop = Number(tokens[3]);
  if (
    tokens.length < 4 ||
    !Number.isInteger(nBottom) ||
    !Number.isInteger(nTop) ||
    nBottom < 0 ||
    nTop < 0 ||
    tokens.length < 4 + nBottom + nTop
  ) {
    throw new ModelLoadError(
      `ncnn .param line ${lineNo} is not "type name nBottom nTop blobs..."; got "${line}"`,
    );
  }
  const bottoms = tokens.slice(4, 4 + nBottom);
  const tops = tokens.slice(4 + nBottom, 4 + nBottom + nTop);
  const params = new Map<number, NcnnParamValue>();
  for (const kv of tokens.slice(4 + nBottom + nTop)) {
    const eq = kv.indexOf('=');
    const key = Number(kv.slice(0, eq));
    if (eq < 1 || !Number.isInteger(key)) {
      throw new ModelLoadError(`ncnn .param line ${lineNo}: bad parameter "${kv}", expected id=value`);
    }
    const raw = kv.slice(eq + 1);
    if (key <= ARRAY_KEY_BASE) {
      const values = raw.split(',').map(Number);
      const [n, ...rest] = values;
      if (!Number.isInteger(n) || rest.length !== n || rest.some((v) => Number.isNaN(v))) {
        throw new ModelLoadError(
          `ncnn .param line ${lineNo}: array parameter "${kv}" must be "count,v1,...,vcount"`,
        );
      }
      params.set(ARRAY_KEY_BASE - key, rest);
    } else {
      const value = Number(raw);
      if (raw.length === 0 || Number.isNaN(value)) {
        throw new ModelLoadError(`ncnn .param line ${lineNo}: parameter "${kv}" is not a number`);
      }
      params.set(key, value);
    }
  }
  return { type, name, bottoms, tops, params };
}

/** Reads scalar parameter `id` of `layer`, or `fallback` (ncnn's default) when absent. */
export function ncnnScalar(layer: NcnnLayer, id: number, fallback: number): number {
  const v = layer.params.get(id);
  if (v === undefined) return fallback;
  if (typeof v !== 'number') {
    throw new ModelLoadError(`ncnn layer ${layer.name}: parameter ${id} is an array, expected a number`);
  }
  return v;
}

/** Reads array parameter `id` of `layer`, or `[]` when absent. */
export function ncnnArray(layer: NcnnLayer, id: number): readonly number[] {
  const v = layer.params.get(id);
  if (v === undefined) return [];
  return typeof v === 'number' ? [v] : v;
}
