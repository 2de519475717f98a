// The console's failure list: every failed scenario × reading with its reason, same reasons grouped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureReasons, reasonOf } from '../support/report/failure-reasons';

const run = (label: string, error?: string) => ({
  label,
  scenarios: [
    { id: 'a.feature:3', uri: 'a.feature', name: 'agent answers', status: error ? 'failed' : 'passed', error },
    { id: 'a.feature:9', uri: 'a.feature', name: 'agent is busy', status: 'passed' },
  ],
});

test('readings that fail the same way share one line; ids, sequence numbers and the reading name do not split them', () => {
  const text = failureReasons([
    run('default', 'WaitFailed: waited for "agent" (variant: default); call CA1234567890abcdef1234 ended\n    at Object.<anonymous> (x.ts:1:1)'),
    run('deprecatedFields=omitted', 'WaitFailed: waited for "agent" (variant: deprecatedFields=omitted); call CAfedcba0987654321fedc ended'),
  ]);
  assert.match(text, /^failed \(2 of 4 scenario runs\):/);
  assert.match(text, /✗ agent answers \(a\.feature\)\n {4}under every reading: WaitFailed: waited for "agent"; call CA1234567890abcdef1234 ended$/);
  assert.doesNotMatch(text, /at Object/);
  assert.doesNotMatch(text, /agent is busy/);
});

test('different reasons are listed per reading, each naming its readings', () => {
  const text = failureReasons([run('default'), run('a=b', 'HTTP 500 from /status'), run('c=d', 'invalid PerCL at /0/Say')]);
  assert.match(text, /under a=b: HTTP 500 from \/status/);
  assert.match(text, /under c=d: invalid PerCL at \/0\/Say/);
});

test('nothing failed: no section; a long reason is cut to its first lines', () => {
  assert.equal(failureReasons([run('default')]), '');
  const reason = reasonOf(['one', 'two', 'three', 'four', 'five', 'six'].join('\n'));
  assert.equal(reason.split('\n').length, 5);
  assert.match(reason, /… 2 more line\(s\) in the report$/);
});
