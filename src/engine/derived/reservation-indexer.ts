import type { ReservationRecord } from '../../core/model.js';
import { DerivedEntries } from './entries.js';
import { timeMember, workerReservationsIndex } from './schema.js';

/** What a reservation contributes to the derived state: its place among its worker's reservations, whatever its status. */
export function reservationEntries(reservation: ReservationRecord): DerivedEntries {
  const entries = new DerivedEntries();
  entries.member(workerReservationsIndex(reservation.workerSid), timeMember(reservation.dateCreated, reservation.sid));
  return entries;
}
