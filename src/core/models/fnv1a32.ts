/**
 * FNV-1a 32-bit hash of some bytes, as 8 hex digits. Used as a cheap integrity check of converted weights (a
 * corrupted `weights.bin` of the right length must still fail to load). Synchronous and pure TS so core can use it
 * in a worker, the browser and Node alike (crypto.subtle is async and missing on insecure origins).
 */
export function fnv1a32(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
