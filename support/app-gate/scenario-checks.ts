// The checks every app-gate scenario gets without writing a step: each PerCL answer is valid, each
// webhook got a 2xx in time, the app sent no malformed REST request, the app is still alive. They
// read the recorded conversation, so a team's own features get them for free.
import type { ConversationEntry } from '../schemas/conversation';

export interface GateProblem {
  message: string;
  /** Indexes of the conversation entries the problem is about (marked in the diagram). */
  entries: number[];
}

const clip = (text: string, max = 600) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

export function conversationProblems(entries: readonly ConversationEntry[], death: string | undefined, routingFailures: readonly { url: string; error: string }[] = []): GateProblem[] {
  const problems: GateProblem[] = [];
  entries.forEach((e, i) => {
    if (e.kind === 'webhook') {
      const where = `webhook #${e.seq} ${e.requestType} to ${e.url}`;
      if (e.error === undefined && e.status === undefined) {
        // The scenario ended while the webhook was on the wire (settling gave up on a chatty app):
        // not an answer the app got wrong, but the gate must not call it a pass either.
        problems.push({ message: `${where} was still waiting for its answer when the scenario ended; the app had not answered it yet\n  request: ${clip(JSON.stringify(e.body))}`, entries: [i] });
      } else if (e.error !== undefined || e.status! < 200 || e.status! > 299) {
        problems.push({
          message: `${where} got ${e.error ?? `HTTP ${e.status}`}; every webhook needs a 2xx answer within the webhook timeout\n  request: ${clip(JSON.stringify(e.body))}\n  response: ${e.error ? '(none)' : clip(e.answer ?? '') || '(empty)'}`,
          entries: [i],
        });
      }
      if (e.problems.length > 0) {
        problems.push({
          message: `${where} was answered with invalid PerCL:\n${e.problems.map((p) => `  ${p.pointer || '(document)'} [${p.rule}] ${p.message}`).join('\n')}\n  answer: ${clip(e.answer ?? '')}`,
          entries: [i],
        });
      }
    }
    if (e.kind === 'rest' && e.status === 400) {
      problems.push({
        message: `the app sent a malformed REST request: ${e.method} ${e.path} → 400 ${e.error ?? ''}\n  request body: ${clip(e.requestBody) || '(empty)'}`,
        entries: [i],
      });
    }
  });
  // The app may swallow the error; the request still never reached the (simulated) platform.
  for (const f of routingFailures) problems.push({ message: `a request to FreeClimb's default URL failed: ${f.url}: ${f.error}`, entries: [] });
  if (death) problems.push({ message: death, entries: [] });
  return problems;
}
