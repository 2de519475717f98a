// `fch percl validate` exit codes are a contract for app teams' CI (0 valid, 1 invalid, 2 unusable
// input), so each is pinned here; one real spawn proves bin/fch.js wires ts-node and stdin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPerclValidate, type CliIo } from '../support/cli/percl-validate';
import { main } from '../support/cli/main';

interface FakeIo extends CliIo {
  out(): string;
  err(): string;
}

/** An in-memory io: `files` backs readFile, `stdinText` is delivered in two chunks like a pipe. */
function fakeIo(files: Record<string, string> = {}, stdinText = ''): FakeIo {
  let out = '';
  let err = '';
  const half = Math.floor(stdinText.length / 2);
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: (async function* () {
      yield Buffer.from(stdinText.slice(0, half));
      yield stdinText.slice(half);
    })(),
    readFile: async (file) => {
      if (!(file in files)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), { code: 'ENOENT' });
      return files[file];
    },
    out: () => out,
    err: () => err,
  };
}

const VALID = JSON.stringify([{ Say: { text: 'Goodbye', loop: 1 } }, { TerminateConference: {} }]);
const WITH_WARNING = JSON.stringify([{ AddToConference: { conferenceId: 'CF1', callId: 'CA1' } }]);
const INVALID = JSON.stringify([{ CreateConference: { playBeep: 'loud' } }, { Speak: {} }]);

describe('runPerclValidate', () => {
  it('exit 0 for a valid script, with a summary line', async () => {
    const io = fakeIo({ 'ok.json': VALID });
    assert.equal(await runPerclValidate(['ok.json'], io), 0);
    assert.equal(io.out(), 'valid: 2 commands, 0 warnings\n');
    assert.equal(io.err(), '');
  });

  it('exit 0 with warnings printed before the summary', async () => {
    const io = fakeIo({ 'legacy.json': WITH_WARNING });
    assert.equal(await runPerclValidate(['legacy.json'], io), 0);
    const lines = io.out().trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^warn +\/0\/AddToConference\/callId \[legacy-attribute\]/);
    assert.equal(lines[1], 'valid: 1 commands, 1 warnings');
  });

  it('exit 1 for invalid PerCL, listing every problem then the counts', async () => {
    const io = fakeIo({ 'bad.json': INVALID });
    assert.equal(await runPerclValidate(['bad.json'], io), 1);
    const lines = io.out().trimEnd().split('\n');
    assert.deepEqual(
      lines.slice(0, -1).map((l) => l.split(' [')[0]),
      ['error /0/CreateConference/actionUrl', 'error /0/CreateConference/playBeep', 'error /1/Speak'],
    );
    assert.equal(lines.at(-1), 'invalid: 3 errors, 0 warnings');
  });

  it('exit 1 for a JSON value that is not a script', async () => {
    const io = fakeIo({}, '{"Say":{"text":"hi"}}');
    assert.equal(await runPerclValidate(['-'], io), 1);
    assert.match(io.out(), /\(document\) \[document-shape\]/);
  });

  it('reads stdin for "-"', async () => {
    const io = fakeIo({}, VALID);
    assert.equal(await runPerclValidate(['-'], io), 0);
    assert.equal(io.out(), 'valid: 2 commands, 0 warnings\n');
  });

  it('exit 2 when the file cannot be read, naming it', async () => {
    const io = fakeIo();
    assert.equal(await runPerclValidate(['missing.json'], io), 2);
    assert.match(io.err(), /cannot read missing\.json: ENOENT/);
    assert.equal(io.out(), '');
  });

  it('exit 2 for invalid JSON, naming the file and the position', async () => {
    const io = fakeIo({ 'broken.json': '[\n  {"Say": {"text": "hi"}},\n  {"Hangup": {}} x\n]' });
    assert.equal(await runPerclValidate(['broken.json'], io), 2);
    assert.match(io.err(), /broken\.json is not JSON: /);
    // The wording is V8's and changes between Node versions: Node 20 gives only "at position 46" and
    // the CLI adds "(line 3, column 18)"; Node 22 and later already say "(line 3 column 18)". What
    // must hold on every runtime is that a person is told where to look: line 3, column 18.
    assert.match(io.err(), /\bline 3,? column 18\b/);
    assert.equal(io.out(), '');
  });

  it('exit 2 for empty stdin', async () => {
    const io = fakeIo({}, '');
    assert.equal(await runPerclValidate(['-'], io), 2);
    assert.match(io.err(), /<stdin> is not JSON/);
  });

  it('exit 2 with usage for a missing or extra argument', async () => {
    for (const args of [[], ['a.json', 'b.json'], ['--strict']]) {
      const io = fakeIo();
      assert.equal(await runPerclValidate(args, io), 2, JSON.stringify(args));
      assert.match(io.err(), /usage: fch percl validate/);
    }
  });

  it('accepts a UTF-8 BOM', async () => {
    const io = fakeIo({ 'bom.json': `\uFEFF${VALID}` });
    assert.equal(await runPerclValidate(['bom.json'], io), 0);
  });
});

