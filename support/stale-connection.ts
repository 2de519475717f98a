// A kept-alive connection the other side closed just as a request was written on it. The request was
// never read, so it may go once more on a new connection whatever its method: Node's documented
// case. A reset on a new connection, or after the answer began, is not that, and is reported.
import type http from 'node:http';

export function resetUnread(req: http.ClientRequest, e: NodeJS.ErrnoException, answered: boolean): boolean {
  return !answered && req.reusedSocket && e.code === 'ECONNRESET';
}
