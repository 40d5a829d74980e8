// @vitest-environment node
import 'fake-indexeddb/auto';

import { describe, expect, it } from 'vitest';

import type { LocalAdmission, OfflineBundle } from './offline';
import { GateStore, GateStoreFull } from './store';

const EVENT = '0b7c3a52-1d4e-4f6a-9a55-2f0c5a1e9d01';
const OTHER = '7f5e2c10-9a3b-4c8d-8e1f-6a2b3c4d5e6f';
let dbs = 0;
const dbName = () => `gate-test-${++dbs}`;

const bundle = (eventId: string, revoked: string[] = []): OfflineBundle => ({
  eventId,
  algorithm: 'Ed25519',
  publicKey: 'AAAA',
  revocations: { eventId, generatedAt: '2026-12-01T09:00:00Z', revoked, admitted: [] },
});

const admission = (ticketId: string, minute: number): LocalAdmission => ({
  ticketId,
  code: `T1.${ticketId}.sig`,
  admittedAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
  gate: 'North',
});

/** localStorage's interface over a Map (node has none). */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
}

describe('gate store (IndexedDB)', () => {
  it('keeps the bundle, what was seen and the uploads waiting across a reload, and forgets uploaded ones', async () => {
    const name = dbName();
    const first = await GateStore.open(name);
    await first.saveBundle(bundle(EVENT, ['t-refunded']));
    await first.recordSeen(EVENT, 't-online', { at: '2026-12-01T09:59:00Z', gate: 'South' });
    const a = admission('t-a', 1);
    const b = admission('t-b', 2);
    a.id = await first.recordAdmission(EVENT, a);
    b.id = await first.recordAdmission(EVENT, b);
    await first.recordAdmission(OTHER, admission('t-elsewhere', 3));
    first.close();

    // The page reloads: a new connection sees everything, per event.
    const again = await GateStore.open(name);
    const state = await again.load(EVENT);
    expect(state.bundle?.revocations.revoked).toEqual(['t-refunded']);
    expect(state.pending).toEqual([a, b]);
    expect(state.seen).toEqual({
      't-online': { at: '2026-12-01T09:59:00Z', gate: 'South' },
      't-a': { at: a.admittedAt, gate: 'North' },
      't-b': { at: b.admittedAt, gate: 'North' },
    });
    expect((await again.load(OTHER)).pending.map((p) => p.ticketId)).toEqual(['t-elsewhere']);

    // The server answered for the first upload: it is not sent again, but still known as seen.
    await again.removePending([a.id!]);
    const after = await again.load(EVENT);
    expect(after.pending).toEqual([b]);
    expect(after.seen['t-a']).toBeDefined();
    again.close();
  });

  it('is bounded: old events, the oldest seen tickets, and admissions past the upload cap', async () => {
    const store = await GateStore.open(dbName(), { events: 2, seen: 3, pending: 2 });
    await store.saveBundle(bundle('e-1'), 1);
    await store.saveBundle(bundle('e-2'), 2);
    await store.saveBundle(bundle('e-3'), 3);
    expect((await store.load('e-1')).bundle).toBeNull();
    expect((await store.load('e-3')).bundle?.eventId).toBe('e-3');

    for (const [n, t] of ['t-1', 't-2', 't-3', 't-4'].entries()) {
      await store.recordSeen(EVENT, t, { at: `2026-12-01T10:0${n}:00Z`, gate: 'North' });
    }
    expect(Object.keys((await store.load(EVENT)).seen).sort()).toEqual(['t-2', 't-3', 't-4']);

    await store.recordAdmission(OTHER, admission('t-x', 10));
    await store.recordAdmission(OTHER, admission('t-y', 11));
    await expect(store.recordAdmission(OTHER, admission('t-z', 12))).rejects.toBeInstanceOf(GateStoreFull);
    // Refused as a whole: the ticket is not remembered as admitted either.
    const full = await store.load(OTHER);
    expect(full.pending.map((p) => p.ticketId)).toEqual(['t-x', 't-y']);
    expect(full.seen['t-z']).toBeUndefined();
    store.close();
  });

  it('moves what an older page left in localStorage into IndexedDB once', async () => {
    const legacy = new MemoryStorage();
    legacy.setItem(
      `tiketi.gate.${EVENT}`,
      JSON.stringify({ bundle: bundle(EVENT), pending: [admission('t-old', 5)], seen: { 't-old': { at: admission('t-old', 5).admittedAt, gate: 'North' } } }),
    );
    legacy.setItem('tiketi.token', 'kept');
    const store = await GateStore.open(dbName());
    const state = await store.load(EVENT, legacy);
    expect(state.bundle?.eventId).toBe(EVENT);
    expect(state.pending.map((p) => p.ticketId)).toEqual(['t-old']);
    expect(state.pending[0].id).toEqual(expect.any(Number));
    expect(legacy.getItem(`tiketi.gate.${EVENT}`)).toBeNull();
    expect(legacy.getItem('tiketi.token')).toBe('kept');
    // Loading again does not upload it twice.
    expect((await store.load(EVENT, legacy)).pending).toHaveLength(1);
    store.close();
  });
});
