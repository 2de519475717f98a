'use strict';
// The app's own environment names, as FreeClimb's how-to apps spell them. Under the gate,
// HARNESS_APP_COMMAND maps the gate's FREECLIMB_* variables onto them (see README.md).
const E164 = /^\+[1-9][0-9]{1,14}$/;
const REST_TIMINGS = ['awaited', 'after-answer', 'deferred'];

function loadConfig(env) {
  const problems = [];
  const need = (name) => {
    const value = (env[name] ?? '').trim();
    if (value === '') problems.push(`${name} is not set`);
    return value;
  };
  const number = (name) => {
    const value = need(name);
    if (value !== '' && !E164.test(value)) problems.push(`${name} is not an E.164 number (+15551234567)`);
    return value;
  };

  const port = Number((env.PORT ?? '3000').trim() || '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT is not a port number');

  const config = {
    accountId: need('ACCOUNT_ID'),
    apiKey: need('API_KEY'),
    signingSecret: need('SIGNING_SECRET'),
    port,
    // The base URL FreeClimb reaches the app on; every URL in the PerCL is built from it.
    host: ((env.HOST ?? '').trim() || `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    // The caller ID of every call the app places, and the number callers dial.
    freeclimbNumber: number('FREECLIMB_NUMBER'),
    // Who the support line dials for an inbound caller.
    agentNumber: number('AGENT_NUMBER'),
    // The application whose callConnectUrl/statusCallbackUrl apply to click-to-call calls.
    applicationId: need('APPLICATION_ID'),
    // When the app ends a conference through the SDK, relative to answering the webhook that made
    // it decide: 'awaited' (before answering), 'after-answer' (right after, in the same handler, as
    // FreeClimb's how-to apps do), 'deferred' (from a timer REST_DEFER_MS after answering).
    restTiming: (env.REST_TIMING ?? '').trim() || 'awaited',
    restDeferMs: Number((env.REST_DEFER_MS ?? '').trim() || '40'),
  };
  if (!REST_TIMINGS.includes(config.restTiming)) problems.push(`REST_TIMING must be one of ${REST_TIMINGS.join(', ')}`);
  if (!Number.isInteger(config.restDeferMs) || config.restDeferMs < 0 || config.restDeferMs > 10000) problems.push('REST_DEFER_MS is not a number of milliseconds (0-10000)');
  if (problems.length > 0) throw new Error(`agent-line cannot start: ${problems.join('; ')}`);
  return config;
}

module.exports = { loadConfig, E164 };
