// Faults: deliberate deviations from the documentation. `npm run check` runs the suite once per
// fault and requires exactly the scenarios selected by `catches` (a cucumber tag expression) to fail.
// By default a scenario declares which faults it catches with a `@fault:<name>` tag; faults that
// break every callback (signatures) select scenarios by what they exercise instead.

export interface FaultDef {
  behaviour: 'statuses' | 'callback-ordering' | 'reuse-while-empty' | 'terminate' | 'recording-on-empty' | 'signatures' | 'rest' | 'webhooks';
  doc: string;
  /** Tag expression selecting the scenarios that must fail; defaults to `@fault:<name>`. */
  catches?: string;
  /**
   * For faults that break an operation many scenarios rely on: every scenario with a step matching
   * this pattern must fail too (in addition to `catches`).
   */
  catchesSteps?: RegExp;
}

export const FAULTS = {
  // statuses
  'no-populated-status': { behaviour: 'statuses', doc: 'the first joiner leaves the conference empty: no populated status, no callback' },
  'stale-rest-status': { behaviour: 'statuses', doc: 'GET and list report the status the conference had when it was created' },
  'start-moderator-ignored': { behaviour: 'statuses', doc: 'a participant with startConfOnEnter does not move the conference to inProgress' },
  'list-ignores-status-filter': { behaviour: 'statuses', doc: 'GET /Conferences ignores the status filter' },
  // callback ordering
  'no-creation-callback': { behaviour: 'callback-ordering', doc: 'statusCallbackUrl is not invoked when a conference is created', catchesSteps: /created through REST|status callbacks are|creation callback|REST creation/ },
  'no-action-url': { behaviour: 'callback-ordering', doc: 'CreateConference does not invoke actionUrl' },
  'terminated-before-empty': { behaviour: 'callback-ordering', doc: 'terminating a populated conference reports terminated before empty' },
  'status-after-terminated': { behaviour: 'callback-ordering', doc: 'a conferenceStatus callback arrives after terminated' },
  'no-join-notification': { behaviour: 'callback-ordering', doc: 'addToConferenceNotification is never sent', catchesSteps: /joins (it|the conference)/ },
  'no-leave-webhook': { behaviour: 'callback-ordering', doc: 'leaveConference is never sent' },
  // reuse while empty
  'empty-is-final': { behaviour: 'reuse-while-empty', doc: 'a conference that became empty again refuses new participants' },
  'stays-populated-after-last-leave': { behaviour: 'reuse-while-empty', doc: 'the conference does not return to empty when the last participant leaves' },
  'terminated-accepts-participants': { behaviour: 'reuse-while-empty', doc: 'AddToConference succeeds on a terminated conference' },
  'terminated-accepts-updates': { behaviour: 'reuse-while-empty', doc: 'REST updates revive a terminated conference' },
  // terminate
  'terminate-keeps-participants': { behaviour: 'terminate', doc: 'terminating leaves participant calls connected and listed' },
  'terminate-no-call-status': { behaviour: 'terminate', doc: 'participant calls ended by terminate send no callStatus' },
  'terminate-empty-rejected': { behaviour: 'terminate', doc: 'terminating an empty conference fails with 409' },
  'terminate-percl-ignored': { behaviour: 'terminate', doc: 'the TerminateConference command does nothing' },
  // recording on empty
  'no-recording-report': { behaviour: 'recording-on-empty', doc: 'the recording is never reported' },
  'recording-duration-from-creation': { behaviour: 'recording-on-empty', doc: 'recording length is measured from creation, not from inProgress' },
  'recording-without-inprogress': { behaviour: 'recording-on-empty', doc: 'a conference that never reached inProgress reports a recording' },
  'recording-not-readable': { behaviour: 'recording-on-empty', doc: 'the reported recording cannot be read through REST' },
  'recording-when-not-requested': { behaviour: 'recording-on-empty', doc: 'a conference created with record=false reports a recording' },
  // signatures: every callback is affected, so every scenario that receives callbacks must fail
  'bad-signature': { behaviour: 'signatures', doc: 'webhooks are signed with the wrong secret', catches: 'not @no-callbacks' },
  'stale-signature': { behaviour: 'signatures', doc: 'webhook signatures carry a timestamp ten minutes old', catches: 'not @no-callbacks' },
  'unsigned-webhooks': { behaviour: 'signatures', doc: 'webhooks carry no FreeClimb-Signature header', catches: 'not @no-callbacks' },
  // REST results and webhook bodies
  'auth-not-enforced': { behaviour: 'rest', doc: 'requests with wrong credentials are served' },
  'create-returns-no-id': { behaviour: 'rest', doc: 'REST conference creation returns a body without conferenceId', catchesSteps: /created through REST|REST creation/ },
  'participant-list-stale': { behaviour: 'rest', doc: 'removed participants stay in the participant list' },
  'webhook-missing-status': { behaviour: 'webhooks', doc: 'conferenceStatus webhooks lack the status field', catchesSteps: /conference created through REST|creates a .*conference by PerCL|REST creation/ },
} as const satisfies Record<string, FaultDef>;

export type FaultName = keyof typeof FAULTS;
export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

export function parseFault(name: string | undefined): FaultName | undefined {
  if (!name) return undefined;
  if (!(name in FAULTS)) throw new Error(`unknown fault "${name}"; faults: ${FAULT_NAMES.join(', ')}`);
  return name as FaultName;
}

export function faultCatches(name: FaultName): { tags: string; steps?: RegExp } {
  const def: FaultDef = FAULTS[name];
  return { tags: def.catches ?? `@fault:${name}`, steps: def.catchesSteps };
}
