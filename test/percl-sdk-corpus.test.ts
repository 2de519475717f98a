// The PerCL corpus of issue 22, built with the official SDK 2.1.3's builders
// (test/fixtures/percl/sdk-2.1.3-corpus.json): whole answers of queue, voicemail, speech, recorded
// call, ringback and SMS apps are valid with no problem at all; each mistake the SDK lets through
// is reported exactly, at its JSON pointer and with its rule, and nothing else is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblems, validatePercl } from '../support/percl/validate';

const FIXTURE_DIR = join(__dirname, 'fixtures', 'percl');
const CORPUS_FILE = join(FIXTURE_DIR, 'sdk-2.1.3-corpus.json');
type Expected = [string, string, string][];
const CORPUS = JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as {
  valid: Record<string, unknown[]>;
  invalid: Record<string, { mistake: string; script: unknown[]; problems: Expected }>;
};
const SDK_DIR = join(__dirname, '..', 'examples', 'agent-line', 'node_modules', '@freeclimb', 'sdk');

const found = (script: unknown) => validatePercl(script).problems.map((p) => [p.severity, p.pointer, p.rule]);

describe('the SDK 2.1.3 corpus', () => {
  it('is what the unmodified SDK builds (when examples/agent-line is installed)', (t) => {
    if (!existsSync(SDK_DIR)) return t.skip('npm ci in examples/agent-line first');
    const built = spawnSync(process.execPath, [join(FIXTURE_DIR, 'build-sdk-2.1.3-corpus.js'), '--print'], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    assert.equal(built.stdout, readFileSync(CORPUS_FILE, 'utf8'));
  });

  it('uses each of the seven commands issue 22 found reported as unknown, valid and broken', () => {
    const names = (scripts: unknown[][]) => new Set(scripts.flat(2).flatMap((c) => (c && typeof c === 'object' ? Object.keys(c) : [])));
    const valid = names(Object.values(CORPUS.valid));
    const invalid = names(Object.values(CORPUS.invalid).map((e) => e.script));
    for (const command of ['Enqueue', 'Dequeue', 'RecordUtterance', 'StartRecordCall', 'PlayEarlyMedia', 'GetSpeech', 'Sms']) assert.ok(valid.has(command), `valid: ${command}`);
    for (const command of ['Enqueue', 'RecordUtterance', 'PlayEarlyMedia', 'GetSpeech', 'Sms']) assert.ok(invalid.has(command), `invalid: ${command}`);
  });

  for (const [name, script] of Object.entries(CORPUS.valid)) {
    it(`${name} is valid with no problem`, () => {
      const report = validatePercl(script);
      assert.equal(report.valid, true, formatProblems(report.problems));
      assert.deepEqual(report.problems, [], formatProblems(report.problems));
    });
  }

  for (const [name, { mistake, script, problems }] of Object.entries(CORPUS.invalid)) {
    it(`${name} (${mistake}) is reported at ${problems.map((p) => `${p[1]} [${p[2]}]`).join(', ')}`, () => {
      assert.deepEqual(found(script), problems);
      // An error makes the script invalid; warnings alone leave it valid.
      assert.equal(validatePercl(script).valid, !problems.some((p) => p[0] === 'error'));
    });
  }
});
