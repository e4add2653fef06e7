/**
 * Malformed messages a hostile or buggy peer may post, with what the receiver must do: reply with an error of
 * `code` (when the message carries a usable id) or drop it with a warning.
 */
export interface BadMessageCase {
  name: string;
  message: unknown;
  expect: { reply: string } | 'warn' | 'ignore';
}

/** Bad messages sent to the host (plugin -> host direction). */
export const BAD_MESSAGES_TO_HOST: BadMessageCase[] = [
  { name: 'null', message: null, expect: 'warn' },
  { name: 'number', message: 42, expect: 'warn' },
  { name: 'string', message: 'hello', expect: 'warn' },
  { name: 'array', message: [1, 2, 3], expect: 'warn' },
  { name: 'empty object', message: {}, expect: 'warn' },
  { name: 'no v', message: { id: 'x1', type: 'getSelection', payload: {} }, expect: { reply: 'PROTOCOL' } },
  {
    name: 'v as string',
    message: { v: '1', id: 'x2', type: 'getSelection', payload: {} },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'future v',
    message: { v: 99, id: 'x3', type: 'getSelection', payload: {} },
    expect: { reply: 'VERSION_MISMATCH' },
  },
  {
    name: 'id too long',
    message: { v: 1, id: 'x'.repeat(65), type: 'getSelection', payload: {} },
    expect: 'warn',
  },
  { name: 'id number', message: { v: 1, id: 7, type: 'getSelection', payload: {} }, expect: 'warn' },
  {
    name: 'unknown type',
    message: { v: 1, id: 'x4', type: 'deleteEverything', payload: {} },
    expect: { reply: 'UNSUPPORTED' },
  },
  {
    name: 'extra key',
    message: { v: 1, id: 'x5', type: 'getSelection', payload: {}, evil: true },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'payload extra',
    message: { v: 1, id: 'x6', type: 'getSelection', payload: { a: 1 } },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'proto pollution',
    message: JSON.parse('{"v":1,"id":"x7","type":"__proto__","payload":{}}'),
    expect: { reply: 'UNSUPPORTED' },
  },
  {
    name: 'toString type',
    message: { v: 1, id: 'x8', type: 'toString', payload: {} },
    expect: { reply: 'UNSUPPORTED' },
  },
  {
    name: 'getActiveLayer rect of zero width',
    message: {
      v: 2,
      id: 'x8a',
      type: 'getActiveLayer',
      payload: { rect: { x: 0, y: 0, width: 0, height: 1 } },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'getActiveLayer rect with an extra key',
    message: {
      v: 2,
      id: 'x8b',
      type: 'getActiveLayer',
      payload: { rect: { x: 0, y: 0, width: 1, height: 1, z: 1 } },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'getActiveLayer fractional rect',
    message: {
      v: 2,
      id: 'x8c',
      type: 'getActiveLayer',
      payload: { rect: { x: 0.5, y: 0, width: 1, height: 1 } },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'addLayer no image',
    message: { v: 1, id: 'x9', type: 'addLayer', payload: { name: 'a', position: { x: 0, y: 0 } } },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'addLayer data not a buffer',
    message: {
      v: 1,
      id: 'x10',
      type: 'addLayer',
      payload: { name: 'a', position: { x: 0, y: 0 }, image: { width: 1, height: 1, data: [1, 2, 3, 4] } },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'addLayer wrong byte count',
    message: {
      v: 1,
      id: 'x11',
      type: 'addLayer',
      payload: {
        name: 'a',
        position: { x: 0, y: 0 },
        image: { width: 2, height: 2, data: new ArrayBuffer(15) },
      },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'addLayer oversized side',
    message: {
      v: 1,
      id: 'x12',
      type: 'addLayer',
      payload: {
        name: 'a',
        position: { x: 0, y: 0 },
        image: { width: 100000, height: 1, data: new ArrayBuffer(4) },
      },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'addLayer over byte cap (claimed)',
    message: {
      v: 1,
      id: 'x13',
      type: 'addLayer',
      payload: {
        name: 'a',
        position: { x: 0, y: 0 },
        image: { width: 8192, height: 8192, data: new ArrayBuffer(8) },
      },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'addLayer fractional position',
    message: {
      v: 1,
      id: 'x14',
      type: 'addLayer',
      payload: {
        name: 'a',
        position: { x: 0.5, y: 0 },
        image: { width: 1, height: 1, data: new ArrayBuffer(4) },
      },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'addLayer NaN position',
    message: {
      v: 1,
      id: 'x15',
      type: 'addLayer',
      payload: {
        name: 'a',
        position: { x: NaN, y: 0 },
        image: { width: 1, height: 1, data: new ArrayBuffer(4) },
      },
    },
    expect: { reply: 'PROTOCOL' },
  },
  {
    name: 'addLayer huge name',
    message: {
      v: 1,
      id: 'x16',
      type: 'addLayer',
      payload: {
        name: 'n'.repeat(5000),
        position: { x: 0, y: 0 },
        image: { width: 1, height: 1, data: new ArrayBuffer(4) },
      },
    },
    expect: { reply: 'PROTOCOL' },
  },
  { name: 'stray result', message: { v: 1, id: 'nobody', type: 'result', payload: {} }, expect: 'warn' },
  {
    name: 'stray error',
    message: { v: 1, id: 'nobody', type: 'error', payload: { name: 'E', code: 'X', message: 'm' } },
    expect: 'warn',
  },
  {
    name: 'bad progress event',
    message: { v: 1, id: 'x17', type: 'progress', payload: { stage: 's', done: -1 } },
    expect: 'warn',
  },
  {
    name: 'bad notify event',
    message: { v: 1, id: 'x18', type: 'notify', payload: { level: 'panic', message: 'm' } },
    expect: 'warn',
  },
  { name: 'abort unknown id', message: { v: 1, id: 'x19', type: 'abort', payload: {} }, expect: 'ignore' },
];

/** Deterministic pseudo-random garbage: nested values of every JS kind the structured clone can carry. */
export function randomGarbage(seed: number, count: number): unknown[] {
  let s = seed >>> 0;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const value = (depth: number): unknown => {
    const k = Math.floor(rnd() * (depth > 2 ? 6 : 9));
    switch (k) {
      case 0:
        return null;
      case 1:
        return rnd() * 1e6 - 5e5;
      case 2:
        return pick(['', 'result', 'error', 'addLayer', 'getActiveLayer', 'handshake', 'x'.repeat(100)]);
      case 3:
        return rnd() < 0.5;
      case 4:
        return undefined;
      case 5:
        return new ArrayBuffer(Math.floor(rnd() * 64));
      case 6:
        return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (const key of ['v', 'id', 'type', 'payload', 'width', 'height', 'data', 'name', 'position']) {
          if (rnd() < 0.5) o[key] = value(depth + 1);
        }
        return o;
      }
    }
  };
  return Array.from({ length: count }, () => value(0));
}
