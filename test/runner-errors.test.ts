// A sweep run whose BeforeAll hook fails must still say why: Cucumber puts the hook's error in
// `cause`, and the live-faults stage once reported only stack frames for such a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError } from '../support/runner/in-process';

test('a wrapped hook error keeps the reason and where it was thrown', () => {
  const reason = new Error('listen EADDRINUSE: address already in use 127.0.0.1:4567');
  const wrapped = new Error('a BeforeAll hook errored, process exiting: support/hooks.ts:12', { cause: reason });
  const text = describeError(wrapped);
  assert.match(text, /^a BeforeAll hook errored, process exiting: support\/hooks\.ts:12\n  caused by: listen EADDRINUSE/);
  assert.match(text.split('\n').at(-1)!, /^at /, 'the last line says where the innermost error was thrown');
  assert.ok(text.split('\n').length <= 4, `short enough for a tail of the output:\n${text}`);
});

test('a thrown non-error is described as text', () => {
  assert.equal(describeError('boom'), 'boom');
});
