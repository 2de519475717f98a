// The route for apps in any language: an HTTPS proxy on loopback (HTTPS_PROXY) that terminates TLS
// for FreeClimb's host only, with a CA made for this run, and hands its API requests to the
// simulator. Every other host is tunnelled untouched, end to end encrypted. mockttp does the
// CONNECT handling, the TLS interception and the certificates, so none of that is hand-rolled.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import type { CompletedRequest, Mockttp } from 'mockttp';
import { API_PATH, FREECLIMB_HOST, ROUTE_HEADER } from './names';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const DROPPED_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'proxy-authorization']);

export interface HttpsProxy {
  url: string;
  /** The run's CA certificate (never its key). */
  caFile: string;
  /** The CA and the system's trusted roots, for clients that replace rather than extend their roots. */
  bundleFile: string;
  /** Where FreeClimb's requests go from now on (a restarted simulator listens elsewhere). */
  retarget(simApiBaseUrl: string): void;
  close(): Promise<void>;
}

export interface HttpsProxyOptions {
  simApiBaseUrl: string;
  /** Where the CA certificate is written (a fresh folder inside it per proxy). */
  dir: string;
  onFailure: (url: string, error: string) => void;
  /** The app opened a connection to the proxy: a request of its is on its way (before TLS and the request itself). */
  onConnection?: () => void;
}

let caOfThisProcess: Promise<{ key: string; cert: string }> | undefined;

export async function startHttpsProxy(opts: HttpsProxyOptions): Promise<HttpsProxy> {
  // Loaded here, not at the top: it takes about a second, which only a gate that routes should pay.
  const { generateCACertificate, getLocal } = await import('mockttp');
  // Name-constrained: even if the certificate leaked, it can vouch for FreeClimb's host only. One CA
  // per gate process (one `fch app test`, all its readings): an RSA key per reading would cost each
  // reading a noticeable fraction of a second for nothing.
  caOfThisProcess ??= generateCACertificate({
    subject: { commonName: 'fch app gate routing CA (this run only)' },
    bits: 2048,
    nameConstraints: { permitted: [FREECLIMB_HOST] },
  });
  const ca = await caOfThisProcess;
  mkdirSync(opts.dir, { recursive: true });
  const folder = mkdtempSync(join(opts.dir, 'routing-'));
  const caFile = join(folder, 'freeclimb-ca.pem');
  const bundleFile = join(folder, 'ca-bundle.pem');
  writeFileSync(caFile, ca.cert);
  const system = existsSync(SYSTEM_BUNDLE) ? readFileSync(SYSTEM_BUNDLE, 'utf8') : '';
  writeFileSync(bundleFile, `${ca.cert.trim()}\n${system}`);

  const server: Mockttp = getLocal({ https: { key: ca.key, cert: ca.cert, tlsInterceptOnly: [{ hostname: FREECLIMB_HOST }] }, recordTraffic: false, suggestChanges: false });
  await server.start(0);
  loopbackOnly(server, opts.onConnection);
  let target = new URL(opts.simApiBaseUrl);
  await server
    .forAnyRequest()
    .forHostname(FREECLIMB_HOST)
    .matching((req) => isApiPath(new URL(req.url).pathname))
    .thenCallback(async (req) => {
      try {
        return await forward(target, req);
      } catch (e) {
        opts.onFailure(req.url, e instanceof Error ? e.message || e.name : String(e));
        // A network error, as the app would get if FreeClimb were unreachable: never a made-up answer.
        return 'reset';
      }
    });
  await server.forUnmatchedRequest().thenPassThrough();
  await server.on('tls-client-error', (failure) => {
    if (failure.tlsMetadata.sniHostname !== FREECLIMB_HOST) return;
    opts.onFailure(`https://${FREECLIMB_HOST}/`, `TLS handshake with the routing proxy failed (${failure.failureCause}); does the app trust ${caFile}?`);
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    caFile,
    bundleFile,
    retarget: (url) => {
      target = new URL(url);
    },
    close: () => server.stop(),
  };
}

/**
 * mockttp listens on every interface and has no option for the host. An open proxy that vouches for
 * FreeClimb's host has no business on the network, so connections from elsewhere are dropped.
 */
function loopbackOnly(server: Mockttp, onConnection: (() => void) | undefined): void {
  const listener = (server as unknown as { server?: net.Server }).server;
  if (!(listener instanceof net.Server)) throw new Error('mockttp changed: its listening server is not where the routing proxy expects it (see loopbackOnly)');
  listener.prependListener('connection', (socket: net.Socket) => {
    const from = socket.remoteAddress ?? '';
    if (!LOOPBACK.test(from)) socket.destroy();
    else onConnection?.();
  });
}

function isApiPath(path: string): boolean {
  return path === API_PATH || path.startsWith(`${API_PATH}/`);
}

function forward(target: URL, req: CompletedRequest): Promise<{ statusCode: number; headers: Record<string, string | string[]>; rawBody: Buffer }> {
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of req.rawHeaders) if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name] = value;
  const body = req.body.buffer;
  headers[ROUTE_HEADER] = 'proxy';
  if (body.length > 0 || !['GET', 'HEAD'].includes(req.method)) headers['content-length'] = String(body.length);
  const path = target.pathname.replace(/\/+$/, '') + url.pathname.slice(API_PATH.length) + url.search;
  return new Promise((resolve, reject) => {
    const out = http.request({ host: target.hostname, port: target.port, method: req.method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const answer: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !DROPPED_HEADERS.has(name)) answer[name] = value;
        const rawBody = Buffer.concat(chunks);
        answer['content-length'] = String(rawBody.length);
        resolve({ statusCode: res.statusCode ?? 502, headers: answer, rawBody });
      });
    });
    out.on('error', reject);
    out.end(body);
  });
}
