// HARNESS_APP_* configuration: defaults, PORT from the URL, loopback only, every problem listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../support/config';

test('app gating is off without HARNESS_APP_URL', () => {
  assert.equal(loadConfig({}).app, undefined);
});

test('defaults from the issue table, and the port taken from the URL', () => {
  const app = loadConfig({ HARNESS_APP_URL: 'http://127.0.0.1:3000/' }).app;
  assert.deepEqual(app, {
    url: 'http://127.0.0.1:3000',
    port: 3000,
    command: undefined,
    voicePath: '/voice',
    statusPath: '/status',
    connectPath: '/connect',
    joinDigits: undefined,
    startTimeoutMs: 20_000,
    requireSignatures: true,
    simPort: 0,
    routeSdk: true,
    graceFloorMs: undefined,
    graceCeilingMs: 1_000,
  });
});

test('the quiet grace: the floor defaults by probe (unset), the ceiling is never below the floor', () => {
  const app = loadConfig({ HARNESS_APP_URL: 'http://127.0.0.1:3000', HARNESS_APP_GRACE_FLOOR_MS: '200', HARNESS_APP_GRACE_CEILING_MS: '100' }).app;
  assert.equal(app?.graceFloorMs, 200);
  assert.equal(app?.graceCeilingMs, 200);
  assert.throws(() => loadConfig({ HARNESS_APP_URL: 'http://127.0.0.1:3000', HARNESS_APP_GRACE_CEILING_MS: 'soon' }), /HARNESS_APP_GRACE_CEILING_MS/);
});

test('a status or connect path set empty means the app has no such route; a blank voice path is the default', () => {
  const app = loadConfig({ HARNESS_APP_URL: 'http://127.0.0.1:3000', HARNESS_APP_STATUS_PATH: '', HARNESS_APP_CONNECT_PATH: ' ', HARNESS_APP_VOICE_PATH: '' }).app;
  assert.equal(app?.statusPath, null);
  assert.equal(app?.connectPath, null);
  assert.equal(app?.voicePath, '/voice');
  assert.equal(loadConfig({ HARNESS_APP_URL: 'http://127.0.0.1:3000', HARNESS_APP_ROUTE_SDK: 'false' }).app?.routeSdk, false);
});

test('every setting is read', () => {
  const app = loadConfig({
    HARNESS_APP_URL: 'http://localhost:8080',
    HARNESS_APP_COMMAND: 'python3 app.py',
    HARNESS_APP_VOICE_PATH: '/fc/voice',
    HARNESS_APP_STATUS_PATH: '/fc/status',
    HARNESS_APP_CONNECT_PATH: '/fc/connect',
    HARNESS_APP_JOIN_DIGITS: '1234#',
    HARNESS_APP_START_TIMEOUT_MS: '5000',
    HARNESS_APP_REQUIRE_SIGNATURES: 'false',
    HARNESS_APP_SIM_PORT: '4010',
  }).app;
  assert.equal(app?.command, 'python3 app.py');
  assert.equal(app?.voicePath, '/fc/voice');
  assert.equal(app?.joinDigits, '1234#');
  assert.equal(app?.startTimeoutMs, 5000);
  assert.equal(app?.requireSignatures, false);
  assert.equal(app?.simPort, 4010);
});

test('a remote URL, a URL without a port, a bad path, bad digits and a bad boolean are all listed', () => {
  for (const [env, pattern] of [
    [{ HARNESS_APP_URL: 'https://app.example.test:3000' }, /HARNESS_APP_URL: invalid; expected the loopback base URL/],
    [{ HARNESS_APP_URL: 'http://127.0.0.1' }, /HARNESS_APP_URL: invalid; expected .*explicit port/],
  ] as const) {
    assert.throws(() => loadConfig(env), (e: Error) => e instanceof ConfigError && pattern.test(e.message));
  }
  assert.throws(
    () => loadConfig({ HARNESS_APP_URL: 'http://127.0.0.1:3000', HARNESS_APP_VOICE_PATH: 'voice', HARNESS_APP_JOIN_DIGITS: '12ab', HARNESS_APP_REQUIRE_SIGNATURES: 'yes' }),
    (e: Error) =>
      e instanceof ConfigError &&
      /HARNESS_APP_VOICE_PATH: invalid; expected a path starting with \//.test(e.message) &&
      /HARNESS_APP_JOIN_DIGITS: invalid; expected DTMF keys/.test(e.message) &&
      /HARNESS_APP_REQUIRE_SIGNATURES: invalid; expected true or false/.test(e.message),
  );
});
