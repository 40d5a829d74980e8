import { describe, expect, it } from 'vitest';

import type { Layout, Seat } from '../api/models';
import { neighbour, placeSeats } from './seatLayout';

function build(sections: { name: string; rows: number; seatsPerRow: number; price: number }[]) {
  const layout: Layout = { id: 'l', name: 'L', description: '', venue: '', totalSeats: 0, sections };
  const seats: Seat[] = [];
  for (const s of sections)
    for (let r = 0; r < s.rows; r++)
      for (let n = 1; n <= s.seatsPerRow; n++)
        seats.push({ id: `${s.name}-${r}-${n}`, section: s.name, row: String.fromCharCode(65 + r), number: n, price: s.price, status: 'available' });
  return placeSeats(layout, seats);
}

describe('seat geometry', () => {
  it('places every seat once, sections stacked under the stage', () => {
    const g = build([
      { name: 'VIP', rows: 3, seatsPerRow: 10, price: 150_000 },
      { name: 'R', rows: 5, seatsPerRow: 15, price: 100_000 },
    ]);
    expect(g.byId.size).toBe(30 + 75);
    expect(g.sections[1].y).toBeGreaterThan(g.sections[0].y + g.sections[0].height);
    const xs = new Set([...g.byId.values()].map((s) => `${s.x},${s.y}`));
    expect(xs.size).toBe(105);
  });

  it('lays out the 4,900-seat stadium', () => {
    const g = build([
      { name: 'Floor VIP', rows: 10, seatsPerRow: 40, price: 1 },
      { name: 'Floor R', rows: 10, seatsPerRow: 50, price: 1 },
      { name: 'Lower S', rows: 20, seatsPerRow: 50, price: 1 },
      { name: 'Upper A', rows: 30, seatsPerRow: 50, price: 1 },
      { name: 'Upper B', rows: 30, seatsPerRow: 50, price: 1 },
    ]);
    expect(g.byId.size).toBe(4900);
  });

  it('moves with arrow keys within a row, across rows and into the next section', () => {
    const g = build([
      { name: 'A', rows: 2, seatsPerRow: 4, price: 1 },
      { name: 'B', rows: 1, seatsPerRow: 6, price: 1 },
    ]);
    expect(neighbour(g, 'A-0-1', 'right')).toBe('A-0-2');
    expect(neighbour(g, 'A-0-1', 'left')).toBe('A-0-1');
    expect(neighbour(g, 'A-0-1', 'down')).toBe('A-1-1');
    expect(neighbour(g, 'A-1-1', 'up')).toBe('A-0-1');
    // B is wider and centred: the seat below A's first seat is B's second.
    expect(neighbour(g, 'A-1-1', 'down')).toBe('B-0-2');
    expect(neighbour(g, 'B-0-2', 'up')).toBe('A-1-1');
    expect(neighbour(g, 'B-0-1', 'down')).toBe('B-0-1');
  });
});
