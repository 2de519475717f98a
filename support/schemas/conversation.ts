// The conversation between FreeClimb (or the simulator) and the side that answers its webhooks:
// the app under test in app gating, the harness's own receiver in the platform suite. Every
// webhook with its answer, every REST request, what each caller heard and did, and the harness's
// own waits. It is attached to each scenario as JSON and rendered as a sequence diagram
// (support/report/sequence-diagram.ts), so the schema is the single source of its types.
// Virtual time is known only in mock mode: a live run leaves it out.
import { z } from 'zod';

/** One Say or Play a caller heard, in virtual time (prompts nested in GetDigits included). */
export const Heard = z.object({
  kind: z.enum(['say', 'play']),
  /** The Say text, or the Play file. */
  text: z.string(),
  virtualTime: z.number(),
  /** Real time (performance.now()) it was recorded, to order it among the other exchanges. */
  at: z.number(),
});
export type Heard = z.infer<typeof Heard>;

export const PerclProblem = z.object({ pointer: z.string(), rule: z.string(), message: z.string() });

export const WebhookExchange = z.object({
  kind: z.literal('webhook'),
  seq: z.number().int(),
  url: z.string(),
  requestType: z.string(),
  callId: z.string().nullable(),
  body: z.record(z.string(), z.unknown()),
  virtualTime: z.number().optional(),
  at: z.number(),
  /** The participant the webhook is about (platform suite), for the label. */
  participant: z.string().optional(),
  /** Problems with the webhook itself, not its answer: a bad signature, a payload off the schema. */
  webhookProblems: z.array(z.string()).optional(),
  /** Whether FreeClimb executes the answer as PerCL (§4.2); a notification's body is ignored. */
  perclExpected: z.boolean(),
  status: z.number().int().optional(),
  answer: z.string().optional(),
  /** A refused connection, a timeout, an unreadable answer. */
  error: z.string().optional(),
  /** Real milliseconds the app took to answer. */
  answerMs: z.number().optional(),
  /** The PerCL command names of the answer, or "204"/"empty" when there was none. */
  answerSummary: z.string(),
  problems: z.array(PerclProblem),
});

export const RestExchange = z.object({
  kind: z.literal('rest'),
  seq: z.number().int(),
  method: z.string(),
  path: z.string(),
  status: z.number().int(),
  requestBody: z.string(),
  /** The error message of a 4xx/5xx answer. */
  error: z.string().optional(),
  virtualTime: z.number().optional(),
  at: z.number(),
  /** Identical requests in a row with the same answer (live mode's polls), folded into one row. */
  count: z.number().int().optional(),
  /** Sent to FreeClimb's default URL and routed to the simulator: by the Node preload or the HTTPS proxy. */
  route: z.enum(['preload', 'proxy']).optional(),
});

export const CallerEvent = z.object({
  kind: z.literal('caller'),
  caller: z.string(),
  callId: z.string(),
  // 'is called': the app placed a call (OutDial or POST /Calls) to a person a step named, who answered.
  // 'says' (to a GetSpeech), 'stays silent' (until a GetDigits, GetSpeech or RecordUtterance times
  // out), 'leaves a message' (to a RecordUtterance): the speech vocabulary of issue 22.
  action: z.enum(['calls', 'is called', 'presses', 'hangs up', 'hears', 'call ends', 'says', 'stays silent', 'leaves a message']),
  detail: z.string(),
  virtualTime: z.number().optional(),
  at: z.number(),
});

/** A request the harness itself sent to the app (the signature probes), outside the simulator. */
export const ProbeExchange = z.object({
  kind: z.literal('probe'),
  description: z.string(),
  url: z.string(),
  status: z.number().int().optional(),
  answer: z.string().optional(),
  error: z.string().optional(),
  at: z.number(),
});

/** A web request a step sent to the app (a form or JSON POST), as a person's browser would. */
export const TriggerExchange = z.object({
  kind: z.literal('trigger'),
  method: z.string(),
  /** The app's path, e.g. /startCall. */
  path: z.string(),
  contentType: z.string(),
  requestBody: z.string(),
  status: z.number().int().optional(),
  answer: z.string().optional(),
  /** A refused connection, a timeout. */
  error: z.string().optional(),
  virtualTime: z.number().optional(),
  at: z.number(),
});

/** What the harness did between exchanges: a wait, a quiet period, a wait that timed out. */
export const HarnessNote = z.object({
  kind: z.literal('note'),
  text: z.string(),
  virtualTime: z.number().optional(),
  at: z.number(),
});

export const ConversationEntry = z.discriminatedUnion('kind', [WebhookExchange, RestExchange, CallerEvent, ProbeExchange, TriggerExchange, HarnessNote]);
export type ConversationEntry = z.infer<typeof ConversationEntry>;
export type WebhookExchange = z.infer<typeof WebhookExchange>;
export type RestExchange = z.infer<typeof RestExchange>;
export type CallerEvent = z.infer<typeof CallerEvent>;
export type ProbeExchange = z.infer<typeof ProbeExchange>;
export type TriggerExchange = z.infer<typeof TriggerExchange>;
export type HarnessNote = z.infer<typeof HarnessNote>;

/** The app gate's quiet grace in a run (support/app-gate/quiet.ts): how long the app may take to send a REST request after an answer. */
export const GraceSummary = z.object({
  floorMs: z.number(),
  ceilingMs: z.number(),
  graceMs: z.number(),
  /** The longest gap seen between an answer and a REST request that followed it, if any. */
  longestGapMs: z.number().optional(),
  /** How many REST requests followed an answer without the quiet probe having seen them coming. */
  samples: z.number().int(),
  /** How many of the app's processes answer the quiet probe (0: the grace alone decides). */
  probed: z.number().int(),
});
export type GraceSummary = z.infer<typeof GraceSummary>;

export const Conversation = z.object({
  scenario: z.string(),
  variant: z.string(),
  /** The two fixed lifelines' names; app gating's defaults are "FreeClimb (simulator)" and "app". */
  lifelines: z.object({ platform: z.string(), answerer: z.string() }).optional(),
  /** The clauses the scenario checks, shown under the title (platform suite). */
  clauses: z.array(z.string()).optional(),
  /** Callers by name, with their call ids. */
  callers: z.array(z.object({ name: z.string(), callId: z.string(), from: z.string() })),
  entries: z.array(ConversationEntry),
  /** The failure, if the scenario failed, and which entries it is about. */
  failure: z.object({ message: z.string(), entries: z.array(z.number().int()) }).optional(),
  /** App gating: the quiet grace when the scenario ended. */
  quiet: GraceSummary.optional(),
});
export type Conversation = z.infer<typeof Conversation>;
