// `fch live setup`: make the FreeClimb account route inbound calls on number B to the harness.
// Idempotent: the application `fch-harness` is created once and updated only when one of its URLs
// differs; number B is re-pointed only when it is routed elsewhere. A second run changes nothing
// and sends no POST.
//
// The small helpers the other live commands share (client creation, redacted output, number
// lookup) live here too, so that support/live/ has one place that knows how the harness's account
// resources look.
import type { CliIo } from '../cli-io';
import { ConfigError, redact, secretsOf, type HarnessConfig } from '../config';
import { ApiError, FreeClimbClient, TransportError, type RetryOptions } from '../client/freeclimb-client';
import type { ApplicationResult, IncomingNumberResult } from '../schemas/rest';
import { liveAppAlias } from '../shard';
import { resolvePublicUrl, type ResolvedPublicUrl } from './tunnel';

// `fch-harness-2` for shard 2 (HARNESS_SHARD=2/3): live shards sharing an account each route their own number B.
export const HARNESS_APP_ALIAS = liveAppAlias();

/** The URLs the harness application must have, all under the receiver's public URL. */
export interface HarnessAppUrls {
  voiceUrl: string;
  callConnectUrl: string;
  statusCallbackUrl: string;
}

export const APP_URL_FIELDS = ['voiceUrl', 'callConnectUrl', 'statusCallbackUrl'] as const;
export type AppUrlField = (typeof APP_URL_FIELDS)[number];

export function harnessAppUrls(publicUrl: string): HarnessAppUrls {
  const base = publicUrl.replace(/\/+$/, '');
  return { voiceUrl: `${base}/app/voice`, callConnectUrl: `${base}/app/connect`, statusCallbackUrl: `${base}/app/status` };
}

/** The fields of `app` that differ from `want`, in a fixed order. */
export function differingUrls(app: Pick<ApplicationResult, AppUrlField>, want: HarnessAppUrls): AppUrlField[] {
  return APP_URL_FIELDS.filter((field) => app[field] !== want[field]);
}

