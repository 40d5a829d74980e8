import { describe, expect, it } from 'vitest';

import { bestAvailable, type BlockSeatLike } from './bestAvailable';

function block(rows: string[], perRow: number): BlockSeatLike[] {
  return rows.flatMap((row) => Array.from({ length: perRow }, (_, i) => ({ id: `${row}${i + 1}`, row, number: i + 1 })));
}

describe('bestAvailable', () => {
  const seats = block(['A', 'B', 'C'], 10);

  it('takes the centre of the front row when it is free', () => {
    expect(bestAvailable(seats, [], 2, () => true)).toEqual(['A5', 'A6']);
    expect(bestAvailable(seats, [], 3, () => true)).toEqual(['A4', 'A5', 'A6']);
  });

  it('never spans a taken seat or an aisle, and moves back a row when it must', () => {
    const taken = new Set(['A3', 'A8']);
    // A4..A7 is the only run of 4 in row A.
    expect(bestAvailable(seats, [], 4, (id) => !taken.has(id))).toEqual(['A4', 'A5', 'A6', 'A7']);
    // An aisle after seat 5 splits A4..A7 into two runs of 2: row B has five together.
    expect(bestAvailable(seats, [5], 4, (id) => !taken.has(id))).toEqual(['B2', 'B3', 'B4', 'B5']);
    expect(bestAvailable(seats, [5], 5, (id) => !taken.has(id))).toEqual(['B1', 'B2', 'B3', 'B4', 'B5']);
  });

  it('returns null when no row has enough seats together', () => {
    const free = new Set(['A1', 'A2', 'B4', 'C9', 'C10']);
    expect(bestAvailable(seats, [], 3, (id) => free.has(id))).toBeNull();
    expect(bestAvailable(seats, [], 2, (id) => free.has(id))).toEqual(['A1', 'A2']);
    expect(bestAvailable(seats, [], 0, () => true)).toBeNull();
  });

  it('keeps the block order of rows (front first) whatever the seat order', () => {
    const shuffled = [...seats].reverse();
    // Reversed input puts row C first: the first row seen is the front row.
    expect(bestAvailable(shuffled, [], 2, () => true)).toEqual(['C5', 'C6']);
  });
});
