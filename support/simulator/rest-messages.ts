// REST for SMS (SPEC send-an-sms-message: 202 with the message; list-sms-messages; get-an-sms-message).
// The sending lives in messages.ts; this file only maps paths onto it.
import { MessageRequest } from '../schemas/rest-messages';
import type { Engine } from './engine';
import type { ResourceRenderer } from './resources';
import { found, validate, type Route } from './rest-helpers';

export function messageRoutes(engine: Engine, render: ResourceRenderer, acc: string, id: string): [string, RegExp, Route][] {
  const base = `${acc}/Messages`;
  return [
    [
      'POST',
      new RegExp(`${base}$`),
      (_m, _q, body) => {
        const message = engine.messages.send(validate(MessageRequest, body()));
        const json = render.message(message);
        engine.messages.deliver(message);
        return { status: 202, json };
      },
    ],
    [
      'GET',
      new RegExp(`${base}$`),
      (_m, query) => {
        let items = [...engine.state.messages.values()].reverse();
        for (const key of ['to', 'from', 'direction'] as const) {
          const v = query.get(key);
          if (v) items = items.filter((msg) => msg[key] === v);
        }
        return { status: 200, json: render.page('messages', `/Accounts/${engine.state.accountId}/Messages`, items.map((msg) => render.message(msg)), query) };
      },
    ],
    ['GET', new RegExp(`${base}/${id}$`), (m) => ({ status: 200, json: render.message(found(engine.state.messages.get(m[2]), `message ${m[2]} not found`)) })],
  ];
}
