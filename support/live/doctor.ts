// `fch live doctor`: before a live run, check everything a live run depends on, each with a
// one-line fix, so that a misconfiguration shows up here as "FAIL + what to do" rather than as a
// scenario timing out for a reason it cannot name. The checks, in order:
//   credentials     a GET list call succeeds with the account id and API key
//   numbers         numbers A and B are incoming numbers on the account
//   routing         number B is routed to the fch-harness application with the harness's URLs
//   public-url      a POST through HARNESS_PUBLIC_URL reaches this machine's receiver on HARNESS_PORT
//   signing-secret  FreeClimb's own callback (a conference's creation callback) verifies with
//                   FREECLIMB_SIGNING_SECRET
// A check whose prerequisites failed is SKIPped with the reason. Every wait is bounded by
// HARNESS_TIMEOUT_MS and event-driven (nothing sleeps); every printed line is redacted.
import { randomBytes } from 'node:crypto';
import type { CliIo } from '../cli-io';
import type { HarnessConfig } from '../config';
import { CallbackReceiver, type CallbackRecord, type Route } from '../callbacks/receiver';
import { ApiError, TransportError, type FreeClimbClient } from '../client/freeclimb-client';
import type { ApplicationResult, ConferenceResult, IncomingNumberResult } from '../schemas/rest';
import { signatureHeader } from '../signature';
import {
  HARNESS_APP_ALIAS,
  describeError,
  differingUrls,
  findIncomingNumber,
  harnessAppUrls,
  liveClient,
  printer,
  requirePublicUrl,
} from './setup';
import { resolvePublicUrl, type ResolvedPublicUrl } from './tunnel';

export const DOCTOR_CHECKS = ['credentials', 'numbers', 'routing', 'public-url', 'signing-secret'] as const;
export type DoctorCheck = (typeof DOCTOR_CHECKS)[number];
export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface CheckResult {
  check: DoctorCheck;
  status: CheckStatus;
  /** What was verified (PASS), what to do (FAIL), or why it did not run (SKIP). One line. */
  text: string;
}

export const SETUP_FIX = 'run npm run live:setup';
const SIGNING_SECRET_FIX = "FREECLIMB_SIGNING_SECRET does not match the account's signing secret";

const pass = (check: DoctorCheck, text: string): CheckResult => ({ check, status: 'PASS', text });
const fail = (check: DoctorCheck, text: string): CheckResult => ({ check, status: 'FAIL', text });
const skip = (check: DoctorCheck, text: string): CheckResult => ({ check, status: 'SKIP', text });

const NAME_WIDTH = Math.max(...DOCTOR_CHECKS.map((c) => c.length));
const row = (check: string, status: string, text: string) => `${check.padEnd(NAME_WIDTH)}  ${status.padEnd(6)}  ${text}`;

export async function runLiveDoctor(cfg: HarnessConfig, io: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  const print = printer(cfg, io);
  const publicUrl = cfg.publicUrl ?? (cfg.ngrokAuthtoken ? `(ngrok tunnel${cfg.ngrokDomain ? ` on ${cfg.ngrokDomain}` : ''})` : '(unset)');
  print.out(`fch live doctor: account ${cfg.accountId}, API ${cfg.apiBaseUrl}, public URL ${publicUrl}, port ${cfg.port}`);
  print.out(row('check', 'result', 'fix'));
  print.out(row('-'.repeat(NAME_WIDTH), '------', '---'));
  const results = await diagnose(cfg, (result) => print.out(row(result.check, result.status, oneLine(result.text))));
  const failed = results.filter((r) => r.status === 'FAIL').length;
  const skipped = results.filter((r) => r.status === 'SKIP').length;
  if (failed === 0 && skipped === 0) {
    print.out(`doctor: all ${results.length} checks passed`);
    return 0;
  }
  print.out(`doctor: ${failed} failed, ${skipped} skipped, ${results.length - failed - skipped} passed`);
  return 1;
}

