// The command catalog (support/percl/catalog.ts) must agree with what the validator enforces, and
// docs/percl-commands.md must be its current rendering, or the note would describe another harness.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_NAMES, PROMPT_HOLDERS, TERMINAL_COMMANDS } from '../support/schemas/percl';
import { PERCL_CATALOG } from '../support/percl/catalog';
import { attributesOf, catalogMarkdown } from '../support/percl/catalog-text';

describe('PerCL catalog', () => {
  it('has one entry per validated command, and no other', () => {
    assert.deepEqual(Object.keys(PERCL_CATALOG).sort(), [...COMMAND_NAMES].sort());
  });

  it('says terminal and prompts exactly where the validator applies them', () => {
    for (const name of COMMAND_NAMES) {
      assert.equal(PERCL_CATALOG[name].terminal, TERMINAL_COMMANDS.has(name), `${name} terminal`);
      assert.equal(PERCL_CATALOG[name].holdsPrompts, PROMPT_HOLDERS.has(name), `${name} prompts`);
      assert.equal(PERCL_CATALOG[name].holdsPrompts, attributesOf(name).some((a) => a.name === 'prompts'), `${name} has a prompts attribute`);
    }
  });

  it('names the SDK 2.1.3 builder of every command the SDK can build', () => {
    const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'percl', 'sdk-2.1.3.json'), 'utf8')) as { builders: string[] };
    const withBuilder = COMMAND_NAMES.filter((n) => PERCL_CATALOG[n].sdk213).map((n) => PERCL_CATALOG[n].sdk213!.split('(')[0]);
    assert.deepEqual(withBuilder.sort(), fixture.builders.filter((b) => b !== 'build').sort());
  });

  it('names unit tests that exist, and that mention the command', () => {
    for (const name of COMMAND_NAMES) {
      for (const file of PERCL_CATALOG[name].provenBy) {
        const text = readFileSync(join(__dirname, '..', file), 'utf8');
        assert.match(text, new RegExp(`\\b${name}\\b`), `${file} mentions ${name}`);
      }
    }
  });

  it('reads required attributes from the schemas', () => {
    const required = (name: Parameters<typeof attributesOf>[0]) => attributesOf(name).filter((a) => a.required).map((a) => a.name);
    assert.deepEqual(required('Enqueue'), ['queueId', 'actionUrl', 'waitUrl']);
    assert.deepEqual(required('GetSpeech'), ['actionUrl', 'grammarFile']);
    assert.deepEqual(required('Sms'), ['to', 'from', 'text']);
    assert.deepEqual(required('Dequeue'), []);
    assert.match(attributesOf('GetSpeech').find((a) => a.name === 'grammarType')!.type, /"URL" \| "BUILTIN"/);
  });

  it('docs/percl-commands.md is the current rendering (regenerate: node bin/fch.js percl commands > docs/percl-commands.md)', () => {
    assert.equal(readFileSync(join(__dirname, '..', 'docs', 'percl-commands.md'), 'utf8'), catalogMarkdown());
  });
});
