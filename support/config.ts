// All harness configuration, from the environment (plus an optional `.env`), validated by one zod
// schema. Two rules shape this file:
//  - a bad configuration fails once, listing EVERY missing or invalid variable, so a live run is
//    not a loop of "fix one, rerun, discover the next";
//  - no error message ever contains a secret, because these messages end up in CI logs and reports.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { liveRunPrefixStem } from './shard';

export const MODES = ['mock', 'live'] as const;
export type HarnessMode = (typeof MODES)[number];

/** Built-in mock credentials: deterministic so mock runs (and their signatures) are reproducible. */
export const MOCK_DEFAULTS = {
  accountId: 'AC00000000000000000000000000000000000000fc',
  apiKey: 'mock-api-key-0000000000000000000000000000',
  signingSecret: 'sigsec_00000000000000000000000000000000000000fc',
  numberA: '+15550100001',
  numberB: '+15550100002',
} as const;

export const DEFAULT_API_BASE_URL = 'https://www.freeclimb.com/apiserver';

/** Mode-dependent defaults: mock runs on virtual time, live waits on real phone calls. */
// settleMs: how long live mode waits for silence before asserting that nothing else arrives.
// farEndPollMs: how often a loopback far end asks whether a step wants it to press keys.
const MODE_DEFAULTS: Record<HarnessMode, { timeoutMs: number; requestTimeoutMs: number; settleMs: number; farEndPollMs: number }> = {
  mock: { timeoutMs: 5_000, requestTimeoutMs: 10_000, settleMs: 300, farEndPollMs: 2_000 },
  live: { timeoutMs: 60_000, requestTimeoutMs: 30_000, settleMs: 5_000, farEndPollMs: 2_000 },
};

export const VARIABLES = [
  'HARNESS_MODE',
  'FREECLIMB_ACCOUNT_ID',
  'FREECLIMB_API_KEY',
  'FREECLIMB_SIGNING_SECRET',
  'FREECLIMB_API_BASE_URL',
  'HARNESS_PUBLIC_URL',
  'HARNESS_PORT',
  'FREECLIMB_NUMBER_A',
  'FREECLIMB_NUMBER_B',
  'HARNESS_TIMEOUT_MS',
  'HARNESS_REQUEST_TIMEOUT_MS',
  'HARNESS_MAX_CALLS',
  'HARNESS_VARIANTS',
  'HARNESS_FAULT',
  'HARNESS_RUN_PREFIX',
  'HARNESS_FAREND_POLL_MS',
  'HARNESS_SETTLE_MS',
  'HARNESS_FLOW_DIAGRAM',
  'HARNESS_TRANSPORT',
  'NGROK_AUTHTOKEN',
  'NGROK_DOMAIN',
  'HARNESS_APP_URL',
  'HARNESS_APP_COMMAND',
  'HARNESS_APP_VOICE_PATH',
  'HARNESS_APP_STATUS_PATH',
  'HARNESS_APP_CONNECT_PATH',
  'HARNESS_APP_JOIN_DIGITS',
  'HARNESS_APP_START_TIMEOUT_MS',
  'HARNESS_APP_REQUIRE_SIGNATURES',
  'HARNESS_APP_SIM_PORT',
  'HARNESS_APP_ROUTE_SDK',
  'HARNESS_APP_GRACE_FLOOR_MS',
  'HARNESS_APP_GRACE_CEILING_MS',
] as const;
export type ConfigVariable = (typeof VARIABLES)[number];

/** Variables whose values are never echoed, not even when they are invalid. */
export const SECRET_VARIABLES: ReadonlySet<ConfigVariable> = new Set<ConfigVariable>([
  'FREECLIMB_API_KEY',
  'FREECLIMB_SIGNING_SECRET',
  'NGROK_AUTHTOKEN',
]);

// ---- one parser per kind of value ----

