// In-process adapter: nock intercepts the FreeClimb API origin and hands each request to the
// simulator core. Loopback stays reachable because the simulator's webhooks travel over real HTTP
// to the harness's receiver on 127.0.0.1.
import nock from 'nock';
import type { Simulator } from '../index';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Route `sim.apiBaseUrl`'s origin to `sim`. Returns a function that removes the interception. */
export function installNock(sim: Simulator): () => void {
  const origin = new URL(sim.apiBaseUrl).origin;
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host));
  const scope = nock(origin).persist();
  for (const method of METHODS) {
    scope.intercept(/.*/, method).reply(function (uri, body) {
      const response = sim.handle({
        method,
        url: uri,
        headers: this.req.headers,
        body: typeof body === 'string' ? body : JSON.stringify(body ?? ''),
      });
      return [response.status, response.body ?? '', response.headers];
    });
  }
  return () => {
    scope.persist(false);
    nock.cleanAll();
    nock.enableNetConnect();
  };
}
