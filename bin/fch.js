#!/usr/bin/env node
// Entry point for `fch`. The CLI is TypeScript; ts-node compiles it on the fly. transpileOnly keeps
// start-up fast (type checking is `npx tsc --noEmit -p .`'s job, not the CLI's).
'use strict';
const path = require('path');

require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
const { main } = require('../support/cli/main.ts');

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
