// Generates src/api/types.ts from openapi.json (the api's /api/openapi.json, kept current
// by the api test `openapi_types`). Run by `npm run gen:api` and before every build; the
// unit test src/api/types.test.ts fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const HEADER =
  '// Generated from web/openapi.json by scripts/gen-api.mjs (npm run gen:api). Do not edit.\n\n';

export const documentPath = fileURLToPath(new URL('../openapi.json', import.meta.url));
export const typesPath = fileURLToPath(new URL('../src/api/types.ts', import.meta.url));

/** The text of types.ts for the document at `documentPath`. */
export async function generate() {
  const document = JSON.parse(readFileSync(documentPath, 'utf8'));
  // rootTypes: every schema is also exported by name (`export type Event = ...`).
  const ast = await openapiTS(document, { rootTypes: true, rootTypesNoSchemaPrefix: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(typesPath, await generate());
}
