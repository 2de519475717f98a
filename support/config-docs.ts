// What each configuration variable means and who reads it: the one place these words live.
// docs/configuration.md is generated from this record together with the zod schema in ./config
// (valid values and defaults come from the schema itself), by `npm run docs:config`; the `docs`
// stage of `npm run check` fails when the page is stale. The record is typed over every variable
// of the schema, so a variable added there without an entry here fails the type check. The live
// app gate's own variables (support/app-gate/live/live-config.ts) have their record beside that schema.
import type { ConfigVariable } from './config';

/** The commands and modes that read configuration; each variable names the ones that read it. */
export const READERS = {
  'suite-mock': { short: 'suite (mock)', long: '`npm test` (the suite in mock mode)' },
  'suite-live': { short: 'suite (live)', long: '`npm run test:live` (the suite in live mode)' },
  'app-test': { short: '`fch app test`', long: '`fch app test`' },
  'app-live': { short: '`fch app test --live`', long: '`fch app test --live`, `fch app live setup`, `fch app live doctor`' },
  'live-tools': { short: '`fch live …`', long: '`fch live doctor`, `fch live setup`, `fch live sweep`' },
} as const;
export type Reader = keyof typeof READERS;

export interface VariableDoc {
  /** What the variable is for, one or two sentences of Markdown. */
  meaning: string;
  /** Only when the schema has no `expected` text of its own (support/config.ts's envVar gives one). */
  values?: string;
  /** Only when the schema's default does not say it (computed, or depends on something else). */
  defaultText?: string;
  readBy: readonly Reader[];
}

const SUITE: Reader[] = ['suite-mock', 'suite-live'];
const LIVE: Reader[] = ['suite-live', 'live-tools'];
const APP: Reader[] = ['app-test'];
const APP_BOTH: Reader[] = ['app-test', 'app-live'];

