// Questions asked of the callback log. The status sequence accepts both documented shapes of the
// creation callback (§6.2 [AMBIGUOUS]): a createConference carrying `status`, or a conferenceStatus.
import type { CallbackRecord } from '../callbacks/receiver';
import { isEvent, type Webhook } from '../schemas/webhooks';

type StatusWebhook = Extract<Webhook, { requestType: 'createConference' | 'conferenceStatus' }>;

function isStatusWebhook(w: Webhook | undefined, conferenceId: string): w is StatusWebhook {
  if (!w || w.conferenceId !== conferenceId) return false;
  // A createConference without `status` is the actionUrl request, not a status report (§4.3).
  return w.requestType === 'conferenceStatus' || (w.requestType === 'createConference' && w.status !== undefined);
}

/** Status callbacks for one conference, in arrival order. */
export function statusRecords(records: readonly CallbackRecord[], conferenceId: string): CallbackRecord[] {
  return records.filter((r) => isStatusWebhook(r.webhook, conferenceId));
}

export function conferenceStatuses(records: readonly CallbackRecord[], conferenceId: string): string[] {
  return statusRecords(records, conferenceId).map((r) => String((r.webhook as StatusWebhook).status));
}

export interface RecordingReport {
  record: CallbackRecord;
  recordingId: string;
  recordingUrl: string | null | undefined;
  recordingDurationSec: number | null | undefined;
}

/**
 * Webhooks that report a recording of the conference: a conferenceRecordingStatus, or recording
 * fields on the empty conferenceStatus; the docs allow either (§6.10 [AMBIGUOUS]).
 */
export function recordingReports(records: readonly CallbackRecord[], conferenceId: string): RecordingReport[] {
  return records.flatMap((r) => {
    const w = r.webhook;
    if (!w || !('recordingId' in w) || w.conferenceId !== conferenceId || !w.recordingId) return [];
    return [{ record: r, recordingId: w.recordingId, recordingUrl: w.recordingUrl, recordingDurationSec: w.recordingDurationSec }];
  });
}

/** Conference-scoped callbacks (status or recording) for one conference. */
export function conferenceCallbacks(records: readonly CallbackRecord[], conferenceId: string): CallbackRecord[] {
  return records.filter((r) => {
    const w = r.webhook;
    const kind = w && (['createConference', 'conferenceStatus'].includes(w.requestType) || isEvent(w.requestType, 'conferenceRecordingStatus'));
    return !!w && kind && w.conferenceId === conferenceId && r.endpoint === 'status';
  });
}
