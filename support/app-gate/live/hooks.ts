// Cucumber hooks of a live app gate (`fch app test --live`), loaded instead of the mock gate's
// hooks. BeforeAll starts the public face and the app; each scenario that contains a step a real
// account cannot play is skipped with the reason before it places a call; after the last step the
// people still on the line hang up, the run waits for the app to answer what that caused, and the
// conversation gets the mock gate's checks. AfterAll and Ctrl-C end every call and conference the
// run touched, then stop the app.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import 'allure-cucumberjs';
import * as allure from 'allure-js-commons';
import { ConfigError } from '../../config';
import { harness } from '../../harness';
import { wrapSteps } from '../../last-step';
import { renderSequenceDiagram } from '../../report/sequence-diagram';
import type { HarnessWorld } from '../../world';
import { loadAppLiveConfig } from './live-config';
import { LiveAppRun } from './live-run';
import { LiveAppScenario } from './live-scenario';
import { unplayableReason } from './unplayable';

function loadSetup() {
  try {
    const cfg = harness.config();
    if (cfg.mode !== 'live') throw new Error('a live app gate runs with HARNESS_MODE=live (fch app test --live sets it)');
    if (!cfg.app) throw new Error('app gating needs HARNESS_APP_URL (the loopback URL the app under test listens on, e.g. http://127.0.0.1:3000)');
    return { cfg, app: cfg.app, live: loadAppLiveConfig() };
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : (e as Error).message);
    process.exit(2);
  }
}

const setup = loadSetup();
let run: LiveAppRun;
let startFailure: string | undefined;
const skipped: { scenario: string; reason: string }[] = [];
const scenarios: { scenario: string; callsPlaced: number; wallMs: number }[] = [];
/** Scenarios during which the app under test died (each restarted it). */
const crashes: string[] = [];

// Waits are bounded by HARNESS_TIMEOUT_MS each; this is only a backstop for a step with several.
setDefaultTimeout(setup.cfg.timeoutMs * 4 + 30_000);

wrapSteps<HarnessWorld>({
  afterLastStep: async (world) => {
    if (world.liveGated instanceof LiveAppScenario) await finish(world, world.liveGated);
  },
  onStepError: async (world, error) => {
    if (world.liveGated instanceof LiveAppScenario) await finish(world, world.liveGated, error).catch((e: Error) => world.attach(`wrapping up after the failure failed too: ${e.message}`, { mediaType: 'text/plain', fileName: 'wrap-up-error.txt' }));
  },
});

let interrupted = false;
async function onSigint(): Promise<void> {
  if (interrupted) return;
  interrupted = true;
  console.error('fch app test --live: Ctrl-C: cleaning up (ending every call and conference of this run)…');
  const ended = await run.cleanup(true).catch((e: Error) => [`cleanup failed: ${e.message}`]);
  // What the app did just before Ctrl-C (a CreateConference answered) may name a conference only
  // now: once the public URL has settled, what it taught the run is ended too.
  await run.quiet().catch(() => undefined);
  ended.push(...(await run.cleanup(true).catch((e: Error) => [`cleanup failed: ${e.message}`])));
  console.error(run.redact(`fch app test --live: ended ${ended.length ? ended.join(', ') : 'nothing (nothing was still up)'}`));
  await run.stop().catch(() => undefined);
  process.exit(130);
}

BeforeAll({ timeout: setup.app.startTimeoutMs + setup.cfg.requestTimeoutMs * 4 + 15_000 }, async () => {
  run = new LiveAppRun(setup.cfg, setup.app, setup.live);
  process.on('SIGINT', () => void onSigint());
  try {
    await run.start();
  } catch (e) {
    startFailure = run.redact((e as Error).message);
  }
});

AfterAll({ timeout: setup.cfg.requestTimeoutMs * 20 + 10_000 }, async () => {
  const ended = await run.cleanup(true).catch(() => []);
  // What the cleanup ended makes FreeClimb tell the app (a conference terminated, a call completed): let it answer, as it would in production.
  // It is not judged (no scenario is running), but a run that never fell quiet is said, in the output and in live.json.
  const notQuiet = ended.length ? await run.quiet().then(() => undefined, (e: Error) => run.redact(e.message)) : undefined;
  if (notQuiet) console.error(`fch app test --live: after the end-of-run cleanup the app did not fall quiet: ${notQuiet}`);
  await run.stop();
  const dir = process.env.HARNESS_APP_RUN_DIR;
  if (dir) writeFileSync(join(dir, 'live.json'), JSON.stringify({ callsPlaced: run.callsPlaced, peopleCallsAnswered: run.peopleCallsAnswered, skipped, scenarios, crashes, endedAtCleanup: ended.length, ...(notQuiet ? { notQuietAfterCleanup: notQuiet } : {}) }, null, 2));
});

