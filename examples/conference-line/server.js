'use strict';
// Conference line: callers dial in, enter a room number, and meet in that room's conference.
// Plain Node, no dependencies. Every webhook's FreeClimb-Signature is verified over the raw bytes
// before anything else looks at the request.
const http = require('node:http');
const { loadConfig } = require('./lib/config');
const { loadBug } = require('./lib/bugs');
const { verifySignature } = require('./lib/signature');
const { Rooms } = require('./lib/rooms');
const { createApi } = require('./lib/freeclimb-api');
const { createHandlers } = require('./lib/handlers');

const MAX_BODY_BYTES = 64 * 1024; // webhooks are a few hundred bytes

function log(line) {
  process.stdout.write(`conference-line ${new Date().toISOString()} ${line}\n`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function describeAnswer(result) {
  if (!result.percl) return '';
  return ' ' + (result.percl.map((c) => Object.keys(c)[0]).join(',') || '[]');
}

function main() {
  let config;
  let bug;
  try {
    config = loadConfig(process.env);
    bug = loadBug(process.env);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }

  let baseUrl = config.publicUrl; // completed once we know our port
  const rooms = new Rooms(bug, log);
  const api = createApi(config.api);
  const urls = (room) => {
    const q = room === undefined ? '' : `?room=${encodeURIComponent(room)}`;
    return {
      room: `${baseUrl}/room`,
      retry: `${baseUrl}/room/retry${q}`,
      created: `${baseUrl}/conference/created${q}`,
      conferenceStatus: `${baseUrl}/conference/status${q}`,
      joined: `${baseUrl}/conference/joined${q}`,
      left: `${baseUrl}/conference/left${q}`,
      control: `${baseUrl}/conference/control${q}`,
    };
  };
  const handlers = createHandlers({ rooms, api, bug, log, urls });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const answer = (status, text, contentType = 'text/plain') => {
      res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const handler = Object.prototype.hasOwnProperty.call(handlers, url.pathname) ? handlers[url.pathname] : undefined;
    if (!handler) return answer(404, 'not found\n');
    if (req.method !== 'POST') return answer(405, 'webhooks are POST\n');

    let raw;
    try {
      raw = await readBody(req);
    } catch (e) {
      return answer(e.status ?? 400, `${e.message}\n`);
    }

    // BUG no-signature-check: trusts whoever can reach the URL.
    if (!bug('no-signature-check')) {
      const check = verifySignature(raw, req.headers['freeclimb-signature'], config.signingSecret);
      if (!check.ok) {
        log(`POST ${url.pathname} rejected: ${check.reason} → 401`);
        return answer(401, `unauthorized: ${check.reason}\n`);
      }
    }

    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not a JSON object');
    } catch (e) {
      log(`POST ${url.pathname} bad body: ${e.message} → 400`);
      return answer(400, 'the body must be a JSON object\n');
    }

    const who = `${body.requestType ?? '?'} call=${body.callId ?? '-'}${body.conferenceId ? ` conf=${body.conferenceId}` : ''}${body.status ? ` status=${body.status}` : ''}`;
    try {
      const result = await handler(body, url.searchParams);
      log(`POST ${url.pathname} ${who} → ${result.percl ? 200 : 204}${describeAnswer(result)}`);
      if (!result.percl) {
        res.writeHead(204);
        return res.end();
      }
      return answer(200, JSON.stringify(result.percl), 'application/json');
    } catch (e) {
      log(`POST ${url.pathname} ${who} → 500 ${e.message}`);
      process.stderr.write(`${e.stack}\n`);
      return answer(500, 'internal error\n');
    }
  });

  server.on('error', (e) => {
    process.stderr.write(`conference-line cannot listen on 127.0.0.1:${config.port}: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(config.port, '127.0.0.1', () => {
    const { port } = server.address();
    baseUrl = baseUrl ?? `http://127.0.0.1:${port}`;
    const bugNote = process.env.APP_BUG ? ` (seeded bug: ${process.env.APP_BUG})` : '';
    const restNote = config.api.disabled ? `; ${config.api.disabled}` : '';
    log(`listening on http://127.0.0.1:${port}, webhooks at ${baseUrl}${bugNote}${restNote}`);
  });

  // The gate (and most process managers) stop us with SIGTERM; close cleanly so exit code is 0.
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  }
}

main();
