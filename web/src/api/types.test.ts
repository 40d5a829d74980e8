// @vitest-environment node
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { generate, typesPath } from '../../scripts/gen-api.mjs';

test('types.ts is what openapi.json generates (run `npm run gen:api` when it is not)', async () => {
  expect(readFileSync(typesPath, 'utf8')).toBe(await generate());
});
