// Per-process resources shared by every scenario of a cucumber worker: the configuration, the
// callback receiver and the REST client. Scenarios get their own inbox and backend on top of these.
import { CallbackReceiver } from './callbacks/receiver';
import { FreeClimbClient } from './client/freeclimb-client';
import { loadConfig, type HarnessConfig } from './config';

class Harness {
  private cfg: HarnessConfig | undefined;
  private receiverInstance: CallbackReceiver | undefined;
  private clientInstance: FreeClimbClient | undefined;

  /** Loaded once; a ConfigError lists every bad variable and stops the run before any scenario. */
  config(): HarnessConfig {
    this.cfg ??= loadConfig();
    return this.cfg;
  }

  async start(): Promise<void> {
    const cfg = this.config();
    this.receiverInstance = await CallbackReceiver.start({
      port: cfg.port,
      publicUrl: cfg.publicUrl,
      signingSecret: cfg.signingSecret,
      timeoutMs: cfg.timeoutMs,
    });
    this.clientInstance = await FreeClimbClient.create({
      apiBaseUrl: cfg.apiBaseUrl,
      accountId: cfg.accountId,
      apiKey: cfg.apiKey,
      timeoutMs: cfg.requestTimeoutMs,
    });
  }

  get receiver(): CallbackReceiver {
    if (!this.receiverInstance) throw new Error('the callback receiver is not running (BeforeAll did not complete)');
    return this.receiverInstance;
  }

  get client(): FreeClimbClient {
    if (!this.clientInstance) throw new Error('the REST client is not ready (BeforeAll did not complete)');
    return this.clientInstance;
  }

  async stop(): Promise<void> {
    await this.clientInstance?.dispose();
    await this.receiverInstance?.close();
  }
}

export const harness = new Harness();
