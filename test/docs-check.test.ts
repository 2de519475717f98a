// The `docs` stage of `npm run check` (scripts/docs-check.ts) must be able to fail: each check is
// given a deliberately broken input here and must name the problem with file:line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_TEST_USAGE } from '../support/cli/app-test';
import { LIVE_USAGE, parseLiveArgs } from '../support/live/cli';
import { MOCK_USAGE, parseMockArgs } from '../support/simulator/server-cli';
import { CONFIG_PAGE, DOCUMENTED_VARIABLES, compareConfigPage, renderConfigPage } from '../scripts/lib/config-page';
import { checkCommands, fchCommands, flagsOf, type CommandContext } from '../scripts/lib/doc-commands';
import { checkLinks } from '../scripts/lib/doc-links';
import { headingAnchors, slug } from '../scripts/lib/markdown';
import { tempDir } from './helpers/temp-dir';

const ROOT = join(__dirname, '..');

describe('docs/configuration.md against the schema', () => {
  const page = renderConfigPage();

  it('the committed page is the generated one', () => {
    assert.deepEqual(compareConfigPage(readFileSync(join(ROOT, CONFIG_PAGE), 'utf8'), page), []);
  });

  it('documents every variable of the schema, with its meaning, default and readers', () => {
    assert.ok(DOCUMENTED_VARIABLES.includes('HARNESS_APP_PEOPLE_NUMBERS'));
    for (const name of DOCUMENTED_VARIABLES) assert.match(page, new RegExp(`^## ${name}\\n\\n\\S[^\\n]*\\n\\n(- valid values: .*\\n)?- default: .+\\n- read by: .+`, 'm'), name);
  });

  it('names a variable whose default changed, with its line, and says to rerun the generator', () => {
    const stale = page.replace(/(## HARNESS_APP_START_TIMEOUT_MS\n[\s\S]*?- default: )`20000`/, '$1`10000`');
    assert.notEqual(stale, page);
    const problems = compareConfigPage(stale, page);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^docs\/configuration\.md:\d+: HARNESS_APP_START_TIMEOUT_MS on the page differs from the schema; run npm run docs:config$/);
  });

  it('names a variable added to the schema but not to the page, and one on the page the schema dropped', () => {
    const without = renderConfigPage(DOCUMENTED_VARIABLES.filter((v) => v !== 'HARNESS_APP_GRACE_CEILING_MS'));
    assert.deepEqual(compareConfigPage(without, page), ['docs/configuration.md: HARNESS_APP_GRACE_CEILING_MS is in the schema but not on the page; run npm run docs:config']);
    const [extra] = compareConfigPage(page, without);
    assert.match(extra, /^docs\/configuration\.md:\d+: HARNESS_APP_GRACE_CEILING_MS is on the page but not in the schema/);
  });
});

describe('fch app test --help', () => {
  it('lists every HARNESS_APP_* variable of the schemas', () => {
    const listed = new Set(APP_TEST_USAGE.match(/HARNESS_APP_[A-Z_]+/g));
    const schema = DOCUMENTED_VARIABLES.filter((v) => v.startsWith('HARNESS_APP_'));
    assert.ok(schema.length >= 13);
    assert.deepEqual(schema.filter((v) => !listed.has(v)), []);
  });
});

describe('links and anchors', () => {
  const root = tempDir('docs-links');
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs', 'guide.md'), '# Guide\n\n## Set-up: `npm ci` first\n\n## Set-up: `npm ci` first\n');
  writeFileSync(join(root, 'present.ts'), '');
  const readme = [
    '# Title', // 1
    '', // 2
    'See [the guide](docs/guide.md#set-up-npm-ci-first) and [again](docs/guide.md#set-up-npm-ci-first-1).', // 3
    'A [missing file](docs/nope.md) and a [missing anchor](docs/guide.md#install).', // 4
    'Here: [up](#title), [nowhere](#no-such-heading), [source](present.ts#L3), [web](https://example.com/x#y).', // 5
    '`[in code](missing.md)`', // 6
    '```', // 7
    '[in a block](missing.md)', // 8
    '```', // 9
    '![image](docs/shot.png)', // 10
  ].join('\n');

  it('reports each broken link and anchor with file:line, and nothing else', () => {
    assert.deepEqual(checkLinks('README.md', readme, root), [
      'README.md:4: broken link docs/nope.md: docs/nope.md does not exist',
      'README.md:4: broken anchor docs/guide.md#install: no heading "#install" in docs/guide.md',
      'README.md:5: broken anchor #no-such-heading: no heading "#no-such-heading" in README.md',
      'README.md:10: broken link docs/shot.png: docs/shot.png does not exist',
    ]);
  });

  it('resolves links relative to the page, and a leading / from the root', () => {
    assert.deepEqual(checkLinks('docs/guide.md', '[back](../present.ts) [root](/present.ts) [wrong](present.ts)', root), [
      'docs/guide.md:1: broken link present.ts: docs/present.ts does not exist',
    ]);
  });

  it('makes GitHub anchors from headings', () => {
    assert.equal(slug('Parallel live runs: `--parallel N` behind one public URL'), 'parallel-live-runs---parallel-n-behind-one-public-url');
    assert.equal(slug('Shards: one run over several CI jobs, one report'), 'shards-one-run-over-several-ci-jobs-one-report');
    assert.equal(slug('HARNESS_APP_URL'), 'harness_app_url');
    assert.deepEqual([...headingAnchors('# A\n```\n# not a heading\n```\n## A\n<a name="x"></a>')], ['a', 'a-1', 'x']);
  });
});

// A help text and per-command usages of fch's shape, fixed here so that the tests do not move
// when a command is added to support/cli/main.ts.
const USAGE_TEXT = `usage: fch <command>

commands:
  percl validate <file|->   validate a PerCL script
  mock [--port N] [--variant axis=option]...
                            serve the FreeClimb simulator over HTTP
  live doctor|setup|sweep [--yes] [--prefix p]
                            prepare, check and clean up a real account
  app test [paths…] [--all-variants | --variant axis=option,…] [--no-builtin] [--shard I/N]
                            gate an app (--shard: part I of N)
  app test --live [paths…] [--no-builtin]
  app live setup|doctor     prepare the account for a live app gate
  report [RESULTS_DIR…]     the Allure report
  help                      show this help
`;
const DETAILED = [
  { words: ['mock'], usage: () => 'usage: fch mock [--port N] [--host 127.0.0.1] [--variant axis=option]... [--help]' },
  { words: ['live', 'doctor'], usage: () => 'usage: fch live doctor' },
  { words: ['live', 'setup'], usage: () => 'usage: fch live setup' },
  { words: ['live', 'sweep'], usage: () => 'usage: fch live sweep [--yes] [--prefix p]' },
];

describe('commands in the docs', () => {
  const ctx: CommandContext = {
    scripts: { test: 'cucumber-js', check: 'node scripts/check.ts', mock: 'node bin/fch.js mock', fch: 'node bin/fch.js', 'live:sweep': 'node bin/fch.js live sweep' },
    packageJson: 'package.json',
    fch: fchCommands(USAGE_TEXT, DETAILED),
  };
  const problems = (text: string) => checkCommands('README.md', text, ctx);

  it('accepts the commands that exist', () => {
    const page = [
      '```bash',
      'npm ci && npm test        # install, then run',
      'HARNESS_APP_COMMAND="node server.js" HARNESS_APP_URL=http://127.0.0.1:3000 \\',
      '  npx fch app test features/ --all-variants --shard 2/3',
      '  - run: npx --no-install fch report shards/a shards/b',
      'npm run check -- --only unit',
      'npm run mock -- --port 4010 --variant recordingReport=both',
      'npm run live:sweep -- --yes',
      'fch app test --live features/ && fch app live doctor|setup',
      'fch percl validate - < answer.json',
      '# {"apiBaseUrl":"http://127.0.0.1:4010/apiserver"}',
      '```',
      '`fch app test [paths…] [--all-variants | --variant axis=option,…] [--no-builtin]`, `fch live doctor|setup|sweep`,',
      '`npm run fch -- app test --no-builtin`, `fch mock --help`, `fch-harness`, `npm install --no-save @ngrok/ngrok`.',
    ].join('\n');
    assert.deepEqual(problems(page), []);
  });

  it('names a missing npm script, a non-npm command, an unknown fch command and flag, with file:line', () => {
    const page = [
      'Run `npm run chekc` first.', // 1
      '```sh', // 2
      'npm check', // 3
      'npx fch app tset features/', // 4
      'HARNESS_APP_URL=http://127.0.0.1:3000 \\', // 5
      '  fch app test --all-variant', // 6
      'fch replay', // 7
      'npm run mock -- --prot 4010', // 8
      'fch live doctor --yes', // 9
      'fch app live sweep', // 10
      '```', // 11
    ].join('\n');
    assert.deepEqual(problems(page), [
      'README.md:3: npm check: not an npm command; the script runs with npm run check',
      'README.md:4: fch app tset: no such command (test, live)',
      'README.md:5: fch app test: no option --all-variant (its usage shows --all-variants, --variant, --no-builtin, --shard, --live)',
      'README.md:7: fch replay: no such command (percl, mock, live, app, report, help, --help, -h)',
      'README.md:8: fch mock: no option --prot (its usage shows --port, --host, --variant, --help) (through npm run mock)',
      'README.md:9: fch live doctor: no option --yes (its usage shows none)',
      'README.md:10: fch app live sweep: no such command (setup, doctor)',
      'README.md:1: npm run chekc: no script "chekc" in package.json',
    ]);
  });

  it("an example's page may name the harness's scripts, and npm start runs its server.js", () => {
    const example: CommandContext = { scripts: { gate: 'fch app test features/' }, rootScripts: ctx.scripts, hasServerJs: true, packageJson: 'examples/x/package.json', fch: ctx.fch };
    assert.deepEqual(checkCommands('examples/x/README.md', '`npm run gate`, `npm start`, `npm run check`, `npm run lint`', example), [
      'examples/x/README.md:1: npm run lint: no script "lint" in examples/x/package.json',
    ]);
  });
});

describe('the usage texts the command check reads', () => {
  it("fch's own: every command of its help, and the flags of each command's usage", () => {
    const real: CommandContext = { scripts: {}, packageJson: 'package.json', fch: fchCommands() };
    const text = ['`fch percl commands`, `fch percl validate -`, `fch mock --speed 20 --number +15550100003`,', '`fch live sweep --yes --prefix fch-x`, `fch app test --shard 1/2 --all-variants`, `fch report a b`, `fch help`'].join('\n');
    assert.deepEqual(checkCommands('README.md', text, real), []);
    assert.match(checkCommands('README.md', '`fch app test --bogus`', real)[0], /^README\.md:1: fch app test: no option --bogus/);
  });


  it('list only flags their parsers accept', () => {
    const values: Record<string, string> = { '--port': '4010', '--number': '+15550100003', '--speed': '2', '--account-id': `AC${'0'.repeat(40)}`, '--variant': 'recordingReport=both', '--fault': 'terminated-before-empty' };
    for (const flag of flagsOf(MOCK_USAGE)) assert.doesNotThrow(() => parseMockArgs([flag, values[flag] ?? 'x']), flag);
    for (const flag of flagsOf(LIVE_USAGE)) assert.ok(!('error' in parseLiveArgs(['sweep', flag, 'fch-x'].slice(0, flag === '--yes' ? 2 : 3))), flag);
  });
});
