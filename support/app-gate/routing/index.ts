// Routing of the app's REST calls to FreeClimb's default URL (https://www.freeclimb.com/apiserver)
// to the simulator, with no change to the app: a preload for Node apps (their SDK hard-codes the URL
// and its https agent) and an HTTPS proxy for every other language. What the app gets is only
// environment; both routes mark their requests (x-fch-route), so the conversation shows the way.
import { openFailureInbox, type FailureInbox } from './failure-inbox';
import { startHttpsProxy, type HttpsProxy } from './https-proxy';
import { REPORT_ENV, TARGET_ENV, type RouteKind, type RoutingFailure } from './names';
import { nodeOptionsWith, preloadFile } from './preload-file';

export type { RouteKind, RoutingFailure } from './names';

export interface Routing {
  /** Everything to add to the app's environment (NODE_OPTIONS already merged with the parent's). */
  env: Record<string, string>;
  /**
   * Send FreeClimb's requests to another simulator from now on (after a restart), keeping the
   * run's CA and proxy: `env` changes, so only an app started afterwards uses the new one.
   */
  retarget(simApiBaseUrl: string): void;
  /** Requests for FreeClimb that could not be delivered to the simulator, oldest first. */
  failures(): RoutingFailure[];
  close(): Promise<void>;
}

export interface RoutingOptions {
  /** e.g. http://127.0.0.1:4010/apiserver */
  simApiBaseUrl: string;
  /** Where the proxy's CA certificate is written (the run's reports folder). */
  dir: string;
  enabled: boolean;
  /** The app opened a connection to the HTTPS proxy: one of its requests is starting (the gate's quiet wait uses it). */
  onProxyConnection?: () => void;
}

// The app's own loopback traffic (its webhooks' answers, the simulator) must never go through the proxy.
const NO_PROXY = '127.0.0.1,localhost,::1';

export async function startRouting(opts: RoutingOptions): Promise<Routing> {
  const failures: RoutingFailure[] = [];
  if (!opts.enabled) return { env: {}, retarget: () => {}, failures: () => [], close: async () => {} };
  const record = (route: RouteKind) => (url: string, error: string) => failures.push({ route, url, error, at: performance.now() });
  const nodeOptions = nodeOptionsWith(preloadFile());
  let inbox: FailureInbox | undefined;
  let proxy: HttpsProxy | undefined;
  try {
    inbox = await openFailureInbox(record('preload'));
    proxy = await startHttpsProxy({ simApiBaseUrl: opts.simApiBaseUrl, dir: opts.dir, onFailure: record('proxy'), onConnection: opts.onProxyConnection });
  } catch (e) {
    await inbox?.close();
    throw e;
  }
  const env: Record<string, string> = {
    NODE_OPTIONS: nodeOptions,
    [TARGET_ENV]: opts.simApiBaseUrl,
    [REPORT_ENV]: inbox.url,
    HTTPS_PROXY: proxy.url,
    https_proxy: proxy.url,
    NO_PROXY,
    no_proxy: NO_PROXY,
    // Node adds this CA to its roots; the others replace their roots, hence the full bundle.
    NODE_EXTRA_CA_CERTS: proxy.caFile,
    SSL_CERT_FILE: proxy.bundleFile,
    REQUESTS_CA_BUNDLE: proxy.bundleFile,
    CURL_CA_BUNDLE: proxy.bundleFile,
  };
  const opened = { inbox, proxy };
  return {
    env,
    retarget: (url) => {
      env[TARGET_ENV] = url;
      opened.proxy.retarget(url);
    },
    failures: () => [...failures],
    close: async () => {
      await Promise.all([opened.inbox.close(), opened.proxy.close()]);
    },
  };
}