interface VarSpec<T> {
  /** What a valid value looks like, phrased for the error message. */
  expected: string;
  secret?: boolean;
  parse(raw: string): T | undefined;
}

/**
 * A zod schema for one variable. Messages are written here rather than taken from zod so that the
 * wording says what is expected and so that a secret's value can never leak through an issue.
 */
function envVar<T>(spec: VarSpec<T>) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `required in live mode; expected ${spec.expected}` : `invalid; expected ${spec.expected}`) })
    .transform((raw, ctx) => {
      const value = spec.parse(raw);
      if (value === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: spec.secret ? `invalid (value not shown); expected ${spec.expected}` : `invalid; expected ${spec.expected}, got ${quote(raw)}`,
        });
        return z.NEVER;
      }
      return value;
    })
    // The expected text also goes into docs/configuration.md (scripts/lib/config-page.ts reads it back).
    .describe(spec.expected);
}

const matching = (re: RegExp) => (raw: string) => (re.test(raw) ? raw : undefined);

const HttpUrl = z.url({ protocol: /^https?$/ });
// Trailing slashes are dropped so callers can append paths with a leading slash.
const httpUrl = (raw: string) => (HttpUrl.safeParse(raw).success ? raw.replace(/\/+$/, '') : undefined);

const integer = (min: number, max: number) => (raw: string) => {
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
};

const AccountIdVar = envVar({ expected: 'AC followed by 40 hex digits', parse: matching(/^AC[0-9a-fA-F]{40}$/) });
// The key's format is not documented; no whitespace and a minimum length catch truncated pastes.
const ApiKeyVar = envVar({ expected: 'the account API key (at least 8 characters, no spaces)', secret: true, parse: matching(/^\S{8,}$/) });
// Signing secrets are shown as `sigsec_…` (reference §1.1); the prefix catches the common mistake
// of pasting the API key here.
const SigningSecretVar = envVar({ expected: 'the account signing secret, starting with sigsec_', secret: true, parse: matching(/^sigsec_\S+$/) });
const UrlVar = envVar({ expected: 'an absolute http(s) URL', parse: httpUrl });
const PUBLIC_URL_EXPECTED = 'the public http(s) URL that reaches the local receiver, e.g. https://abc.ngrok.app';
const PublicUrlVar = envVar({ expected: PUBLIC_URL_EXPECTED, parse: httpUrl });
const PortVar = envVar({ expected: 'an integer port 0-65535 (0 picks a free port)', parse: integer(0, 65_535) });
const NumberVar = envVar({ expected: 'an E.164 number owned by the account, e.g. +15551234567', parse: matching(/^\+[1-9][0-9]{1,14}$/) });
const MillisVar = envVar({ expected: 'a positive integer number of milliseconds', parse: integer(1, 3_600_000) });
const MaxCallsVar = envVar({ expected: 'a positive integer (calls per run)', parse: integer(1, 10_000) });
const VariantsVar = envVar({ expected: 'a comma-separated list of axis=option, each axis at most once', parse: parseVariants });
const FaultVar = envVar({ expected: 'a fault name such as terminated-before-empty', parse: matching(/^[a-z][a-z0-9-]*$/) });
// At least 3 characters: the sweep command deletes everything whose alias starts with the prefix,
// so a one-letter prefix would sweep unrelated resources. 40 leaves room in the 64-char alias.
const RunPrefixVar = envVar({ expected: '3-40 characters from A-Z a-z 0-9 _ -, starting with a letter or digit', parse: matching(/^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$/) });
const NgrokTokenVar = envVar({ expected: 'an ngrok authtoken (no spaces)', secret: true, parse: matching(/^\S+$/) });
// A bare hostname (no scheme, port or path), compared case-insensitively by DNS, so stored lowercase.
const NgrokDomainVar = envVar({
  expected: 'a hostname reserved on the ngrok account, e.g. my-harness.ngrok.app (no scheme, port or path)',
  parse: (raw) => (/^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(raw) ? raw.toLowerCase() : undefined),
});

