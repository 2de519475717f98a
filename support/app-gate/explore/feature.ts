// A finding written as a .feature in the gate's own vocabulary (steps/app/*.ts): the people the
// app called declared first (as their phones behaved), the shrunk actions up to the one after
// which the invariant broke, then a step that fails for the same reason when the gate's built-in
// per-scenario checks do not already (a call left waiting, a call the platform ended). Copied
// into a team's features/, it runs as a regression test with no edit.
import type { ExploreAction, ExplorePerson, InvariantCode } from '../../schemas/explore';
import { invariant } from './invariants';
import type { DeclaredTrigger } from './triggers';

export interface FeatureInput {
  code: InvariantCode;
  where: string;
  message: string;
  caller?: string;
  atAction: number;
  actions: readonly ExploreAction[];
  people: readonly ExplorePerson[];
  replay: string;
  variant: string;
  maxActions: number;
  triggers: readonly DeclaredTrigger[];
}

const ANSWER_STEP: Record<ExplorePerson['answer'], string | undefined> = {
  human: undefined,
  noAnswer: 'will not answer',
  busy: 'will be busy',
  machine: "'s voicemail will answer",
};

export function stepsOf(action: ExploreAction, triggers: readonly DeclaredTrigger[]): string[] {
  switch (action.kind) {
    case 'call':
      return [`When "${action.caller}" calls the app from "${action.from}"`];
    case 'press':
      return [`When "${action.caller}" presses "${action.digits}"`];
    case 'pressInConference':
      return [`When "${action.caller}" presses "${action.digits}" in the conference`];
    case 'hangUp':
      return [`When "${action.caller}" hangs up`];
    case 'wait':
      return [`When ${action.seconds} seconds pass`];
    case 'terminate':
      return [`When the conference of "${action.caller}" is terminated through REST`];
    case 'trigger':
      return triggers[action.index].gherkin;
    case 'say':
      return [`When "${action.caller}" says "${action.text}"`];
    case 'silent':
      return [`When "${action.caller}" stays silent`];
    case 'leaveMessage':
      return [`When "${action.caller}" leaves a message of ${action.seconds} seconds`];
    case 'leaveMessageAndPress':
      return [`When "${action.caller}" leaves a message and presses "${action.key}"`];
  }
}

/** The step that fails for this invariant's reason, when the gate's built-in checks do not. */
function thenStep(f: FeatureInput): string[] {
  switch (f.code) {
    case 'outdial-outcome-handled':
    case 'caller-left-alone':
      return f.caller ? [`Then "${f.caller}"'s call ends`] : [];
    case 'platform-ended-call':
      return ['Then no call was ended by the platform for an app error'];
    case 'conference-known':
      return ['Then the app used no conference it ended or never had'];
    case 'signatures-enforced':
      return ['Then the app rejects unsigned, forged and stale webhooks'];
    default:
      // webhook-2xx, valid-percl, rest-well-formed, app-alive: the gate checks every scenario's conversation.
      return [];
  }
}

export function featureText(f: FeatureInput): string {
  const inv = invariant(f.code);
  const title = `${f.code} at ${f.where}`;
  const replayCmd = f.replay === '-' ? '(no sequence: a check run once per exploration)' : `fch app explore --replay ${f.replay} --max-actions ${f.maxActions}${f.variant === 'default' ? '' : ` --variant ${f.variant}`}`;
  const actions = f.actions.slice(0, f.atAction + 1);
  // A person is declared only if the app dialled them within the steps kept.
  const people = f.people;
  const body = [
    ...people.flatMap((p) => [`Given "${p.name}" is at "${p.number}"`, ...(ANSWER_STEP[p.answer] ? [`And "${p.name}"${ANSWER_STEP[p.answer]!.startsWith("'") ? '' : ' '}${ANSWER_STEP[p.answer]}`] : [])]),
    ...actions.flatMap((a) => stepsOf(a, f.triggers)),
    ...thenStep(f),
  ];
  const lines = [
    `# Found by fch app explore: ${f.code}: ${inv.meaning} (reference ${inv.section}).`,
    `# seed:path ${f.replay}, reading ${f.variant}; replay: ${replayCmd}`,
    ...f.message.split('\n').slice(0, 3).map((l) => `# ${l}`),
    `Feature: explored: ${title}`,
    '',
    // Found on a fresh app: in a team's features/, it gets one too, whatever ran before it.
    '  @fresh-app',
    `  Scenario: ${title}`,
    ...andSteps(body).map((l) => `    ${l}`),
    '',
  ];
  return lines.join('\n');
}

/** "When … When …" reads as "When … And …"; table and doc-string lines pass through. */
export function andSteps(lines: readonly string[]): string[] {
  let previous = '';
  return lines.map((line) => {
    const m = /^(Given|When|Then|And) (.*)$/.exec(line);
    if (!m) return line;
    const keyword = m[1] === 'And' ? previous : m[1];
    const same = keyword === previous;
    previous = keyword;
    return same ? `And ${m[2]}` : line;
  });
}
