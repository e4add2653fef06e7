/**
 * The wire format between a plugin (the panel, inside a sandboxed iframe) and its host (our host SDK, or Photopea
 * through an adapter). This file alone describes it.
 *
 * Every message is `{ v, id, type, payload }`:
 * - a request (`type` = a request name) expects exactly one reply with the same `id`: `result` or `error`;
 * - an event (`progress`, `notify`) expects none;
 * - `abort` (with the `id` of a pending request) asks the other side to stop working on it.
 *
 * Schemas use zod (v4): it gives us the static types (z.infer) and the runtime checks from one declaration,
 * discriminated unions, and readable issue paths for error replies. valibot would be smaller, but zod is the
 * better-known library for the next maintainer and its bundle cost (~60 kB min) is noise next to TF.js.
 */
import { z } from 'zod';

/**
 * The protocol version this build speaks. Bumped on any incompatible change:
 * - 2: `getActiveLayer` takes an optional `rect` (a v1 host rejects the unknown key, so it is sent only at v2).
 */
export const PROTOCOL_VERSION = 2;
/** Versions this build can negotiate down to / up to. */
export const SUPPORTED_PROTOCOL = { min: 1, max: 2 } as const;
/** First version whose `getActiveLayer` takes a `rect`. */
export const REGION_REQUEST_VERSION = 2;

/** Largest side (px) of an image that may cross the bridge. */
export const MAX_IMAGE_SIDE = 8192;
/** Largest pixel buffer (bytes) that may cross the bridge: 8192 x 4096 RGBA. */
export const MAX_PIXEL_BYTES = 8192 * 4096 * 4;
/** Longest id, type, name or message string accepted. */
export const MAX_ID_LENGTH = 64;
export const MAX_TEXT_LENGTH = 1024;

const id = z.string().min(1).max(MAX_ID_LENGTH);
const text = z.string().max(MAX_TEXT_LENGTH);
const coord = z
  .number()
  .int()
  .min(-4 * MAX_IMAGE_SIDE)
  .max(4 * MAX_IMAGE_SIDE);
const side = z.number().int().min(1).max(MAX_IMAGE_SIDE);

/** Permissions a manifest may request; the host grants or refuses each request type by them. */
export const PermissionSchema = z.enum(['layer:read', 'layer:write', 'selection:read']);
export type Permission = z.infer<typeof PermissionSchema>;

/** An axis-aligned rectangle in document pixels (top-left origin). */
export const RectSchema = z.object({ x: coord, y: coord, width: side, height: side }).strict();
export type Rect = z.infer<typeof RectSchema>;

/** A point in document pixels. */
export const PointSchema = z.object({ x: coord, y: coord }).strict();
export type Point = z.infer<typeof PointSchema>;

function isArrayBuffer(x: unknown): x is ArrayBuffer {
  // Not `instanceof`: a buffer posted from another realm is an ArrayBuffer of this realm after structured clone,
  // but a test or adapter may hand one over directly from another realm.
  return Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

/**
 * An RGBA image: 8 bits per sample, not premultiplied, row-major, top-left origin.
 * `data` is an ArrayBuffer so it can be transferred (the sender's copy is detached after posting).
 */
export const RgbaImageSchema = z
  .object({
    width: side,
    height: side,
    data: z.custom<ArrayBuffer>(isArrayBuffer, { message: 'data must be an ArrayBuffer' }),
  })
  .strict()
  .superRefine((img, ctx) => {
    const want = img.width * img.height * 4;
    if (want > MAX_PIXEL_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `image ${img.width}x${img.height} needs ${want} bytes; at most ${MAX_PIXEL_BYTES} may cross the bridge`,
      });
    } else if (img.data.byteLength !== want) {
      ctx.addIssue({
        code: 'custom',
        message: `image data has ${img.data.byteLength} bytes; ${img.width}x${img.height} RGBA needs ${want}`,
      });
    }
  });
export type RgbaImage = z.infer<typeof RgbaImageSchema>;

/** A layer's identity and placement in the document. */
export const LayerInfoSchema = z.object({ id, name: text, bounds: RectSchema }).strict();
export type LayerInfo = z.infer<typeof LayerInfoSchema>;

/**
 * The active layer with its pixels; `image` covers `bounds` exactly. Asked for a `rect`, the host sends only the
 * part of the layer inside it: `bounds` is then the layer's bounds intersected with the rect.
 */
export const ActiveLayerSchema = z
  .object({ id, name: text, bounds: RectSchema, image: RgbaImageSchema })
  .strict()
  .refine((l) => l.image.width === l.bounds.width && l.image.height === l.bounds.height, {
    message: 'image size must equal bounds size',
  });
export type ActiveLayer = z.infer<typeof ActiveLayerSchema>;

/** A new layer to add on top of the document: pixels, a name and where its top-left corner goes. */
export const NewLayerSchema = z
  .object({ name: text, image: RgbaImageSchema, position: PointSchema })
  .strict();
export type NewLayer = z.infer<typeof NewLayerSchema>;

/**
 * What the plugin asks of `getActiveLayer`: `rect` (document pixels, e.g. the selection plus the model's context
 * margin) limits the pixels sent to the part of the layer inside it; absent, the whole layer comes.
 */
export const ActiveLayerRequestSchema = z.object({ rect: RectSchema.optional() }).strict();
export type ActiveLayerRequest = z.infer<typeof ActiveLayerRequestSchema>;