// App gating (issue 7). The app under test must listen on loopback: the simulator sends its
// webhooks there, and PORT (given to the app) is taken from this URL, so the port must be explicit.
const AppUrlVar = envVar({
  expected: 'the loopback base URL the app under test listens on, with an explicit port, e.g. http://127.0.0.1:3000',
  parse: (raw) => {
    const url = httpUrl(raw);
    if (!url) return undefined;
    const parsed = new URL(url);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
    return loopback && parsed.protocol === 'http:' && parsed.port !== '' ? url : undefined;
  },
});
const AppPathVar = envVar({ expected: 'a path starting with /, e.g. /voice', parse: matching(/^\/[^\s?#]*$/) });
// An app without a status or connect route (the click-to-call guide has none): set empty, the
// application's URL is left unset, so FreeClimb sends nothing there.
const OptionalAppPathVar = envVar<string | null>({
  expected: 'a path starting with /, e.g. /status, or empty for none',
  parse: (raw) => (raw === '' ? null : matching(/^\/[^\s?#]*$/)(raw)),
});
const AppCommandVar = envVar({ expected: 'a shell command that starts the app, e.g. "node app.js"', parse: (raw) => raw });
const DigitsVar = envVar({ expected: 'DTMF keys (0-9, *, #), e.g. 1234#', parse: matching(/^[0-9*#]{1,64}$/) });
const BooleanVar = envVar({ expected: 'true or false', parse: (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined) });

const AppGating = {
  HARNESS_APP_URL: AppUrlVar.optional(),
  HARNESS_APP_COMMAND: AppCommandVar.optional(),
  HARNESS_APP_VOICE_PATH: AppPathVar.default('/voice'),
  HARNESS_APP_STATUS_PATH: OptionalAppPathVar.default('/status'),
  HARNESS_APP_CONNECT_PATH: OptionalAppPathVar.default('/connect'),
  HARNESS_APP_JOIN_DIGITS: DigitsVar.optional(),
  HARNESS_APP_START_TIMEOUT_MS: MillisVar.default(20_000),
  HARNESS_APP_REQUIRE_SIGNATURES: BooleanVar.default(true),
  // An app that is already running (no HARNESS_APP_COMMAND) cannot be told where the simulator
  // is, so the simulator's HTTP server can be pinned to a port the app was configured with.
  HARNESS_APP_SIM_PORT: PortVar.default(0),
  // false: the app's requests to FreeClimb's default URL are not routed to the simulator (no Node
  // preload, no HTTPS proxy); the app must then use FREECLIMB_API_BASE_URL itself.
  HARNESS_APP_ROUTE_SDK: BooleanVar.default(true),
  // The quiet grace (support/app-gate/quiet.ts): after the app's last answer, how long it may take
  // to send a REST request of its own before the gate counts it as quiet. Measured on the app per
  // run (twice the longest gap seen), never below the floor nor above the ceiling; the ceiling is
  // also how long the gate listens before it concludes that nothing else is going to happen.
  // Unset: 5 ms for an app whose Node processes answer the quiet probe, 50 ms for any other.
  HARNESS_APP_GRACE_FLOOR_MS: MillisVar.optional(),
  HARNESS_APP_GRACE_CEILING_MS: MillisVar.default(1_000),
};

/** The problem with an unset HARNESS_PUBLIC_URL in live mode; resolvePublicUrl reports it too. */
export const PUBLIC_URL_REQUIRED = `required in live mode unless NGROK_AUTHTOKEN is set; expected ${PUBLIC_URL_EXPECTED}`;

function parseVariants(raw: string): Record<string, string> | undefined {
  const variants: Record<string, string> = {};
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z][\w.-]*)=([\w.-]+)$/.exec(entry);
    if (!m || m[1] in variants) return undefined;
    variants[m[1]] = m[2];
  }
  return variants;
}

// ---- the schema ----

const Shared = {
  FREECLIMB_API_BASE_URL: UrlVar.default(DEFAULT_API_BASE_URL),
  HARNESS_PORT: PortVar.default(0),
  HARNESS_MAX_CALLS: MaxCallsVar.default(100),
  HARNESS_VARIANTS: VariantsVar.default({}),
  HARNESS_RUN_PREFIX: RunPrefixVar.optional(),
  NGROK_AUTHTOKEN: NgrokTokenVar.optional(),
  NGROK_DOMAIN: NgrokDomainVar.optional(),
  // The call-flow diagram attached to every scenario; off only to measure what it costs (npm run bench).
  HARNESS_FLOW_DIAGRAM: BooleanVar.default(true),
  ...AppGating,
};

const MockEnv = z.object({
  ...Shared,
  HARNESS_MODE: z.literal('mock'),
  FREECLIMB_ACCOUNT_ID: AccountIdVar.default(MOCK_DEFAULTS.accountId),
  FREECLIMB_API_KEY: ApiKeyVar.default(MOCK_DEFAULTS.apiKey),
  FREECLIMB_SIGNING_SECRET: SigningSecretVar.default(MOCK_DEFAULTS.signingSecret),
  HARNESS_PUBLIC_URL: PublicUrlVar.optional(),
  FREECLIMB_NUMBER_A: NumberVar.default(MOCK_DEFAULTS.numberA),
  FREECLIMB_NUMBER_B: NumberVar.default(MOCK_DEFAULTS.numberB),
  HARNESS_TIMEOUT_MS: MillisVar.default(MODE_DEFAULTS.mock.timeoutMs),
  HARNESS_REQUEST_TIMEOUT_MS: MillisVar.default(MODE_DEFAULTS.mock.requestTimeoutMs),
  HARNESS_FAULT: FaultVar.optional(),
  HARNESS_SETTLE_MS: MillisVar.default(MODE_DEFAULTS.mock.settleMs),
  HARNESS_FAREND_POLL_MS: MillisVar.default(MODE_DEFAULTS.mock.farEndPollMs),
  // http (the default): REST through nock, webhooks over loopback HTTP. in-process: the same signed
  // requests handed over without sockets, for sweeps that test faults and readings, not transport.
  HARNESS_TRANSPORT: z.enum(['http', 'in-process'], { error: 'http or in-process' }).default('http'),
});

const LiveEnv = z.object({
  ...Shared,
  HARNESS_MODE: z.literal('live'),
  FREECLIMB_ACCOUNT_ID: AccountIdVar,
  FREECLIMB_API_KEY: ApiKeyVar,
  FREECLIMB_SIGNING_SECRET: SigningSecretVar,
  // Required unless NGROK_AUTHTOKEN is set (the harness then opens the tunnel): see the check below.
  HARNESS_PUBLIC_URL: PublicUrlVar.optional(),
  FREECLIMB_NUMBER_A: NumberVar,
  FREECLIMB_NUMBER_B: NumberVar,
  HARNESS_TIMEOUT_MS: MillisVar.default(MODE_DEFAULTS.live.timeoutMs),
  HARNESS_REQUEST_TIMEOUT_MS: MillisVar.default(MODE_DEFAULTS.live.requestTimeoutMs),
  // Faults are deliberate simulator deviations; against FreeClimb they would be silently ignored.
  HARNESS_FAULT: z.never({ error: 'faults exist only in mock mode; unset it or set HARNESS_MODE=mock' }).optional(),
  HARNESS_SETTLE_MS: MillisVar.default(MODE_DEFAULTS.live.settleMs),
  HARNESS_FAREND_POLL_MS: MillisVar.default(MODE_DEFAULTS.live.farEndPollMs),
  HARNESS_TRANSPORT: z.literal('http', { error: 'live mode talks to FreeClimb over HTTP; unset it or set HARNESS_MODE=mock' }).default('http'),
}).refine(
  // Blank values were dropped by pickVariables, so undefined means "not set". An invalid value is
  // not undefined: its own field reports it, and this issue is not added on top.
  (env) => env.HARNESS_PUBLIC_URL !== undefined || env.NGROK_AUTHTOKEN !== undefined,
  // A refinement normally runs only when every field parsed; this one runs anyway, so that a
  // missing public URL is listed together with every other problem in one ConfigError.
  { path: ['HARNESS_PUBLIC_URL'], error: PUBLIC_URL_REQUIRED, when: () => true },
);

/** The two modes' schemas, read by scripts/lib/config-page.ts for the defaults and values it documents. */
export const MODE_SCHEMAS = { mock: MockEnv, live: LiveEnv } as const;

/** Variables where a blank value means "none" rather than "not set, use the default". */
const BLANK_MEANS_NONE: ReadonlySet<ConfigVariable> = new Set<ConfigVariable>(['HARNESS_APP_STATUS_PATH', 'HARNESS_APP_CONNECT_PATH']);

/** Keep only our variables, trimmed, with blank ones treated as unset (a `.env` line `X=` means "not set"). */
function pickVariables(env: unknown): Record<string, string> {
  const source = (typeof env === 'object' && env !== null ? env : {}) as Record<string, unknown>;
  const picked: Record<string, string> = {};
  for (const name of VARIABLES) {
    const value = source[name];
    if (typeof value === 'string' && (value.trim() !== '' || BLANK_MEANS_NONE.has(name))) picked[name] = value.trim();
  }
  picked.HARNESS_MODE ??= 'mock';
  return picked;
}

export const HarnessConfigSchema = z.preprocess(
  pickVariables,
  z.discriminatedUnion('HARNESS_MODE', [MockEnv, LiveEnv]).transform((env) => ({
    mode: env.HARNESS_MODE,
    accountId: env.FREECLIMB_ACCOUNT_ID,
    apiKey: env.FREECLIMB_API_KEY,
    signingSecret: env.FREECLIMB_SIGNING_SECRET,
    apiBaseUrl: env.FREECLIMB_API_BASE_URL,
    /** Undefined in mock mode unless set: the receiver is then reached on loopback. */
    publicUrl: env.HARNESS_PUBLIC_URL,
    port: env.HARNESS_PORT,
    numberA: env.FREECLIMB_NUMBER_A,
    numberB: env.FREECLIMB_NUMBER_B,
    timeoutMs: env.HARNESS_TIMEOUT_MS,
    requestTimeoutMs: env.HARNESS_REQUEST_TIMEOUT_MS,
    maxCalls: env.HARNESS_MAX_CALLS,
    variants: env.HARNESS_VARIANTS,
    fault: env.HARNESS_FAULT,
    runPrefix: env.HARNESS_RUN_PREFIX ?? defaultRunPrefix(),
    settleMs: env.HARNESS_SETTLE_MS,
    farEndPollMs: env.HARNESS_FAREND_POLL_MS,
    flowDiagram: env.HARNESS_FLOW_DIAGRAM,
    transport: env.HARNESS_TRANSPORT,
    ngrokAuthtoken: env.NGROK_AUTHTOKEN,
    /** Reserved ngrok hostname, so a harness-opened tunnel keeps one URL across runs. */
    ngrokDomain: env.NGROK_DOMAIN,
    /** App gating: the app under test, when HARNESS_APP_URL is set. */
    app:
      env.HARNESS_APP_URL === undefined
        ? undefined
        : {
            url: env.HARNESS_APP_URL,
            port: Number(new URL(env.HARNESS_APP_URL).port),
            command: env.HARNESS_APP_COMMAND,
            voicePath: env.HARNESS_APP_VOICE_PATH,
            statusPath: env.HARNESS_APP_STATUS_PATH,
            connectPath: env.HARNESS_APP_CONNECT_PATH,
            joinDigits: env.HARNESS_APP_JOIN_DIGITS,
            startTimeoutMs: env.HARNESS_APP_START_TIMEOUT_MS,
            requireSignatures: env.HARNESS_APP_REQUIRE_SIGNATURES,
            simPort: env.HARNESS_APP_SIM_PORT,
            routeSdk: env.HARNESS_APP_ROUTE_SDK,
            graceFloorMs: env.HARNESS_APP_GRACE_FLOOR_MS,
            graceCeilingMs: Math.max(env.HARNESS_APP_GRACE_FLOOR_MS ?? 0, env.HARNESS_APP_GRACE_CEILING_MS),
          },
  })),
);
export type HarnessConfig = z.output<typeof HarnessConfigSchema>;
export type AppUnderTestConfig = NonNullable<HarnessConfig['app']>;

/** `fch-<yyyymmddhhmmss>-<4 hex>` in UTC: sortable, and unique enough for parallel runs. */
export function defaultRunPrefix(now: Date = new Date(), stem: string = liveRunPrefixStem()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  // The stem is `fch-s2-` in shard 2, the prefix its sweep uses.
  return `${stem}${stamp}-${randomBytes(2).toString('hex')}`;
}

// ---- errors ----

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly mode: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      [`invalid harness configuration (HARNESS_MODE=${mode}); fix these variables (see .env.example):`, ...problems.map((p) => `  ${p.variable}: ${p.message}`)].join(
        '\n',
      ),
    );
  }
}

function problemsOf(error: z.ZodError, vars: Record<string, string>): ConfigProblem[] {
  return error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? 'HARNESS_MODE');
    // The discriminator's own issue would quote the whole env object; phrase it ourselves.
    if (variable === 'HARNESS_MODE') return { variable, message: `invalid; expected "mock" or "live", got ${quote(vars.HARNESS_MODE ?? '')}` };
    return { variable, message: issue.message };
  });
}

const quote = (raw: string) => JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);

// ---- loading ----

/** Load `.env` from `dir` into process.env if it exists. Variables already set in the environment win. */
export function loadDotEnv(dir: string = process.cwd()): boolean {
  const file = resolve(dir, '.env');
  if (!existsSync(file)) return false;
  process.loadEnvFile(file); // never overrides a variable that is already set
  return true;
}

/**
 * Validate the configuration. With the default `env` (process.env) a `.env` in the working
 * directory is loaded first; an explicit `env` is used as given, which keeps tests hermetic.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HarnessConfig {
  if (env === process.env) loadDotEnv();
  const result = HarnessConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const vars = pickVariables(env);
  // Listed in .env.example order, not in the order zod happened to visit the fields.
  const order = (v: string) => (VARIABLES as readonly string[]).indexOf(v);
  const problems = problemsOf(result.error, vars).sort((a, b) => order(a.variable) - order(b.variable));
  // Belt and braces: should a secret have been pasted into a variable whose value we echo,
  // it is still redacted from the message. Very short (necessarily invalid) values are skipped,
  // or a key of "a" would mangle every message.
  const rawSecrets = [...SECRET_VARIABLES].map((name) => vars[name] ?? '').filter((s) => s.length >= 6);
  const safe = problems.map((p) => ({ variable: p.variable, message: redact(p.message, rawSecrets) }));
  throw new ConfigError(vars.HARNESS_MODE, safe);
}

// ---- secrets ----

/** Every string that must never appear in logs or reports for this configuration. */
export function secretsOf(config: HarnessConfig): string[] {
  const basic = Buffer.from(`${config.accountId}:${config.apiKey}`).toString('base64');
  return [config.apiKey, config.signingSecret, basic, config.ngrokAuthtoken ?? ''].filter((s) => s !== '');
}

/** Replace every occurrence of every secret with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  // Longest first, so a secret that contains another is redacted whole rather than half-masked.
  const ordered = secrets.filter((s) => s !== '').sort((a, b) => b.length - a.length);
  return ordered.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
