// What a gate keeps to go on admitting without the network: the event's public key and
// revocation list (downloaded while online) and the admissions it made offline, waiting
// to be uploaded. Persisted in IndexedDB by `GateStore` (store.ts) so a reload or a crash
// loses nothing.
import { base64UrlDecode, verifyCode, type TicketClaims } from './verify';

export interface OfflineBundle {
  eventId: string;
  algorithm: 'Ed25519';
  publicKey: string;
  revocations: { eventId: string; generatedAt: string; revoked: string[]; admitted: string[] };
}

export interface LocalAdmission {
  /** Its record in the gate's store, once written there. */
  id?: number;
  ticketId: string;
  code: string;
  admittedAt: string;
  gate: string;
}

export interface GateState {
  bundle: OfflineBundle | null;
  /** Admitted here, offline, not yet uploaded. */
  pending: LocalAdmission[];
  /** Every ticket this gate saw admitted (online or offline), with when and where. */
  seen: Record<string, { at: string; gate: string }>;
}

export type ScanResult = 'admitted' | 'duplicate' | 'invalid' | 'revoked';

export interface Decision {
  result: ScanResult;
  claims: TicketClaims | null;
  firstAdmittedAt?: string;
  firstGate?: string;
}

export function emptyState(): GateState {
  return { bundle: null, pending: [], seen: {} };
}

/** Decides a scan without the server and, when admitted, records it for upload. */
export async function decideOffline(state: GateState, eventId: string, gate: string, code: string, now: Date): Promise<Decision> {
  if (!state.bundle) return { result: 'invalid', claims: null };
  const publicKey = base64UrlDecode(state.bundle.publicKey);
  const claims = publicKey ? await verifyCode(publicKey, eventId, code) : null;
  if (!claims) return { result: 'invalid', claims: null };
  if (state.bundle.revocations.revoked.includes(claims.t)) return { result: 'revoked', claims };
  const seen = state.seen[claims.t];
  if (seen) return { result: 'duplicate', claims, firstAdmittedAt: seen.at, firstGate: seen.gate };
  if (state.bundle.revocations.admitted.includes(claims.t)) return { result: 'duplicate', claims };
  const at = now.toISOString();
  state.pending.push({ ticketId: claims.t, code: code.trim(), admittedAt: at, gate });
  state.seen[claims.t] = { at, gate };
  return { result: 'admitted', claims, firstAdmittedAt: at, firstGate: gate };
}
