// What an app-gate run exercised, so a team sees what its features never tried: the webhook types
// the app received and answered (2xx), the PerCL commands it used, the REST requests it made and
// how they reached the simulator, and which documented behaviours happened at least once (§6:
// reuse after empty, empty then terminated, a recording report, a caller leaving before joining,
// call control; §4: a call the app placed that was not answered, busy, or answered by a machine).
import type { ConversationEntry } from '../schemas/conversation';
import { isEvent } from '../schemas/webhooks';

export const BEHAVIOURS = [
  'reuse after empty',
  'empty then terminated',
  'a recording report',
  'a caller leaving before joining',
  'call control',
  'a call the app placed was not answered',
  'a call the app placed was busy',
  'a machine answered a call the app placed',
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export interface CoverageData {
  received: Record<string, number>;
  answered: Record<string, number>;
  commands: Record<string, number>;
  /** The app's REST requests, as `METHOD /Resource/{id}` (ids folded). */
  rest: Record<string, number>;
  /** How they reached the simulator: `direct` (FREECLIMB_API_BASE_URL), `preload` or `proxy` (routed). */
  routes: Record<string, number>;
  behaviours: Partial<Record<Behaviour, number>>;
}

export function emptyCoverage(): CoverageData {
  return { received: {}, answered: {}, commands: {}, rest: {}, routes: {}, behaviours: {} };
}

const bump = (map: Record<string, number>, key: string, n = 1) => (map[key] = (map[key] ?? 0) + n);

/** Adds one scenario's conversation; `leftBeforeJoining` counts callers who hung up outside any conference, never having joined one. */
export function addConversation(cov: CoverageData, entries: readonly ConversationEntry[], leftBeforeJoining: number): void {
  const statuses = new Map<string, string[]>();
  for (const e of entries) {
    if (e.kind === 'rest') {
      bump(cov.rest, `${e.method} ${restTemplate(e.path)}`);
      bump(cov.routes, e.route ?? 'direct');
    }
    if (e.kind !== 'webhook') continue;
    bump(cov.received, e.requestType);
    const connected = typeof e.body.callStatus === 'string' ? e.body.callStatus : undefined;
    if (e.requestType === 'outDialConnect' || e.requestType === 'outDialApiConnect') {
      if (connected === 'noAnswer') bump(cov.behaviours, 'a call the app placed was not answered');
      if (connected === 'busy') bump(cov.behaviours, 'a call the app placed was busy');
    }
    if (e.requestType === 'machineDetected') bump(cov.behaviours, 'a machine answered a call the app placed');
    if (e.status !== undefined && e.status >= 200 && e.status <= 299 && !e.error) bump(cov.answered, e.requestType);
    if (e.perclExpected && e.answer) for (const name of commandNames(e.answer)) bump(cov.commands, name);
    const conferenceId = typeof e.body.conferenceId === 'string' ? e.body.conferenceId : undefined;
    const status = typeof e.body.status === 'string' ? e.body.status : undefined;
    if (conferenceId && status && (e.requestType === 'conferenceStatus' || e.requestType === 'createConference')) {
      statuses.set(conferenceId, [...(statuses.get(conferenceId) ?? []), status]);
    }
    if (isEvent(e.requestType, 'conferenceRecordingStatus') || (typeof e.body.recordingId === 'string' && e.body.recordingId)) bump(cov.behaviours, 'a recording report');
    if (isEvent(e.requestType, 'callControl')) bump(cov.behaviours, 'call control');
  }
  for (const seq of statuses.values()) {
    seq.forEach((s, i) => {
      const next = seq[i + 1];
      if (s === 'empty' && i > 0 && (next === 'populated' || next === 'inProgress')) bump(cov.behaviours, 'reuse after empty');
      if (s === 'empty' && next === 'terminated') bump(cov.behaviours, 'empty then terminated');
    });
  }
  if (leftBeforeJoining > 0) bump(cov.behaviours, 'a caller leaving before joining', leftBeforeJoining);
}

export function mergeCoverage(parts: readonly CoverageData[]): CoverageData {
  const total = emptyCoverage();
  for (const p of parts) {
    for (const key of ['received', 'answered', 'commands', 'rest', 'routes', 'behaviours'] as const) {
      // Coverage files written before a key existed lack it.
      for (const [k, n] of Object.entries(p[key] ?? {})) bump(total[key] as Record<string, number>, k, n ?? 0);
    }
  }
  return total;
}

export function formatCoverage(cov: CoverageData): string {
  const list = (m: Record<string, number>) => (Object.keys(m).length ? Object.entries(m).sort().map(([k, n]) => `${k} (${n})`).join(', ') : 'none');
  const behaviours = BEHAVIOURS.map((b) => `  ${cov.behaviours[b] ? '✓' : '✗'} ${b}${cov.behaviours[b] ? ` (${cov.behaviours[b]})` : ' — never happened'}`);
  return [
    `webhooks received: ${list(cov.received)}`,
    `webhooks answered with 2xx: ${list(cov.answered)}`,
    `PerCL commands used: ${list(cov.commands)}`,
    `REST requests of the app: ${list(cov.rest)}`,
    `  reached the simulator: ${list(cov.routes)} (direct: FREECLIMB_API_BASE_URL; preload, proxy: routed from FreeClimb's default URL)`,
    'documented behaviours:',
    ...behaviours,
  ].join('\n');
}

/** `/apiserver/Accounts/AC…/Conferences/CF…?x=1` → `/Conferences/{id}`. */
function restTemplate(path: string): string {
  return path
    .split('?')[0]
    .replace(/^https?:\/\/[^/]+/, '')
    .replace(/^.*?\/Accounts\/[^/]+/, '')
    .replace(/\/(CA|CF|AP|PN|RE|QU|CR)[0-9a-fA-F]{8,}/g, '/{id}') || '/';
}

function commandNames(answer: string): string[] {
  try {
    const doc = JSON.parse(answer) as unknown;
    if (!Array.isArray(doc)) return [];
    return doc.flatMap((c) => {
      if (typeof c !== 'object' || c === null) return [];
      const [name, attrs] = Object.entries(c)[0] ?? [];
      const prompts = (attrs as { prompts?: unknown[] } | undefined)?.prompts;
      const nested = Array.isArray(prompts) ? prompts.flatMap((p) => (typeof p === 'object' && p !== null ? Object.keys(p).slice(0, 1) : [])) : [];
      return name ? [name, ...nested] : nested;
    });
  } catch {
    return [];
  }
}
