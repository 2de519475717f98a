// The compiled preloads that `node --require` loads into the app's processes (node-preload routes
// FreeClimb's URL, quiet-preload tells the gate when the app is quiet). Installed, each is the
// package's own dist/…/<name>.js. In the repository (ts-node) there is no compiled file, and
// the app's Node cannot load TypeScript, so the one source file is transpiled here, at gate start,
// into node_modules/.cache/fch/: under the harness's node_modules, so that its
// require('@mswjs/interceptors/…') resolves to the harness's copy whatever the app's directory is.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPILED, PACKAGE_ROOT } from '../../package-paths';

export type PreloadName = 'node-preload' | 'quiet-preload';

export function preloadFile(name: PreloadName = 'node-preload'): string {
  if (COMPILED) return join(__dirname, `${name}.js`);
  const source = readFileSync(join(__dirname, `${name}.ts`), 'utf8');
  // Named by content: a stale copy is never loaded, and concurrent gates agree on the file.
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(PACKAGE_ROOT, 'node_modules', '.cache', 'fch');
  const file = join(dir, `${name}-${hash}.js`);
  if (existsSync(file)) return file;
  // Loaded lazily: only the repository needs the compiler, and it is slow to load.
  const ts = require('typescript') as typeof import('typescript');
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: `${name}.ts`,
  });
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed, so a gate starting at the same moment never loads half a file.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, out.outputText);
  renameSync(partial, file);
  return file;
}

/** `--require <file>` appended to the NODE_OPTIONS the app would have had. */
export function nodeOptionsWith(file: string, existing = process.env.NODE_OPTIONS): string {
  // NODE_OPTIONS splits on spaces unless the value is double-quoted.
  const arg = /[\s"\\]/.test(file) ? `"${file.replace(/(["\\])/g, '\\$1')}"` : file;
  return [existing?.trim(), `--require ${arg}`].filter(Boolean).join(' ');
}
