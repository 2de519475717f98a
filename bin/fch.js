#!/usr/bin/env node
// Entry point for `fch`. In the repository the CLI is TypeScript, compiled on the fly by ts-node
// (transpileOnly keeps start-up fast; type checking is `npm run typecheck`'s job). An installed
// package has no TypeScript sources, and ts-node ignores node_modules anyway: it runs the
// JavaScript that `npm run build` (prepack) put in dist/.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'support', 'cli', 'main.ts');
let main;
if (fs.existsSync(source)) {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  ({ main } = require(source));
} else {
  ({ main } = require(path.join(root, 'dist', 'support', 'cli', 'main.js')));
}

main(process.argv.slice(2)).then(
  (code) => {
    // exitCode rather than process.exit(): exiting at once can truncate piped stdout, and would
    // kill `fch mock`, whose server keeps the process alive after main() resolves.
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`fch: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