/** Run every check in order, reporting each as it finishes. */
export async function diagnose(cfg: HarnessConfig, onResult: (result: CheckResult) => void = () => {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    onResult(result);
    return result;
  };
  let client: FreeClimbClient | undefined;
  let receiver: CallbackReceiver | undefined;
  let tunnel: ResolvedPublicUrl | undefined;
  let tunnelProblem: string | undefined;
  try {
    // HARNESS_PUBLIC_URL, or the ngrok tunnel (NGROK_AUTHTOKEN) opened to a concrete port; the
    // checks below then use that port and URL. A tunnel that cannot open fails public-url.
    try {
      tunnel = await resolvePublicUrl(cfg);
      cfg = { ...cfg, port: tunnel.port, publicUrl: tunnel.publicUrl };
    } catch (error) {
      tunnelProblem = describeError(cfg, error);
    }

    // a) credentials
    let credentialsOk = false;
    try {
      client = await liveClient(cfg);
      await client.listApplications({ alias: HARNESS_APP_ALIAS });
      credentialsOk = true;
      report(pass('credentials', `account ${cfg.accountId} accepted the API key`));
    } catch (error) {
      report(fail('credentials', credentialsFix(cfg, error)));
    }

    // b) numbers
    let numberB: IncomingNumberResult | undefined;
    if (!client || !credentialsOk) {
      report(skip('numbers', 'needs credentials to pass'));
    } else {
      const result = await checkNumbers(cfg, client);
      numberB = result.numberB;
      report(result.result);
    }

    // c) routing
    if (!client || !credentialsOk) report(skip('routing', 'needs credentials to pass'));
    else if (!numberB) report(skip('routing', `number B ${cfg.numberB} is not on the account`));
    else if (tunnelProblem) report(skip('routing', 'needs the public URL (see public-url)'));
    else report(await checkRouting(cfg, client, numberB));

    // d) public-url
    const started = tunnelProblem ? { receiver: undefined, problem: tunnelProblem } : await startReceiver(cfg);
    receiver = started.receiver;
    const reach = started.receiver ? await checkPublicUrl(cfg, started.receiver) : fail('public-url', started.problem);
    report(reach);

    // e) signing-secret
    const missing = [credentialsOk ? '' : 'credentials', reach.status === 'PASS' ? '' : 'public-url'].filter(Boolean);
    if (missing.length > 0 || !client || !receiver) report(skip('signing-secret', `needs ${missing.join(' and ')} to pass`));
    else report(await checkSigningSecret(cfg, client, receiver));
    return results;
  } finally {
    await receiver?.close();
    await client?.dispose();
    await tunnel?.close();
  }
}

function credentialsFix(cfg: HarnessConfig, error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'the API answered 401: FREECLIMB_API_KEY or FREECLIMB_ACCOUNT_ID is wrong';
  if (error instanceof ApiError && error.status === 403) return `the API answered 403 for account ${cfg.accountId}: FREECLIMB_ACCOUNT_ID does not belong to this API key`;
  if (error instanceof TransportError) return `cannot connect to the FreeClimb API at ${cfg.apiBaseUrl} (${error.detail}): check FREECLIMB_API_BASE_URL and the network`;
  return `${describeError(cfg, error)}: check FREECLIMB_API_BASE_URL, FREECLIMB_ACCOUNT_ID and FREECLIMB_API_KEY`;
}

async function checkNumbers(cfg: HarnessConfig, client: FreeClimbClient): Promise<{ result: CheckResult; numberB?: IncomingNumberResult }> {
  try {
    const a = await findIncomingNumber(client, cfg.numberA);
    const b = await findIncomingNumber(client, cfg.numberB);
    const missing = [a ? '' : `FREECLIMB_NUMBER_A ${cfg.numberA}`, b ? '' : `FREECLIMB_NUMBER_B ${cfg.numberB}`].filter(Boolean);
    if (a && b) return { result: pass('numbers', `A ${a.phoneNumber} ${a.phoneNumberId}, B ${b.phoneNumber} ${b.phoneNumberId}`), numberB: b };
    const fix = `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on account ${cfg.accountId}: set the variable to a number the account owns, or buy the number`;
    return { result: fail('numbers', fix), numberB: b };
  } catch (error) {
    return { result: fail('numbers', `listing incoming numbers failed: ${describeError(cfg, error)}`) };
  }
}

