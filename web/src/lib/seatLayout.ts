// Seat geometry from the layout: sections stacked under the stage, each centred, seats on
// a 12-unit pitch; plus the grid index keyboard navigation walks.
import type { Layout, Seat } from '../api/models';

export const PITCH = 12;
export const SEAT_R = 4.6;
const SECTION_GAP = 34;
const STAGE_H = 40;
const LABEL_H = 18;
const MARGIN = 20;

export interface PlacedSeat extends Seat {
  x: number;
  y: number;
  sectionIndex: number;
  rowIndex: number;
  col: number;
}

export interface PlacedSection {
  name: string;
  index: number;
  price: number;
  color: string;
  x: number;
  y: number;
  width: number;
  height: number;
  seats: PlacedSeat[];
}

export interface SeatGeometry {
  width: number;
  height: number;
  stage: { x: number; y: number; width: number; height: number };
  sections: PlacedSection[];
  byId: Map<string, PlacedSeat>;
  /** `${section}:${row}:${col}` → seat id */
  grid: Map<string, string>;
  rowsPerSection: number[];
}

const PALETTE = ['#8b5cf6', '#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#ec4899', '#14b8a6', '#84cc16'];

export function placeSeats(layout: Layout | null, seats: Seat[]): SeatGeometry {
  // Sections in layout order; seats may name sections the layout lacks (defensive).
  const order: string[] = layout ? layout.sections.map((s) => s.name) : [];
  for (const s of seats) if (!order.includes(s.section)) order.push(s.section);
  const groups = new Map<string, Seat[]>(order.map((n) => [n, []]));
  for (const s of seats) groups.get(s.section)!.push(s);

  const widths = order.map((name) => {
    const per = layout?.sections.find((x) => x.name === name)?.seatsPerRow;
    const max = Math.max(0, ...groups.get(name)!.map((s) => s.number));
    return Math.max(per ?? 0, max) * PITCH;
  });
  const width = Math.max(200, ...widths) + MARGIN * 2;
  const stage = { x: width / 2 - Math.min(width * 0.3, 200), y: MARGIN, width: Math.min(width * 0.6, 400), height: STAGE_H - 10 };
  let y = MARGIN + STAGE_H + 10;
  const byId = new Map<string, PlacedSeat>();
  const grid = new Map<string, string>();
  const rowsPerSection: number[] = [];
  const sections: PlacedSection[] = order.map((name, index) => {
    const meta = layout?.sections.find((x) => x.name === name);
    const list = groups.get(name)!;
    const rows: string[] = [];
    for (const s of list) if (!rows.includes(s.row)) rows.push(s.row);
    rowsPerSection.push(rows.length);
    const w = widths[index];
    const x0 = (width - w) / 2;
    const top = y + LABEL_H;
    const placed = list.map((s) => {
      const rowIndex = rows.indexOf(s.row);
      const col = s.number - 1;
      const p: PlacedSeat = {
        ...s,
        x: x0 + col * PITCH + PITCH / 2,
        y: top + rowIndex * PITCH + PITCH / 2,
        sectionIndex: index,
        rowIndex,
        col,
      };
      byId.set(s.id, p);
      grid.set(`${index}:${rowIndex}:${col}`, s.id);
      return p;
    });
    const sec: PlacedSection = {
      name,
      index,
      price: meta?.price ?? list[0]?.price ?? 0,
      color: meta?.color ?? PALETTE[index % PALETTE.length],
      x: x0,
      y,
      width: w,
      height: LABEL_H + rows.length * PITCH,
      seats: placed,
    };
    y = top + rows.length * PITCH + SECTION_GAP;
    return sec;
  });
  return { width, height: y - SECTION_GAP + MARGIN, stage, sections, byId, grid, rowsPerSection };
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/** The seat an arrow key moves to from `id` (the nearest one in that direction), or `id`. */
export function neighbour(g: SeatGeometry, id: string, dir: Direction): string {
  const s = g.byId.get(id);
  if (!s) return id;
  const at = (sec: number, row: number, col: number) => g.grid.get(`${sec}:${row}:${col}`);
  if (dir === 'left' || dir === 'right') {
    const step = dir === 'left' ? -1 : 1;
    for (let c = s.col + step; c >= 0 && c < 200; c += step) {
      const hit = at(s.sectionIndex, s.rowIndex, c);
      if (hit) return hit;
    }
    return id;
  }
  const step = dir === 'up' ? -1 : 1;
  let sec = s.sectionIndex;
  let row = s.rowIndex + step;
  // Walk rows (crossing into the next section), taking the closest column present.
  for (let guard = 0; guard < 1000; guard++) {
    if (row < 0) {
      sec -= 1;
      if (sec < 0) return id;
      row = g.rowsPerSection[sec] - 1;
    } else if (row >= (g.rowsPerSection[sec] ?? 0)) {
      sec += 1;
      if (sec >= g.rowsPerSection.length) return id;
      row = 0;
    }
    // Sections differ in width: map by x position.
    const targetSec = g.sections[sec];
    const col = Math.round((s.x - targetSec.x - PITCH / 2) / PITCH);
    for (let d = 0; d < 200; d++) {
      const hit = at(sec, row, col - d) ?? at(sec, row, col + d);
      if (hit) return hit;
    }
    row += step;
  }
  return id;
}
