// The messages between a sweep's parent and its workers (support/runner/pool.ts, worker.ts). A
// sweep runs the same features many times (once per fault, per documented reading, per variant of
// an app gate); each worker loads the support code once and runs Cucumber again for every run it
// is handed, so a run costs its scenarios, not a new Node, loader and Cucumber.
import { z } from 'zod';

const Format = z.union([z.string(), z.tuple([z.string(), z.string()])]);

/** One Cucumber run: its own environment, its own results, the same support code as every other run. */
export const RunSpec = z.object({
  /** Names the run in progress lines and errors, e.g. `fault-no-empty` or `variant recordingReport=both`. */
  label: z.string().min(1),
  /** Variables set for the run (null removes one); the rest of the environment is the worker's. */
  env: z.record(z.string(), z.string().nullable()).default({}),
  /** Empty this Allure results dir before the run (through the results-dir guard). */
  startResultsDir: z.string().optional(),
  /** What `provided` gives Cucumber's loadConfiguration; never a cucumber.js found in cwd. */
  cucumber: z.object({
    paths: z.array(z.string()).min(1),
    require: z.array(z.string()),
    requireModule: z.array(z.string()).default([]),
    format: z.array(Format),
    formatOptions: z.record(z.string(), z.unknown()).default({}),
    tags: z.string().optional(),
    /**
     * Give the Allure formatter support/allure-writer.ts for formatOptions.resultsDir. An
     * instance cannot cross IPC, and the reporter's ESM build cannot load a writer by path.
     */
    unflushedAllureWriter: z.boolean().default(false),
  }),
});
export type RunSpec = z.input<typeof RunSpec>;

export const RunOutcome = z.object({
  label: z.string(),
  /** Cucumber's verdict; false also when the run could not start (then `error` says why). */
  success: z.boolean(),
  wallMs: z.number(),
  error: z.string().optional(),
});
export type RunOutcome = z.infer<typeof RunOutcome>;

export const ToWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), spec: RunSpec }),
  z.object({ type: z.literal('exit') }),
]);
export type ToWorker = z.input<typeof ToWorker>;

export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('done'), outcome: RunOutcome }),
]);
export type FromWorker = z.infer<typeof FromWorker>;
