// The public URL that FreeClimb's webhooks reach the local receiver through. Either the user runs a
// tunnel (or a proxy) and sets HARNESS_PUBLIC_URL, or they set NGROK_AUTHTOKEN and the harness opens
// an ngrok tunnel itself. `@ngrok/ngrok` is deliberately not a dependency (it downloads a platform
// binary on every install): it is required only here, only when a tunnel is actually opened, and a
// user who wants it installs it with `npm install --no-save @ngrok/ngrok`.
import { freePort } from '../free-port';
import { ConfigError, PUBLIC_URL_REQUIRED, redact, type HarnessConfig } from '../config';

export const NGROK_MODULE = '@ngrok/ngrok';
export const NGROK_NOT_INSTALLED =
  'NGROK_AUTHTOKEN is set but @ngrok/ngrok is not installed: run `npm install --no-save @ngrok/ngrok`, or set HARNESS_PUBLIC_URL to a tunnel you run yourself';

export type TunnelConfig = Pick<HarnessConfig, 'mode' | 'port' | 'publicUrl' | 'ngrokAuthtoken' | 'ngrokDomain'>;

export interface Tunnel {
  url: string;
  close(): Promise<void>;
}

export interface ResolvedPublicUrl {
  /** The local port the receiver must listen on (the one the tunnel forwards to). */
  port: number;
  /** The public base URL, without a trailing slash. */
  publicUrl: string;
  /** Closes the tunnel the harness opened; a no-op for a user-supplied URL. */
  close(): Promise<void>;
}

/** The part of the `@ngrok/ngrok` API used here. */
interface NgrokListener {
  url(): string | null;
  close(): Promise<void>;
}
interface NgrokModule {
  forward(options: { addr: number | string; authtoken?: string; domain?: string }): Promise<NgrokListener>;
  disconnect?(url?: string): Promise<void>;
}

export interface TunnelOptions {
  /** Loads the ngrok module; tests substitute a fake. Default: require('@ngrok/ngrok'). */
  loadNgrok?: () => unknown;
}

function loadNgrokModule(load: () => unknown): NgrokModule {
  let loaded: unknown;
  try {
    loaded = load();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    // Only "this very module is missing" means not installed; a broken install says why.
    if (e?.code === 'MODULE_NOT_FOUND' && /Cannot find module ['"]@ngrok\/ngrok['"]/.test(String(e.message))) throw new Error(NGROK_NOT_INSTALLED);
    throw new Error(`NGROK_AUTHTOKEN is set but @ngrok/ngrok could not be loaded (${String(e?.message ?? error).split('\n')[0]}): reinstall it with \`npm install --no-save @ngrok/ngrok\`, or set HARNESS_PUBLIC_URL to a tunnel you run yourself`);
  }
  const ngrok = ((loaded as { default?: unknown })?.default ?? loaded) as Partial<NgrokModule>;
  if (typeof ngrok?.forward !== 'function') {
    throw new Error('the installed @ngrok/ngrok has no forward(): install a current version with `npm install --no-save @ngrok/ngrok`');
  }
  return ngrok as NgrokModule;
}

/**
 * Open an ngrok tunnel to 127.0.0.1:`port` (where the receiver listens) with the configured
 * authtoken, on NGROK_DOMAIN when set. No message from here contains the token.
 */
export async function openTunnel(port: number, cfg: Pick<HarnessConfig, 'ngrokAuthtoken' | 'ngrokDomain'>, opts: TunnelOptions = {}): Promise<Tunnel> {
  const authtoken = cfg.ngrokAuthtoken;
  if (!authtoken) throw new Error('openTunnel needs NGROK_AUTHTOKEN');
  // The require is here, not at the top of the module: loading this file must never need ngrok.
  const ngrok = loadNgrokModule(opts.loadNgrok ?? (() => require(NGROK_MODULE)));
  const where = cfg.ngrokDomain ? ` on NGROK_DOMAIN ${cfg.ngrokDomain}` : '';
  let listener: NgrokListener;
  try {
    // The receiver binds 127.0.0.1 only; "localhost" could resolve to ::1 first.
    listener = await ngrok.forward({ addr: `127.0.0.1:${port}`, authtoken, ...(cfg.ngrokDomain ? { domain: cfg.ngrokDomain } : {}) });
  } catch (error) {
    const reason = redact(String((error as Error)?.message ?? error).split('\n')[0], [authtoken]);
    throw new Error(`could not open the ngrok tunnel${where} (${reason}): check NGROK_AUTHTOKEN${cfg.ngrokDomain ? ' and NGROK_DOMAIN' : ''}, or set HARNESS_PUBLIC_URL to a tunnel you run yourself`);
  }
  const url = listener.url();
  if (!url) {
    await listener.close().catch(() => undefined);
    throw new Error(`the ngrok tunnel${where} opened without a URL`);
  }
  let closed: Promise<void> | undefined;
  return {
    url: url.replace(/\/+$/, ''),
    close() {
      closed ??= (async () => {
        try {
          await listener.close();
        } catch {
          await ngrok.disconnect?.(url).catch(() => undefined);
        }
      })();
      return closed;
    },
  };
}

/**
 * HARNESS_PUBLIC_URL when set (the receiver listens on HARNESS_PORT, the user's tunnel forwards
 * there); otherwise, with NGROK_AUTHTOKEN, a tunnel the harness opens to a concrete port (HARNESS_PORT,
 * or a free one when it is 0) that the receiver must then listen on.
 */
export async function resolvePublicUrl(cfg: TunnelConfig, opts: TunnelOptions = {}): Promise<ResolvedPublicUrl> {
  if (cfg.publicUrl) return { port: cfg.port, publicUrl: cfg.publicUrl.replace(/\/+$/, ''), close: async () => {} };
  if (!cfg.ngrokAuthtoken) throw new ConfigError(cfg.mode, [{ variable: 'HARNESS_PUBLIC_URL', message: PUBLIC_URL_REQUIRED }]);
  const port = cfg.port === 0 ? await freePort() : cfg.port;
  const tunnel = await openTunnel(port, cfg, opts);
  return { port, publicUrl: tunnel.url, close: () => tunnel.close() };
}
