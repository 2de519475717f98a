// The app's view of the difference between a live and a mock gate run (issue 24, item 5): per
// scenario, where the webhooks the app got from the real account differ from those the simulator
// sent it. Written as reports/app-gate/live-vs-mock.json and attached to the Allure report, so the
// schema is the single source of its types.
import { z } from 'zod';

/** One webhook as compared: per-run values (ids, numbers, times, hosts) replaced by stable aliases. */
export const MaskedWebhook = z.object({
  /** The webhook's number in its own run (the diagram's #n), to find it in that run's conversation. */
  seq: z.number().int(),
  requestType: z.string(),
  /** The app's path and query, without the host (the simulator's and the public URL differ). */
  path: z.string(),
  /** Which call it is about: `call of alice` for a caller's call, else an alias such as `CA#2`, or `no call`. */
  call: z.string(),
  /** The body's fields, each value masked and as JSON text. */
  fields: z.record(z.string(), z.string()),
  /** What the app answered: the HTTP status and the PerCL command names (e.g. `200 [Say, Hangup]`). */
  answer: z.string(),
});
export type MaskedWebhook = z.infer<typeof MaskedWebhook>;

export const WebhookDifference = z.discriminatedUnion('kind', [
  /** The real account sent a webhook the simulator did not send. */
  z.object({ kind: z.literal('only-live'), call: z.string(), live: MaskedWebhook }),
  /** The simulator sent a webhook the real account did not send. */
  z.object({ kind: z.literal('only-mock'), call: z.string(), mock: MaskedWebhook }),
  /** Both sent it, at another place among the webhooks of the same call. */
  z.object({ kind: z.literal('order'), call: z.string(), mock: MaskedWebhook, live: MaskedWebhook, mockAfter: z.string(), liveAfter: z.string() }),
  /** Both sent it; a field (or the app's answer, field `(answer)`) has another value, or is on one side only. */
  z.object({ kind: z.literal('field'), call: z.string(), field: z.string(), mockValue: z.string().optional(), liveValue: z.string().optional(), mock: MaskedWebhook, live: MaskedWebhook }),
]);
export type WebhookDifference = z.infer<typeof WebhookDifference>;

export const ScenarioDifference = z.object({
  scenario: z.string(),
  /** The feature file (as the results name it) the scenario is in. */
  feature: z.string(),
  /** same: no difference; different: see differences; only-mock / only-live: the other run has no conversation for it (skipped, or not run). */
  verdict: z.enum(['same', 'different', 'only-mock', 'only-live']),
  mockWebhooks: z.number().int(),
  liveWebhooks: z.number().int(),
  differences: z.array(WebhookDifference),
});
export type ScenarioDifference = z.infer<typeof ScenarioDifference>;

export const LiveVsMock = z.object({
  /** The mock reading compared with live (the default reading). */
  mockReading: z.string(),
  /** What is masked and what is not compared, in words, so a reader of the JSON knows. */
  masked: z.string(),
  summary: z.object({ compared: z.number().int(), same: z.number().int(), different: z.number().int(), onlyMock: z.number().int(), onlyLive: z.number().int() }),
  scenarios: z.array(ScenarioDifference),
  /**
   * Every reading the mock results hold, compared with live the same way, closest first: which
   * documented reading the account behaves like, where the docs allow several.
   */
  // `differentShared`: of the scenarios every reading compared, how many differ; the ranking's key, so
  // a reading whose mock run holds fewer scenarios does not look closer for it.
  readings: z.array(z.object({ reading: z.string(), compared: z.number().int(), different: z.number().int(), differences: z.number().int(), shared: z.number().int(), differentShared: z.number().int() })).default([]),
});
export type LiveVsMock = z.infer<typeof LiveVsMock>;
