'use strict';
// Seeded bugs for the gate's self-test. Each name switches on one mistake that app teams really
// make; bugs.json says which scenarios and variants must catch it. The production path is the
// code with no bug switched on. Every use of `bug(...)` in the app marks the seeded mistake, so
// `grep -n "bug('" lib/*.js` shows exactly where each one lives.
const BUG_NAMES = [
  'invalid-percl',
  'reuse-terminated',
  'crash-on-terminated',
  'populated-before-inprogress',
  'no-signature-check',
  'choke-on-recording-fields',
  'only-known-recording-type',
  'status-assumes-joined',
  'creation-callback-type',
  'unexpected-key-throws',
];

/** Reads APP_BUG; an unknown name is a startup error, so a typo never runs the correct app by accident. */
function loadBug(env) {
  const name = (env.APP_BUG ?? '').trim();
  if (name === '') return () => false;
  if (!BUG_NAMES.includes(name)) {
    throw new Error(`APP_BUG="${name}" is not a seeded bug; known: ${BUG_NAMES.join(', ')}`);
  }
  return (candidate) => candidate === name;
}

module.exports = { BUG_NAMES, loadBug };