export const VARIABLE_DOCS: Record<ConfigVariable, VariableDoc> = {
  HARNESS_MODE: {
    // pickVariables fills it in before the schema sees it.
    defaultText: '`mock`',
    meaning: '`mock` runs against the built-in simulator; `live` against a real FreeClimb account. Live mode is only ever chosen explicitly, never from credentials alone. `fch app test` always runs in mock mode and `fch live` always in live mode.',
    readBy: SUITE,
  },
  FREECLIMB_ACCOUNT_ID: {
    meaning: 'The account id. In mock mode it is the simulator\'s account (and the one the app under test is given).',
    readBy: ['suite-mock', 'suite-live', 'app-test', 'live-tools', 'app-live'],
  },
  FREECLIMB_API_KEY: {
    meaning: 'The account\'s API key (the HTTP Basic password).',
    readBy: ['suite-mock', 'suite-live', 'app-test', 'live-tools', 'app-live'],
  },
  FREECLIMB_SIGNING_SECRET: {
    meaning: 'The secret that signs webhooks (`FreeClimb-Signature`).',
    readBy: ['suite-mock', 'suite-live', 'app-test', 'live-tools', 'app-live'],
  },
  FREECLIMB_API_BASE_URL: {
    meaning: 'The REST base URL. Plain http is allowed, so that a standalone simulator (`fch mock`) can stand in for FreeClimb.',
    readBy: ['suite-mock', 'suite-live', 'live-tools', 'app-live'],
  },
  HARNESS_PUBLIC_URL: {
    meaning: 'The public URL that reaches the local webhook receiver, through a tunnel you run yourself (forwarding to `HARNESS_PORT`). Takes precedence over `NGROK_AUTHTOKEN`. Required in live mode unless `NGROK_AUTHTOKEN` is set.',
    defaultText: 'mock: the receiver is reached on loopback; live: required unless `NGROK_AUTHTOKEN` is set',
    readBy: [...LIVE, 'app-live'],
  },
  HARNESS_PORT: {
    meaning: 'The local port of the webhook receiver (in a parallel live run, of the front). With a tunnel you run yourself, the port it forwards to.',
    defaultText: '`0` (a free port)',
    readBy: ['suite-mock', 'suite-live', 'live-tools', 'app-live'],
  },
  FREECLIMB_NUMBER_A: {
    meaning: 'The calling number. In live mode both numbers must be owned by the account: participants join by the account calling its own number B.',
    readBy: ['suite-mock', 'suite-live', 'app-test', 'live-tools', 'app-live'],
  },
  FREECLIMB_NUMBER_B: {
    meaning: 'The loopback number, routed to the `fch-harness` application by `fch live setup`.',
    readBy: ['suite-mock', 'suite-live', 'live-tools'],
  },
  HARNESS_TIMEOUT_MS: {
    meaning: 'How long to wait for an awaited webhook.',
    readBy: ['suite-mock', 'suite-live', 'app-test', 'live-tools', 'app-live'],
  },
  HARNESS_REQUEST_TIMEOUT_MS: {
    meaning: 'The timeout of one REST request.',
    readBy: ['suite-mock', 'suite-live', 'live-tools', 'app-live'],
  },
  HARNESS_MAX_CALLS: {
    meaning: 'The run stops before placing more calls than this: a guard against runaway billing.',
    readBy: ['suite-live', 'app-live'],
  },
  HARNESS_VARIANTS: {
    meaning: 'Documented alternative readings of the FreeClimb docs for the simulator to follow, `axis=option,…` (the axes are in `support/simulator/variants.ts`). `fch app test` sets it per reading from `--variant`/`--all-variants`.',
    defaultText: 'the default readings',
    readBy: ['suite-mock'],
  },
  HARNESS_FAULT: {
    meaning: 'A deliberate simulator fault, for the self-check (`support/simulator/faults.ts`). Rejected in live mode.',
    readBy: ['suite-mock'],
  },
  HARNESS_RUN_PREFIX: {
    meaning: 'The alias prefix of everything a run creates; `fch live sweep` finds leftovers by it.',
    defaultText: '`fch-<yyyymmddhhmmss>-<4 hex>` (UTC; `fch-s<I>-…` in shard I)',
    readBy: ['suite-mock', 'suite-live', 'live-tools'],
  },
  HARNESS_FAREND_POLL_MS: {
    meaning: 'How often a loopback far end asks whether a step wants it to press keys. Each ask is one Redirect and FreeClimb allows 256 per call, so keep poll × 256 above a scenario\'s length.',
    readBy: ['suite-live', 'app-live'],
  },
  HARNESS_SETTLE_MS: {
    meaning: 'How long silence must last before asserting that nothing more arrives.',
    readBy: SUITE,
  },
  HARNESS_FLOW_DIAGRAM: {
    meaning: 'The call-flow diagram attached to every scenario; `false` only to measure what it costs (`npm run bench`).',
    readBy: ['suite-mock', 'suite-live', 'app-test'],
  },
  HARNESS_TRANSPORT: {
    meaning: '`http`: REST through nock and webhooks over loopback HTTP. `in-process`: the same signed requests handed over without sockets, for the self-check\'s fault and variant sweeps.',
    readBy: ['suite-mock'],
  },
  NGROK_AUTHTOKEN: {
    meaning: 'With `HARNESS_PUBLIC_URL` unset, the harness opens an ngrok tunnel itself. Needs `npm install --no-save @ngrok/ngrok` (not a dependency).',
    readBy: [...LIVE, 'app-live'],
  },
  NGROK_DOMAIN: {
    meaning: 'A hostname reserved on the ngrok account, so that the tunnel keeps one URL across runs and `fch live setup` need not be rerun.',
    readBy: [...LIVE, 'app-live'],
  },
  HARNESS_APP_URL: {
    meaning: 'The loopback base URL the app under test listens on; the app gets `PORT` from it. Required for app gating.',
    defaultText: 'none: required by `fch app test`',
    readBy: APP_BOTH,
  },
  HARNESS_APP_COMMAND: {
    meaning: 'The shell command that starts the app, with the gate\'s variables in its environment. Unset when the app is already running.',
    readBy: APP_BOTH,
  },
  HARNESS_APP_VOICE_PATH: {
    meaning: 'The application\'s voiceUrl, under `HARNESS_APP_URL`.',
    readBy: APP_BOTH,
  },
  HARNESS_APP_STATUS_PATH: {
    meaning: 'The application\'s statusCallbackUrl (callStatus), under `HARNESS_APP_URL`. Set it empty (`HARNESS_APP_STATUS_PATH=`) for an app without a status route: the URL then stays unset.',
    readBy: APP_BOTH,
  },
  HARNESS_APP_CONNECT_PATH: {
    meaning: 'The application\'s callConnectUrl (`outDialApiConnect` of a `POST /Calls` without its own), under `HARNESS_APP_URL`. Empty: unset.',
    readBy: APP_BOTH,
  },
  HARNESS_APP_JOIN_DIGITS: {
    meaning: 'What a caller presses whenever the app collects digits, in the built-in checks (needed unless `--no-builtin`).',
    readBy: APP_BOTH,
  },
  HARNESS_APP_START_TIMEOUT_MS: {
    meaning: 'How long the app may take to accept connections.',
    readBy: APP_BOTH,
  },
  HARNESS_APP_REQUIRE_SIGNATURES: {
    meaning: '`false` turns the signature checks into warnings instead of failures.',
    readBy: APP,
  },
  HARNESS_APP_SIM_PORT: {
    meaning: 'The simulator\'s HTTP port. Set it when the app is already running (no `HARNESS_APP_COMMAND`), and start the app with `FREECLIMB_API_BASE_URL=http://127.0.0.1:<port>/apiserver`.',
    defaultText: '`0` (a free port)',
    readBy: APP,
  },
  HARNESS_APP_ROUTE_SDK: {
    meaning: '`false`: the app\'s requests to FreeClimb\'s default URL are not routed to the simulator (no Node preload, no HTTPS proxy); the app must then use `FREECLIMB_API_BASE_URL` itself.',
    readBy: APP,
  },
  HARNESS_APP_GRACE_FLOOR_MS: {
    meaning: 'The smallest quiet grace: after the app\'s last answer, how long it must stay silent before the gate moves on. The grace is measured on the app per run (twice the longest gap seen), never below the floor nor above the ceiling.',
    defaultText: '5 for an app whose Node processes answer the quiet probe, 50 for any other',
    readBy: APP,
  },
  HARNESS_APP_GRACE_CEILING_MS: {
    meaning: 'The largest quiet grace, and how long a wait listens to the app before it concludes that nothing else is going to happen. Never below the floor.',
    readBy: APP,
  },
};
