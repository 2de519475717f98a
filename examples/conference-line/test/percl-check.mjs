// A small PerCL shape check for the smoke test: enough to catch what breaks a call (unknown or
// misspelled commands, missing required attributes, wrong types, commands after a terminal one).
// The gate validates against the full schema; this keeps the smoke test free of dependencies.

const URL_RE = /^https?:\/\/[^\s/]+/;
const isBool = (v) => v === undefined || typeof v === 'boolean';
const isUrl = (v) => typeof v === 'string' && URL_RE.test(v);
const isInt = (v) => v === undefined || (Number.isInteger(v) && v > 0);

const RULES = {
  Say: (a) => [typeof a.text === 'string' || 'text must be a string'],
  Play: (a) => [typeof a.file === 'string' || 'file must be a string'],
  Pause: (a) => [(Number.isInteger(a.length) && a.length > 0) || 'length must be a positive integer'],
  Hangup: () => [],
  Redirect: (a) => [isUrl(a.actionUrl) || 'actionUrl must be an absolute URL'],
  GetDigits: (a) => [
    isUrl(a.actionUrl) || 'actionUrl must be an absolute URL',
    a.finishOnKey === undefined || /^[0-9*#]$/.test(a.finishOnKey) || 'finishOnKey must be one key',
    isInt(a.maxDigits) || 'maxDigits must be a positive integer',
    isInt(a.initialTimeoutMs) || 'initialTimeoutMs must be a positive integer',
    isInt(a.digitTimeoutMs) || 'digitTimeoutMs must be a positive integer',
    isBool(a.flushBuffer) || 'flushBuffer must be boolean',
    ...(a.prompts ?? []).flatMap((p, i) => {
      const name = Object.keys(p)[0];
      return ['Say', 'Play', 'Pause'].includes(name) ? [] : [`prompts/${i} may only be Say, Play or Pause`];
    }),
  ],
  CreateConference: (a) => [
    isUrl(a.actionUrl) || 'actionUrl must be an absolute URL',
    a.statusCallbackUrl === undefined || isUrl(a.statusCallbackUrl) || 'statusCallbackUrl must be an absolute URL',
    isBool(a.record) || 'record must be boolean',
  ],
  AddToConference: (a) => [
    (typeof a.conferenceId === 'string' && a.conferenceId.startsWith('CF')) || 'conferenceId must be a CF… id',
    ...['startConfOnEnter', 'talk', 'listen', 'allowCallControl', 'dtmfPassThrough'].map((k) => isBool(a[k]) || `${k} must be boolean`),
    ...['leaveConferenceUrl', 'notificationUrl', 'callControlUrl'].map((k) => a[k] === undefined || isUrl(a[k]) || `${k} must be an absolute URL`),
    a.callControlSequence === undefined || /^[0-9*#]+$/.test(a.callControlSequence) || 'callControlSequence may hold 0-9, * and #',
  ],
  TerminateConference: () => [],
  RemoveFromConference: () => [],
};
const TERMINAL = new Set(['GetDigits', 'Redirect', 'CreateConference', 'AddToConference', 'TerminateConference']);

/** @returns {string[]} problems, each with a JSON pointer; empty when the script looks valid */
export function perclProblems(script) {
  if (!Array.isArray(script)) return ['/ a PerCL script is a JSON array'];
  const problems = [];
  script.forEach((command, i) => {
    const keys = command && typeof command === 'object' ? Object.keys(command) : [];
    if (keys.length !== 1) return problems.push(`/${i} must have exactly one command name`);
    const [name] = keys;
    const rule = RULES[name];
    if (!rule) return problems.push(`/${i} unknown command ${name}`);
    for (const r of rule(command[name] ?? {})) if (r !== true) problems.push(`/${i}/${name} ${r}`);
    if (TERMINAL.has(name) && i < script.length - 1) problems.push(`/${i + 1} follows the terminal command ${name}`);
  });
  return problems;
}
