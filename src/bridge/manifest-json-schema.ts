import { z } from 'zod';
import { ManifestSchema } from './manifest-schema.js';

/**
 * The manifest's JSON Schema, derived from the zod ManifestSchema. zod's refinements (e.g. the engines.lway range
 * check and unique permissions) have no JSON Schema form; they are restated here as `pattern` / `uniqueItems`.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ManifestSchema, { target: 'draft-2020-12' }) as {
    properties: Record<string, Record<string, unknown>>;
  } & Record<string, unknown>;
  const engines = schema.properties.engines as { properties: Record<string, Record<string, unknown>> };
  engines.properties.lway = { type: 'string', pattern: '^(?:\\^?\\d+|\\d+\\s*-\\s*\\d+)$' };
  schema.properties.permissions = { ...schema.properties.permissions, uniqueItems: true };
  return { ...schema, $id: 'https://lway.dev/schemas/manifest.schema.json', title: 'LWay plugin manifest' };
}
