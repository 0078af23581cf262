// Fails when src/api/schema.d.ts is not what openapi-typescript makes of
// api/openapi.yaml, so the committed types never drift from the contract.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'cc-api-'));
const fresh = join(dir, 'schema.d.ts');
try {
  execFileSync('npx', ['openapi-typescript', '../api/openapi.yaml', '-o', fresh], { stdio: 'pipe' });
  if (readFileSync(fresh, 'utf8') !== readFileSync('src/api/schema.d.ts', 'utf8')) {
    console.error('frontend/src/api/schema.d.ts is stale: run npm run gen:api and commit the result');
    process.exit(1);
  }
  console.log('schema.d.ts matches api/openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