describe('runPerclValidate on scripts built with SDK 2.1.3 (issue 22)', () => {
  const sdk = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'percl', 'sdk-2.1.3.json'), 'utf8')) as { scripts: Record<string, unknown[]> };
  const seven: Record<string, string> = {
    Enqueue: 'enqueue',
    Dequeue: 'dequeue',
    RecordUtterance: 'record-utterance',
    StartRecordCall: 'start-record-call',
    PlayEarlyMedia: 'play-early-media',
    GetSpeech: 'get-speech-builtin',
    Sms: 'sms',
  };
  for (const [command, fixture] of Object.entries(seven)) {
    it(`exit 0 for ${command}, with no warning`, async () => {
      const io = fakeIo({ 'answer.json': JSON.stringify(sdk.scripts[fixture]) });
      assert.equal(await runPerclValidate(['answer.json'], io), 0, io.out());
      assert.equal(io.out(), `valid: ${sdk.scripts[fixture].length} commands, 0 warnings\n`);
    });
  }
});

describe('fch dispatcher', () => {
  it('routes percl commands, which lists every command', async () => {
    const io = fakeIo();
    assert.equal(await main(['percl', 'commands'], io), 0);
    for (const name of ['## Enqueue', '## GetSpeech', '## Sms', '## CreateConference']) assert.ok(io.out().includes(name), name);
  });

  it('routes percl validate', async () => {
    const io = fakeIo({ 'ok.json': VALID });
    assert.equal(await main(['percl', 'validate', 'ok.json'], io), 0);
  });

  it('prints help on stdout with exit 0', async () => {
    const io = fakeIo();
    assert.equal(await main(['help'], io), 0);
    assert.match(io.out(), /percl validate/);
  });

  it('exit 2 with usage on stderr for an unknown or missing command', async () => {
    for (const argv of [['frobnicate'], [], ['percl', 'lint', 'x.json']]) {
      const io = fakeIo();
      assert.equal(await main(argv, io), 2, JSON.stringify(argv));
      assert.match(io.err(), /usage: fch <command>/);
      assert.equal(io.out(), '');
    }
  });
});

describe('bin/fch.js', () => {
  const bin = join(__dirname, '..', 'bin', 'fch.js');
  // A backstop against a hang: starting the CLI under ts-node took over 60 s once, at a load
  // average of 15 on two cores (50 runs of the unit tests beside other jobs).
  const run = (input: string) => spawnSync(process.execPath, [bin, 'percl', 'validate', '-'], { input, encoding: 'utf8', timeout: 180_000 });
  const why = (r: ReturnType<typeof run>) => (r.error ? `${r.error.message} (signal ${r.signal})` : r.stderr);

  it('validates a script piped to stdin (exit 0), and reports invalid ones (exit 1)', () => {
    const ok = run(VALID);
    assert.equal(ok.status, 0, why(ok));
    assert.equal(ok.stdout, 'valid: 2 commands, 0 warnings\n');
    const bad = run(INVALID);
    assert.equal(bad.status, 1, why(bad));
    assert.match(bad.stdout, /invalid: 3 errors, 0 warnings\n$/);
  });
});