async function checkRouting(cfg: HarnessConfig, client: FreeClimbClient, numberB: IncomingNumberResult): Promise<CheckResult> {
  const publicUrl = cfg.publicUrl;
  if (!publicUrl) return fail('routing', 'HARNESS_PUBLIC_URL is not set: set it, then run npm run live:setup');
  if (!numberB.applicationId) return fail('routing', `number B ${numberB.phoneNumber} is not routed to any application: ${SETUP_FIX}`);
  let app: ApplicationResult;
  try {
    app = await client.getApplication(numberB.applicationId);
  } catch (error) {
    return fail('routing', `cannot read application ${numberB.applicationId} of number B: ${describeError(cfg, error)}; ${SETUP_FIX}`);
  }
  if (app.alias !== HARNESS_APP_ALIAS) {
    return fail('routing', `number B is routed to application ${app.applicationId} (alias ${JSON.stringify(app.alias)}), not ${HARNESS_APP_ALIAS}: ${SETUP_FIX}`);
  }
  const want = harnessAppUrls(publicUrl);
  const differing = differingUrls(app, want);
  if (differing.length > 0) {
    const first = differing[0];
    const more = differing.length > 1 ? ` (and ${differing.slice(1).join(', ')})` : '';
    return fail('routing', `${HARNESS_APP_ALIAS} ${app.applicationId} has ${first} ${app[first] ?? 'null'}, expected ${want[first]}${more}: ${SETUP_FIX}`);
  }
  return pass('routing', `number B → ${HARNESS_APP_ALIAS} ${app.applicationId}, voiceUrl ${app.voiceUrl}`);
}

async function startReceiver(cfg: HarnessConfig): Promise<{ receiver: CallbackReceiver; problem?: undefined } | { receiver?: undefined; problem: string }> {
  try {
    const publicUrl = requirePublicUrl(cfg);
    const receiver = await CallbackReceiver.start({ port: cfg.port, publicUrl, signingSecret: cfg.signingSecret, timeoutMs: cfg.timeoutMs });
    return { receiver };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') return { problem: `HARNESS_PORT ${cfg.port} is in use (a harness run or another doctor?): stop that process or choose another HARNESS_PORT` };
    return { problem: `cannot start the receiver on HARNESS_PORT ${cfg.port}: ${describeError(cfg, error)}` };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The reason a fetch failed, e.g. `ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9` or `TimeoutError`. */
function fetchFailure(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer (timed out)';
  const cause = e?.cause;
  if (cause && (cause.code || cause.message)) return [cause.code, cause.message].filter(Boolean).join(' ');
  return e?.message ?? String(error);
}

async function checkPublicUrl(cfg: HarnessConfig, receiver: CallbackReceiver): Promise<CheckResult> {
  const route = receiver.route('/doctor/ping', () => undefined);
  const url = route.url();
  const tunnelFix = `check the tunnel forwards ${cfg.publicUrl} to this machine's port ${cfg.port}, HARNESS_PUBLIC_URL and HARNESS_PORT`;
  const nonce = randomBytes(12).toString('hex');
  const ours = (record: CallbackRecord) => isObject(record.body) && record.body.nonce === nonce;
  const body = JSON.stringify({ requestType: 'doctorPing', nonce });

  const arrived = route
    .waitForAnyRecord(ours, { description: 'the doctor ping', timeoutMs: cfg.timeoutMs })
    .then(() => ({ kind: 'arrived' as const }), (error: Error) => ({ kind: 'not-arrived' as const, error }));
  const sent = fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'freeclimb-signature': signatureHeader(body, cfg.signingSecret, Math.floor(Date.now() / 1000)) },
    body,
    signal: AbortSignal.timeout(cfg.timeoutMs),
  }).then(
    async (response) => {
      await response.arrayBuffer().catch(() => undefined);
      return { kind: 'answered' as const, status: response.status };
    },
    (error: unknown) => ({ kind: 'failed' as const, reason: fetchFailure(error) }),
  );

  const startedAt = Date.now();
  const first = await Promise.race([arrived, sent]);
  if (first.kind === 'arrived') {
    await sent; // bounded by the fetch's own timeout; lets the connection finish before the receiver closes
    return pass('public-url', `POST ${url} reached the receiver on port ${cfg.port} in ${Date.now() - startedAt} ms`);
  }
  // The receiver records a request before its answer can reach the sender, so when the sender has
  // an answer (or gave up) and no record exists, the request went somewhere else.
  if (route.records.some(ours)) return pass('public-url', `POST ${url} reached the receiver on port ${cfg.port}`);
  if (first.kind === 'answered') {
    return fail('public-url', `POST ${url} got HTTP ${first.status} from something other than the receiver: ${tunnelFix}`);
  }
  if (first.kind === 'failed') return fail('public-url', `POST ${url} failed (${first.reason}): ${tunnelFix}`);
  return fail('public-url', `POST ${url} did not reach the receiver within ${cfg.timeoutMs} ms: ${tunnelFix}`);
}

