// The files this page reads, as zod schemas: the single source of their types. Each schema names
// only the fields the page uses and lets the rest through unchecked, so a reporter that adds fields
// does not break the page; a file that does not match is skipped and counted, never fatal.
import { z } from 'zod';

const Label = z.object({ name: z.string(), value: z.string() });
const Attachment = z.object({ name: z.string().optional(), source: z.string(), type: z.string().optional() });
export type Attachment = z.infer<typeof Attachment>;

/** An Allure step; steps nest (allure-cucumberjs puts attachments in "Attachment" sub-steps). */
export interface AllureStep {
  name?: string;
  attachments?: Attachment[];
  steps?: AllureStep[];
}
const AllureStep: z.ZodType<AllureStep> = z.lazy(() =>
  z.object({ name: z.string().optional(), attachments: z.array(Attachment).optional(), steps: z.array(AllureStep).optional() }),
);

/** `<uuid>-result.json`, as allure-cucumberjs writes it. */
export const AllureResult = z.object({
  name: z.string(),
  fullName: z.string().optional(),
  historyId: z.string(),
  status: z.string().default('unknown'),
  statusDetails: z.object({ message: z.string().optional() }).partial().optional(),
  labels: z.array(Label).default([]),
  attachments: z.array(Attachment).optional(),
  steps: z.array(AllureStep).optional(),
  start: z.number().optional(),
  stop: z.number().optional(),
});
export type AllureResult = z.infer<typeof AllureResult>;

/** One line of observations.jsonl (support/report/observations.ts). */
export const ObservationLine = z.object({
  clause: z.string(),
  question: z.string(),
  observed: z.string(),
  scenario: z.string().default(''),
  mode: z.string().default('unknown'),
  at: z.string().optional(),
});
export type ObservationLine = z.infer<typeof ObservationLine>;

/** reports/app-gate/runs.json (support/cli/app-test.ts, VariantRun without its output). */
export const GateScenario = z.object({
  id: z.string(),
  uri: z.string(),
  feature: z.string().optional(),
  name: z.string(),
  status: z.string(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
});
export type GateScenario = z.infer<typeof GateScenario>;
export const GateRuns = z.array(
  z.object({
    label: z.string(),
    exitCode: z.number(),
    wallMs: z.number().optional(),
    scenarios: z.array(GateScenario),
  }),
);
export type GateRuns = z.infer<typeof GateRuns>;
