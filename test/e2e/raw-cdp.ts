// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe, for the one e2e test playwright cannot
// drive: playwright treats a crashed plugin frame (an out-of-process iframe) as a crashed page and stops working,
// while the editor page itself lives on — which is exactly what that test must watch.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

type Listener = (params: Record<string, unknown>, sessionId?: string) => void;

/** A headless Chromium driven over the DevTools pipe. */
export class RawChromium {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private buffer = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const text = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 1);
        this.dispatch(JSON.parse(text) as Record<string, unknown>);
      }
    });
  }

  /** Starts Chromium at `path` with `args` (plus a fresh profile and the pipe). */
  static launch(path: string, args: readonly string[]): RawChromium {
    const profile = mkdtempSync(join(tmpdir(), 'lway-raw-cdp-'));
    const child = spawn(
      path,
      [...args, '--headless', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new RawChromium(child, profile);
  }

  /** Sends a command (to a session when given) and resolves with its result. */
  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (r: unknown) => void, reject });
      (this.child.stdio[3] as Writable).write(`${message}\0`);
    });
  }

  /** Fire-and-forget (for commands whose target dies before it can answer, like Page.crash). */
  post(method: string, params: object = {}, sessionId?: string): void {
    const message = JSON.stringify({
      id: this.nextId++,
      method,
      params,
      ...(sessionId ? { sessionId } : {}),
    });
    (this.child.stdio[3] as Writable).write(`${message}\0`);
  }

  on(event: string, listener: Listener): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.post('Browser.close');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }

  private dispatch(m: Record<string, unknown>): void {
    if (typeof m.id === 'number') {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error) w.reject(new Error(`${JSON.stringify(m.error)}`));
      else w.resolve(m.result);
      return;
    }
    for (const l of this.listeners.get(m.method as string) ?? [])
      l((m.params ?? {}) as Record<string, unknown>, m.sessionId as string | undefined);
  }
}

/** A page opened in a RawChromium, with its out-of-process iframes' sessions. */
export class RawPage {
  /** Session ids of the page's out-of-process frames, newest last. */
  readonly frames: string[] = [];

  private constructor(
    readonly browser: RawChromium,
    readonly session: string,
  ) {}

  static async open(browser: RawChromium, url: string): Promise<RawPage> {
    const { targetId } = await browser.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const { sessionId } = await browser.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    const page = new RawPage(browser, sessionId);
    browser.on('Target.attachedToTarget', (p, parent) => {
      const info = p.targetInfo as { type: string };
      if (parent === sessionId && info.type === 'iframe') page.frames.push(p.sessionId as string);
    });
    await browser.send(
      'Target.setAutoAttach',
      { autoAttach: true, waitForDebuggerOnStart: false, flatten: true },
      sessionId,
    );
    await browser.send('Page.navigate', { url }, sessionId);
    return page;
  }

  /** Evaluates `expression` in the page, or in the frame of session `frame` (promises awaited); returns its value. */
  async eval<T = unknown>(expression: string, frame?: string): Promise<T> {
    const r = await this.browser.send<{ result: { value: T }; exceptionDetails?: unknown }>(
      'Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise: true },
      frame ?? this.session,
    );
    if (r.exceptionDetails) throw new Error(`page threw: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value;
  }

  /** Polls `expression` (in the page, or in `frame`) until it is truthy; rejects after `timeoutMs`. */
  async waitFor(expression: string, timeoutMs = 60_000, frame?: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await this.eval<boolean>(expression, frame).catch(() => false))) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