function conferenceIdOf(record: CallbackRecord): unknown {
  return isObject(record.body) ? record.body.conferenceId : undefined;
}

async function checkSigningSecret(cfg: HarnessConfig, client: FreeClimbClient, receiver: CallbackReceiver): Promise<CheckResult> {
  const route: Route = receiver.route('/doctor/status', () => undefined);
  const url = route.url();
  let conference: ConferenceResult | undefined;
  let cleanup: string | undefined;
  const result = await (async (): Promise<CheckResult> => {
    try {
      conference = await client.createConference({ alias: `${cfg.runPrefix}-doctor`, statusCallbackUrl: url });
      const id = conference.conferenceId;
      const record = await route.waitForAnyRecord((r) => conferenceIdOf(r) === id, { description: `the creation callback of conference ${id}`, timeoutMs: cfg.timeoutMs });
      route.takeProblems('signature');
      return judgeSignature(record, id);
    } catch (error) {
      if (!conference) return fail('signing-secret', `creating a test conference failed: ${describeError(cfg, error)}`);
      return fail(
        'signing-secret',
        `no creation callback for conference ${conference.conferenceId} at ${url} within ${cfg.timeoutMs} ms although public-url passed: check that the account can reach ${cfg.publicUrl}`,
      );
    } finally {
      // Always: a doctor run must not leave a conference behind.
      if (conference) cleanup = await terminate(cfg, client, conference.conferenceId);
    }
  })();
  if (!cleanup) return result;
  return { ...result, status: result.status === 'PASS' ? 'FAIL' : result.status, text: `${result.text}; ${cleanup}` };
}

function judgeSignature(record: CallbackRecord, conferenceId: string): CheckResult {
  const signature = record.signature;
  if (signature.ok) return pass('signing-secret', `the creation callback of ${conferenceId} verified with FREECLIMB_SIGNING_SECRET`);
  switch (signature.reason) {
    case 'mismatch':
      return fail('signing-secret', `${SIGNING_SECRET_FIX}: copy the signing secret from the FreeClimb dashboard`);
    case 'stale':
      return fail('signing-secret', `the callback's signature timestamp is outside the tolerance (${signature.message}): check this machine's clock`);
    case 'missing':
      return fail('signing-secret', 'the callback carried no FreeClimb-Signature header: check that the account signs its webhooks');
    default:
      return fail('signing-secret', `the callback's FreeClimb-Signature could not be checked (${signature.message ?? 'malformed'}): ${SIGNING_SECRET_FIX}?`);
  }
}

/** Undefined when the conference is terminated; else a note saying how to clean up. */
async function terminate(cfg: HarnessConfig, client: FreeClimbClient, conferenceId: string): Promise<string | undefined> {
  try {
    await client.terminateConference(conferenceId);
    return undefined;
  } catch (error) {
    return `could not terminate test conference ${conferenceId} (${describeError(cfg, error)}): run npm run live:sweep -- --yes`;
  }
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

