// Where a gate keeps what it needs to go on admitting without the network: IndexedDB, not
// localStorage, because a stadium's revocation list and a day of admissions outgrow
// localStorage's few megabytes and its synchronous writes stall the camera loop. One
// record per admission, written in the same transaction as the ticket's "seen" entry, so a
// reload or a crash between the two cannot upload an admission the gate forgot it made.
// Bounded (`LIMITS`): the bundles of the most recent events only, the newest admissions per
// event (older ones are on the server's list once synced) and a cap on admissions waiting
// to upload (past it the gate must reconnect before admitting more).
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type StoreNames } from 'idb';

import { emptyState, type GateState, type LocalAdmission, type OfflineBundle } from './offline';

/** How much the store keeps: events with a bundle, admissions seen per event, uploads waiting per event. */
export interface StoreLimits {
  events: number;
  seen: number;
  pending: number;
}

export const LIMITS: StoreLimits = { events: 4, seen: 100_000, pending: 20_000 };

interface SeenRow {
  eventId: string;
  ticketId: string;
  at: string;
  gate: string;
}

interface PendingRow extends LocalAdmission {
  id?: number;
  eventId: string;
}

interface GateDb extends DBSchema {
  bundles: { key: string; value: { eventId: string; savedAt: number; bundle: OfflineBundle }; indexes: { savedAt: number } };
  seen: { key: [string, string]; value: SeenRow; indexes: { eventAt: [string, string] } };
  pending: { key: number; value: PendingRow; indexes: { eventId: string } };
}

/** Too many admissions wait to upload: the gate has to reconnect first. */
export class GateStoreFull extends Error {
  constructor(limit: number) {
    super(`${limit} admissions are waiting to upload`);
  }
}

const legacyKey = (eventId: string) => `tiketi.gate.${eventId}`;

export class GateStore {
  private constructor(
    private db: IDBPDatabase<GateDb>,
    private limits: StoreLimits,
  ) {}

  static async open(name = 'tiketi-gate', limits: StoreLimits = LIMITS): Promise<GateStore> {
    const db = await openDB<GateDb>(name, 1, {
      upgrade(d) {
        d.createObjectStore('bundles', { keyPath: 'eventId' }).createIndex('savedAt', 'savedAt');
        d.createObjectStore('seen', { keyPath: ['eventId', 'ticketId'] }).createIndex('eventAt', ['eventId', 'at']);
        d.createObjectStore('pending', { keyPath: 'id', autoIncrement: true }).createIndex('eventId', 'eventId');
      },
    });
    return new GateStore(db, limits);
  }

  close() {
    this.db.close();
  }

  /** The event's state; what an older version of the page left in `legacy` (localStorage) moves in once. */
  async load(eventId: string, legacy?: Storage): Promise<GateState> {
    await this.migrate(eventId, legacy);
    const tx = this.db.transaction(['bundles', 'seen', 'pending']);
    const range = IDBKeyRange.bound([eventId, ''], [eventId, '\uffff']);
    const [bundle, seen, pending] = await Promise.all([
      tx.objectStore('bundles').get(eventId),
      tx.objectStore('seen').index('eventAt').getAll(range),
      tx.objectStore('pending').index('eventId').getAll(eventId),
    ]);
    await tx.done;
    const state = emptyState();
    state.bundle = bundle?.bundle ?? null;
    for (const row of seen) state.seen[row.ticketId] = { at: row.at, gate: row.gate };
    state.pending = pending.sort((a, b) => (a.id ?? 0) - (b.id ?? 0)).map(({ eventId: _e, ...admission }) => admission);
    return state;
  }

  /** Keeps the latest public key and revocation list; the bundles of older events go. */
  async saveBundle(bundle: OfflineBundle, now = Date.now()): Promise<void> {
    const tx = this.db.transaction('bundles', 'readwrite');
    await tx.store.put({ eventId: bundle.eventId, savedAt: now, bundle });
    const keys = await tx.store.index('savedAt').getAllKeys();
    for (const stale of keys.slice(0, Math.max(0, keys.length - this.limits.events))) await tx.store.delete(stale);
    await tx.done;
  }

  /** A ticket the server admitted (first at `gate`, at `at`), for duplicate answers offline. */
  async recordSeen(eventId: string, ticketId: string, seen: { at: string; gate: string }): Promise<void> {
    const tx = this.db.transaction('seen', 'readwrite');
    await tx.store.put({ eventId, ticketId, ...seen });
    await this.trimSeen(tx.store, eventId);
    await tx.done;
  }

  /** An admission made offline: seen and waiting to upload, both or neither. Returns its upload id. */
  async recordAdmission(eventId: string, admission: LocalAdmission): Promise<number> {
    const tx = this.db.transaction(['seen', 'pending'], 'readwrite');
    const pending = tx.objectStore('pending');
    if ((await pending.index('eventId').count(eventId)) >= this.limits.pending) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new GateStoreFull(this.limits.pending);
    }
    const { id: _id, ...row } = admission;
    const id = await pending.add({ ...row, eventId });
    const seen = tx.objectStore('seen');
    await seen.put({ eventId, ticketId: admission.ticketId, at: admission.admittedAt, gate: admission.gate });
    await this.trimSeen(seen, eventId);
    await tx.done;
    return id;
  }

  /** Admissions the server has answered for (recorded or reported as conflicts). */
  async removePending(ids: number[]): Promise<void> {
    const tx = this.db.transaction('pending', 'readwrite');
    await Promise.all(ids.map((id) => tx.store.delete(id)));
    await tx.done;
  }

  /** Drops the event's oldest entries past the limit. */
  private async trimSeen(store: IDBPObjectStore<GateDb, ArrayLike<StoreNames<GateDb>>, 'seen', 'readwrite'>, eventId: string) {
    const range = IDBKeyRange.bound([eventId, ''], [eventId, '\uffff']);
    let excess = (await store.index('eventAt').count(range)) - this.limits.seen;
    if (excess <= 0) return;
    let cursor = await store.index('eventAt').openCursor(range);
    while (cursor && excess-- > 0) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
  }

  private async migrate(eventId: string, legacy?: Storage) {
    const raw = legacy?.getItem(legacyKey(eventId));
    if (!raw) return;
    try {
      const old = JSON.parse(raw) as Partial<GateState>;
      if (old.bundle) await this.saveBundle(old.bundle);
      for (const [ticketId, seen] of Object.entries(old.seen ?? {})) await this.recordSeen(eventId, ticketId, seen);
      for (const admission of old.pending ?? []) await this.recordAdmission(eventId, admission);
    } catch {
      /* unreadable leftovers are dropped; the server's list is the truth */
    }
    legacy?.removeItem(legacyKey(eventId));
  }
}
