// The simulator's HTTP server as a live run's account: what the live stages (live, live-faults)
// hand to `npm run test:live` so that it treats a simulator as FreeClimb.
import type { Simulator } from '../../support/simulator';
import { freePort } from '../../support/free-port';

/** Credentials, API base URL and a free receiver port of its own for a live run against `sim`. */
export async function accountEnv(sim: Simulator, server: { apiBaseUrl: string }): Promise<Record<string, string>> {
  const creds = sim.credentials();
  const port = await freePort();
  return {
    FREECLIMB_ACCOUNT_ID: creds.accountId,
    FREECLIMB_API_KEY: creds.apiKey,
    FREECLIMB_SIGNING_SECRET: creds.signingSecret,
    FREECLIMB_API_BASE_URL: server.apiBaseUrl,
    HARNESS_PUBLIC_URL: `http://127.0.0.1:${port}`,
    HARNESS_PORT: String(port),
  };
}
