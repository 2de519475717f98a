// The transpile cache that tsconfig.json hands ts-node (scripts/ts-transpile-cache.js): the same
// output as TypeScript's own transpileModule, read back from disk the second time, transpiled afresh
// when the source changes, and never keeping output with a syntax error.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { tempDir } from './helpers/temp-dir';

const { create } = require('../scripts/ts-transpile-cache.js') as {
  create(o: { service: { config: { options: ts.CompilerOptions }; projectLocalResolveHelper(name: string, flag: boolean): string } }): {
    transpile(input: string, o: { fileName: string }): { outputText: string; sourceMapText?: string; diagnostics?: ts.Diagnostic[] };
  };
};

const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: true };
const transpiler = (dir: string) => {
  process.env.FCH_TRANSPILE_CACHE_DIR = dir;
  return create({ service: { config: { options }, projectLocalResolveHelper: (name) => require.resolve(name) } });
};
const SOURCE = 'export const x: number = 1;\n';

test('the second transpile of a file is read back from the cache, with the output TypeScript gives', () => {
  const dir = tempDir('fch-transpile');
  const first = transpiler(dir).transpile(SOURCE, { fileName: '/p/a.ts' });
  assert.equal(first.outputText, ts.transpileModule(SOURCE, { fileName: '/p/a.ts', compilerOptions: options }).outputText);
  const [entry] = readdirSync(dir);
  assert.ok(entry?.endsWith('.json'), `one cache file, got ${readdirSync(dir).join(', ')}`);
  // Planted content proves the second call reads the file instead of transpiling again.
  writeFileSync(join(dir, entry!), JSON.stringify({ outputText: 'planted', sourceMapText: first.sourceMapText }));
  assert.equal(transpiler(dir).transpile(SOURCE, { fileName: '/p/a.ts' }).outputText, 'planted');
  assert.match(JSON.parse(readFileSync(join(dir, entry!), 'utf8')).sourceMapText, /"mappings"/);
});

test('another source, another path or FCH_TRANSPILE_CACHE=off is transpiled afresh', () => {
  const dir = tempDir('fch-transpile');
  transpiler(dir).transpile(SOURCE, { fileName: '/p/a.ts' });
  transpiler(dir).transpile('export const x = 2;\n', { fileName: '/p/a.ts' });
  transpiler(dir).transpile(SOURCE, { fileName: '/p/b.ts' });
  assert.equal(readdirSync(dir).length, 3);
  process.env.FCH_TRANSPILE_CACHE = 'off';
  try {
    transpiler(dir).transpile('export const y = 3;\n', { fileName: '/p/c.ts' });
  } finally {
    delete process.env.FCH_TRANSPILE_CACHE;
  }
  assert.equal(readdirSync(dir).length, 3, 'nothing written when off');
});

test('output with diagnostics (a syntax error) is not kept, so the error comes back every time', () => {
  const dir = tempDir('fch-transpile');
  const result = transpiler(dir).transpile('export const = ;\n', { fileName: '/p/bad.ts' });
  assert.ok(result.diagnostics && result.diagnostics.length > 0);
  assert.deepEqual(readdirSync(dir), []);
});
