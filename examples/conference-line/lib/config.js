'use strict';
// Configuration from the environment. The gate (or production) passes FreeClimb's credentials in;
// we check them all at once so a bad setup prints one complete list, and we never echo a value
// that is secret.

const REQUIRED = ['FREECLIMB_SIGNING_SECRET'];
// Needed only for the REST calls the app makes (who is in a room, closing it on "*9"); without
// them the app still works, with a shorter greeting and no "*9".
const FOR_REST = ['FREECLIMB_ACCOUNT_ID', 'FREECLIMB_API_KEY', 'FREECLIMB_API_BASE_URL'];

function loadConfig(env) {
  const problems = [];
  for (const name of REQUIRED) if (!env[name]) problems.push(`${name} is not set`);

  const portText = env.PORT ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`PORT must be a port number (0 picks a free one), got "${portText}"`);

  if (env.APP_PUBLIC_URL && !/^https?:\/\/[^/]+/.test(env.APP_PUBLIC_URL)) {
    problems.push('APP_PUBLIC_URL must be an absolute http(s) URL');
  }
  if (problems.length) throw new Error(`conference-line cannot start:\n  - ${problems.join('\n  - ')}`);

  const missingRest = FOR_REST.filter((name) => !env[name]);
  return {
    port,
    // The URLs we put in PerCL must reach this process. In production that is the public URL
    // FreeClimb can call; next to a local simulator it is our own loopback address.
    publicUrl: env.APP_PUBLIC_URL ? env.APP_PUBLIC_URL.replace(/\/+$/, '') : undefined,
    signingSecret: env.FREECLIMB_SIGNING_SECRET,
    api: missingRest.length
      ? { disabled: `REST calls are disabled: ${missingRest.join(', ')} not set` }
      : {
          baseUrl: env.FREECLIMB_API_BASE_URL.replace(/\/+$/, ''),
          accountId: env.FREECLIMB_ACCOUNT_ID,
          apiKey: env.FREECLIMB_API_KEY,
        },
    number: env.FREECLIMB_NUMBER ?? null,
    applicationId: env.FREECLIMB_APPLICATION_ID ?? null,
  };
}

module.exports = { loadConfig };
