/**
 * The per-load session token that binds a host's session to the one document it loaded into the plugin frame.
 * The host puts a fresh random token in the fragment of the URL it loads (`#lway-session=<token>`); the plugin
 * echoes it in its `hello`. A document the frame navigates to does not have it (and a reload of the same URL has a
 * spent one), so it gets no session. The fragment is never sent to a server.
 */
export const SESSION_TOKEN_PARAM = 'lway-session';

/** A fresh unguessable token (128 random bits, hex). */
export function newSessionToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `url` with `token` in its fragment (any fragment it had is replaced). */
export function withSessionToken(url: URL, token: string): URL {
  const u = new URL(url);
  u.hash = `${SESSION_TOKEN_PARAM}=${token}`;
  return u;
}

/** The token in a location's fragment, if any. */
export function sessionTokenFrom(location: Pick<Location, 'hash'>): string | undefined {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get(SESSION_TOKEN_PARAM);
  return token || undefined;
}
