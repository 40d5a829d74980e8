import { describe, expect, it } from 'vitest';

import { placeBlock, step, type BlockSeatInfo } from './BlockSeats';

const seats: BlockSeatInfo[] = ['A', 'B'].flatMap((row) =>
  Array.from({ length: 6 }, (_, i) => ({ id: `${row}${i + 1}`, row, number: i + 1, status: 'available' as const })),
);

describe('block seat layout', () => {
  it('leaves a gap after each aisle and letters rows in block order', () => {
    const layout = placeBlock(seats, [3], 24);
    expect(layout.rows).toEqual(['A', 'B']);
    const x = (id: string) => layout.placed.find((p) => p.seat.id === id)!.x;
    expect(x('A2') - x('A1')).toBe(24);
    expect(x('A4') - x('A3')).toBeGreaterThan(24);
    expect(layout.placed.find((p) => p.seat.id === 'B1')!.y - layout.placed.find((p) => p.seat.id === 'A1')!.y).toBe(24);
  });

  it('moves with the arrow keys along rows and between them, stopping at edges', () => {
    const layout = placeBlock(seats.filter((s) => s.id !== 'B3'), [], 24);
    const at = (id: string) => seats.find((s) => s.id === id)!;
    expect(step(layout, at('A1'), 'ArrowRight')).toBe('A2');
    expect(step(layout, at('A1'), 'ArrowLeft')).toBe('A1');
    expect(step(layout, at('A1'), 'ArrowUp')).toBe('A1');
    expect(step(layout, at('A2'), 'ArrowDown')).toBe('B2');
    // No B3: the nearest seat of row B.
    expect(['B2', 'B4']).toContain(step(layout, at('A3'), 'ArrowDown'));
    expect(step(layout, at('B2'), 'ArrowRight')).toBe('B4');
  });
});
