// @vitest-environment node
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';

import { decideOffline, emptyState, type OfflineBundle } from './offline';
import { verifyCode } from './verify';

const EVENT = '0b7c3a52-1d4e-4f6a-9a55-2f0c5a1e9d01';
const OTHER = '7f5e2c10-9a3b-4c8d-8e1f-6a2b3c4d5e6f';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

async function keypair() {
  const secret = ed.utils.randomSecretKey();
  return { secret, pub: await ed.getPublicKeyAsync(secret) };
}

async function ticketCode(secret: Uint8Array, claims: object) {
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  const sig = await ed.signAsync(payload, secret);
  return `T1.${b64url(payload)}.${b64url(sig)}`;
}

const claims = (t: string, e = EVENT) => ({ e, t, s: ['A', '3', 12], h: 'KM', i: 1_800_000_000 });

describe('ticket code verification', () => {
  it('accepts a genuine code and refuses altered, forged and foreign ones', async () => {
    const { secret, pub } = await keypair();
    const good = await ticketCode(secret, claims('t-1'));
    expect((await verifyCode(pub, EVENT, good))?.s).toEqual(['A', '3', 12]);

    const [, , sig] = good.split('.');
    const alteredPayload = b64url(new TextEncoder().encode(JSON.stringify(claims('t-2'))));
    expect(await verifyCode(pub, EVENT, `T1.${alteredPayload}.${sig}`)).toBeNull();

    const attacker = await keypair();
    expect(await verifyCode(pub, EVENT, await ticketCode(attacker.secret, claims('t-1')))).toBeNull();
    expect(await verifyCode(pub, EVENT, await ticketCode(secret, claims('t-1', OTHER)))).toBeNull();
    for (const junk of ['', 'T1', 'TIKETI:ABC:1', 'T1.@@.##', `T1.${'x'.repeat(2000)}.y`]) {
      expect(await verifyCode(pub, EVENT, junk)).toBeNull();
    }
  });
});

describe('offline gate', () => {
  it('admits once, refuses duplicates with the first gate, and refuses revoked tickets after a sync', async () => {
    const { secret, pub } = await keypair();
    const bundle: OfflineBundle = {
      eventId: EVENT,
      algorithm: 'Ed25519',
      publicKey: b64url(pub),
      revocations: { eventId: EVENT, generatedAt: new Date().toISOString(), revoked: [], admitted: ['t-online'] },
    };
    const state = { ...emptyState(), bundle };
    const now = new Date('2026-12-01T10:00:00Z');
    const a = await ticketCode(secret, claims('t-a'));
    const first = await decideOffline(state, EVENT, 'North', a, now);
    expect(first.result).toBe('admitted');
    expect(state.pending).toHaveLength(1);
    const again = await decideOffline(state, EVENT, 'North', a, now);
    expect(again).toMatchObject({ result: 'duplicate', firstGate: 'North', firstAdmittedAt: now.toISOString() });
    expect(state.pending).toHaveLength(1);

    const online = await decideOffline(state, EVENT, 'North', await ticketCode(secret, claims('t-online')), now);
    expect(online.result).toBe('duplicate');

    // A refund reaches the gate with the next bundle: the ticket is refused offline too.
    const refunded = await ticketCode(secret, claims('t-refunded'));
    state.bundle = { ...bundle, revocations: { ...bundle.revocations, revoked: ['t-refunded'] } };
    expect((await decideOffline(state, EVENT, 'North', refunded, now)).result).toBe('revoked');
    expect((await decideOffline(state, EVENT, 'North', 'T1.forged.x', now)).result).toBe('invalid');
    expect(state.pending).toHaveLength(1);
  });
});
