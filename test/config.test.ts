// Configuration is where a live run fails first, and where secrets are most likely to leak into CI
// logs; these tests pin both the "list everything at once" rule and the "never print a secret" rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, MOCK_DEFAULTS, defaultRunPrefix, loadConfig, loadDotEnv, redact, secretsOf } from '../support/config';
import { tempDir } from './helpers/temp-dir';

const API_KEY = 'k3y-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const SIGNING_SECRET = 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7793';
const NGROK = '2abcNgrokToken_9876543210';

const LIVE = {
  HARNESS_MODE: 'live',
  FREECLIMB_ACCOUNT_ID: 'AC170e4c66d358aa1755931da0452561933d1b8fd5',
  FREECLIMB_API_KEY: API_KEY,
  FREECLIMB_SIGNING_SECRET: SIGNING_SECRET,
  HARNESS_PUBLIC_URL: 'https://abc.ngrok.app/',
  FREECLIMB_NUMBER_A: '+13121000109',
  FREECLIMB_NUMBER_B: '+13121000096',
};

/** Run loadConfig and return the ConfigError it must throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected loadConfig to throw');
}

describe('loadConfig: mock mode', () => {
  it('needs nothing and uses built-in test credentials', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'mock');
    assert.match(config.accountId, /^AC[0-9a-f]{40}$/);
    assert.equal(config.accountId, MOCK_DEFAULTS.accountId);
    assert.ok(config.apiKey.length > 0);
    assert.match(config.signingSecret, /^sigsec_/);
    assert.equal(config.numberA, '+15550100001');
    assert.equal(config.numberB, '+15550100002');
    assert.equal(config.apiBaseUrl, 'https://www.freeclimb.com/apiserver');
    assert.equal(config.publicUrl, undefined);
    assert.equal(config.port, 0);
    assert.equal(config.timeoutMs, 5000);
    assert.equal(config.requestTimeoutMs, 10000);
    assert.equal(config.maxCalls, 100);
    assert.deepEqual(config.variants, {});
    assert.equal(config.fault, undefined);
    assert.match(config.runPrefix, /^fch-\d{14}-[0-9a-f]{4}$/);
    assert.equal(config.ngrokAuthtoken, undefined);
  });

  it('is deterministic apart from the run prefix', () => {
    const { runPrefix: _a, ...first } = loadConfig({});
    const { runPrefix: _b, ...second } = loadConfig({});
    assert.deepEqual(first, second);
  });

  it('parses ports, timeouts, variants, a fault and an http base URL', () => {
    const config = loadConfig({
      HARNESS_PORT: '8080',
      HARNESS_TIMEOUT_MS: '250',
      HARNESS_MAX_CALLS: '3',
      HARNESS_VARIANTS: 'creationCallback=conferenceStatus, restCreateStatus=202',
      HARNESS_FAULT: 'terminated-before-empty',
      FREECLIMB_API_BASE_URL: 'http://127.0.0.1:4010/apiserver/',
      HARNESS_RUN_PREFIX: 'fch-ci-42',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.timeoutMs, 250);
    assert.equal(config.maxCalls, 3);
    assert.deepEqual(config.variants, { creationCallback: 'conferenceStatus', restCreateStatus: '202' });
    assert.equal(config.fault, 'terminated-before-empty');
    assert.equal(config.apiBaseUrl, 'http://127.0.0.1:4010/apiserver');
    assert.equal(config.runPrefix, 'fch-ci-42');
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ HARNESS_MODE: ' ', HARNESS_PORT: '', FREECLIMB_API_KEY: '  ' });
    assert.equal(config.mode, 'mock');
    assert.equal(config.port, 0);
    assert.equal(config.apiKey, MOCK_DEFAULTS.apiKey);
  });

  it('default run prefix is fch-<utc yyyymmddhhmmss>-<4 hex>', () => {
    assert.match(defaultRunPrefix(new Date('2025-03-04T05:06:07Z')), /^fch-20250304050607-[0-9a-f]{4}$/);
  });
});

describe('loadConfig: live mode', () => {
  it('accepts a complete configuration with live defaults', () => {
    const config = loadConfig(LIVE);
    assert.equal(config.mode, 'live');
    assert.equal(config.publicUrl, 'https://abc.ngrok.app');
    assert.equal(config.timeoutMs, 60000);
    assert.equal(config.requestTimeoutMs, 30000);
  });

  it('with nothing set, one ConfigError lists every required variable, one per line', () => {
    const error = configError({ HARNESS_MODE: 'live' });
    const required = ['FREECLIMB_ACCOUNT_ID', 'FREECLIMB_API_KEY', 'FREECLIMB_SIGNING_SECRET', 'HARNESS_PUBLIC_URL', 'FREECLIMB_NUMBER_A', 'FREECLIMB_NUMBER_B'];
    assert.deepEqual(error.problems.map((p) => p.variable), required);
    const lines = error.message.split('\n').slice(1);
    assert.equal(lines.length, required.length);
    // HARNESS_PUBLIC_URL alone may be replaced by NGROK_AUTHTOKEN, and its message says so.
    const qualifier = (name: string) => (name === 'HARNESS_PUBLIC_URL' ? ' unless NGROK_AUTHTOKEN is set' : '');
    required.forEach((name, i) => assert.match(lines[i], new RegExp(`^\\s*${name}: required in live mode${qualifier(name)}; expected \\S`)));
  });

  it('names each invalid value and says what is expected', () => {
    const error = configError({
      ...LIVE,
      HARNESS_PUBLIC_URL: 'abc.ngrok.app',
      FREECLIMB_API_BASE_URL: 'ftp://www.freeclimb.com',
      FREECLIMB_NUMBER_A: '312-100-0109',
      HARNESS_PORT: '80.5',
      HARNESS_TIMEOUT_MS: '-1',
      HARNESS_FAULT: 'terminated-before-empty',
    });
    const byName = new Map(error.problems.map((p) => [p.variable, p.message]));
    assert.deepEqual([...byName.keys()].sort(), ['FREECLIMB_API_BASE_URL', 'FREECLIMB_NUMBER_A', 'HARNESS_FAULT', 'HARNESS_PORT', 'HARNESS_PUBLIC_URL', 'HARNESS_TIMEOUT_MS']);
    assert.match(byName.get('HARNESS_PUBLIC_URL') ?? '', /http\(s\) URL/);
    assert.match(byName.get('FREECLIMB_NUMBER_A') ?? '', /E\.164.*"312-100-0109"/);
    assert.match(byName.get('HARNESS_PORT') ?? '', /integer/);
    assert.match(byName.get('HARNESS_FAULT') ?? '', /mock mode/);
    for (const name of byName.keys()) assert.match(error.message, new RegExp(`^  ${name}: `, 'm'));
  });

  it('rejects an unknown mode', () => {
    const error = configError({ HARNESS_MODE: 'prod' });
    assert.deepEqual(error.problems.map((p) => p.variable), ['HARNESS_MODE']);
    assert.match(error.message, /"mock" or "live"/);
  });

  it('never prints a secret value, even an invalid one', () => {
    const badKey = 'short k'; // invalid: contains a space
    const badSecret = 'not-a-sigsec-value-0123456789';
    const badNgrok = 'ngrok token with spaces';
    const error = configError({
      ...LIVE,
      FREECLIMB_API_KEY: badKey,
      FREECLIMB_SIGNING_SECRET: badSecret,
      NGROK_AUTHTOKEN: badNgrok,
      // A secret pasted into a variable whose value is echoed must still not appear.
      HARNESS_PORT: badSecret,
    });
    assert.deepEqual(error.problems.map((p) => p.variable), ['FREECLIMB_API_KEY', 'FREECLIMB_SIGNING_SECRET', 'HARNESS_PORT', 'NGROK_AUTHTOKEN']);
    const everything = `${error.message}\n${JSON.stringify(error.problems)}\n${String(error.stack)}`;
    for (const secret of [badKey, badSecret, badNgrok]) assert.equal(everything.includes(secret), false, `leaked ${secret}`);
    assert.match(error.message, /FREECLIMB_API_KEY: invalid \(value not shown\)/);
  });

  it('valid secrets do not appear when other variables are wrong', () => {
    const error = configError({ ...LIVE, NGROK_AUTHTOKEN: NGROK, FREECLIMB_NUMBER_B: 'nope' });
    for (const secret of [API_KEY, SIGNING_SECRET, NGROK]) assert.equal(error.message.includes(secret), false);
  });
});

describe('loadConfig: the public URL or an ngrok tunnel', () => {
  const { HARNESS_PUBLIC_URL: _url, ...LIVE_WITHOUT_URL } = LIVE;

  it('live mode accepts NGROK_AUTHTOKEN instead of HARNESS_PUBLIC_URL', () => {
    const config = loadConfig({ ...LIVE_WITHOUT_URL, NGROK_AUTHTOKEN: NGROK });
    assert.equal(config.mode, 'live');
    assert.equal(config.publicUrl, undefined);
    assert.equal(config.ngrokAuthtoken, NGROK);
    assert.equal(config.ngrokDomain, undefined);
  });

  it('keeps HARNESS_PUBLIC_URL when both are set', () => {
    const config = loadConfig({ ...LIVE, NGROK_AUTHTOKEN: NGROK });
    assert.equal(config.publicUrl, 'https://abc.ngrok.app');
    assert.equal(config.ngrokAuthtoken, NGROK);
  });

  it('lists a missing HARNESS_PUBLIC_URL together with every other problem, in one error', () => {
    const error = configError({ ...LIVE_WITHOUT_URL, FREECLIMB_ACCOUNT_ID: undefined, FREECLIMB_NUMBER_B: 'nope', HARNESS_PORT: 'x' });
    assert.deepEqual(error.problems.map((p) => p.variable), ['FREECLIMB_ACCOUNT_ID', 'HARNESS_PUBLIC_URL', 'HARNESS_PORT', 'FREECLIMB_NUMBER_B']);
    assert.match(error.message, /^ {2}HARNESS_PUBLIC_URL: required in live mode unless NGROK_AUTHTOKEN is set; expected the public http\(s\) URL/m);
    assert.match(error.message, /^ {2}FREECLIMB_NUMBER_B: invalid; expected an E\.164 number/m);
  });

  it('with only NGROK_AUTHTOKEN set, lists every other required variable but not HARNESS_PUBLIC_URL', () => {
    const error = configError({ HARNESS_MODE: 'live', NGROK_AUTHTOKEN: NGROK });
    assert.deepEqual(error.problems.map((p) => p.variable), ['FREECLIMB_ACCOUNT_ID', 'FREECLIMB_API_KEY', 'FREECLIMB_SIGNING_SECRET', 'FREECLIMB_NUMBER_A', 'FREECLIMB_NUMBER_B']);
    assert.equal(error.message.includes(NGROK), false);
  });

  it('an invalid NGROK_AUTHTOKEN is reported (without its value), not a missing HARNESS_PUBLIC_URL', () => {
    const badNgrok = 'ngrok token with spaces';
    const error = configError({ ...LIVE_WITHOUT_URL, NGROK_AUTHTOKEN: badNgrok });
    assert.deepEqual(error.problems.map((p) => p.variable), ['NGROK_AUTHTOKEN']);
    assert.equal(error.message.includes(badNgrok), false);
  });

  it('an invalid HARNESS_PUBLIC_URL is reported as invalid, once', () => {
    const error = configError({ ...LIVE, HARNESS_PUBLIC_URL: 'abc.ngrok.app' });
    assert.deepEqual(error.problems.map((p) => p.variable), ['HARNESS_PUBLIC_URL']);
    assert.match(error.problems[0].message, /^invalid; expected/);
  });

  it('a blank HARNESS_PUBLIC_URL counts as unset', () => {
    assert.deepEqual(configError({ ...LIVE, HARNESS_PUBLIC_URL: '  ' }).problems.map((p) => p.variable), ['HARNESS_PUBLIC_URL']);
    assert.equal(loadConfig({ ...LIVE, HARNESS_PUBLIC_URL: '', NGROK_AUTHTOKEN: NGROK }).publicUrl, undefined);
  });

  it('NGROK_DOMAIN is an optional hostname, stored lowercase', () => {
    assert.equal(loadConfig({ ...LIVE_WITHOUT_URL, NGROK_AUTHTOKEN: NGROK, NGROK_DOMAIN: 'My-Harness.ngrok.app' }).ngrokDomain, 'my-harness.ngrok.app');
    assert.equal(loadConfig({ NGROK_DOMAIN: 'fch.example.com' }).ngrokDomain, 'fch.example.com');
    assert.equal(loadConfig({}).ngrokDomain, undefined);
    for (const bad of ['https://my-harness.ngrok.app', 'my-harness.ngrok.app/', 'my-harness.ngrok.app:443', 'localhost', 'bad_host.ngrok.app', '-x.ngrok.app']) {
      const error = configError({ ...LIVE_WITHOUT_URL, NGROK_AUTHTOKEN: NGROK, NGROK_DOMAIN: bad });
      assert.deepEqual(error.problems.map((p) => p.variable), ['NGROK_DOMAIN'], bad);
      assert.match(error.problems[0].message, /hostname/);
    }
  });
});

describe('.env loading', () => {
  it('loads .env into process.env without overriding variables already set', () => {
    const dir = tempDir('fch-env');
    const set = 'FCH_TEST_DOTENV_SET';
    const unset = 'FCH_TEST_DOTENV_UNSET';
    writeFileSync(join(dir, '.env'), `${set}=from-file\n${unset}=from-file\n`);
    process.env[set] = 'from-env';
    delete process.env[unset];
    try {
      assert.equal(loadDotEnv(dir), true);
      assert.equal(process.env[set], 'from-env');
      assert.equal(process.env[unset], 'from-file');
    } finally {
      delete process.env[set];
      delete process.env[unset];
    }
  });

  it('is a no-op without a .env file', () => {
    assert.equal(loadDotEnv(tempDir('fch-env')), false);
  });
});

describe('secretsOf and redact', () => {
  const config = loadConfig({ ...LIVE, NGROK_AUTHTOKEN: NGROK });
  const basic = Buffer.from(`${LIVE.FREECLIMB_ACCOUNT_ID}:${API_KEY}`).toString('base64');

  it('lists the API key, signing secret, Basic credentials and ngrok token', () => {
    assert.deepEqual(new Set(secretsOf(config)), new Set([API_KEY, SIGNING_SECRET, basic, NGROK]));
    assert.equal(secretsOf(loadConfig(LIVE)).includes(''), false);
  });

  it('redacts every occurrence, including inside an Authorization header', () => {
    const log = [
      `POST /Accounts/${config.accountId}/Conferences`,
      `authorization: Basic ${basic}`,
      `key=${API_KEY} again=${API_KEY}`,
      `secret ${SIGNING_SECRET}; ngrok ${NGROK}`,
    ].join('\n');
    const out = redact(log, secretsOf(config));
    for (const secret of secretsOf(config)) assert.equal(out.includes(secret), false);
    assert.match(out, /authorization: Basic \[redacted\]/);
    assert.match(out, /key=\[redacted\] again=\[redacted\]/);
    // The account id is an identifier, not a secret; it stays readable in reports.
    assert.ok(out.includes(config.accountId));
  });

  it('ignores empty strings and redacts overlapping secrets whole', () => {
    assert.equal(redact('abc', ['']), 'abc');
    assert.equal(redact('token=abcdef', ['abc', 'abcdef']), 'token=[redacted]');
  });
});