/** What a host can do for a plugin (request types it serves, plus events it listens to). */
export const HostCapabilitySchema = z.enum([
  'getActiveLayer',
  'getSelection',
  'addLayer',
  'notify',
  'progress',
]);
export type HostCapability = z.infer<typeof HostCapabilitySchema>;

/** Error as it crosses the wire: never a stack. `code` is open-ended so old peers accept new codes. */
export const WireErrorSchema = z
  .object({ name: z.string().max(MAX_ID_LENGTH), code: z.string().max(MAX_ID_LENGTH), message: text })
  .strict();
export type WireError = z.infer<typeof WireErrorSchema>;

const empty = z.object({}).strict();
const versionRange = z
  .object({ min: z.number().int().min(1), max: z.number().int().min(1) })
  .strict()
  .refine((r) => r.min <= r.max, { message: 'min must be <= max' });

/** Host -> plugin: first message after the plugin page loads (and after every reload). */
export const HandshakeRequestSchema = z
  .object({
    protocol: versionRange,
    host: z.object({ name: text, version: text }).strict(),
    capabilities: z.array(HostCapabilitySchema).max(16),
    permissions: z.array(PermissionSchema).max(16),
  })
  .strict();
export type HandshakeRequest = z.infer<typeof HandshakeRequestSchema>;

/** Plugin -> host reply to the handshake: the version it picked and who it is. */
export const HandshakeResultSchema = z
  .object({
    protocolVersion: z.number().int().min(1),
    plugin: z.object({ id: text, version: text }).strict(),
  })
  .strict();
export type HandshakeResult = z.infer<typeof HandshakeResultSchema>;

/** Commands a plugin contributes (manifest `contributes.commands`); the host may invoke them. */
export const CommandIdSchema = z.enum([
  'lway.upscaleSelection',
  'lway.adaptToLayer',
  'lway.clearAdaptationCache',
]);
export type CommandId = z.infer<typeof CommandIdSchema>;

/** Progress of a long plugin job, shown by the host if it wants to. */
export const ProgressSchema = z
  .object({
    stage: z.string().max(MAX_ID_LENGTH),
    done: z.number().finite().min(0),
    total: z.number().finite().min(0),
  })
  .strict();
export type Progress = z.infer<typeof ProgressSchema>;

/** A message for the user, shown by the host (toast, status bar). */
export const NotifySchema = z.object({ level: z.enum(['info', 'warning', 'error']), message: text }).strict();
export type Notify = z.infer<typeof NotifySchema>;

/** Requests the plugin sends to the host: payload schema and result schema for each. */
export const PLUGIN_REQUESTS = {
  getActiveLayer: { payload: ActiveLayerRequestSchema, result: ActiveLayerSchema },
  getSelection: { payload: empty, result: z.object({ rect: RectSchema.nullable() }).strict() },
  addLayer: { payload: NewLayerSchema, result: z.object({ layerId: id }).strict() },
} as const;
export type PluginRequestType = keyof typeof PLUGIN_REQUESTS;

/** Requests the host sends to the plugin. */
export const HOST_REQUESTS = {
  handshake: { payload: HandshakeRequestSchema, result: HandshakeResultSchema },
  runCommand: { payload: z.object({ command: CommandIdSchema }).strict(), result: empty },
} as const;
export type HostRequestType = keyof typeof HOST_REQUESTS;

/**
 * `hello`'s payload. From a plugin in a host SDK frame it travels on the window with a MessagePort (the session's
 * channel) and carries the session token the host put in the frame's URL (see session-token.ts).
 */
export const HelloSchema = z.object({ session: id.optional() }).strict();
export type Hello = z.infer<typeof HelloSchema>;

/**
 * Events the plugin sends to the host (no reply). `hello` says "my listeners are up, handshake me": the host
 * waits for it rather than racing the plugin's startup on the iframe's load event.
 */
export const PLUGIN_EVENTS = {
  hello: HelloSchema,
  progress: ProgressSchema,
  notify: NotifySchema,
} as const;
export type PluginEventType = keyof typeof PLUGIN_EVENTS;

/** Request/result table shape, so the RPC layer can be written once for both directions. */
export interface RequestTable {
  readonly [type: string]: { readonly payload: z.ZodType; readonly result: z.ZodType };
}
export interface EventTable {
  readonly [type: string]: z.ZodType;
}

/** Permission each plugin request needs. */
export const REQUIRED_PERMISSION: Record<PluginRequestType, Permission> = {
  getActiveLayer: 'layer:read',
  getSelection: 'selection:read',
  addLayer: 'layer:write',
};

/** Reply types; every other type names a request or an event. */
export const REPLY_TYPES = ['result', 'error'] as const;

/** The envelope every message must match before its payload is looked at. */
export const EnvelopeSchema = z
  .object({
    v: z.number().int().min(1).max(1000),
    id,
    type: z.string().min(1).max(MAX_ID_LENGTH),
    payload: z.unknown(),
  })
  .strict();
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** Type guard for the envelope (payload unchecked). */
export function isEnvelope(x: unknown): x is Envelope {
  return EnvelopeSchema.safeParse(x).success;
}

/** Summarises a zod error in one line for an error reply: `path: message; ...` (at most 3 issues). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** Picks the highest version both ranges share, or null. */
export function negotiateVersion(theirs: { min: number; max: number }): number | null {
  const hi = Math.min(theirs.max, SUPPORTED_PROTOCOL.max);
  const lo = Math.max(theirs.min, SUPPORTED_PROTOCOL.min);
  return hi >= lo ? hi : null;
}
