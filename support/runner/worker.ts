// A sweep worker: a child process that loads the support code once (on its first run) and runs
// every run its parent hands it, one at a time, answering each with its outcome over IPC. What it
// prints belongs to the run in progress; the parent collects it.
import { FromWorker, ToWorker } from './protocol';
import { SupportSession } from './in-process';

if (!process.send) {
  console.error('support/runner/worker runs as a child of a sweep (child_process.fork), not on its own');
  process.exit(2);
}
const session = new SupportSession(process.cwd());
const send = (message: FromWorker) => process.send!(message);

process.on('message', (raw) => {
  const message = ToWorker.parse(raw);
  if (message.type === 'exit') {
    // Runs close what they open in AfterAll; whatever a faulty run left behind must not keep the
    // sweep waiting. Writes to pipes are synchronous on Linux and macOS, so nothing is cut off.
    process.exit(0);
  }
  void session.run(message.spec).then((outcome) => send({ type: 'done', outcome }));
});
send({ type: 'ready' });
