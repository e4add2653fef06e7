/**
 * Keys' cubic convolution kernel at distance `x`, with free parameter `a` (-0.5 for Keys / MATLAB, -0.75 for
 * PyTorch and OpenCV); zero from |x| = 2 on.
 */
export function keysCubic(x: number, a: number): number {
  const t = Math.abs(x);
  if (t <= 1) return (a + 2) * t * t * t - (a + 3) * t * t + 1;
  if (t < 2) return a * t * t * t - 5 * a * t * t + 8 * a * t - 4 * a;
  return 0;
}
