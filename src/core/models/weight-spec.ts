/** Name and shape of one parameter of a model built from named variables (e.g. `body.3.conv/kernel`, HWIO). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Number of scalars in all the specs together. */
export function countParams(specs: readonly WeightSpec[]): number {
  return specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
}
