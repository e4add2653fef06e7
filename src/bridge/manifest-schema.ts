import { z } from 'zod';
import { CommandIdSchema, PermissionSchema, SUPPORTED_PROTOCOL } from './protocol.js';
import { BridgeError } from './bridge-error.js';

/**
 * A protocol version range in `engines.lway`: "^1" or "1" (exactly major 1) or "1 - 3" (inclusive).
 * Kept to this subset of semver on purpose: the protocol has integer versions only.
 */
const ENGINE_RANGE = /^(?:\^?(\d+)|(\d+)\s*-\s*(\d+))$/;

/** Parses an `engines.lway` range into { min, max }; null if it is not one of the accepted forms. */
export function parseEngineRange(range: string): { min: number; max: number } | null {
  const m = ENGINE_RANGE.exec(range.trim());
  if (!m) return null;
  if (m[1] !== undefined) return { min: Number(m[1]), max: Number(m[1]) };
  const min = Number(m[2]);
  const max = Number(m[3]);
  return min <= max ? { min, max } : null;
}

/** The plugin manifest (manifest.json), in the spirit of VS Code's package.json. */
export const ManifestSchema = z
  .object({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,63}$/, 'id must be lowercase letters, digits, dots or dashes'),
    name: z.string().min(1).max(80),
    version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'version must be semver (1.2.3)'),
    publisher: z.string().min(1).max(80),
    description: z.string().max(400),
    icon: z.string().min(1).max(200),
    engines: z
      .object({
        lway: z
          .string()
          .refine((r) => parseEngineRange(r) !== null, 'engines.lway must be "^N", "N" or "N - M"'),
      })
      .strict(),
    main: z.string().min(1).max(200),
    contributes: z
      .object({
        commands: z
          .array(z.object({ command: CommandIdSchema, title: z.string().min(1).max(80) }).strict())
          .min(1),
      })
      .strict(),
    permissions: z.array(PermissionSchema).refine((p) => new Set(p).size === p.length, 'permissions repeat'),
  })
  .strict();
export type Manifest = z.infer<typeof ManifestSchema>;

/** Validates a parsed manifest.json; throws BAD_MANIFEST naming the fields at fault. */
export function parseManifest(json: unknown): Manifest {
  const r = ManifestSchema.safeParse(json);
  if (!r.success) {
    const why = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new BridgeError('BAD_MANIFEST', `invalid plugin manifest: ${why}`);
  }
  return r.data;
}

/** Whether this build's protocol range overlaps the manifest's `engines.lway`. */
export function manifestSupportsHost(m: Manifest): boolean {
  const r = parseEngineRange(m.engines.lway);
  return r !== null && r.min <= SUPPORTED_PROTOCOL.max && r.max >= SUPPORTED_PROTOCOL.min;
}
