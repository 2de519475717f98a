// The checker of the gate's own proof must fail where the gate's verdict differs from bugs.json:
// these runs are synthetic, each off the declaration in one way, and only the exact one passes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { bugProblems, BugsFile, type Bug, type GateOutcome, type Run } from '../scripts/lib/bug-proof';

const ROOM = 'features/rooms.feature';
const bug: Bug = {
  name: 'crash-on-terminated',
  description: '',
  variants: 'all',
  crashes: 1,
  scenarios: [
    { feature: 'builtin', scenario: '3 terminate', reason: 'webhookFailed' },
    { feature: ROOM, scenario: 'rooms meet', reason: 'got HTTP 500' },
  ],
};

type Scenario = Run['scenarios'][number];
const scenario = (uri: string, name: string, error?: string): Scenario => ({ id: name, uri, name, status: error ? 'failed' : 'passed', ...(error ? { error } : {}) });
const builtin = (name: string, error?: string) => scenario('/pkg/app-features/builtin.feature', name, error);

function exactRun(label = 'default'): Run {
  return {
    label,
    exitCode: 1,
    crashes: ['3 terminate'],
    scenarios: [
      builtin('1 joins'),
      builtin('3 terminate', 'WaitFailed: … the call ended (completed, webhookFailed).'),
      scenario(ROOM, 'rooms meet', 'webhook #7 conferenceStatus to http://127.0.0.1:1/conference/status got HTTP 500; every webhook needs a 2xx'),
      scenario(ROOM, 'rooms stay apart'),
    ],
  };
}
const CONSOLE = '✗ 3 terminate (built-in)\n✗ rooms meet (features/rooms.feature)\nthe app under test crashed in 1 scenario run(s) and was restarted each time:';
const outcome = (runs: Run[], output = CONSOLE, code = 1): GateOutcome => ({ code, output, runs });
const problemsOf = (o: GateOutcome, b: Bug = bug) => bugProblems(b, o);

test('a run exactly as declared is caught, with no problem', () => {
  assert.deepEqual(problemsOf(outcome([exactRun()])), { problems: [] });
});

test('an extra red scenario is a problem, even with every declared one red', () => {
  const run = exactRun();
  run.scenarios[3] = scenario(ROOM, 'rooms stay apart', 'Error: expected "alice" and "bob" in different conferences');
  const { problems } = problemsOf(outcome([run]));
  assert.equal(problems.length, 1);
  assert.match(problems[0], /default: failed but not declared: rooms stay apart — Error: expected "alice"/);
});

test('a declared scenario red for another reason is a problem', () => {
  const run = exactRun();
  run.scenarios[2] = scenario(ROOM, 'rooms meet', 'WaitFailed: waited for "bob" to be in a conference');
  const { problems } = problemsOf(outcome([run]));
  assert.deepEqual(problems, ['default: red for another reason than "got HTTP 500": features/rooms.feature "rooms meet" — WaitFailed: waited for "bob" to be in a conference']);
});

test('a declared scenario that passed is a problem', () => {
  const run = exactRun();
  run.scenarios[2] = scenario(ROOM, 'rooms meet');
  assert.match(problemsOf(outcome([run])).problems[0], /expected red, passed: features\/rooms.feature "rooms meet"/);
});

test('an app that never started is a setup error, never a catch', () => {
  const notStarted = 'Error: the app under test could not be started: the app under test exited before accepting connections: exit code 2';
  const run: Run = { label: 'default', exitCode: 1, crashes: [], scenarios: exactRun().scenarios.map((s) => ({ ...s, status: 'failed', error: notStarted })) };
  const verdict = problemsOf(outcome([run], `✗ 3 terminate\n✗ rooms meet\n${notStarted}`));
  assert.match(verdict.setup ?? '', /^setup error, not a catch: default: Error: the app under test could not be started/);
  // The gate refusing the setup, or no scenario at all, is the same.
  assert.match(problemsOf(outcome([], 'fch app test: cannot start', 2)).setup ?? '', /exited 2/);
  assert.match(problemsOf(outcome([{ ...run, scenarios: [] }])).setup ?? '', /no scenario ran under default/);
});

test('a crash count other than the declared one is a problem, in either direction', () => {
  const twice = { ...exactRun(), crashes: ['3 terminate', 'rooms meet'] };
  assert.deepEqual(problemsOf(outcome([twice], CONSOLE.replace('in 1 scenario', 'in 2 scenario'))).problems, ['default: the app crashed in 2 scenario run(s) ("3 terminate", "rooms meet"), declared 1']);
  const never = { ...exactRun(), crashes: [] };
  assert.deepEqual(problemsOf(outcome([never])).problems, ['default: the app crashed in 0 scenario run(s) (none), declared 1']);
  // A bug that declares no crash must not crash the app either.
  const { crashes: _c, ...noCrash } = bug;
  assert.match(problemsOf(outcome([exactRun()]), noCrash).problems[0], /crashed in 1 scenario run\(s\).*declared 0/);
});

test('readings: green where the bug is not declared, and per-scenario variants narrow where a scenario is red', () => {
  const onlyUnder: Bug = { ...bug, variants: ['recordingReport=both'], crashes: 0, scenarios: [{ ...bug.scenarios[1], variants: ['recordingReport=both'] }] };
  const red: Run = { ...exactRun('recordingReport=both'), crashes: [], scenarios: [builtin('1 joins'), builtin('3 terminate'), exactRun().scenarios[2], scenario(ROOM, 'rooms stay apart')] };
  const green: Run = { ...red, label: 'default', scenarios: red.scenarios.map((s) => ({ ...s, status: 'passed', error: undefined })) };
  const console_ = '✗ rooms meet\n"rooms meet" (features/rooms.feature) fails only under recordingReport=both';
  assert.deepEqual(problemsOf(outcome([green, red], console_), onlyUnder).problems, []);
  const redInDefault = { ...red, label: 'default' };
  assert.match(problemsOf(outcome([redInDefault, red], console_), onlyUnder).problems[0], /^default: failed but expected green: the bug is declared for recordingReport=both: rooms meet/);
  const missing = problemsOf(outcome([red], console_), onlyUnder).problems;
  assert.ok(missing.includes('no run under default'), missing.join('\n'));
});

test("the examples' bugs.json parse, and name exactly the bugs their apps know", () => {
  for (const example of ['conference-line', 'agent-line']) {
    const dir = join(__dirname, '..', 'examples', example);
    const { bugs } = BugsFile.parse(JSON.parse(readFileSync(join(dir, 'bugs.json'), 'utf8')));
    // The apps are CommonJS; their list is the one APP_BUG is checked against at start-up.
    const { BUG_NAMES } = require(join(dir, 'lib', 'bugs.js')) as { BUG_NAMES: string[] };
    assert.deepEqual(bugs.map((b) => b.name).sort(), [...BUG_NAMES].sort(), example);
  }
});
