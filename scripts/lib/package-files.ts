// What the published package may hold (issue 25, item 6): what a user needs to run `fch` and read
// its manual, and nothing of the repository's own work (tests, examples and their node_modules,
// reports, the TypeScript sources, a .env). Judged on the file list `npm publish --dry-run` prints.
import { z } from 'zod';

/** Folders shipped whole, and single files at the package's root. */
export const SHIPPED_DIRS = ['bin/', 'dist/', 'app-features/', 'docs/'];
export const SHIPPED_FILES = ['package.json', 'README.md', 'CHANGELOG.md', '.env.example'];
/** Without these the installed package does not start, or a user has no manual or history. */
export const REQUIRED_FILES = ['package.json', 'README.md', 'CHANGELOG.md', '.env.example', 'bin/fch.js', 'dist/support/cli/main.js', 'app-features/builtin.feature', 'docs/app-gating.md', 'docs/versioning.md'];

// npm 11 keys its --json answer by package name; npm 10 prints the package's object itself.
const Packed = z.object({ id: z.string(), filename: z.string(), size: z.number(), unpackedSize: z.number(), files: z.array(z.object({ path: z.string() })) });
export type Packed = z.infer<typeof Packed>;

export function parsePublishJson(stdout: string): Packed {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new Error(`npm publish --dry-run --json printed no JSON: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  }
  const direct = Packed.safeParse(json);
  if (direct.success) return direct.data;
  const values = json && typeof json === 'object' ? Object.values(json) : [];
  const keyed = values.length === 1 ? Packed.safeParse(values[0]) : undefined;
  if (keyed?.success) return keyed.data;
  throw new Error(`npm publish --dry-run --json: not a package's file list: ${JSON.stringify(json).slice(0, 200)}`);
}

/**
 * Problems with the list, one line each. `sourceExists(ts)` says whether the TypeScript file a dist/
 * file was compiled from exists: a dist/ file without one is left over from an older build.
 */
export function packageFileProblems(paths: string[], sourceExists: (ts: string) => boolean): string[] {
  const problems: string[] = [];
  for (const path of [...paths].sort()) {
    if (!SHIPPED_FILES.includes(path) && !SHIPPED_DIRS.some((d) => path.startsWith(d))) {
      problems.push(`${path}: in the package, but a user does not need it (the package holds ${[...SHIPPED_DIRS, ...SHIPPED_FILES].join(', ')})`);
    } else if (path.startsWith('dist/')) {
      if (!path.endsWith('.js')) problems.push(`${path}: dist/ should hold compiled JavaScript only`);
      else if (!sourceExists(path.slice('dist/'.length, -'.js'.length) + '.ts')) problems.push(`${path}: no ${path.slice('dist/'.length, -'.js'.length)}.ts in the repository; a stale build`);
    }
  }
  for (const file of REQUIRED_FILES) if (!paths.includes(file)) problems.push(`${file}: missing from the package`);
  return problems;
}

/** One line of what the package holds: files per shipped folder, then the single files. */
export function packageSummary(packed: Packed): string {
  const paths = packed.files.map((f) => f.path);
  const dirs = SHIPPED_DIRS.map((d) => `${d} ${paths.filter((p) => p.startsWith(d)).length}`);
  const files = SHIPPED_FILES.filter((f) => paths.includes(f));
  return `${packed.filename}: ${paths.length} files (${dirs.join(', ')}; ${files.join(', ')}), ${(packed.size / 1024).toFixed(0)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked`;
}
