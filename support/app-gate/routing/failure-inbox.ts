// Where the preload, inside the app's processes, tells the harness that a request to FreeClimb
// could not be delivered to the simulator. The app only sees a network error, which it may well
// swallow; the gate must not.
import http from 'node:http';

export interface FailureInbox {
  url: string;
  close(): Promise<void>;
}

export async function openFailureInbox(onFailure: (url: string, error: string) => void): Promise<FailureInbox> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const report = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { url?: unknown; error?: unknown };
        onFailure(String(report.url), String(report.error));
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/failure`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
