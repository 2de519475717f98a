// Proof that credentials never reach generated files: every file under the given folders is
// searched for the API key, the Basic authorization value (and its bare base64) and the secret.
import { existsSync, statSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './cucumber-run';

export interface Needle {
  label: string;
  value: string;
}

export function credentialNeedles(accountId: string, apiKey: string, signingSecret: string): Needle[] {
  const basic = Buffer.from(`${accountId}:${apiKey}`).toString('base64');
  return [
    { label: 'the API key', value: apiKey },
    { label: 'the Basic authorization value', value: basic },
    { label: 'the signing secret', value: signingSecret },
  ];
}

/** One line per file that holds a needle: `reports/x.json holds the API key`. */
export function findSecrets(dirs: string[], needles: Needle[]): string[] {
  const hits: string[] = [];
  for (const file of dirs.flatMap(walk)) {
    const content = readIfStillThere(file);
    if (!content) continue;
    const found = needles.filter((n) => n.value && content.includes(n.value)).map((n) => n.label);
    if (found.length) hits.push(`${relative(ROOT, file)} holds ${found.join(' and ')}`);
  }
  return hits;
}

/** A file another run replaced between listing and reading is simply not there any more. */
function readIfStillThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Every file under `dir`; a file path is its own list. */
export function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.isFile() ? [p] : [];
  });
}
