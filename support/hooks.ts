// Lifecycle of a scenario, driven by tags: every scenario gets a fresh inbox and backend; @mock-only
// and @live-only scenarios are skipped in the other mode with the reason in the report; evidence is
// attached whatever the outcome; problems nobody asserted on (a bad signature, an invalid webhook,
// invalid PerCL) fail the scenario.
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
// Registers the Allure runtime (labels, parameters) for this cucumber process.
import 'allure-cucumberjs';
import * as allure from 'allure-js-commons';
import { MockBackend } from './backend/mock';
import { observationSummary } from './report/observations';
import { ConfigError, redact, secretsOf } from './config';
import { harness } from './harness';
import { wrapSteps } from './last-step';
import { buildEvidence } from './report/evidence';
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
wrapSteps<HarnessWorld>({
  afterLastStep: async (world) => {
    await world.backend.settle();
    world.failOnUnexpectedProblems();
  },
});

BeforeAll(async () => {
  await harness.start();
});

AfterAll(async () => {
  const cleanup = await harness.stop();
  if (cleanup.length) console.log(`\nLive cleanup at the end of the run:\n  ${cleanup.join('\n  ')}`);
  const summary = observationSummary();
  if (summary) console.log(`\n${summary}`);
});

Before({ tags: '@live-only' }, function (this: HarnessWorld) {
  if (this.cfg.mode !== 'live') {
    this.attach('skipped: this scenario needs a real FreeClimb account (@live-only)', 'text/plain');
    return 'skipped';
  }
});

Before({ tags: '@mock-only' }, function (this: HarnessWorld) {
  if (this.cfg.mode !== 'mock') {
    this.attach('skipped in live mode: it needs the simulator (faults, variants or virtual time) (@mock-only)', 'text/plain');
    return 'skipped';
  }
});

Before(async function (this: HarnessWorld, { pickle }) {
  const cfg = this.cfg;
  // mode, variant and fault labels come from ALLURE_LABEL_* (cucumber.js); the parameter makes
  // mock and live runs of one scenario distinct entries in a combined report.
  await allure.parameter('mode', cfg.mode);
  this.scenarioName = pickle.name;
  this.stepCount = pickle.steps.length;
  this.clauses = pickle.tags.map((t) => t.name).filter((t) => t.startsWith('@clause:')).map((t) => t.slice(8));
  this.api = harness.client;
  this.exchangeMark = this.api.mark();
  this.inbox = harness.receiver.openInbox(this.key);
  this.attach(`scenario key ${this.key}: callbacks under ${this.inbox.url('')} (${pickle.uri})`, 'text/plain');
  const ctx = { inbox: this.inbox, aliasPrefix: this.aliasPrefix };
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
