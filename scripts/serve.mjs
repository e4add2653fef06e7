// Serves the built editor (dist/web) and the model weights (models/ at /models/, the LPIPS weights included at
// /models/lpips/, where the worker looks for them; env LWAY_LPIPS_DIR serves another folder there) on localhost.
// Every response carries `Access-Control-Allow-Origin: *`: the plugin runs in a sandboxed iframe whose origin is
// "null", so its module scripts, wasm and model fetches are all cross-origin requests.
import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

const PHOTOPEA_PLUGIN = 'src/bridge/adapters/photopea/photopea-plugin.json';

/** Our Photopea plugin JSON with its URLs pointed at `base` (this server). */
export function photopeaPluginFor(base) {
  const p = JSON.parse(readFileSync(PHOTOPEA_PLUGIN, 'utf8'));
  return {
    ...p,
    url: new URL('plugin/index.html?host=photopea', base).href,
    icon: new URL('plugin/icon.svg', base).href,
  };
}

/** An LPIPS folder to serve instead of models/lpips: `LWAY_LPIPS_DIR`, else none (models/ has them). */
export function lpipsDirFrom(env = process.env) {
  return env.LWAY_LPIPS_DIR || undefined;
}

/** The default URL prefix -> folder table (first match wins, so the LPIPS folder comes before models/). */
export function defaultMounts(env = process.env) {
  const lpips = lpipsDirFrom(env);
  return { ...(lpips ? { '/models/lpips/': lpips } : {}), '/models/': 'models', '/': 'dist/web' };
}

/**
 * The decoded path of a request target (index.html for a folder), or null when it cannot be decoded (`/%`) or
 * holds a NUL byte: a malformed URL is the client's error (400), not the server's.
 */
export function requestPath(target) {
  let path;
  try {
    // Origin-form targets are appended, so `//a` stays a path instead of becoming a host.
    const url = target.startsWith('/') ? new URL(`http://x${target}`) : new URL(target, 'http://x');
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  return path.endsWith('/') ? `${path}index.html` : path;
}

/**
 * `rest` resolved inside `root`, or null when it would leave it. Compared with path.relative, not a string
 * prefix: `/x/lpips-private` starts with `/x/lpips` but is not inside it.
 */
export function fileInside(root, rest) {
  const file = resolve(root, `.${sep}${rest}`);
  const rel = relative(root, file);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return file;
}

/**
 * Starts the static server. `mounts` maps URL prefixes to folders (first match wins).
 * Resolves with { url, close }.
 */
export function startServer({ host = '127.0.0.1', port = 0, mounts } = {}) {
  const table = mounts ?? defaultMounts();
  const entries = Object.entries(table).map(([prefix, dir]) => [prefix, resolve(dir)]);
  const server = createServer((req, res) => {
    const headers = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    try {
      handle(req, res, headers);
    } catch (err) {
      // Whatever one request does, the server keeps serving the next.
      console.error(`serve: ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500, headers);
      res.end();
    }
  });
  const handle = (req, res, headers) => {
    const path = requestPath(req.url ?? '/');
    if (path === null) return void res.writeHead(400, headers).end('bad request');
    if (path === '/photopea-plugin.json') {
      const base = `http://${req.headers.host ?? `${host}:${port}`}/`;
      return void res
        .writeHead(200, { ...headers, 'Content-Type': 'application/json' })
        .end(JSON.stringify(photopeaPluginFor(base), null, 2));
    }
    const hit = entries.find(([prefix]) => path.startsWith(prefix));
    if (!hit) return void res.writeHead(404, headers).end('not found');
    const [prefix, root] = hit;
    const file = fileInside(root, path.slice(prefix.length));
    if (file === null) return void res.writeHead(403, headers).end('forbidden');
    let size;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      return void res.writeHead(404, headers).end('not found');
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
    });
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const addr = server.address();
      ok({
        url: `http://${host}:${addr.port}/`,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections(); // keep-alive sockets would hold close() for seconds
          }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 8080);
  const { url } = await startServer({ port });
  console.log(`LWay reference editor: ${url}`);
  const lpips = lpipsDirFrom();
  if (lpips && !existsSync(lpips))
    console.warn(`LWAY_LPIPS_DIR=${lpips} does not exist: adaptation uses L1 only.`);
  if (lpips) console.log(`LPIPS weights: ${lpips} at ${url}models/lpips/`);
  const plugin = photopeaPluginFor(url);
  const config = encodeURIComponent(JSON.stringify({ environment: { plugins: [plugin] } }));
  console.log(`Photopea plugin JSON: ${url}photopea-plugin.json`);
  console.log(`Photopea with the plugin added: https://www.photopea.com#${config}`);
  console.log('Press Ctrl+C to stop.');
}
