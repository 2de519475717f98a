// Scenario results from Cucumber's JSON formatter, with durations and whole failure messages, for
// the app gate's summary table and JUnit XML. (scripts/lib/cucumber-run.ts reads the same format
// for the self-check; this one ships with the package, so it lives under support/.)
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const JsonStep = z.object({
  keyword: z.string().optional(),
  name: z.string().optional(),
  result: z.object({ status: z.string(), duration: z.number().optional(), error_message: z.string().optional() }).optional(),
});
const JsonElement = z.object({
  line: z.number(),
  name: z.string(),
  type: z.string(),
  tags: z.array(z.object({ name: z.string() })).optional(),
  steps: z.array(JsonStep).optional(),
  before: z.array(JsonStep).optional(),
  after: z.array(JsonStep).optional(),
});
const JsonFeature = z.object({ uri: z.string(), name: z.string().optional(), elements: z.array(JsonElement).optional() });
export const CucumberJson = z.array(JsonFeature);

export interface GateScenarioResult {
  /** uri:line */
  id: string;
  uri: string;
  feature: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

const FAILED = new Set(['failed', 'undefined', 'ambiguous', 'pending']);

export function readCucumberJson(file: string): GateScenarioResult[] {
  const features = CucumberJson.parse(JSON.parse(readFileSync(file, 'utf8')));
  return features.flatMap((f) =>
    (f.elements ?? [])
      .filter((e) => e.type === 'scenario')
      .map((e) => {
        const steps = [...(e.before ?? []), ...(e.steps ?? []), ...(e.after ?? [])];
        const failed = steps.find((s) => FAILED.has(s.result?.status ?? 'undefined'));
        const skipped = !failed && steps.some((s) => s.result?.status === 'skipped');
        const undefinedStep = steps.find((s) => s.result?.status === 'undefined');
        const error = failed?.result?.error_message ?? (undefinedStep ? `undefined step: ${undefinedStep.keyword ?? ''}${undefinedStep.name ?? ''}` : undefined);
        return {
          id: `${f.uri}:${e.line}`,
          uri: f.uri,
          feature: f.name ?? f.uri,
          name: e.name,
          status: failed ? 'failed' : skipped ? 'skipped' : 'passed',
          // Cucumber reports nanoseconds.
          durationMs: steps.reduce((sum, s) => sum + (s.result?.duration ?? 0), 0) / 1e6,
          ...(error ? { error } : {}),
        } satisfies GateScenarioResult;
      }),
  );
}
