// scripts/serve.mjs (what `npm start` runs): serves files with CORS for the sandboxed plugin, refuses path
// traversal, and hands out the Photopea plugin JSON pointed at itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, request } from 'node:http';
// @ts-expect-error plain JS module without types
import { defaultMounts, lpipsDirFrom, startServer } from '../../scripts/serve.mjs';

/** GET `path` exactly as given (fetch would normalise it); resolves with the status, or the socket error's code. */
function rawGet(base: string, path: string): Promise<number | string> {
  const { port } = new URL(base);
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
}

describe('scripts/serve.mjs', () => {
  let server: { url: string; close: () => Promise<void> };
  before(async () => {
    const root = mkdtempSync(join(tmpdir(), 'lway-serve-'));
    mkdirSync(join(root, 'web/plugin'), { recursive: true });
    // A sibling whose name starts with the served folder's: a prefix check without a separator lets it through.
    mkdirSync(join(root, 'web-private'), { recursive: true });
    writeFileSync(join(root, 'web/index.html'), '<p>editor</p>');
    writeFileSync(join(root, 'web/plugin/x.wasm'), 'wasm');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    writeFileSync(join(root, 'web-private/s.txt'), 'sibling secret');
    server = await startServer({ port: 0, mounts: { '/': join(root, 'web') } });
  });
  after(() => server.close());

  it('serves index.html with CORS headers and the right types', async () => {
    const r = await fetch(server.url);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), '<p>editor</p>');
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    const w = await fetch(new URL('plugin/x.wasm', server.url));
    assert.equal(w.headers.get('content-type'), 'application/wasm');
  });

  it('refuses paths outside its folders', async () => {
    // An encoded slash survives URL parsing and decodes to '../': the server must refuse it.
    const { port } = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) =>
      get({ host: '127.0.0.1', port, path: '/..%2fsecret.txt' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject),
    );
    assert.equal(status, 403);
    assert.equal((await fetch(new URL('/nope.js', server.url))).status, 404);
  });

  it('answers a malformed URL with 400 and keeps serving', async () => {
    assert.equal(await rawGet(server.url, '/%'), 400);
    assert.equal(await rawGet(server.url, '/plugin/%E0%A4%A'), 400);
    assert.equal((await fetch(server.url)).status, 200);
  });

  it('does not serve a sibling folder whose name starts with the served one (dist/web -> dist/web-private)', async () => {
    assert.equal(await rawGet(server.url, '/..%2fweb-private/s.txt'), 403);
    assert.equal(await rawGet(server.url, '/plugin/..%2f..%2fweb-private/s.txt'), 403);
  });

  it('a fuzz of malformed and traversal URLs gets 400/403/404, never a file from outside, and it keeps serving', async () => {
    const targets = [
      '/%',
      '/%%',
      '/%zz',
      '/%c0%ae%c0%ae/secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/plugin/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%252fsecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/plugin/..\\..\\secret.txt',
      '/..%2fweb-private/s.txt',
      '/..%2fweb-private%2fs.txt',
      '/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd',
      '/%00',
      '/index.html%00.js',
      '/../secret.txt',
      '//secret.txt',
      'http://127.0.0.1/..%2fsecret.txt',
      '/' + '..%2f'.repeat(200) + 'etc/passwd',
    ];
    for (const t of targets) {
      const status = await rawGet(server.url, t);
      assert.ok([400, 403, 404].includes(status as number), `${t} -> ${status}`);
    }
    const ok = await fetch(server.url);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '<p>editor</p>');
  });

  it('serves the Photopea plugin JSON pointed at itself', async () => {
    const p = (await (await fetch(new URL('photopea-plugin.json', server.url))).json()) as Record<
      string,
      unknown
    >;
    assert.equal(p.url, `${server.url}plugin/index.html?host=photopea`);
    assert.equal(p.icon, `${server.url}plugin/icon.svg`);
    assert.equal(p.name, 'LWay Super-Resolution');
  });
});

describe('scripts/serve.mjs LPIPS folder', () => {
  it('serves LWAY_LPIPS_DIR at /models/lpips/, where the worker fetches it, ahead of models/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lway-lpips-'));
    writeFileSync(join(dir, 'squeeze.weights.json'), '{"net":"squeeze"}');
    const mounts = defaultMounts({ LWAY_LPIPS_DIR: dir }) as Record<string, string>;
    assert.deepEqual(Object.keys(mounts), ['/models/lpips/', '/models/', '/']);
    const server = await startServer({ port: 0, mounts });
    try {
      const r = await fetch(new URL('models/lpips/squeeze.weights.json', server.url));
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { net: 'squeeze' });
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
    } finally {
      await server.close();
    }
  });

  it('by default serves the LPIPS weights shipped in models/lpips (its manifest and shards), nothing outside the repo', async () => {
    const mounts = defaultMounts({}) as Record<string, string>;
    assert.equal(lpipsDirFrom({}), undefined);
    for (const dir of Object.values(mounts))
      assert.doesNotMatch(dir, /\.\.|shared/, `mount ${dir} leaves the repo`);
    const server = await startServer({ port: 0, mounts });
    try {
      for (const net of ['squeeze', 'alex']) {
        const r = await fetch(new URL(`models/lpips/${net}.weights.json`, server.url));
        assert.equal(r.status, 200);
        const manifest = (await r.json()) as { net: string; weightsManifest: { paths: string[] }[] };
        assert.equal(manifest.net, net);
        const bin = await fetch(new URL(`models/lpips/${manifest.weightsManifest[0].paths[0]}`, server.url));
        assert.equal(bin.status, 200);
        assert.ok((await bin.arrayBuffer()).byteLength > 1000);
      }
    } finally {
      await server.close();
    }
  });

  it('does not serve a sibling of the LPIPS folder (LWAY_LPIPS_DIR=/x/lpips must not expose /x/lpips-private)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'lway-lpips-sib-'));
    mkdirSync(join(parent, 'lpips'));
    mkdirSync(join(parent, 'lpips-private'));
    writeFileSync(join(parent, 'lpips/squeeze.weights.json'), '{}');
    writeFileSync(join(parent, 'lpips-private/s.txt'), 'private');
    const server = await startServer({
      port: 0,
      mounts: defaultMounts({ LWAY_LPIPS_DIR: join(parent, 'lpips') }),
    });
    try {
      assert.equal(await rawGet(server.url, '/models/lpips/..%2flpips-private/s.txt'), 403);
      assert.equal(await rawGet(server.url, '/models/lpips/squeeze.weights.json'), 200);
    } finally {
      await server.close();
    }
  });

  it('without LWAY_LPIPS_DIR, /models/lpips/ is just models/lpips, wherever the server starts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lway-nolpips-'));
    const cwd = process.cwd();
    process.chdir(root);
    try {
      assert.equal(lpipsDirFrom({}), undefined);
      assert.deepEqual(Object.keys(defaultMounts({})), ['/models/', '/']);
    } finally {
      process.chdir(cwd);
    }
  });
});
