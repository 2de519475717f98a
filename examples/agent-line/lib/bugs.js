'use strict';
// Seeded bugs for the gate's self-test. APP_BUG=<name> switches on one mistake that teams writing
// agent lines on the SDK really make; bugs.json says which scenarios and readings catch each one.
// No APP_BUG is the production path. Every `bug('…')` in the code marks where a mistake lives:
// `grep -n "bug('" lib/*.js` lists them.
const BUG_NAMES = [
  'reads-dial-call-status',
  'ignores-sdk-failure',
  'webhook-500',
  'caller-left-alone',
  'busy-as-answered',
  'joins-voicemail',
  'no-signature-check',
  'click-to-call-dials-line-agent',
  'dials-agent-without-visitor',
  'silent-on-foreign-terminate',
  'returning-caller-rejoins',
  'queue-never-dequeued',
  'terminates-before-voicemail',
  'voicemail-without-finish-key',
];

/** Reads APP_BUG. An unknown name stops the app, so a typo never runs the correct app by accident. */
function loadBug(env) {
  const name = (env.APP_BUG ?? '').trim();
  if (name === '') return () => false;
  if (!BUG_NAMES.includes(name)) {
    throw new Error(`APP_BUG="${name}" is not a seeded bug; known: ${BUG_NAMES.join(', ')}`);
  }
  return (candidate) => candidate === name;
}

module.exports = { BUG_NAMES, loadBug };
