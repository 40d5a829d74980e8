// The check-in and ticket endpoints (api/src/routes/checkin.rs and tickets.rs).
import { call } from '../api/client';
import type { OfflineBundle, ScanResult } from './offline';

export interface SeatLabel {
  section: string;
  row: string;
  number: number;
}

export interface IssuedTicket {
  id: string;
  eventId: string;
  reservationId: string;
  eventTitle: string;
  seat: SeatLabel | null;
  ticketType: string | null;
  holderInitials: string;
  issuedAt: string;
  code: string;
  revoked: boolean;
  admittedAt: string | null;
}

export interface ScanOutcome {
  result: ScanResult;
  ticket: { id: string; seat: SeatLabel | null; ticketType: string | null; holderInitials: string } | null;
  firstAdmittedAt: string | null;
  firstGate: string | null;
}

export interface GateAccount {
  userId: string;
  email: string;
  name: string;
  eventId: string;
  gate: string;
  createdAt: string;
}

export interface SyncResult {
  ticketId: string | null;
  outcome: 'recorded' | 'alreadyRecorded' | 'conflict' | 'invalid';
  conflict: 'duplicate' | 'revoked' | null;
  firstGate: string | null;
  firstAdmittedAt: string | null;
}

export interface CheckinStats {
  eventId: string;
  sold: number;
  admitted: number;
  admittedShare: number;
  perGate: { gate: string; admitted: number; lastAdmittedAt: string }[];
  perMinute: { minute: string; admitted: number }[];
  conflictCount: number;
  conflicts: {
    ticketId: string;
    kind: 'duplicate' | 'revoked';
    gate: string;
    admittedAt: string;
    recordedAt: string;
    firstGate: string | null;
    firstAdmittedAt: string | null;
  }[];
}

/** Uploads are bounded server-side; larger backlogs go in several. */
export const SYNC_BATCH = 100;

export const checkinApi = {
  tickets: (reservationId: string) =>
    call<{ tickets: IssuedTicket[] }>({ url: `/api/reservations/${reservationId}/tickets` }),
  me: () => call<{ gate: GateAccount }>({ url: '/api/checkin/me' }),
  bundle: (eventId: string) => call<OfflineBundle>({ url: `/api/checkin/events/${eventId}/offline` }),
  scan: (eventId: string, code: string, gate?: string) =>
    call<ScanOutcome>({ method: 'POST', url: '/api/checkin/scan', data: { eventId, code, gate } }),
  sync: (eventId: string, admissions: { code: string; admittedAt: string }[], gate?: string) =>
    call<{ results: SyncResult[] }>({ method: 'POST', url: '/api/checkin/sync', data: { eventId, gate, admissions } }),
  gates: (eventId: string) => call<{ gates: GateAccount[] }>({ url: `/api/admin/events/${eventId}/gates` }),
  createGate: (eventId: string, body: { email: string; name: string; gate: string; password: string }) =>
    call<{ gate: GateAccount }>({ method: 'POST', url: `/api/admin/events/${eventId}/gates`, data: body }),
  stats: (eventId: string) => call<{ stats: CheckinStats }>({ url: `/api/admin/events/${eventId}/checkin` }),
};
