// Writes schemas/manifest.schema.json from the zod ManifestSchema (the single source of truth), so editors and
// third-party tools can validate manifest.json without our code. A test fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { manifestJsonSchema } from '../src/bridge/manifest-json-schema.js';

writeFileSync('schemas/manifest.schema.json', `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
console.log('wrote schemas/manifest.schema.json');
