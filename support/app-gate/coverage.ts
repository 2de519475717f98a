// What an app-gate run exercised, so a team sees what its features never tried: the webhook types
// the app received and answered (2xx), the PerCL commands it used, and which documented behaviours
// happened at least once (§6: reuse after empty, empty then terminated, a recording report, a
// caller leaving before joining, call control).
import type { ConversationEntry } from '../schemas/conversation';
import { isEvent } from '../schemas/webhooks';

export const BEHAVIOURS = ['reuse after empty', 'empty then terminated', 'a recording report', 'a caller leaving before joining', 'call control'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export interface CoverageData {
  received: Record<string, number>;
  answered: Record<string, number>;
  commands: Record<string, number>;
  behaviours: Partial<Record<Behaviour, number>>;
}

export function emptyCoverage(): CoverageData {
  return { received: {}, answered: {}, commands: {}, behaviours: {} };
}

const bump = (map: Record<string, number>, key: string, n = 1) => (map[key] = (map[key] ?? 0) + n);

/** Adds one scenario's conversation; `leftBeforeJoining` counts callers who hung up outside any conference, never having joined one. */
export function addConversation(cov: CoverageData, entries: readonly ConversationEntry[], leftBeforeJoining: number): void {
  const statuses = new Map<string, string[]>();
  for (const e of entries) {
    if (e.kind !== 'webhook') continue;
    bump(cov.received, e.requestType);
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
    for (const key of ['received', 'answered', 'commands', 'behaviours'] as const) {
      for (const [k, n] of Object.entries(p[key])) bump(total[key] as Record<string, number>, k, n ?? 0);
    }
  }
  return total;
}

export function formatCoverage(cov: CoverageData): string {
  const list = (m: Record<string, number>) => (Object.keys(m).length ? Object.entries(m).sort().map(([k, n]) => `${k} (${n})`).join(', ') : 'none');
  const behaviours = BEHAVIOURS.map((b) => `  ${cov.behaviours[b] ? '✓' : '✗'} ${b}${cov.behaviours[b] ? ` (${cov.behaviours[b]})` : ' — never happened'}`);
  return [`webhooks received: ${list(cov.received)}`, `webhooks answered with 2xx: ${list(cov.answered)}`, `PerCL commands used: ${list(cov.commands)}`, 'documented behaviours:', ...behaviours].join('\n');
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
