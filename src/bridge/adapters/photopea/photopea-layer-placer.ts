import { BridgeError, abortError } from '../../bridge-error.js';
import type { NewLayer } from '../../protocol.js';
import type { WarnFn } from '../../warn.js';
import type { ScriptReply } from './photopea-channel.js';
import {
  finishPlacedLayerScript,
  layerCountScript,
  openAsLayerScript,
  removePlacedLayerScript,
  type PlacedLayerMatch,
} from './photopea-scripts.js';
import { opaqueBox } from './opaque-box.js';
import { encodePngDataUri } from './png-codec.js';

/** Runs one script (built for its sequence number); rejects on Photopea's guard echoes (no document, error). */
export type RunScript = (
  build: (seq: number) => string,
  options?: { signal?: AbortSignal; timeoutMs?: number },
) => Promise<ScriptReply>;

/** Options of {@link PhotopeaLayerPlacer}. */
export interface PhotopeaLayerPlacerOptions {
  run: RunScript;
  warn: WarnFn;
  /** How often to poll for the layer app.open adds (it appears asynchronously). */
  pollMs: number;
  /** Default time for the whole placement when a call gives none. */
  timeoutMs: number;
  /** How long a layer that may still land after a failed job is looked for (and removed) at later calls. */
  orphanWatchMs?: number;
}

/** A layer a failed job asked for that had not landed yet when the job gave up. */
interface Orphan extends PlacedLayerMatch {
  until: number;
}

let jobCounter = 0;

/**
 * Adds a new layer to Photopea's document: app.open places our PNG (asynchronously, above the active layer, in
 * its folder), then one script rasterises it and moves its opaque box where the image's opaque pixels belong.
 * A job adds exactly one finished layer or leaves the document as it was: a failed finish removes the layer
 * itself, a timeout or abort removes what landed, and a layer that lands after the job gave up is removed at the
 * next call (`sweep`).
 */
export class PhotopeaLayerPlacer {
  private orphan: Orphan | null = null;

  constructor(private readonly o: PhotopeaLayerPlacerOptions) {}

  /** Removes the late layer of an earlier failed job, if it has landed since. Never throws. */
  async sweep(signal?: AbortSignal): Promise<void> {
    const orphan = this.orphan;
    if (!orphan) return;
    if (Date.now() > orphan.until) {
      this.orphan = null;
      return;
    }
    try {
      const r = await this.removePlaced(orphan, signal);
      if (r === 'removed' && this.orphan === orphan) this.orphan = null;
    } catch {
      // Tried again at the next call.
    }
  }

  /** Places `layer` (validated by the caller); resolves to the new layer's id. */
  async place(layer: NewLayer, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string> {
    const box = opaqueBox(layer.image);
    if (!box) {
      throw new BridgeError(
        'EMPTY_LAYER',
        'addLayer: the new layer has no visible pixels, so there is nothing to add',
      );
    }
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.o.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const uri = await encodePngDataUri(layer.image);
    await this.sweep(signal);
    const before = await this.count({ signal, timeoutMs });
    if (signal?.aborted) throw abortError('addLayer');
    const match: PlacedLayerMatch = {
      before,
      name: layer.name,
      pendingName: `LWay pending ${++jobCounter}-${Math.random().toString(36).slice(2, 10)}`,
      width: box.width,
      height: box.height,
    };
    let landed = false;
    try {
      await this.o.run((seq) => openAsLayerScript(seq, uri), { signal, timeoutMs });
      // app.open adds the layer asynchronously: poll until the document (at any depth) has one more.
      while ((await this.count({ signal, timeoutMs })) <= before) {
        if (Date.now() > deadline) throw new BridgeError('TIMEOUT', 'Photopea did not add the layer in time');
        await new Promise((r) => setTimeout(r, this.o.pollMs));
        if (signal?.aborted) throw abortError('addLayer');
      }
      landed = true;
      // The layer exists: finish it even if aborted now, so the document is not left half-done.
      const { x, y } = layer.position;
      const finished = await this.o.run(
        (seq) =>
          finishPlacedLayerScript(seq, { ...match, x: Math.round(x) + box.x, y: Math.round(y) + box.y }),
        { timeoutMs },
      );
      return (finished.echoes[0] ?? 'layer').slice(0, 64);
    } catch (err) {
      await this.cleanUp(match, landed, timeoutMs);
      throw err;
    }
  }

  private async cleanUp(match: PlacedLayerMatch, landed: boolean, timeoutMs: number): Promise<void> {
    try {
      const r = await this.removePlaced(match, undefined, timeoutMs);
      if (r === 'unmatched') {
        this.o.warn(
          'STRAY_LAYER',
          'a layer was added during a failed job, but it is not ours; left it alone',
        );
      }
      // Not there yet: it may still land (app.open is asynchronous); look again at the next calls.
      if (r === 'none' && !landed)
        this.orphan = { ...match, until: Date.now() + (this.o.orphanWatchMs ?? 120_000) };
    } catch (e) {
      this.o.warn('CLEANUP_FAILED', `could not remove the layer of a failed job: ${(e as Error).message}`);
      this.orphan = { ...match, until: Date.now() + (this.o.orphanWatchMs ?? 120_000) };
    }
  }

  private async removePlaced(
    match: PlacedLayerMatch,
    signal?: AbortSignal,
    timeoutMs = this.o.timeoutMs,
  ): Promise<string> {
    const r = await this.o.run((seq) => removePlacedLayerScript(seq, match), { signal, timeoutMs });
    return r.echoes[0] ?? 'none';
  }

  private async count(o: { signal?: AbortSignal; timeoutMs?: number }): Promise<number> {
    const n = Number((await this.o.run(layerCountScript, o)).echoes[0]);
    if (!Number.isInteger(n)) throw new BridgeError('PROTOCOL', 'Photopea sent a malformed layer count');
    return n;
  }
}