/** The incoming-number filter is a PCRE regex: `^\+15551234567$` matches exactly one number. */
export function exactNumberPattern(phoneNumber: string): string {
  return `^${phoneNumber.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;
}

/** The account's incoming number `phoneNumber`, or undefined. Filtered again here in case the API ignores the filter. */
export async function findIncomingNumber(client: FreeClimbClient, phoneNumber: string): Promise<IncomingNumberResult | undefined> {
  const found = await client.listIncomingNumbers({ phoneNumber: exactNumberPattern(phoneNumber) });
  return found.find((n) => n.phoneNumber === phoneNumber);
}

/** Applications with the harness alias, newest first as the API lists them. */
export async function findHarnessApps(client: FreeClimbClient): Promise<ApplicationResult[]> {
  const found = await client.listApplications({ alias: HARNESS_APP_ALIAS });
  return found.filter((a) => a.alias === HARNESS_APP_ALIAS);
}

/** A public URL from HARNESS_PUBLIC_URL, narrowed; with NGROK_AUTHTOKEN instead, use resolvePublicUrl. */
export function requirePublicUrl(cfg: HarnessConfig): string {
  if (!cfg.publicUrl) throw new Error('HARNESS_PUBLIC_URL is not set; live commands need the public URL that reaches the local receiver');
  return cfg.publicUrl;
}

export function liveClient(cfg: HarnessConfig, retry?: RetryOptions): Promise<FreeClimbClient> {
  return FreeClimbClient.create({ apiBaseUrl: cfg.apiBaseUrl, accountId: cfg.accountId, apiKey: cfg.apiKey, timeoutMs: cfg.requestTimeoutMs, retry });
}

/** Line writers that redact every secret of `cfg` before anything reaches the terminal. */
export interface Printer {
  out(line: string): void;
  err(line: string): void;
}

export function printer(cfg: HarnessConfig, io: Pick<CliIo, 'stdout' | 'stderr'>): Printer {
  const secrets = secretsOf(cfg);
  return {
    out: (line) => void io.stdout.write(`${redact(line, secrets)}\n`),
    err: (line) => void io.stderr.write(`${redact(line, secrets)}\n`),
  };
}

/** One line for an error from the client, with a hint for the usual causes. */
export function describeError(cfg: HarnessConfig, error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return `the API rejected the credentials (401): FREECLIMB_API_KEY or FREECLIMB_ACCOUNT_ID is wrong`;
  if (error instanceof ApiError && error.status === 403) return `the API refused account ${cfg.accountId} (403): FREECLIMB_ACCOUNT_ID does not belong to this API key`;
  if (error instanceof TransportError) return `cannot reach the FreeClimb API at ${cfg.apiBaseUrl} (${error.kind}: ${error.detail}); check FREECLIMB_API_BASE_URL and the network`;
  if (error instanceof ConfigError) return error.problems.map((p) => `${p.variable} ${p.message}`).join('; ');
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

// ------------------------------------------------------------------ setup

export interface LiveToolOptions {
  /** Use this client (and leave it open) instead of creating one from `cfg`; tests inspect its exchanges. */
  client?: FreeClimbClient;
}

export async function runLiveSetup(cfg: HarnessConfig, io: Pick<CliIo, 'stdout' | 'stderr'>, opts: LiveToolOptions = {}): Promise<number> {
  const print = printer(cfg, io);
  let client: FreeClimbClient | undefined = opts.client;
  let tunnel: ResolvedPublicUrl | undefined;
  try {
    // The tunnel only tells which URL to configure: with NGROK_DOMAIN it is the same on every run.
    tunnel = await resolvePublicUrl(cfg);
    // On stderr, so stdout stays the list of what changed.
    const source = cfg.publicUrl ? 'HARNESS_PUBLIC_URL' : cfg.ngrokDomain ? 'ngrok tunnel on NGROK_DOMAIN' : 'ngrok tunnel';
    print.err(`fch live setup: public URL ${tunnel.publicUrl} (${source})`);
    if (!cfg.publicUrl && !cfg.ngrokDomain) {
      print.err(
        'fch live setup: warning: NGROK_DOMAIN is not set: runs reach this URL only if ngrok gives their tunnel the same one; set NGROK_DOMAIN to a domain reserved on the ngrok account',
      );
    }
    const want = harnessAppUrls(tunnel.publicUrl);
    client ??= await liveClient(cfg);

    // The number first: if it is missing nothing is created or changed.
    const number = await findIncomingNumber(client, cfg.numberB);
    if (!number) {
      print.err(
        `fch live setup: number B ${cfg.numberB} (FREECLIMB_NUMBER_B) is not an incoming number on account ${cfg.accountId}; ` +
          'buy or port it to this account, or set FREECLIMB_NUMBER_B to a number the account owns',
      );
      return 1;
    }

    const apps = await findHarnessApps(client);
    if (apps.length > 1) {
      print.err(`fch live setup: warning: ${apps.length} applications have alias ${HARNESS_APP_ALIAS} (${apps.map((a) => a.applicationId).join(', ')}); using ${apps[0].applicationId}`);
    }
    let app = apps[0];
    if (!app) {
      app = await client.createApplication({ alias: HARNESS_APP_ALIAS, ...want });
      print.out(`application ${HARNESS_APP_ALIAS} ${app.applicationId}: created`);
    } else {
      const differing = differingUrls(app, want);
      if (differing.length > 0) {
        app = await client.updateApplication(app.applicationId, want);
        print.out(`application ${HARNESS_APP_ALIAS} ${app.applicationId}: updated (${differing.join(', ')})`);
      } else {
        print.out(`application ${HARNESS_APP_ALIAS} ${app.applicationId}: unchanged`);
      }
    }

    if (number.applicationId !== app.applicationId) {
      await client.updateIncomingNumber(number.phoneNumberId, { applicationId: app.applicationId });
      const was = number.applicationId ? ` (was ${number.applicationId})` : '';
      print.out(`number ${number.phoneNumber} ${number.phoneNumberId}: assigned${was}`);
    } else {
      print.out(`number ${number.phoneNumber} ${number.phoneNumberId}: unchanged`);
    }
    return 0;
  } catch (error) {
    print.err(`fch live setup: ${describeError(cfg, error)}`);
    return 1;
  } finally {
    if (client !== opts.client) await client?.dispose();
    await tunnel?.close();
  }
}
