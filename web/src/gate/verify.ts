// Offline verification of signed ticket codes at the gate: `T1.<payload>.<signature>`,
// Ed25519 over the payload bytes with the event's public key. WebCrypto verifies where the
// browser supports Ed25519; @noble/ed25519 (audited, tiny) covers the others.
import * as ed from '@noble/ed25519';

export interface TicketClaims {
  /** Event id. */
  e: string;
  /** Ticket id. */
  t: string;
  /** Section, row, number. */
  s?: [string, string, number];
  /** Ticket type (general admission). */
  y?: string;
  /** Holder's initials. */
  h: string;
  /** Issued at, Unix seconds. */
  i: number;
}

const MAX_CODE_LEN = 1024;

export function base64UrlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export function decodeCode(code: string): { claims: TicketClaims; payload: Uint8Array; signature: Uint8Array } | null {
  if (code.length > MAX_CODE_LEN) return null;
  const parts = code.trim().split('.');
  if (parts.length !== 3 || parts[0] !== 'T1') return null;
  const payload = base64UrlDecode(parts[1]);
  const signature = base64UrlDecode(parts[2]);
  if (!payload || !signature || signature.length !== 64) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(payload)) as TicketClaims;
    if (typeof claims.e !== 'string' || typeof claims.t !== 'string') return null;
    return { claims, payload, signature };
  } catch {
    return null;
  }
}

async function verifySignature(publicKey: Uint8Array, payload: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    // Copies: WebCrypto wants buffers that cannot be shared.
    const key = await crypto.subtle.importKey('raw', new Uint8Array(publicKey), { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, new Uint8Array(signature), new Uint8Array(payload));
  } catch {
    // No Ed25519 in this browser's WebCrypto.
    try {
      return await ed.verifyAsync(signature, payload, publicKey);
    } catch {
      return false;
    }
  }
}

/** The claims of a genuine ticket of `eventId`, or null (malformed, altered, forged, other event). */
export async function verifyCode(publicKey: Uint8Array, eventId: string, code: string): Promise<TicketClaims | null> {
  const decoded = decodeCode(code);
  if (!decoded || decoded.claims.e !== eventId) return null;
  return (await verifySignature(publicKey, decoded.payload, decoded.signature)) ? decoded.claims : null;
}
