// PhotopeaChannel against a scripted fake Photopea: replies are matched to scripts by their end marker, so early
// and stale "done"s, echoes of older scripts, stray files and messages from other windows do not confuse it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PhotopeaChannel, type BridgeError } from '../../src/bridge/index.js';

const ORIGIN = 'https://www.photopea.com';

function fakePhotopea() {
  const self = new EventTarget();
  const posted: { script: string; origin: string }[] = [];
  const target = { postMessage: (script: string, origin: string) => posted.push({ script, origin }) };
  const reply = (data: unknown, from: { source?: unknown; origin?: string } = {}) =>
    self.dispatchEvent(
      Object.assign(new Event('message'), {
        data,
        source: from.source ?? target,
        origin: from.origin ?? ORIGIN,
      }),
    );
  const warnings: string[] = [];
  const ch = new PhotopeaChannel({
    target: target as unknown as Window,
    self: self as unknown as Window,
    origin: ORIGIN,
    warn: (code) => warnings.push(code),
    doneGraceMs: 30,
  });
  return { ch, posted, reply, warnings };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('PhotopeaChannel', () => {
  it('posts only to Photopea origin and resolves on its own end marker, ignoring an early "done"', async () => {
    const f = fakePhotopea();
    const seq = f.ch.nextSeq();
    const p = f.ch.run(seq, 'app.echoToOE("x")');
    await tick();
    assert.deepEqual(f.posted, [{ script: 'app.echoToOE("x")', origin: ORIGIN }]);
    f.reply('done'); // early: the script's output has not come yet
    const png = new ArrayBuffer(8);
    f.reply(png);
    f.reply(`LWAY:${seq}:{"a":1}`);
    f.reply(`LWAY:${seq}:end`);
    f.reply('done');
    const r = await p;
    assert.deepEqual(r.echoes, ['{"a":1}']);
    assert.equal(r.buffers[0], png);
    f.ch.dispose();
  });

  it('serialises scripts: the second is posted only after the first finished', async () => {
    const f = fakePhotopea();
    const s1 = f.ch.nextSeq();
    const s2 = f.ch.nextSeq();
    const p1 = f.ch.run(s1, 'one');
    const p2 = f.ch.run(s2, 'two');
    await tick();
    assert.equal(f.posted.length, 1);
    f.reply(`LWAY:${s1}:end`);
    f.reply('done');
    await p1;
    await tick();
    assert.equal(f.posted.length, 2);
    f.reply(`LWAY:${s1}:late`); // stale echo of the first script
    f.reply(`LWAY:${s2}:ok`);
    f.reply(`LWAY:${s2}:end`); // no "done" follows: the grace period ends the wait
    assert.deepEqual((await p2).echoes, ['ok']);
    assert.ok(f.warnings.includes('STALE_REPLY'));
    f.ch.dispose();
  });

  it('drops messages from other windows or origins with a warning', async () => {
    const f = fakePhotopea();
    const seq = f.ch.nextSeq();
    const p = f.ch.run(seq, 's');
    await tick();
    f.reply(`LWAY:${seq}:forged`, { origin: 'https://evil.example' });
    f.reply(`LWAY:${seq}:forged`, { source: {} });
    f.reply(`LWAY:${seq}:end`);
    assert.deepEqual((await p).echoes, []);
    assert.equal(f.warnings.filter((w) => w === 'WRONG_SOURCE').length, 2);
    f.ch.dispose();
  });

  it('times out and aborts cleanly, and the next script still runs', async () => {
    const f = fakePhotopea();
    await assert.rejects(
      f.ch.run(f.ch.nextSeq(), 'slow', { timeoutMs: 20 }),
      (e: BridgeError) => e.code === 'TIMEOUT',
    );
    const ac = new AbortController();
    const p = f.ch.run(f.ch.nextSeq(), 'cancel me', { signal: ac.signal });
    await tick();
    ac.abort();
    await assert.rejects(p, (e: BridgeError) => e.name === 'AbortError');
    const seq = f.ch.nextSeq();
    const p3 = f.ch.run(seq, 'next');
    await tick();
    f.reply(`LWAY:${seq}:end`);
    f.reply('done');
    assert.deepEqual((await p3).echoes, []);
    f.ch.dispose();
  });
});
