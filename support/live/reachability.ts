// Does HARNESS_PUBLIC_URL reach this process's receiver? A signed self-request through the public
// URL answers that before any call is placed, so a dead tunnel fails the run with its cause.
import type { CallbackReceiver } from '../callbacks/receiver';

export async function checkPublicUrl(receiver: CallbackReceiver, timeoutMs: number): Promise<void> {
  const nonce = Math.random().toString(36).slice(2);
  const route = receiver.route(`/reachability-${nonce}`, () => undefined);
  const url = route.url('ping');
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status: number;
    try {
      // The body is not a webhook: the receiver records it (400) and that is enough to prove the path.
      status = (await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, signal: controller.signal })).status;
    } catch (e) {
      throw new Error(`HARNESS_PUBLIC_URL does not reach the callback receiver: POST ${url} failed (${(e as Error).cause ?? (e as Error).message}). Check the tunnel, HARNESS_PUBLIC_URL and HARNESS_PORT, or run npm run live:doctor.`);
    } finally {
      clearTimeout(timer);
    }
    if (route.records.length === 0) {
      throw new Error(`HARNESS_PUBLIC_URL reaches something else: POST ${url} answered ${status} but the receiver saw nothing. Check that the tunnel forwards to HARNESS_PORT.`);
    }
  } finally {
    route.close();
  }
}
