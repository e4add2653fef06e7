import { LwayError } from '../errors.js';
import type { NamedParam } from '../models/index.js';

/**
 * The parameters LWay fine-tunes. With `names`, exactly those (throws BAD_INPUT naming an unknown one). Otherwise
 * the output-side suffix of `params` (forward order) whose scalar count is closest to `fraction` of the total,
 * never empty. Returned in forward order.
 */
export function selectAdaptParams(
  params: readonly NamedParam[],
  selection: { readonly fraction: number; readonly names?: readonly string[] },
): NamedParam[] {
  if (params.length === 0) throw new LwayError('BAD_INPUT', 'the model has no parameters to adapt');
  if (selection.names) {
    const byName = new Map(params.map((p) => [p.name, p]));
    const wanted = new Set(selection.names);
    for (const n of wanted) {
      if (!byName.has(n)) {
        throw new LwayError(
          'BAD_INPUT',
          `unknown parameter "${n}"; the model has ${params.length} (e.g. ${params[0].name})`,
        );
      }
    }
    return params.filter((p) => wanted.has(p.name));
  }
  const total = params.reduce((s, p) => s + p.variable.size, 0);
  const target = selection.fraction * total;
  let count = 0;
  let start = params.length;
  while (start > 0) {
    const next = count + params[start - 1].variable.size;
    // Take the next (input-side) parameter when that lands closer to the target than stopping here.
    if (start < params.length && Math.abs(next - target) >= Math.abs(count - target)) break;
    count = next;
    start--;
  }
  return params.slice(start);
}
