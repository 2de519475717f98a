// Rules the reference states across attributes of one command, or about where a command stands,
// which a per-command schema cannot express. Each rule cites its source; where the docs leave the
// outcome open the problem is a warning and says so, so a valid app is never failed on a guess.
import { GRAMMAR_FILES_BUILTIN } from '../schemas/percl-capture';
import type { CommandName } from '../schemas/percl';
import type { Problem } from './problem';

/** Where the script runs, when the caller of the validator knows it. */
export interface ScriptContext {
  /** The call is a conference participant (for example a callControl answer). */
  inConference?: boolean;
}

type Found = Omit<Problem, 'pointer'> & { path: (string | number)[] };

const SMS_TEXT_SPEC_MAX = 160; // SPEC Sms.text; SDK 2.1.3 says 254 [CONFLICT]
const isHttpUrl = (v: string) => /^https?:\/\/[^\s/]+/.test(v);

/** Attribute pairs inside one command that passed its schema. `path` is relative to the attributes. */
export function attributeRules(name: CommandName, attrs: Record<string, unknown>): Found[] {
  const found: Found[] = [];
  if (name === 'OutDial') {
    // SPEC OutDial.ifMachineUrl: required when ifMachine is redirect, and should be left out otherwise.
    if (attrs.ifMachine === 'redirect' && attrs.ifMachineUrl === undefined) {
      found.push({ path: ['ifMachineUrl'], rule: 'required', severity: 'error', message: 'OutDial.ifMachineUrl is required when ifMachine is "redirect"' });
    }
    if (attrs.ifMachine === 'hangup' && attrs.ifMachineUrl !== undefined) {
      found.push({ path: ['ifMachineUrl'], rule: 'conditional', severity: 'warning', message: 'OutDial.ifMachineUrl is never invoked when ifMachine is "hangup"; the reference says to leave it out' });
    }
  }
  if (name === 'GetSpeech') found.push(...grammarRules(attrs));
  if (name === 'Say' && attrs.language !== undefined && attrs.engine !== undefined) {
    // The Say doc table: language applies to the classic voice only, not alongside engine.
    found.push({ path: ['language'], rule: 'conditional', severity: 'warning', message: 'Say.language cannot be combined with Say.engine; the engine decides the voice' });
  }
  if (name === 'Sms' && typeof attrs.text === 'string' && attrs.text.length > SMS_TEXT_SPEC_MAX) {
    found.push({
      path: ['text'],
      rule: 'range',
      severity: 'warning',
      message: `Sms.text has ${attrs.text.length} characters; SPEC allows ${SMS_TEXT_SPEC_MAX}, SDK 2.1.3 254 [CONFLICT]`,
    });
  }
  return found;
}

function grammarRules(attrs: Record<string, unknown>): Found[] {
  const file = String(attrs.grammarFile);
  const builtin = (GRAMMAR_FILES_BUILTIN as readonly string[]).includes(file);
  if (attrs.grammarType === 'BUILTIN' && !builtin) {
    return [{
      path: ['grammarFile'],
      rule: 'enum',
      severity: 'error',
      message: `GetSpeech.grammarFile must be a built-in grammar when grammarType is "BUILTIN" (${GRAMMAR_FILES_BUILTIN.join(', ')}), got ${JSON.stringify(file)}`,
    }];
  }
  if (attrs.grammarType === 'URL' && !isHttpUrl(file)) {
    return [{ path: ['grammarFile'], rule: 'format', severity: 'error', message: `GetSpeech.grammarFile must be a download URL when grammarType is "URL", got ${JSON.stringify(file)}` }];
  }
  if (attrs.grammarType === undefined && !isHttpUrl(file)) {
    // [AMBIGUOUS] No stored source gives grammarType's default. A URL works under either reading; a
    // built-in name works only if the default is BUILTIN.
    return [{
      path: ['grammarType'],
      rule: 'conditional',
      severity: 'warning',
      message: `GetSpeech.grammarFile ${JSON.stringify(file)} is not a URL and grammarType is not set; the docs do not say which grammarType applies, so set it`,
    }];
  }
  return [];
}

/** Commands documented as unsupported while the call is bridged to other legs (a conference). */
const SINGLE_LEG_ONLY: ReadonlySet<CommandName> = new Set<CommandName>(['GetDigits', 'GetSpeech']);

/** Rules about where a top-level command stands in the script. */
export function placementRules(commands: { name: CommandName; index: number }[], context: ScriptContext): Found[] {
  const found: Found[] = [];
  let leading = true;
  for (const { name, index } of commands) {
    if (name === 'PlayEarlyMedia' && !leading) {
      // The PlayEarlyMedia page: it plays before the call is answered, so only a run of them at the
      // start of the answer to an inbound call has any effect. [AMBIGUOUS] one older version says
      // only the very first command; a newer one allows several in a row.
      found.push({ path: [index, name], rule: 'placement', severity: 'warning', message: 'PlayEarlyMedia only plays at the start of the answer to an inbound call, before the call is answered; here it follows other commands' });
    }
    if (name !== 'PlayEarlyMedia') leading = false;
    if (context.inConference && SINGLE_LEG_ONLY.has(name)) {
      // GetSpeech and GetDigits pages: single call leg only, not within a conference. [AMBIGUOUS]
      // what FreeClimb then does (ignore the command, end the call) is not documented.
      found.push({ path: [index, name], rule: 'context', severity: 'warning', message: `${name} is documented as unsupported while the call is in a conference` });
    }
  }
  return found;
}
