'use strict';
// Agent line: a support number that puts each caller in a conference and dials an agent into it,
// plus click-to-call from a web form. Express and the official SDK (@freeclimb/sdk 2.1.3) at its
// default API URL; nothing here knows about the test harness.
const freeclimbSDK = require('@freeclimb/sdk');
const { loadConfig } = require('./lib/config');
const { loadBug } = require('./lib/bugs');
const { createApp } = require('./lib/routes');

function log(line) {
  process.stdout.write(`agent-line ${new Date().toISOString()} ${line}\n`);
}

let config;
let bug;
try {
  config = loadConfig(process.env);
  bug = loadBug(process.env);
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}

const sdk = freeclimbSDK(config.accountId, config.apiKey);
const app = createApp({ config, bug, sdk, log });
const server = app.listen(config.port, () => {
  const { port } = server.address();
  log(`listening on ${port}; webhooks at ${config.host}; agent ${config.agentNumber}${process.env.APP_BUG ? `; APP_BUG=${process.env.APP_BUG}` : ''}`);
});
server.on('error', (err) => {
  process.stderr.write(`agent-line cannot listen on ${config.port}: ${err.message}\n`);
  process.exit(1);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