Before(async function (this: HarnessWorld, { pickle }) {
  await allure.parameter('variant', 'live');
  this.scenarioName = pickle.name;
  this.stepCount = pickle.steps.length;
  this.stepsRun = 0;
  if (startFailure) throw new Error(`the live app gate could not start: ${startFailure}`);
  // Skipped before any call is placed: a scenario that cannot be played whole costs nothing.
  const reason = pickle.tags.some((t) => t.name === '@mock-only')
    ? 'skipped in a live app gate: the scenario is tagged @mock-only (it needs the simulator; the feature says why)'
    : unplayableReason(pickle.steps.map((s) => s.text));
  if (reason) {
    skipped.push({ scenario: pickle.name, reason });
    this.attach(reason, { mediaType: 'text/plain', fileName: 'skip-reason.txt' });
    return 'skipped';
  }
  // A crash is one finding, in the scenario where it happened; the app then starts again, as a
  // supervisor would restart it, so the remaining scenarios still speak for themselves.
  if (run.broken()) {
    try {
      await run.restartApp();
    } catch (e) {
      startFailure = `restarting it after it died failed: ${run.redact((e as Error).message)}`;
      throw new Error(`the app under test could not be started: ${startFailure}`);
    }
  }
  // A parallel run: the people numbers the steps name are reserved for this scenario before its first step.
  await run.holdPeople(peopleNumbersIn(pickle, setup.live.peopleNumbers));
  this.liveGated = new LiveAppScenario(run, pickle.name);
  return undefined;
});

/** The people numbers a scenario's steps name: in their text, their tables and their doc strings. */
function peopleNumbersIn(pickle: { steps: readonly { text: string; argument?: { dataTable?: { rows: readonly { cells: readonly { value: string }[] }[] }; docString?: { content: string } } }[] }, people: string[]): string[] {
  const text = pickle.steps.map((s) => [s.text, s.argument?.docString?.content ?? '', ...(s.argument?.dataTable?.rows.flatMap((r) => r.cells.map((c) => c.value)) ?? [])].join(' ')).join(' ');
  // Whole numbers only: +1555010777 is not in "+15550107777".
  const named = new Set(text.match(/\+?\d+/g) ?? []);
  return people.filter((n) => named.has(n)).sort();
}

After(async function (this: HarnessWorld) {
  if (this.liveGated instanceof LiveAppScenario && !this.liveGated.finished) await finish(this, this.liveGated);
});

async function finish(world: HarnessWorld, scenario: LiveAppScenario, error?: Error): Promise<void> {
  if (scenario.finished) return;
  scenario.finished = true;
  try {
    await judge(world, scenario, error);
  } finally {
    // Only once everyone has hung up and the app has answered what that caused: another worker's scenario may then ring the same numbers.
    await run.releasePeople();
  }
}

async function judge(world: HarnessWorld, scenario: LiveAppScenario, error?: Error): Promise<void> {
  const wrapUp = await scenario.hangUpEveryone().catch((e: Error) => [`hanging up at the end of the scenario failed: ${e.message}`]);
  const entries = scenario.entries();
  const problems = scenario.problems(entries);
  const messages = [...(error ? [error.message] : []), ...problems.map((p) => p.message), ...wrapUp].map((m) => run.redact(m));
  const marked = problems.flatMap((p) => p.entries);
  if (error && marked.length === 0 && entries.length > 0) marked.push(entries.length - 1);
  const conversation = scenario.conversation(entries, messages.length ? { message: messages.join('\n\n'), entries: marked } : undefined);
  world.attach(run.redact(JSON.stringify(conversation, null, 2)), { mediaType: 'application/json', fileName: 'conversation.json' });
  world.attach(run.redact(renderSequenceDiagram(conversation)), { mediaType: 'text/html', fileName: 'conversation.html' });
  if (run.broken()) crashes.push(scenario.name);
  scenarios.push({ scenario: scenario.name, callsPlaced: run.callsPlaced - scenario.callsMark, wallMs: performance.now() - scenario.startedAt });
  if (error && (problems.length || wrapUp.length)) {
    // A step that failed often failed because of what the conversation shows (an app that sent
    // FreeClimb past the harness leaves a wait in vain): the scenario's error names both.
    const also = run.redact(`\n\nthe conversation with the app under test also has ${problems.length + wrapUp.length} problem(s) (live):\n\n${[...problems.map((p) => p.message), ...wrapUp].join('\n\n')}`);
    const first = error.message;
    error.message += also;
    if (error.stack?.includes(first)) error.stack = error.stack.replace(first, error.message);
  }
  if (!error && (problems.length || wrapUp.length)) {
    throw new Error(run.redact(`the conversation with the app under test has ${problems.length + wrapUp.length} problem(s) (live):\n\n${[...problems.map((p) => p.message), ...wrapUp].join('\n\n')}`));
  }
}
