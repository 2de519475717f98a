// Cucumber hooks of an app-gate run, loaded instead of support/hooks.ts by `fch app test`. The
// simulator and the app under test start once per run (BeforeAll) and persist across scenarios;
// @fresh-app renews both. After the last step of each scenario: callers still on the line hang
// up, the simulator settles, the conversation is checked (valid PerCL, 2xx in time, no malformed
// REST request, app alive) and attached as JSON and as a sequence diagram. This runs inside the
// last step, because Allure takes a scenario's status from its steps.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import 'allure-cucumberjs';
import * as allure from 'allure-js-commons';
import { ConfigError } from '../config';
import { harness } from '../harness';
import { wrapSteps } from '../last-step';
import { renderSequenceDiagram } from '../report/sequence-diagram';
import type { HarnessWorld } from '../world';
import { addConversation, emptyCoverage } from '../report/gate-coverage';
import { GatedBackend } from './gated-backend';
import { GatedRun } from './gated-run';
import { GatedScenario } from './gated-scenario';

function loadAppConfig() {
  try {
    const cfg = harness.config();
    if (!cfg.app) {
      console.error('app gating needs HARNESS_APP_URL (the loopback URL the app under test listens on, e.g. http://127.0.0.1:3000)');
      process.exit(2);
    }
    return { cfg, app: cfg.app };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}

// Checked when the support code loads, so a bad configuration stops the gate before any run; each
// run reads it again in BeforeAll, since a sweep runs the gate again in this process per reading.
const { cfg: loadedCfg, app: loadedApp } = loadAppConfig();
let run: GatedRun;
let startFailure: string | undefined;
let coverage = emptyCoverage();
let timings: { scenario: string; wallMs: number; appMs: number; quietWaits: number }[] = [];
/** Scenarios during which the app under test died (each restarted it). */
let crashes: string[] = [];
/** The death the last scenario's wrap-up saw and reported, so one found later happened between scenarios. */
let reportedDeath: string | undefined;
/** The last scenario that ran, named when the app dies after it. */
let previousScenario = '';

// Waits are on virtual time and fail on their own; this is only a backstop for a hung app.
setDefaultTimeout(loadedApp.startTimeoutMs + loadedCfg.timeoutMs * 4 + 10_000);

wrapSteps<HarnessWorld>({
  afterLastStep: async (world) => {
    if (world.gated) await finish(world, world.gated);
  },
  onStepError: async (world, error) => {
    // The step's own error is what the scenario reports; wrapping up must not replace it.
    if (world.gated) await finish(world, world.gated, error).catch((e: Error) => world.attach(`wrapping up after the failure failed too: ${e.message}`, { mediaType: 'text/plain', fileName: 'wrap-up-error.txt' }));
  },
});

BeforeAll({ timeout: loadedApp.startTimeoutMs + 15_000 }, async () => {
  startFailure = undefined;
  coverage = emptyCoverage();
  timings = [];
  crashes = [];
  reportedDeath = undefined;
  previousScenario = '';
  const cfg = harness.reloadConfig();
  run = new GatedRun(cfg, cfg.app ?? loadedApp);
  try {
    await run.start();
  } catch (e) {
    // Every scenario fails with this message, so JUnit and Allure show it where people look.
    startFailure = (e as Error).message;
  }
});

AfterAll(async () => {
  // Read before stop(): the probe's connections are counted while the app still runs.
  const grace = run.graceSummary();
  await run.stop();
  const dir = process.env.HARNESS_APP_RUN_DIR;
  if (!dir) return;
  writeFileSync(join(dir, 'coverage.json'), JSON.stringify(coverage, null, 2));
  writeFileSync(join(dir, 'timing.json'), JSON.stringify(timings, null, 2));
  writeFileSync(join(dir, 'crashes.json'), JSON.stringify(crashes, null, 2));
  writeFileSync(join(dir, 'grace.json'), JSON.stringify(grace, null, 2));
});

Before(async function (this: HarnessWorld, { pickle }) {
  await allure.parameter('variant', run.variant);
  this.scenarioName = pickle.name;
  this.stepCount = pickle.steps.length;
  this.stepsRun = 0;
  if (startFailure) throw new Error(`the app under test could not be started: ${startFailure}`);
  // A crash is one finding, in the scenario where it happened. The app then starts again, as a
  // supervisor would restart it: a fresh process (and a fresh simulator, so no call of the dead
  // process lingers), and the remaining scenarios still speak for themselves.
  const death = run.broken();
  // Died after the last scenario's alive check and before this one: not absorbed by the restart.
  const between = death !== undefined && death !== reportedDeath ? `the app under test died between scenarios, after "${previousScenario}" had ended and before "${pickle.name}" started; it was restarted and this scenario did not run:\n${death}` : undefined;
  if (between) crashes.push(`between "${previousScenario}" and "${pickle.name}"`);
  if (death || pickle.tags.some((t) => t.name === '@fresh-app')) {
    try {
      await run.restart();
    } catch (e) {
      startFailure = `restarting it after it died failed: ${(e as Error).message}`;
      throw new Error(`the app under test could not be started: ${startFailure}`);
    }
  }
  reportedDeath = undefined;
  previousScenario = pickle.name;
  if (between) throw new Error(run.redact(between));
  run.currentScenario = pickle.name;
  this.gated = new GatedScenario(run, pickle.name);
  this.backend = new GatedBackend(run);
});

After(async function (this: HarnessWorld) {
  // Backstop: a scenario whose steps did not all run (undefined, skipped) is still wrapped up.
  if (this.gated && !this.gated.finished) await finish(this, this.gated);
});

async function finish(world: HarnessWorld, scenario: GatedScenario, error?: Error): Promise<void> {
  if (scenario.finished) return;
  scenario.finished = true;
  const wrapUp: string[] = [];
  try {
    await scenario.hangUpEveryone();
  } catch (e) {
    wrapUp.push(`hanging up the callers at the end of the scenario failed: ${(e as Error).message}`);
  }
  await run.confirmAlive();
  const entries = scenario.entries();
  const problems = scenario.problems(entries);
  if (run.broken()) crashes.push(scenario.name);
  reportedDeath = run.broken();
  const messages = [...(error ? [error.message] : []), ...problems.map((p) => p.message), ...wrapUp];
  const marked = problems.flatMap((p) => p.entries);
  if (error && marked.length === 0 && entries.length > 0) marked.push(entries.length - 1);
  const conversation = scenario.conversation(entries, messages.length ? { message: messages.join('\n\n'), entries: marked } : undefined);
  world.attach(JSON.stringify(conversation, null, 2), { mediaType: 'application/json', fileName: 'conversation.json' });
  world.attach(renderSequenceDiagram(conversation), { mediaType: 'text/html', fileName: 'conversation.html' });
  const lines = run.output.slice(scenario.outputMark).map((l) => `${new Date(l.at).toISOString()} ${l.stream} ${l.text}`);
  if (lines.length) world.attach(lines.join('\n'), { mediaType: 'text/plain', fileName: 'app-output.txt' });

  const leftBeforeJoining = [...scenario.callers.values()].filter((c) => {
    const call = run.sim.call(c.callId);
    return call?.endedReason === 'farEndHangup' && call.lastConferenceId === null;
  }).length;
  addConversation(coverage, entries, leftBeforeJoining);
  const appMs = entries.reduce((sum, e) => sum + (e.kind === 'webhook' ? (e.answerMs ?? 0) : 0), 0);
  timings.push({ scenario: scenario.name, wallMs: performance.now() - scenario.startedAt, appMs, quietWaits: run.quietWaits - scenario.quietWaitsMark });

  if (!error && (problems.length || wrapUp.length)) {
    throw new Error(`the conversation with the app under test has ${problems.length + wrapUp.length} problem(s) (variant: ${run.variant}):\n\n${[...problems.map((p) => p.message), ...wrapUp].join('\n\n')}`);
  }
}
