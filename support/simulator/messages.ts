// SMS the account sends: the Sms PerCL command during a call, or POST /Messages. A message is
// accepted as `queued`; it then goes `sent`, and notificationUrl hears of that change with a
// messageStatus webhook (notification only). Sources: DOC:sms-4, the sending-and-receiving-messages
// guide, SPEC Sms/MessageRequest/MessageResult/MessageStatusWebhook.
import type { MessageRequest } from '../schemas/rest-messages';
import type { EngineApi } from './engine-api';
import { newId } from './ids';
import { stamp, touch, type CallState, type MessageState } from './state';

export class Messages {
  constructor(private readonly engine: EngineApi) {}

  send(req: MessageRequest, call?: CallState): MessageState {
    const e = this.engine;
    // DOC:sms-4: the sender must be a number the account owns. [AMBIGUOUS] how FreeClimb refuses one
    // that is not (an error, or a message that fails) is not documented: here the message is rejected.
    const number = e.numberByPhone(req.from);
    const message: MessageState = {
      ...stamp(e.now),
      messageId: newId('SM'),
      from: req.from,
      to: req.to,
      text: req.text,
      direction: 'outbound',
      status: number ? 'queued' : 'rejected',
      notificationUrl: req.notificationUrl ?? null,
      callId: call?.callId ?? null,
      phoneNumberId: number?.phoneNumberId ?? null,
      applicationId: number?.applicationId ?? null,
    };
    if (!e.has('sms-not-sent')) e.state.messages.set(message.messageId, message);
    e.trace(`SMS ${message.messageId} ${req.from} → ${req.to}${number ? '' : ' rejected: the sender is not a number of the account'}`);
    return message;
  }

  /** After `send`: the message goes out (REST renders its answer in between, while it is queued). */
  deliver(message: MessageState): void {
    if (message.status === 'queued') this.engine.opts.dispatcher.task(() => this.setStatus(message, 'sent'));
    else this.notify(message);
  }

  private setStatus(message: MessageState, status: MessageState['status']): void {
    message.status = status;
    touch(message, this.engine.now);
    this.notify(message);
  }

  private notify(message: MessageState): void {
    const e = this.engine;
    if (!message.notificationUrl || e.has('sms-no-status')) return;
    e.opts.dispatcher.webhook(
      message.notificationUrl,
      {
        accountId: e.state.accountId,
        requestType: 'messageStatus',
        messageId: message.messageId,
        callId: message.callId,
        from: message.from,
        to: message.to,
        text: message.text,
        direction: message.direction,
        applicationId: message.applicationId,
        status: message.status,
        phoneNumberId: message.phoneNumberId,
      },
      e.now,
    );
  }
}
