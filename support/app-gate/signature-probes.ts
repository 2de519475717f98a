// "The app rejects unsigned, forged and stale webhooks": the harness itself posts an inboundCall to
// the app's voiceUrl three times, outside the simulator, each with a bad FreeClimb-Signature
// (§4.5). Each must get a 4xx, and none may get PerCL that would answer (connect) the call.
import { randomBytes } from 'node:crypto';
import type { ProbeExchange } from '../schemas/conversation';
import { signatureHeader } from '../signature';
import { post } from '../simulator/dispatcher';

/** Ten minutes: twice the 5-minute tolerance the SDK READMEs use (§4.5; the server's is not documented). */
export const STALE_SECONDS = 600;

export interface ProbeTarget {
  voiceUrl: string;
  accountId: string;
  signingSecret: string;
  appNumber: string;
  timeoutMs: number;
}

export async function probeSignatures(target: ProbeTarget): Promise<{ exchanges: ProbeExchange[]; problems: string[] }> {
  const now = Math.floor(Date.now() / 1000);
  const probes: { description: string; header: (raw: string) => string | undefined }[] = [
    { description: 'an unsigned inboundCall (no FreeClimb-Signature header)', header: () => undefined },
    { description: 'a forged inboundCall (signed with another secret)', header: (raw) => signatureHeader(raw, `${target.signingSecret}-forged`, now) },
    { description: `a stale inboundCall (correctly signed ${STALE_SECONDS / 60} minutes ago)`, header: (raw) => signatureHeader(raw, target.signingSecret, now - STALE_SECONDS) },
  ];
  const exchanges: ProbeExchange[] = [];
  const problems: string[] = [];
  for (const probe of probes) {
    const raw = JSON.stringify({
      accountId: target.accountId,
      callId: `CA${randomBytes(20).toString('hex')}`,
      callStatus: 'ringing',
      conferenceId: null,
      direction: 'inbound',
      from: '+15550109999',
      parentCallId: null,
      queueId: null,
      requestType: 'inboundCall',
      to: target.appNumber,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(raw)) };
    const signature = probe.header(raw);
    if (signature) headers['freeclimb-signature'] = signature;
    const answer = await post(target.voiceUrl, raw, headers, target.timeoutMs);
    const result = answer.ok ? { status: answer.status, answer: answer.text } : { error: answer.error };
    exchanges.push({ kind: 'probe', description: probe.description, url: target.voiceUrl, ...result, at: performance.now() });
    const got = result.error ?? `HTTP ${result.status}${result.answer ? ` ${result.answer.slice(0, 200)}` : ''}`;
    if (result.status === undefined || result.status < 400 || result.status > 499) problems.push(`${probe.description} to ${target.voiceUrl}: expected a 4xx answer, got ${got}`);
    if (connects(result.answer)) problems.push(`${probe.description} to ${target.voiceUrl}: the answer is PerCL that would connect the call: ${result.answer!.slice(0, 200)}`);
  }
  return { exchanges, problems };
}

/** Any command but Reject answers an inbound call (§5.3). */
function connects(answer: string | undefined): boolean {
  if (!answer) return false;
  try {
    const doc = JSON.parse(answer) as unknown;
    return Array.isArray(doc) && doc.some((c) => typeof c === 'object' && c !== null && Object.keys(c)[0] !== 'Reject');
  } catch {
    return false;
  }
}
