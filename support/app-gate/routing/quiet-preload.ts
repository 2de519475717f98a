// Loaded with `node --require` into every Node process the app command starts (after the routing
// preload, so that its wrappers sit outside the interceptors). It lets the gate ask the app "is
// anything you started while answering still on its way?", so that a REST request sent right after
// an answer (`res.json(…); sdk.conferences.update(…)`, or from a setTimeout) is awaited before the
// gate moves virtual time or concludes that nothing else will happen.
//
// What counts as pending: timers (up to the gate's ceiling) and outgoing HTTP requests (http,
// https, fetch) created while the process was handling an incoming request, or in a callback of
// such work: AsyncLocalStorage carries "handling" through timers, promises and body parsing. Work
// the app started on its own (a poller, an interval set at start-up) is not counted.
//
// Protocol, one line each way on a loopback TCP connection that never keeps the process alive: the
// gate sends "<id>\n"; the process answers "<id>\n" once nothing is pending and a macrotask turn
// has passed (so the promise continuations of what just finished have run). Like the routing
// preload it is one file with only Node's builtins, and it prints nothing.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';

// The same names as in routing/names.ts, repeated: this file may import nothing of the harness.
const QUIET_ENV = 'FCH_QUIET_ADDRESS';
const CEILING_ENV = 'FCH_QUIET_CEILING_MS';

const handling = new AsyncLocalStorage<true>();
let pending = 0;
let waiters: (() => void)[] = [];

/** One piece of work started while handling a request; the returned function ends it, once. */
function begin(): () => void {
  pending += 1;
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    pending -= 1;
    if (pending === 0) {
      const ready = waiters;
      waiters = [];
      ready.forEach((w) => w());
    }
  };
}

/** Resolves once nothing is pending after a full turn of the event loop. */
function quiet(): Promise<void> {
  return new Promise((resolve) => {
    const check = () =>
      setImmediateRaw(() => {
        if (pending === 0) resolve();
        else waiters.push(check);
      });
    check();
  });
}

const setImmediateRaw = timers.setImmediate;

function install(address: string, ceilingMs: number): void {
  // Incoming requests: everything they cause runs "handling".
  for (const Server of [http.Server, https.Server]) {
    const emit = Server.prototype.emit as (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
    Server.prototype.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === 'request') return handling.run(true, () => emit.call(this, event, ...args));
      return emit.call(this, event, ...args);
    } as typeof Server.prototype.emit;
  }

  // Timers: counted from their creation until their callback has run (or they are cleared).
  const tracked = new WeakMap<object, () => void>();
  const setTimeoutRaw = timers.setTimeout;
  const clearTimeoutRaw = timers.clearTimeout;
  const counts = (ms: unknown) => handling.getStore() === true && (Number(ms) || 0) <= ceilingMs;
  function setTimeoutTracked(this: unknown, callback: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) {
    if (typeof callback !== 'function' || !counts(ms)) return setTimeoutRaw(callback, ms, ...args);
    const end = begin();
    const timer = setTimeoutRaw(function (this: unknown, ...a: unknown[]) {
      try {
        return callback.apply(this, a);
      } finally {
        end();
      }
    }, ms, ...args);
    tracked.set(timer, end);
    return timer;
  }
  function clearTimeoutTracked(timer: Parameters<typeof clearTimeoutRaw>[0]) {
    if (timer && typeof timer === 'object') tracked.get(timer)?.();
    return clearTimeoutRaw(timer);
  }
  function setImmediateTracked(this: unknown, callback: (...a: unknown[]) => void, ...args: unknown[]) {
    if (typeof callback !== 'function' || !counts(0)) return setImmediateRaw(callback, ...args);
    const end = begin();
    return setImmediateRaw(function (this: unknown, ...a: unknown[]) {
      try {
        return callback.apply(this, a);
      } finally {
        end();
      }
    }, ...args);
  }
  const promiseTimeoutRaw = timersPromises.setTimeout;
  function promiseTimeoutTracked(ms?: number, ...rest: unknown[]) {
    const result = (promiseTimeoutRaw as (...a: unknown[]) => Promise<unknown>)(ms, ...rest);
    if (!counts(ms)) return result;
    const end = begin();
    return result.finally(end);
  }
  Object.assign(globalThis, { setTimeout: setTimeoutTracked, clearTimeout: clearTimeoutTracked, setImmediate: setImmediateTracked });
  Object.assign(timers, { setTimeout: setTimeoutTracked, clearTimeout: clearTimeoutTracked, setImmediate: setImmediateTracked });
  Object.assign(timersPromises, { setTimeout: promiseTimeoutTracked });

  // Outgoing requests: counted until the request closes (its answer read, or it failed).
  for (const mod of [http, https] as const) {
    for (const name of ['request', 'get'] as const) {
      const raw = mod[name] as (...a: unknown[]) => http.ClientRequest;
      (mod as unknown as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
        const req = raw.apply(this, args);
        if (handling.getStore() === true) {
          const end = begin();
          req.once('close', end);
          req.once('error', end);
        }
        return req;
      };
    }
  }
  const fetchRaw = globalThis.fetch;
  if (typeof fetchRaw === 'function') {
    globalThis.fetch = function (...args: Parameters<typeof fetch>) {
      const result = fetchRaw(...args);
      if (handling.getStore() !== true) return result;
      const end = begin();
      return result.finally(end);
    } as typeof fetch;
  }

  connect(address);
}

function connect(address: string): void {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  const socket = net.connect({ host, port });
  socket.unref();
  socket.setNoDelay(true);
  // The gate may be gone (it stopped first); the app must not notice.
  socket.on('error', () => socket.destroy());
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const id = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      void quiet().then(() => {
        if (!socket.destroyed) socket.write(`${id}\n`);
      });
    }
  });
}

const address = process.env[QUIET_ENV];
if (address) install(address, Number(process.env[CEILING_ENV]) || 1000);
