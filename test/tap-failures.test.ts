import assert from 'node:assert/strict';
import test from 'node:test';
import { failedTests } from '../scripts/lib/tap-failures';

// node:test prints a subtest before its parent; the parent only repeats that a subtest failed.
const TAP = `TAP version 13
# Subtest: outer
    # Subtest: inner passes
    ok 1 - inner passes
      ---
      duration_ms: 0.5
      ...
    # Subtest: inner fails
    not ok 2 - inner fails
      ---
      duration_ms: 1.8
      location: '/repo/test/x.test.ts:2:78'
      failureType: 'testCodeFailure'
      error: '1 == 2'
      code: 'ERR_ASSERTION'
      ...
    1..2
not ok 1 - outer
  ---
  duration_ms: 5.3
  location: '/repo/test/x.test.ts:2:1'
  failureType: 'subtestsFailed'
  error: '1 subtest failed'
  ...
# Subtest: multi-line error
not ok 2 - multi-line error
  ---
  location: '/repo/test/y.test.ts:9:1'
  failureType: 'testCodeFailure'
  error: |-
    Expected values to be strictly equal:
    1 !== 2
  ...
ok 3 - passes
# tests 4
# fail 2
`;

test('failing tests are named with their file, line and first error line; failed parents are not repeated', () => {
  assert.deepEqual(failedTests(TAP, '/repo'), [
    'not ok: inner fails (test/x.test.ts:2:78) — 1 == 2',
    'not ok: multi-line error (test/y.test.ts:9:1) — Expected values to be strictly equal:',
  ]);
});

test('a passing run names nothing', () => {
  assert.deepEqual(failedTests('TAP version 13\nok 1 - a\n# pass 1\n', '/repo'), []);
});
