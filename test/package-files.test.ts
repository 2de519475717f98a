// The `publish` stage (scripts/publish-check.ts) must be able to fail: given the file list of a
// package that ships tests, an example's node_modules, reports, a .env, TypeScript sources or a
// stale build, or that lacks its entry point, it names each file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REQUIRED_FILES, packageFileProblems, parsePublishJson } from '../scripts/lib/package-files';

const everySourceExists = () => true;

describe('what the package may hold', () => {
  it('the required files and compiled JavaScript with its sources pass', () => {
    assert.deepEqual(packageFileProblems([...REQUIRED_FILES, 'dist/steps/call.steps.js', 'docs/call-flow-failing.png'], everySourceExists), []);
  });

  it('names tests, an example\'s node_modules, reports and a .env', () => {
    const extra = ['test/config.test.ts', 'examples/conference-line/node_modules/express/index.js', 'reports/allure-results/x-result.json', '.env', 'support/world.ts'];
    const problems = packageFileProblems([...REQUIRED_FILES, ...extra], everySourceExists);
    assert.equal(problems.length, extra.length, problems.join('\n'));
    for (const file of extra) assert.ok(problems.some((p) => p.startsWith(`${file}: in the package, but a user does not need it`)), file);
  });

  it('names a stale compiled file and a non-JavaScript file in dist/', () => {
    const problems = packageFileProblems([...REQUIRED_FILES, 'dist/support/report/results-dir.js', 'dist/support/world.d.ts'], (ts) => ts !== 'support/report/results-dir.ts');
    assert.deepEqual(problems, [
      'dist/support/report/results-dir.js: no support/report/results-dir.ts in the repository; a stale build',
      'dist/support/world.d.ts: dist/ should hold compiled JavaScript only',
    ]);
  });

  it('names a missing entry point and a missing changelog', () => {
    const problems = packageFileProblems(REQUIRED_FILES.filter((f) => f !== 'dist/support/cli/main.js' && f !== 'CHANGELOG.md'), everySourceExists);
    assert.deepEqual(problems, ['CHANGELOG.md: missing from the package', 'dist/support/cli/main.js: missing from the package']);
  });
});

describe('npm publish --dry-run --json', () => {
  const pkg = { id: 'x@1.0.0', name: 'x', version: '1.0.0', filename: 'x-1.0.0.tgz', size: 10, unpackedSize: 20, files: [{ path: 'package.json', size: 1, mode: 420 }] };

  it('reads npm 11\'s answer keyed by name and npm 10\'s bare one', () => {
    assert.deepEqual(parsePublishJson(JSON.stringify({ x: pkg })).files, [{ path: 'package.json' }]);
    assert.equal(parsePublishJson(JSON.stringify(pkg)).filename, 'x-1.0.0.tgz');
  });

  it('says what it got when it is not a file list', () => {
    assert.throws(() => parsePublishJson('npm error code E404'), /printed no JSON: npm error code E404/);
    assert.throws(() => parsePublishJson('{"error":{"code":"EPRIVATE"}}'), /not a package's file list/);
  });
});
