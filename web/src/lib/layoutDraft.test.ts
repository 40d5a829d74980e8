import { describe, expect, it } from 'vitest';

import { previewSeats, rowLabel, toSections, totals, type SectionDraft } from './layoutDraft';
import { placeSeats } from './seatLayout';

const draft = (name: string, rows: string, seatsPerRow: string, price: string, color = ''): SectionDraft => ({ name, rows, seatsPerRow, price, color });

describe('layout editor model', () => {
  it('labels rows A..Z, AA.. across sections like the server', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(rowLabel)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA']);
    const seats = previewSeats(toSections([draft('VIP', '2', '3', '150000'), draft('R', '1', '2', '99000')]));
    expect(seats.map((s) => `${s.section}${s.row}${s.number}`)).toEqual(['VIPA1', 'VIPA2', 'VIPA3', 'VIPB1', 'VIPB2', 'VIPB3', 'RC1', 'RC2']);
    expect(seats.filter((s) => s.section === 'R').every((s) => s.price === 99000)).toBe(true);
  });

  it('sends what was typed, trimmed, and leaves judging to the server', () => {
    expect(toSections([draft(' VIP ', '10', '20', '150000', '#8b5cf6'), draft('R', 'x', '', '-5')])).toEqual([
      { name: 'VIP', rows: 10, seatsPerRow: 20, price: 150000, color: '#8b5cf6' },
      { name: 'R', rows: 0, seatsPerRow: 0, price: 0 },
    ]);
  });

  it('previews with the seat map geometry and totals per grade', () => {
    const sections = toSections([draft('VIP', '2', '10', '150000'), draft('R', '3', '20', '99000')]);
    const g = placeSeats({ id: 'draft', name: 'd', venue: '', description: '', totalSeats: 0, sections }, previewSeats(sections));
    expect(g.sections.map((s) => [s.name, s.seats.length])).toEqual([['VIP', 20], ['R', 60]]);
    // The wider section sets the width; the narrower one is centred.
    expect(g.sections[0].x).toBeGreaterThan(g.sections[1].x);
    expect(totals(sections)).toEqual({
      seats: 80,
      gross: 20 * 150000 + 60 * 99000,
      perGrade: [{ name: 'VIP', seats: 20, price: 150000 }, { name: 'R', seats: 60, price: 99000 }],
    });
  });
});
