// `fch app explore` (issue 23): the concrete actions of an explored sequence, the invariants'
// codes and levels, and findings.json. The explorer, its feature writer and its reports all take
// their types from here.
import { z } from 'zod';

export const PhoneAnswerSchema = z.enum(['human', 'noAnswer', 'busy', 'machine']);

/** One thing a person (or time, or a web page) did, as it was resolved against the app's state. */
export const ExploreAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), caller: z.string(), from: z.string() }),
  z.object({ kind: z.literal('press'), caller: z.string(), digits: z.string() }),
  z.object({ kind: z.literal('pressInConference'), caller: z.string(), digits: z.string() }),
  z.object({ kind: z.literal('hangUp'), caller: z.string() }),
  z.object({ kind: z.literal('wait'), seconds: z.number().int().positive() }),
  z.object({ kind: z.literal('terminate'), caller: z.string() }),
  z.object({ kind: z.literal('trigger'), index: z.number().int().min(0) }),
  // While the app listens (GetSpeech) or records (RecordUtterance): issue 22's media vocabulary.
  z.object({ kind: z.literal('say'), caller: z.string(), text: z.string().min(1) }),
  z.object({ kind: z.literal('silent'), caller: z.string() }),
  z.object({ kind: z.literal('leaveMessage'), caller: z.string(), seconds: z.number().int().positive() }),
  z.object({ kind: z.literal('leaveMessageAndPress'), caller: z.string(), key: z.string().regex(/^[0-9*#]$/) }),
]);
export type ExploreAction = z.infer<typeof ExploreAction>;

/** A person the app called, named when their phone first rang, and what their phone did. */
export const ExplorePerson = z.object({ name: z.string(), number: z.string(), answer: PhoneAnswerSchema });
export type ExplorePerson = z.infer<typeof ExplorePerson>;

export const InvariantCode = z.enum([
  'webhook-2xx',
  'valid-percl',
  'app-alive',
  'rest-well-formed',
  'signatures-enforced',
  'conference-known',
  'platform-ended-call',
  'outdial-outcome-handled',
  'caller-left-alone',
]);
export type InvariantCode = z.infer<typeof InvariantCode>;

export const CheckLevel = z.enum(['off', 'warn', 'fail']);
export type CheckLevel = z.infer<typeof CheckLevel>;

/** How the written .feature fared on a fresh app in the gate, per reading. */
export const GateVerdict = z.object({
  /** The feature failed under the default reading for the finding's reason. */
  reproduced: z.boolean(),
  /** "fails under every reading" or "fails only under …". */
  readings: z.string(),
  failedUnder: z.array(z.string()),
  passedUnder: z.array(z.string()),
  /** The gate's first line of the failure under the default reading. */
  reason: z.string().optional(),
});
export type GateVerdict = z.infer<typeof GateVerdict>;

export const Finding = z.object({
  code: InvariantCode,
  level: z.enum(['warn', 'fail']),
  meaning: z.string(),
  section: z.string(),
  /** Where it happened (a webhook's requestType and path, a call's ended reason): with the code, what makes it distinct. */
  where: z.string(),
  message: z.string(),
  /** The reading the sequence ran under. */
  variant: z.string(),
  /** `--replay` SEED:PATH that runs exactly this shrunk sequence again. */
  replay: z.string(),
  people: z.array(ExplorePerson),
  actions: z.array(ExploreAction),
  /** The .feature written for it, relative to the output folder; absent when the gate did not reproduce it. */
  feature: z.string().optional(),
  gate: GateVerdict.optional(),
  /** Wall milliseconds from the start of the exploration to the first sequence that showed it. */
  foundAfterMs: z.number(),
});
export type Finding = z.infer<typeof Finding>;

export const FindingsFile = z.object({
  seed: z.number().int(),
  variants: z.array(z.string()),
  /** --all-variants: the readings after the default one are a sample, drawn from the seed, of this many. */
  sampledFrom: z.number().int().optional(),
  sequences: z.number().int(),
  /** App processes started; sequences run again on a fresh app after breaking something on a used one. */
  appStarts: z.number().int().optional(),
  rechecks: z.number().int().optional(),
  actions: z.number().int(),
  wallMs: z.number(),
  findings: z.array(Finding),
  /** Invariants checked and never broken, with their level. */
  held: z.array(z.object({ code: InvariantCode, level: CheckLevel })),
});
export type FindingsFile = z.infer<typeof FindingsFile>;
