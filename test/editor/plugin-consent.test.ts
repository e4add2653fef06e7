import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsConsent } from '../../editor/plugin-consent.js';

const EDITOR = 'http://127.0.0.1:8080';
const u = (s: string) => new URL(s);

test('the bundled plugin (manifest and page from the editor itself) loads without asking', () => {
  assert.equal(needsConsent(u(`${EDITOR}/manifest.json`), u(`${EDITOR}/plugin/index.html`), EDITOR), false);
});

test('a manifest or a page from another origin needs the user to agree', () => {
  for (const [manifest, page] of [
    ['http://elsewhere/manifest.json', 'http://elsewhere/index.html'],
    ['http://localhost:8080/manifest.json', `${EDITOR}/plugin/index.html`], // another host name is another origin
    [`${EDITOR}/manifest.json`, 'https://cdn.example/plugin.html'], // our manifest pointing elsewhere
    [`${EDITOR}/manifest.json`, 'http://127.0.0.1:9090/plugin/index.html'], // another port
  ])
    assert.equal(needsConsent(u(manifest), u(page), EDITOR), true, `${manifest} -> ${page}`);
});
