// Lifecycle of a scenario, driven by tags: every scenario gets a fresh inbox and backend; @mock-only
// and @live-only scenarios are skipped in the other mode with the reason in the report; evidence is
// attached whatever the outcome; problems nobody asserted on (a bad signature, an invalid webhook,
// invalid PerCL) fail the scenario.
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
// Registers the Allure runtime (labels, parameters) for this cucumber process.
import 'allure-cucumberjs';
import * as allure from 'allure-js-commons';
import { MockBackend } from './backend/mock';
import { observationSummary, resetObservations } from './report/observations';
import { ConfigError, redact, secretsOf } from './config';
import { harness } from './harness';
import { wrapSteps } from './last-step';
import { buildEvidence } from './report/evidence';
import { clauseLabels, scenarioDescriptionHtml } from './report/clause-text';
import { renderSequenceDiagram } from './report/sequence-diagram';
import { scenarioFlow } from './report/scenario-flow';
import type { HarnessWorld } from './world';

// A bad configuration stops the run before anything starts, with the list of every bad variable
// and nothing else: a stack trace would only hide it.
try {
  harness.config();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(2);
}

// Step timeouts are a backstop above the waitFor timeouts, which give the useful message.
setDefaultTimeout(harness.config().timeoutMs * 4 + 10_000);

// Allure takes a scenario's status from its steps, not its hooks, so the check for problems nobody
// asserted on runs as part of the last step (after the platform settles); After keeps a backstop.
// (Cucumber 12 gives the wrapper no pattern, so steps are told from hooks by last-step.ts.)
// The call-flow diagram goes in the same step, where a reader sees it without opening Tear down:
// the failing step's, or the last step's once the platform settled and nothing was left unasserted.
wrapSteps<HarnessWorld>({
  afterLastStep: async (world) => {
    try {
      await world.backend.settle();
      world.failOnUnexpectedProblems();
    } catch (e) {
      attachFlow(world, e as Error);
      throw e;
    }
    attachFlow(world);
  },
  onStepError: async (world, error) => attachFlow(world, error),
});

BeforeAll(async () => {
  resetObservations();
  await harness.start();
});

AfterAll(async () => {
  const cleanup = await harness.stop();
  if (cleanup.length) console.log(`\nLive cleanup at the end of the run:\n  ${cleanup.join('\n  ')}`);
  const summary = observationSummary();
  if (summary) console.log(`\n${summary}`);
});

// A skipped scenario still carries its clause labels, so the report groups it under its clause.
async function labelSkipped(pickle: { tags: readonly { name: string }[] }): Promise<void> {
  const clauses = pickle.tags.map((t) => t.name).filter((t) => t.startsWith('@clause:')).map((t) => t.slice(8));
  for (const label of clauseLabels(clauses)) await allure.label(label.name, label.value);
}

Before({ tags: '@live-only' }, async function (this: HarnessWorld, { pickle }) {
  if (this.cfg.mode !== 'live') {
    await labelSkipped(pickle);
    this.attach('skipped in mock mode: it needs a live platform with real time, such as a FreeClimb account; mock mode checks the same claim exactly on virtual time (@live-only)', { mediaType: 'text/plain', fileName: 'skipped.txt' });
    return 'skipped';
  }
});

Before({ tags: '@mock-only' }, async function (this: HarnessWorld, { pickle }) {
  if (this.cfg.mode !== 'mock') {
    await labelSkipped(pickle);
    this.attach('skipped in live mode: it needs the simulator (faults, variants or virtual time) (@mock-only)', { mediaType: 'text/plain', fileName: 'skipped.txt' });
    return 'skipped';
  }
});

Before(async function (this: HarnessWorld, { pickle, gherkinDocument }) {
  const cfg = this.cfg;
  // mode, variant and fault labels come from ALLURE_LABEL_* (cucumber.js); the parameter makes
  // mock and live runs of one scenario distinct entries in a combined report.
  await allure.parameter('mode', cfg.mode);
  this.scenarioName = pickle.name;
  this.stepCount = pickle.steps.length;
  this.clauses = pickle.tags.map((t) => t.name).filter((t) => t.startsWith('@clause:')).map((t) => t.slice(8));
  // Behaviors groups by feature, then by clause titled with its sentence; the body opens with the
  // documented text of every clause the scenario checks.
  for (const label of clauseLabels(this.clauses)) await allure.label(label.name, label.value);
  await allure.descriptionHtml(scenarioDescriptionHtml(this.clauses, gherkinDocument.feature?.description ?? ''));
  this.api = harness.client;
  this.exchangeMark = this.api.mark();
  this.inbox = harness.receiver.openInbox(this.key);
  this.attach(`scenario key ${this.key}: callbacks under ${this.inbox.url('')} (${pickle.uri})`, { mediaType: 'text/plain', fileName: 'scenario.txt' });
  const ctx = { inbox: this.inbox, aliasPrefix: this.aliasPrefix, receiver: harness.receiver };
  this.backend =
    cfg.mode === 'live'
      ? (await import('./backend/live')).LiveBackend.start(harness.live, this.api, ctx, cfg.settleMs)
      : MockBackend.start(cfg, this.api, ctx);
});

After(async function (this: HarnessWorld) {
  if (!this.inbox) return; // skipped before setup
  // The last step already waited for the platform to settle; the evidence is what arrived by now.
  const secrets = secretsOf(this.cfg);
  for (const a of buildEvidence({
    exchanges: this.api.exchangesSince(this.exchangeMark),
    records: this.inbox.records,
    backend: this.backend?.evidence() ?? {},
    redact: (text) => redact(text, secrets),
  })) {
    this.attach(a.body, { mediaType: a.mediaType, fileName: a.name });
  }
  await this.backend?.dispose();
  this.inbox.close();
  // Backstop for problems that arrived after the last step had already checked.
  this.failOnUnexpectedProblems();
});

/** Draws the scenario's call flow and attaches it with its JSON; a drawing bug never hides the step's own error. */
function attachFlow(world: HarnessWorld, error?: Error): void {
  if (world.flowAttached || !world.cfg.flowDiagram || !world.inbox) return;
  world.flowAttached = true;
  try {
    const secrets = secretsOf(world.cfg);
    const sim = world.backend instanceof MockBackend ? world.backend.sim : undefined;
    const variants = Object.entries(world.cfg.variants).map(([axis, option]) => `${axis}=${option}`).join(',') || 'default reading';
    const flow = scenarioFlow({
      scenario: world.scenarioName,
      variant: world.cfg.fault ? `${variants}, fault ${world.cfg.fault}` : variants,
      mode: world.cfg.mode,
      clauses: clauseLabels(world.clauses).filter((l) => l.name === 'story').map((l) => l.value),
      exchanges: world.api.exchangesSince(world.exchangeMark),
      records: world.inbox.records,
      participants: [...world.participants.values()],
      harnessEntries: world.harnessEntries,
      simulator: sim && { deliveries: sim.deliveries, call: (id) => sim.call(id) },
      error,
      redact: (text) => redact(text, secrets),
    });
    world.attach(renderSequenceDiagram(flow), { mediaType: 'text/html', fileName: 'call-flow.html' });
    world.attach(redact(JSON.stringify(flow, null, 2), secrets), { mediaType: 'application/json', fileName: 'call-flow.json' });
  } catch (e) {
    world.attach(`the call-flow diagram could not be drawn: ${(e as Error).message}`, { mediaType: 'text/plain', fileName: 'call-flow-error.txt' });
  }
}
