// Generates schemas/*.schema.json from scripts/schemas/*.ts. The JSON files are committed (editors and
// other tools read them); test/schema checks they are up to date.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSchemas } from './schemas/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'schemas'), { recursive: true });
for (const [file, schema] of Object.entries(generateSchemas())) {
  writeFileSync(join(root, 'schemas', file), JSON.stringify(schema, null, 2) + '\n');
}
