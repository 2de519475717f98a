'use strict';
// A ts-node transpiler (tsconfig.json: "ts-node": { "transpiler": ... }) that keeps what it
// transpiled on disk. Every process that runs this repository's TypeScript (each unit-test file,
// each Cucumber worker, each `fch` started from the sources) used to transpile the same hundred
// files again: requiring the simulator cost 3.0 s of CPU under ts-node and 0.55 s compiled. With
// this cache only the first process after a change transpiles a file; the others read it back.
//
// It transpiles exactly as ts-node's transpile-only mode does (ts.transpileModule with the
// project's compiler options), and ts-node still adds the source map and serves it to stack traces.
// The key is the file's path and source, the TypeScript version and the compiler options, so an
// edited file or a changed tsconfig is transpiled afresh. Output with diagnostics (a syntax error)
// is never kept: the error comes back on every run, as without the cache. The cache lives in
// node_modules/.cache (which `npm ci` empties), or FCH_TRANSPILE_CACHE_DIR; FCH_TRANSPILE_CACHE=off
// turns it off.
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const DEFAULT_DIR = join(__dirname, '..', 'node_modules', '.cache', 'fch-transpile');
// Bumped when what is stored changes shape.
const FORMAT = 1;

exports.create = function create({ service }) {
  const ts = require(service.projectLocalResolveHelper('typescript', true));
  const compilerOptions = service.config.options;
  const salt = JSON.stringify([FORMAT, ts.version, compilerOptions]);
  const off = process.env.FCH_TRANSPILE_CACHE === 'off';
  const DIR = process.env.FCH_TRANSPILE_CACHE_DIR || DEFAULT_DIR;
  let made = false;
  return {
    transpile(input, { fileName }) {
      const key = createHash('sha256').update(salt).update('\0').update(fileName).update('\0').update(input).digest('hex');
      const file = join(DIR, `${key}.json`);
      if (!off) {
        try {
          return JSON.parse(readFileSync(file, 'utf8'));
        } catch {
          // Not there yet (or unreadable): transpile it below.
        }
      }
      const result = ts.transpileModule(input, { fileName, compilerOptions, reportDiagnostics: true });
      if (!off && !(result.diagnostics && result.diagnostics.length)) {
        try {
          if (!made) mkdirSync(DIR, { recursive: true });
          made = true;
          // Written aside and renamed into place: processes that start together never read half a file.
          const tmp = `${file}.${process.pid}.tmp`;
          writeFileSync(tmp, JSON.stringify({ outputText: result.outputText, sourceMapText: result.sourceMapText }));
          renameSync(tmp, file);
        } catch {
          // A read-only or full disk only costs the next process the transpiling.
        }
      }
      return result;
    },
  };
};
