import type { ReservationRecord } from '../../../core/model.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** Which path a reservation was reached through: its `url` follows it, as TaskRouter's does. */
export type ReservationPath = 'task' | 'worker';

/** A Reservation as TaskRouter returns it. */
export function serializeReservation(r: ReservationRecord, via: ReservationPath, ctx: WireContext): Record<string, unknown> {
  const url = (path = '') => workspaceUrl(ctx, r.workspaceSid, path);
  const self = via === 'task' ? `/Tasks/${r.taskSid}/Reservations/${r.sid}` : `/Workers/${r.workerSid}/Reservations/${r.sid}`;
  return {
    account_sid: ctx.config.workspace.accountSid,
    date_created: formatDate(r.dateCreated),
    date_updated: formatDate(r.dateUpdated),
    reservation_status: r.status,
    sid: r.sid,
    task_sid: r.taskSid,
    worker_name: r.workerName,
    worker_sid: r.workerSid,
    workspace_sid: r.workspaceSid,
    url: url(self),
    links: {
      task: url(`/Tasks/${r.taskSid}`),
      worker: url(`/Workers/${r.workerSid}`),
      workspace: url(),
    },
  };
}
