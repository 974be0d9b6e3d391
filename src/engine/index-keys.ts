/**
 * Names and member encodings of the routing indexes. Members of an index are compared as bytes, so each encodes its
 * sort key as fixed-width digits: priorities up to 2^31−1 and millisecond times both stay exact (a double score
 * could not hold the pair).
 *
 *   pending:{WQ}:{TC}  tasks waiting in a queue on a channel   member <inverted priority:10><time key:15>:<WT>
 *   idle:{WQ}:{TC}     workers who could take a task now        member <idle since:15>:<WK>
 *   members:{WQ}       workers matching the queue's TargetWorkers  member <WK>
 */

const MAX_PRIORITY = 2_147_483_647;
const MAX_TIME = 999_999_999_999_999;

export function pendingIndex(queueSid: string, channelSid: string): string {
  return `pending:${queueSid}:${channelSid}`;
}

export function idleIndex(queueSid: string, channelSid: string): string {
  return `idle:${queueSid}:${channelSid}`;
}

export function membersIndex(queueSid: string): string {
  return `members:${queueSid}`;
}

/** Higher priority first; then older (FIFO) or newer (LIFO) virtual start time first. */
export function pendingMember(priority: number, virtualStartTime: number, order: 'FIFO' | 'LIFO', taskSid: string): string {
  const time = order === 'FIFO' ? virtualStartTime : MAX_TIME - virtualStartTime;
  return `${digits(MAX_PRIORITY - priority, 10)}${digits(time, 15)}:${taskSid}`;
}

/** Reads the sid and sort fields back out of a pending member. */
export function parsePendingMember(member: string): { priority: number; timeKey: number; taskSid: string } {
  return {
    priority: MAX_PRIORITY - Number(member.slice(0, 10)),
    timeKey: Number(member.slice(10, 25)),
    taskSid: member.slice(26),
  };
}

export function idleMember(idleSince: number, workerSid: string): string {
  return `${digits(idleSince, 15)}:${workerSid}`;
}

export function sidOfMember(member: string): string {
  return member.slice(member.lastIndexOf(':') + 1);
}

function digits(value: number, width: number): string {
  return String(Math.max(0, Math.floor(value))).padStart(width, '0');
}

/** Reservations of a worker, oldest first:  member <date created:15>:<WR> */
export function workerReservationsIndex(workerSid: string): string {
  return `reservations:${workerSid}`;
}

export function reservationMember(dateCreated: number, reservationSid: string): string {
  return `${digits(dateCreated, 15)}:${reservationSid}`;
}
