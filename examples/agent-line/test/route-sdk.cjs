'use strict';
// Test-only preload: sends the SDK's requests for https://www.freeclimb.com/apiserver/… to
// FREECLIMB_API_BASE_URL (plain http), for runs without the gate's own routing (the smoke test,
// or a gate that routes nothing). The app itself never sees this file.
const http = require('node:http');
const https = require('node:https');

const target = process.env.FREECLIMB_API_BASE_URL ? new URL(process.env.FREECLIMB_API_BASE_URL) : undefined;
if (target) {
  const original = https.request;
  https.request = function request(options, ...rest) {
    const isFreeClimb = (typeof options === 'object' && options !== null && !(options instanceof URL))
      ? (options.hostname ?? options.host) === 'www.freeclimb.com'
      : new URL(String(options)).hostname === 'www.freeclimb.com';
    if (!isFreeClimb) return original.call(this, options, ...rest);
    const opts = typeof options === 'object' && !(options instanceof URL) ? { ...options } : {};
    const path = opts.path ?? new URL(String(options)).pathname;
    const rewritten = {
      ...opts,
      protocol: 'http:',
      hostname: target.hostname,
      host: target.hostname,
      port: target.port,
      path: path.replace(/^\/apiserver/, target.pathname.replace(/\/$/, '')),
      agent: undefined,
    };
    return http.request(rewritten, ...rest.filter((r) => typeof r === 'function'));
  };
}
