import { describe, expect, it } from 'vitest';

import type { SeatStatus } from '../api/models';
import { pruneSelection, selectionTotal, toggleSeat } from './selection';

describe('seat selection rules', () => {
  it('picks available seats up to the maximum', () => {
    let sel: string[] = [];
    for (const id of ['a', 'b', 'c', 'd']) {
      const r = toggleSeat(sel, id, 'available', 4);
      expect(r.ok).toBe(true);
      sel = r.selected;
    }
    const fifth = toggleSeat(sel, 'e', 'available', 4);
    expect(fifth).toEqual({ ok: false, reason: 'limit', selected: ['a', 'b', 'c', 'd'] });
  });

  it('refuses held or sold seats', () => {
    expect(toggleSeat([], 'x', 'held', 4)).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(toggleSeat([], 'x', 'sold', 4)).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(toggleSeat([], 'x', undefined, 4)).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('unpicks a picked seat even if it changed meanwhile', () => {
    expect(toggleSeat(['a', 'b'], 'a', 'held', 4)).toEqual({ ok: true, selected: ['b'] });
  });

  it('drops picked seats another fan took', () => {
    const status: Record<string, SeatStatus> = { a: 'available', b: 'held', c: 'sold' };
    expect(pruneSelection(['a', 'b', 'c'], (id) => status[id])).toEqual({ kept: ['a'], lost: ['b', 'c'] });
  });

  it('totals the prices', () => {
    expect(selectionTotal(['a', 'b'], (id) => (id === 'a' ? 150_000 : 70_000))).toBe(220_000);
  });
});
