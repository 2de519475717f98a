'use strict';
// The few FreeClimb REST calls the app makes, over node:http(s) with Basic auth
// (accountId:apiKey). Errors say which request failed and how, never the credentials.
const http = require('node:http');
const https = require('node:https');

const TIMEOUT_MS = 5000;

function createApi(apiConfig) {
  function request(method, path, body) {
    if (apiConfig.disabled) return Promise.reject(new Error(apiConfig.disabled));
    const url = new URL(`${apiConfig.baseUrl}/Accounts/${apiConfig.accountId}${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = {
      authorization: `Basic ${Buffer.from(`${apiConfig.accountId}:${apiConfig.apiKey}`).toString('base64')}`,
      accept: 'application/json',
    };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, timeout: TIMEOUT_MS }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode >= 200 && res.statusCode < 300) {
            resolve(text ? JSON.parse(text) : null);
          } else {
            reject(new Error(`${method} ${url.pathname} answered ${res.statusCode}: ${text.slice(0, 200)}`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', (e) => reject(new Error(`${method} ${url.pathname} failed: ${e.message}`)));
      req.end(payload);
    });
  }

  return {
    /** Ends a conference for everyone in it (§2.1: POST with status "terminated", 204). */
    terminateConference: (conferenceId) => request('POST', `/Conferences/${conferenceId}`, { status: 'terminated' }),
    /** Who is in a conference now (the first page is plenty for a greeting). */
    listParticipants: async (conferenceId) => (await request('GET', `/Conferences/${conferenceId}/Participants`))?.participants ?? [],
  };
}

module.exports = { createApi };
