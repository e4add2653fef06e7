// The host under hostile conditions, end to end in headless Chromium (issues 13 and 15):
// - a plugin frame that navigates away gets nothing: no handshake, no permissions, no layer pixels, not even a
//   reply that was in flight (the host talks to the plugin only on the port its document handed over);
// - the reference editor asks before loading a plugin from another origin, showing the origin and permissions;
// - after the plugin's renderer crashes mid-job, a menu command fails visibly (no unhandled rejection) with a
//   reload offer, and the first reload brings the plugin back at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, e2eSkipReason, useEditorSuite } from './e2e-harness.js';
import { RawChromium, RawPage } from './raw-cdp.js';

const skip = e2eSkipReason();

interface Received {
  via: string;
  type?: string;
  id?: string;
  hasPixels: boolean;
  permissions: string[] | null;
  ports: number;
}

async function frameAt(page: Page, path: string): Promise<Frame> {
  for (let i = 0; i < 400; i++) {
    const f = page.frames().find((x) => x !== page.mainFrame() && x.url().includes(path));
    if (f) return f;
    await page.waitForTimeout(50);
  }
  throw new Error(`no frame ${path}`);
}

describe('e2e: the host under hostile conditions', { skip }, () => {
  const suite = useEditorSuite();

  it('a plugin frame that navigates away gets no session: no handshake, no permissions, no pixels, no late reply', async () => {
    const page = await suite.browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${suite.server.url}e2e/session-host/index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
    const plugin = await frameAt(page, '/e2e/test-plugin/index.html');
    await plugin.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });

    // A request of the real plugin is in flight (the host holds the layer) when its frame navigates away.
    await page.evaluate(() => {
      window.sessionHost.hold();
      void window.sessionHost.host.runCommand('lway.upscaleSelection').catch(() => undefined);
    });
    await page.waitForFunction(() => window.sessionHost.calls.includes('getActiveLayer'));
    await plugin.evaluate(() => void (location.href = 'spy.html')).catch(() => undefined);
    const spy = await frameAt(page, '/e2e/test-plugin/spy.html');
    await spy.waitForFunction(() => document.body.dataset.asked === 'true', null, { timeout: 30_000 });
    await page.evaluate(() => window.sessionHost.release());
    await page.waitForTimeout(500);

    const received = await spy.evaluate(() => (window as unknown as { received: Received[] }).received);
    const calls = await page.evaluate(() => window.sessionHost.calls);
    const states = await page.evaluate(() => window.sessionHost.states);
    assert.deepEqual(
      received.filter((m) => m.type === 'handshake'),
      [],
      'the new document was handshaken (and told the permissions)',
    );
    assert.deepEqual(
      received.filter((m) => m.hasPixels),
      [],
      'layer pixels reached a document the host did not load',
    );
    assert.deepEqual(
      received.filter((m) => m.type === 'result'),
      [],
      'the new document got a reply',
    );
    assert.deepEqual(calls, ['getSelection', 'getActiveLayer'], 'the new document reached the adapter');
    assert.match(states.at(-1) ?? '', /^failed: .*navigated away/);
    await page.close();
  });

  it('the reference editor asks before loading a plugin from another origin, showing origin and permissions', async () => {
    const { port } = new URL(suite.server.url);
    const foreign = `http://localhost:${port}/e2e/test-plugin/manifest.json`; // another origin than 127.0.0.1
    const open = async (): Promise<Page> => {
      const page = await suite.browser.newPage();
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(`${suite.server.url}?plugin=${encodeURIComponent(foreign)}`);
      await page.waitForSelector('#plugin-consent[open]', { timeout: 30_000 });
      return page;
    };
    const declined = await open();
    const text = (await declined.textContent('#plugin-consent')) ?? '';
    assert.match(text, new RegExp(`http://localhost:${port}`));
    for (const p of ['layer:read', 'layer:write', 'selection:read'])
      assert.ok(text.includes(p), `shows ${p}`);
    assert.equal(await declined.locator('iframe').count(), 0, 'nothing loaded before the answer');
    await declined.click('#consent-deny');
    await declined.waitForFunction(() => /not loaded/.test(document.getElementById('status')!.textContent!));
    assert.equal(await declined.locator('iframe').count(), 0);
    await declined.close();

    const allowed = await open();
    await allowed.click('#consent-allow');
    await allowed.waitForFunction(() => document.body.dataset.plugin === 'ready', null, { timeout: 60_000 });
    await allowed.close();
  });

  it('after a plugin renderer crash mid-job: a menu command fails visibly with a reload offer, and the first reload works', async () => {
    // playwright takes a crashed out-of-process frame for a crashed page, so this test drives Chromium itself.
    const chrome = RawChromium.launch(CHROMIUM_PATH, CHROMIUM_ARGS);
    try {
      const page = await RawPage.open(
        chrome,
        `${suite.server.url}?plugin=${encodeURIComponent('/e2e/test-plugin/manifest.json')}`,
      );
      await page.waitFor(`document.body?.dataset.plugin === 'ready'`);
      // The test plugin listens for commands once it has also started its worker.
      await page.waitFor(`document.body.dataset.state === 'ready'`, 60_000, page.frames.at(-1));
      await page.eval(`(() => {
        window.log = [];
        // Every change of the plugin's state, recorded before any later evaluation can see the new state
        // (a polling timer could miss the last change when the wait below already sees it: CI flake).
        let last = document.body.dataset.plugin;
        new MutationObserver(() => {
          const s = document.body.dataset.plugin;
          if (s !== last) window.log.push((last = s));
        }).observe(document.body, { attributes: true, attributeFilter: ['data-plugin'] });
        addEventListener('unhandledrejection', (e) => window.log.push('UNHANDLED ' + e.reason));
      })()`);
      const command = `document.querySelector('button[data-command="lway.upscaleSelection"]').click()`;
      await page.eval(command);
      await page.waitFor(`/upscale: [1-9]/.test(document.getElementById('status').textContent)`);
      chrome.post('Page.crash', {}, page.frames.at(-1)); // the plugin's renderer, mid-job

      await page.eval(command);
      await page.waitFor(
        `/^Plugin: /.test(document.getElementById('status').textContent) && !document.getElementById('status-reload').hidden`,
        60_000,
      );
      const status = await page.eval<string>(`document.getElementById('status').textContent`);
      assert.doesNotMatch(status, /upscale: /, 'the status bar moved on from the last progress');
      assert.deepEqual(
        (await page.eval<string[]>('window.log')).filter((l) => l.startsWith('UNHANDLED')),
        [],
        'no unhandled rejection',
      );

      await page.eval(
        `window.log.length = 0; window.reloadAt = performance.now(); document.getElementById('status-reload').click()`,
      );
      await page.waitFor(`window.log.includes('loading') && window.log.at(-1) === 'ready'`, 60_000);
      const ms = await page.eval<number>('performance.now() - window.reloadAt');
      console.log(`reload after the crash: ready in ${ms.toFixed(0)} ms`);
      assert.deepEqual(
        await page.eval('window.log'),
        ['loading', 'ready'],
        'the first reload attempt worked',
      );

      // And the plugin works again.
      await page.waitFor(`document.body.dataset.state === 'ready'`, 60_000, page.frames.at(-1));
      await page.eval(command);
      await page.waitFor('window.lwayEditor.doc.layers.length === 2', 60_000);
    } finally {
      await chrome.close();
    }
  });
});
