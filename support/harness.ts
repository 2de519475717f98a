// Per-process resources shared by every scenario of a cucumber worker: the configuration, the
// callback receiver, the REST client, and in live mode the loopback-call plumbing. Scenarios get
// their own inbox and backend on top of these.
import { CallbackReceiver } from './callbacks/receiver';
// The REST client (Playwright) is loaded in start(): an app-gate run loads the World but never
// starts the harness, and Playwright is most of a process's start-up time.
import type { FreeClimbClient } from './client/freeclimb-client';
import { loadConfig, type HarnessConfig } from './config';
// Live-mode modules are imported only in live mode (below): mock runs neither need nor compile them.
import type { LiveRun } from './live/run';
import type { ResolvedPublicUrl } from './live/tunnel';

class Harness {
  private cfg: HarnessConfig | undefined;
  private receiverInstance: CallbackReceiver | undefined;
  private clientInstance: FreeClimbClient | undefined;
  private liveInstance: LiveRun | undefined;
  private tunnel: ResolvedPublicUrl | undefined;
  private onSigint: (() => void) | undefined;
  private onSigterm: (() => void) | undefined;

  /** Loaded once; a ConfigError lists every bad variable and stops the run before any scenario. */
  config(): HarnessConfig {
    this.cfg ??= loadConfig();
    return this.cfg;
  }

  /** Read afresh: a sweep runs the suite again in this process with another fault or reading. */
  reloadConfig(): HarnessConfig {
    this.cfg = loadConfig();
    return this.cfg;
  }

  async start(): Promise<void> {
    const cfg = this.reloadConfig();
    // Live mode: HARNESS_PUBLIC_URL, or an ngrok tunnel opened now (NGROK_AUTHTOKEN) to the port
    // the receiver then listens on.
    if (cfg.mode === 'live') this.tunnel = await (await import('./live/tunnel')).resolvePublicUrl(cfg);
    // A worker of a parallel live run (support/live/parallel/): the launcher's front owns the public
    // port and the tunnel; this receiver listens on a free loopback port and builds its URLs under
    // the run's public URL plus /w/<worker>, which is how the front knows they are this worker's.
    const link = cfg.mode === 'live' ? (await import('./live/parallel/link')).FrontLink.fromEnv() : undefined;
    this.receiverInstance = await CallbackReceiver.start({
      port: link ? 0 : (this.tunnel?.port ?? cfg.port),
      publicUrl: link && this.tunnel ? link.publicBase(this.tunnel.publicUrl) : (this.tunnel?.publicUrl ?? cfg.publicUrl),
      signingSecret: cfg.signingSecret,
      timeoutMs: cfg.timeoutMs,
    });
    const { FreeClimbClient } = await import('./client/freeclimb-client');
    this.clientInstance = await FreeClimbClient.create({
      apiBaseUrl: cfg.apiBaseUrl,
      accountId: cfg.accountId,
      apiKey: cfg.apiKey,
      timeoutMs: cfg.requestTimeoutMs,
    });
    if (cfg.mode === 'live') {
      // Fail the whole run at once, with the reason, rather than every scenario on a timeout.
      const [{ checkPublicUrl }, { LiveRun }] = await Promise.all([import('./live/reachability'), import('./live/run')]);
      const parallel = link && this.tunnel && { link, sharedBaseUrl: this.tunnel.publicUrl };
      // The shared routes (/app/voice…) first, then the front may send this worker webhooks: a
      // worker registered before them answered an inbound leg with 404, and that participant never joined.
      this.liveInstance = new LiveRun(cfg, this.clientInstance, this.receiverInstance, cfg.farEndPollMs, parallel);
      await link?.register(this.receiverInstance.localUrl);
      await checkPublicUrl(this.receiverInstance, cfg.timeoutMs);
      await this.liveInstance.application();
      this.onSigint = () => void this.interrupted();
      process.once('SIGINT', this.onSigint);
      // A parallel run's launcher stops its workers with SIGTERM and then cleans up for all of them:
      // what this worker created must have reached the front's list before the worker goes.
      if (link) {
        this.onSigterm = () => void this.liveInstance?.flush().finally(() => process.exit(143));
        process.once('SIGTERM', this.onSigterm);
      }
    }
  }

  get receiver(): CallbackReceiver {
    if (!this.receiverInstance) throw new Error('the callback receiver is not running (BeforeAll did not complete)');
    return this.receiverInstance;
  }

  get client(): FreeClimbClient {
    if (!this.clientInstance) throw new Error('the REST client is not ready (BeforeAll did not complete)');
    return this.clientInstance;
  }

  get live(): LiveRun {
    if (!this.liveInstance) throw new Error('live mode is not set up (HARNESS_MODE is not live, or BeforeAll failed)');
    return this.liveInstance;
  }

  /** Ctrl-C in live mode: hang up and terminate what this run created before exiting. */
  private async interrupted(): Promise<void> {
    console.error('\nInterrupted: cleaning up what this run created on the account…');
    for (const line of (await this.liveInstance?.cleanupAll()) ?? []) console.error(`  ${line}`);
    process.exit(130);
  }

  async stop(): Promise<string[]> {
    const cleanup = (await this.liveInstance?.cleanupAll()) ?? [];
    // A sweep worker runs live runs one after another in this process: each removes its own handler.
    if (this.onSigint) process.off('SIGINT', this.onSigint);
    if (this.onSigterm) process.off('SIGTERM', this.onSigterm);
    this.onSigint = this.onSigterm = undefined;
    await this.clientInstance?.dispose();
    await this.receiverInstance?.close();
    await this.tunnel?.close();
    this.receiverInstance = this.clientInstance = this.liveInstance = this.tunnel = undefined;
    return cleanup;
  }
}

export const harness = new Harness();
