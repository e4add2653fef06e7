/**
 * A learning rate as people write it: `2e-6`, `5e-4`, `0.01`. Small rates in plain decimals ("0.000002") are hard
 * to read and easy to misjudge by a factor of ten. The result is a valid HTML number-input value either way.
 */
export function formatLearningRate(lr: number): string {
  if (!Number.isFinite(lr) || lr === 0 || Math.abs(lr) >= 1e-3) return String(lr);
  // toExponential gives "2e-6" / "2.5e-6"; Number() drops float noise such as "2.0000000000000004e-6".
  return Number(lr.toPrecision(6)).toExponential().replace('e+', 'e');
}
