import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { backoffDelay, LiveSocket, type LiveMessage } from './socket';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: Event) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(s: string) {
    this.sent.push(JSON.parse(s));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(m: unknown) {
    this.onmessage?.({ data: JSON.stringify(m) } as MessageEvent);
  }
}

describe('LiveSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = () =>
    new LiveSocket({
      url: () => 'ws://x/ws',
      create: (u) => new FakeSocket(u),
      random: () => 1,
      baseDelayMs: 100,
      maxDelayMs: 1000,
    });

  it('subscribes on open and routes messages by topic (personal ones to "user")', () => {
    const s = make();
    const seats: LiveMessage[] = [];
    const mine: LiveMessage[] = [];
    s.subscribe('seats:e1', (m) => seats.push(m));
    s.subscribe('user', (m) => mine.push(m));
    s.start();
    const ws = FakeSocket.all[0];
    ws.open();
    expect(ws.sent).toEqual([
      { op: 'subscribe', topic: 'seats:e1' },
      { op: 'subscribe', topic: 'user' },
    ]);
    ws.receive({ topic: 'seats:e1', event: 'seat-locked', seq: 3, data: { seatIds: ['a'], status: 'held' } });
    ws.receive({ topic: 'user:42', event: 'hold-expired', data: { reservationId: 'r' } });
    ws.receive({ op: 'subscribed', topic: 'seats:e1' });
    expect(seats).toHaveLength(1);
    expect(mine[0].event).toBe('hold-expired');
    expect(s.state).toBe('online');
  });

  it('refetches instead of applying deltas when the server says resync', () => {
    const s = make();
    const seats: LiveMessage[] = [];
    const refetch = vi.fn();
    s.subscribe('seats:e1', (m) => seats.push(m), { sinceSeq: () => 1, onReconnect: refetch });
    s.start();
    const ws = FakeSocket.all[0];
    ws.open();
    ws.receive({ topic: 'seats:e1', event: 'resync', data: {} });
    ws.receive({ topic: 'seats:e2', event: 'resync', data: {} });
    expect(refetch).toHaveBeenCalledTimes(1);
    expect(seats).toHaveLength(0);
    expect(s.state).toBe('online');
  });

  it('reconnects with backoff, resubscribes with sinceSeq and tells subscribers', () => {
    const s = make();
    let seq = 7;
    const reconnected = vi.fn();
    s.subscribe('seats:e1', () => {}, { sinceSeq: () => seq, onReconnect: reconnected });
    s.start();
    FakeSocket.all[0].open();
    expect(FakeSocket.all[0].sent[0]).toEqual({ op: 'subscribe', topic: 'seats:e1', sinceSeq: 7 });
    seq = 12;
    FakeSocket.all[0].close();
    expect(s.state).toBe('offline');
    vi.advanceTimersByTime(99);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    // Fails again: the next wait doubles.
    FakeSocket.all[1].close();
    vi.advanceTimersByTime(199);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    const ws = FakeSocket.all[2];
    ws.open();
    expect(ws.sent[0]).toEqual({ op: 'subscribe', topic: 'seats:e1', sinceSeq: 12 });
    expect(reconnected).toHaveBeenCalledTimes(1);
    expect(s.state).toBe('online');
  });

  it('unsubscribes when the last subscriber leaves', () => {
    const s = make();
    s.start();
    const ws = FakeSocket.all[0];
    ws.open();
    const off1 = s.subscribe('event:e', () => {});
    const off2 = s.subscribe('event:e', () => {});
    off1();
    expect(ws.sent).toEqual([{ op: 'subscribe', topic: 'event:e' }]);
    off2();
    expect(ws.sent[1]).toEqual({ op: 'unsubscribe', topic: 'event:e' });
  });

  it('drops a silent connection and reconnects', () => {
    const s = new LiveSocket({ url: () => 'ws://x', create: (u) => new FakeSocket(u), pingMs: 1000, random: () => 1, baseDelayMs: 100 });
    s.start();
    FakeSocket.all[0].open();
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all[0].sent).toContainEqual({ op: 'ping' });
    vi.advanceTimersByTime(2000);
    expect(s.state).toBe('offline');
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('caps the backoff', () => {
    expect(backoffDelay(0, 500, 10_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 10_000, () => 1)).toBe(4000);
    expect(backoffDelay(30, 500, 10_000, () => 1)).toBe(10_000);
    expect(backoffDelay(30, 500, 10_000, () => 0)).toBe(5000);
  });
});
