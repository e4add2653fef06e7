import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSessionToken, sessionTokenFrom, withSessionToken } from '../../src/bridge/session-token.js';
import { HelloSchema } from '../../src/bridge/protocol.js';

test('session tokens are fresh, fit a hello, and round-trip through the URL fragment only', () => {
  const a = newSessionToken();
  const b = newSessionToken();
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(a, b);
  assert.ok(HelloSchema.safeParse({ session: a }).success);
  const url = withSessionToken(new URL('http://h/plugin/index.html?theme=dark#old'), a);
  assert.equal(url.search, '?theme=dark', 'the query (which reaches the server) is untouched');
  assert.equal(url.hash, `#lway-session=${a}`);
  assert.equal(sessionTokenFrom(url), a);
  assert.equal(sessionTokenFrom(new URL('http://h/plugin/index.html')), undefined);
});
