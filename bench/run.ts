/**
 * `npm run bench -- <name>` runs bench/<name>.ts, whose default export does the measuring.
 * `npm run bench` with no name lists what there is.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const benchDir = path.dirname(new URL(import.meta.url).pathname);
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'report.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));

const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (one of: ${available.join(', ') || 'none yet'})`);
  process.exit(name ? 1 : 0);
}
const module = (await import(pathToFileURL(path.join(benchDir, `${name}.ts`)).href)) as {
  default: () => Promise<void>;
};
await module.default();
