// Names the harness and the preloads agree on. node-preload.ts and quiet-preload.ts repeat them, since they may import
// nothing of the harness; routing.test.ts fails if the two drift apart.
/** The simulator's API base URL, for the preload. */
export const TARGET_ENV = 'FCH_ROUTE_TARGET';
/** Where the preload reports a request it could not deliver. */
export const REPORT_ENV = 'FCH_ROUTE_REPORT';
/** Which way a routed request came; the simulator's HTTP server reads it and drops it. */
export const ROUTE_HEADER = 'x-fch-route';
export const FREECLIMB_HOST = 'www.freeclimb.com';
export const API_PATH = '/apiserver';

export type RouteKind = 'preload' | 'proxy';

export interface RoutingFailure {
  route: RouteKind;
  url: string;
  error: string;
  /** performance.now() in the harness when it was recorded, so a scenario takes only its own. */
  at: number;
}

/** Where quiet-preload.ts connects to answer the gate's "are you quiet?" (host:port). */
export const QUIET_ENV = 'FCH_QUIET_ADDRESS';
/** The longest timer quiet-preload.ts counts as work the app is about to do. */
export const CEILING_ENV = 'FCH_QUIET_CEILING_MS';
