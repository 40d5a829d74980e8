// The seat-layout editor's model: sections as the organizer types them (strings in inputs),
// turned into the api's `sections` and into preview seats with the same geometry the seat
// map uses, so the preview is what fans will see.
import type { Seat, Section } from '../api/models';

export interface SectionDraft {
  name: string;
  rows: string;
  seatsPerRow: string;
  price: string;
  color: string;
}

export const MAX_SECTIONS = 20;
export const MAX_TOTAL_SEATS = 20_000;

export function emptySection(index: number): SectionDraft {
  const names = ['VIP', 'R', 'S', 'A', 'B', 'C'];
  return { name: names[index] ?? `${index + 1}`, rows: '5', seatsPerRow: '20', price: '', color: '' };
}

const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);

/** The body's `sections`; numbers the server will judge are sent as typed (NaN as 0). */
export function toSections(drafts: SectionDraft[]): Section[] {
  return drafts.map((d) => {
    const s: Section = {
      name: d.name.trim(),
      rows: whole(d.rows) || 0,
      seatsPerRow: whole(d.seatsPerRow) || 0,
      price: whole(d.price) || 0,
    };
    if (d.color) s.color = d.color;
    return s;
  });
}

/** Row labels as the server assigns them: A, B, … Z, AA, AB, … running on across sections. */
export function rowLabel(i: number): string {
  let n = i;
  let label = '';
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

/** Available seats for the preview; sections with unusable numbers draw nothing yet. */
export function previewSeats(sections: Section[]): Seat[] {
  const seats: Seat[] = [];
  let row = 0;
  for (const s of sections) {
    const rows = Math.min(Math.max(s.rows, 0), 100);
    const per = Math.min(Math.max(s.seatsPerRow, 0), 100);
    for (let r = 0; r < rows; r++, row++) {
      for (let n = 1; n <= per; n++) {
        seats.push({ id: `${s.name}:${r}:${n}`, section: s.name, row: rowLabel(row), number: n, price: s.price, status: 'available' });
      }
    }
  }
  return seats;
}

export interface Totals {
  seats: number;
  /** KRW if every seat sells. */
  gross: number;
  perGrade: { name: string; seats: number; price: number }[];
}

export function totals(sections: Section[]): Totals {
  const perGrade = sections.map((s) => ({ name: s.name, seats: Math.max(s.rows, 0) * Math.max(s.seatsPerRow, 0), price: s.price }));
  return {
    seats: perGrade.reduce((a, g) => a + g.seats, 0),
    gross: perGrade.reduce((a, g) => a + g.seats * g.price, 0),
    perGrade,
  };
}
