// `fch app test` refuses a bad setup with exit 2 and a message naming what is wrong, before
// starting anything.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const FCH = join(__dirname, '..', 'bin', 'fch.js');

function fch(args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HARNESS_') && !k.startsWith('FREECLIMB_')));
  const r = spawnSync(process.execPath, [FCH, 'app', 'test', ...args], { env: { ...clean, ...env }, encoding: 'utf8', cwd: join(__dirname, '..') });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('no HARNESS_APP_URL: exit 2, naming the variable', () => {
  const r = fch([], { HARNESS_APP_JOIN_DIGITS: '1#' });
  assert.equal(r.code, 2);
  assert.match(r.out, /HARNESS_APP_URL: required for app gating/);
});

test('a URL that is not loopback with a port, and bad digits: every problem listed, exit 2', () => {
  const r = fch([], { HARNESS_APP_URL: 'http://example.test', HARNESS_APP_JOIN_DIGITS: '12a' });
  assert.equal(r.code, 2);
  assert.match(r.out, /HARNESS_APP_URL: invalid; expected the loopback base URL/);
  assert.match(r.out, /HARNESS_APP_JOIN_DIGITS: invalid; expected DTMF keys/);
});

test('an unknown variant axis, a missing feature path, nothing to run: exit 2', () => {
  const env = { HARNESS_APP_URL: 'http://127.0.0.1:3999', HARNESS_APP_JOIN_DIGITS: '1#' };
  const bogus = fch(['--variant', 'noSuchAxis=x'], env);
  assert.equal(bogus.code, 2);
  assert.match(bogus.out, /unknown variant axis "noSuchAxis"/);
  const missing = fch(['no/such/features'], env);
  assert.equal(missing.code, 2);
  assert.match(missing.out, /no\/such\/features: no such feature file or folder/);
  const nothing = fch(['--no-builtin'], env);
  assert.equal(nothing.code, 2);
  assert.match(nothing.out, /nothing to run/);
});
