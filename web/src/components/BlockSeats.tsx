// One block's seats as SVG: rows lettered on both sides, a gap where an aisle runs, 32 px
// seats on touch screens (24 px with a mouse). Seats are memoized: a tap re-renders the one
// seat whose pick changed, a delta the seats whose status changed. Hover shows a tooltip,
// a long press on touch shows the same card (and does not pick the seat). One seat is in the
// tab order (roving tabindex); arrows move along rows and between them, Enter picks.
import { memo, useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';

import type { SeatStatus } from '../api/models';
import s from './BlockSeats.module.css';

export interface BlockSeatInfo {
  id: string;
  row: string;
  number: number;
  status: SeatStatus;
}

const MARGIN = 8;

function usePitch(): number {
  const coarse = typeof window !== 'undefined' && window.matchMedia?.('(pointer: coarse)').matches;
  return coarse ? 32 : 24;
}

interface Placed {
  seat: BlockSeatInfo;
  x: number;
  y: number;
}

export function placeBlock(seats: BlockSeatInfo[], aislesAfter: number[], pitch: number) {
  const rows: string[] = [];
  const rowOf = new Map<string, number>();
  for (const seat of seats) if (!rowOf.has(seat.row)) rowOf.set(seat.row, rows.push(seat.row) - 1);
  const labelW = pitch * 1.2;
  const aisle = pitch * 0.8;
  const maxNumber = Math.max(1, ...seats.map((x) => x.number));
  const xOf = (n: number) => MARGIN + labelW + (n - 1) * pitch + aislesAfter.filter((a) => a < n).length * aisle;
  const placed: Placed[] = seats.map((seat) => ({ seat, x: xOf(seat.number), y: MARGIN + rowOf.get(seat.row)! * pitch }));
  const width = xOf(maxNumber) + pitch + labelW + MARGIN;
  const grid = new Map<string, string>(seats.map((x) => [`${rowOf.get(x.row)}:${x.number}`, x.id]));
  return { rows, rowOf, grid, placed, width, height: MARGIN * 2 + rows.length * pitch, labelW };
}

const STEPS: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

/** The seat an arrow key leads to from `seat`: the next one along the row, or the nearest
 * number in the next row; the same seat at an edge. */
export function step(layout: ReturnType<typeof placeBlock>, seat: BlockSeatInfo, key: string): string {
  const [dr, dn] = STEPS[key] ?? [0, 0];
  const r = layout.rowOf.get(seat.row)! + dr;
  if (r < 0 || r >= layout.rows.length) return seat.id;
  for (let d = 0; d <= 100; d++) {
    const n = seat.number + (dn === 0 ? 0 : dn * (d + 1));
    const candidates = dn === 0 ? [n - d, n + d] : [n];
    for (const c of candidates) {
      const id = layout.grid.get(`${r}:${c}`);
      if (id) return id;
    }
    if (dn !== 0 && (n < 1 || n > 200)) break;
  }
  return seat.id;
}

const Seat = memo(function Seat({
  seat,
  x,
  y,
  size,
  fill,
  status,
  selected,
  focused,
  labelOf,
}: {
  seat: BlockSeatInfo;
  focused: boolean;
  x: number;
  y: number;
  size: number;
  fill: string;
  status: SeatStatus;
  selected: boolean;
  labelOf: (seat: BlockSeatInfo, status: SeatStatus, selected: boolean) => string;
}) {
  const id = seat.id;
  const label = labelOf(seat, status, selected);
  const color = selected ? '#1c1a29' : status === 'available' ? fill : status === 'held' ? '#cbd5e1' : '#64748b';
  return (
    <rect
      className={s.seat}
      x={x}
      y={y}
      width={size}
      height={size}
      rx={size * 0.3}
      fill={color}
      // The gap to the next seat is stroke, so the whole pitch (32 px on touch) is the target.
      stroke="#fbfaff"
      strokeWidth={4}
      role="button"
      tabIndex={focused ? 0 : -1}
      aria-label={label}
      aria-pressed={selected}
      aria-disabled={status !== 'available' && !selected}
      data-seat-id={id}
      data-status={selected ? 'selected' : status}
    />
  );
});

export function BlockSeats({
  seats,
  statuses,
  aislesAfter,
  color,
  selected,
  onToggle,
  labelOf,
  cardOf,
  label,
}: {
  seats: BlockSeatInfo[];
  statuses: ReadonlyMap<string, SeatStatus>;
  aislesAfter: number[];
  color: string;
  selected: ReadonlySet<string>;
  onToggle: (seatId: string) => void;
  labelOf: (seat: BlockSeatInfo, status: SeatStatus, selected: boolean) => string;
  cardOf: (seat: BlockSeatInfo, status: SeatStatus) => string;
  label: string;
}) {
  const pitch = usePitch();
  const layout = useMemo(() => placeBlock(seats, aislesAfter, pitch), [seats, aislesAfter, pitch]);
  const byId = useMemo(() => new Map(seats.map((x) => [x.id, x])), [seats]);
  const [card, setCard] = useState<{ id: string; x: number; y: number } | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const focused = focusId && byId.has(focusId) ? focusId : (seats[0]?.id ?? null);
  const svgRef = useRef<SVGSVGElement>(null);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const id = seatAt(e);
    const seat = id ? byId.get(id) : undefined;
    if (!seat) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onToggle(seat.id);
    } else if (STEPS[e.key]) {
      e.preventDefault();
      const next = step(layout, seat, e.key);
      setFocusId(next);
      setCard(place(next));
      requestAnimationFrame(() => svgRef.current?.querySelector<SVGElement>(`[data-seat-id="${next}"]`)?.focus());
    }
  };
  const press = useRef<{ timer: ReturnType<typeof setTimeout>; long: boolean } | null>(null);
  const wrap = useRef<HTMLDivElement>(null);
  useEffect(() => () => clearTimeout(press.current?.timer), []);

  const seatAt = (e: { target: EventTarget }) => (e.target as Element).getAttribute?.('data-seat-id');
  const place = (id: string) => {
    const p = layout.placed.find((x) => x.seat.id === id);
    return p ? { id, x: p.x + pitch / 2, y: p.y } : null;
  };

  const onPointerOver = (e: PointerEvent) => {
    const id = seatAt(e);
    if (e.pointerType === 'mouse') setCard(id ? place(id) : null);
  };
  const onPointerDown = (e: PointerEvent) => {
    const id = seatAt(e);
    if (!id || e.pointerType === 'mouse') return;
    clearTimeout(press.current?.timer);
    const state = { long: false, timer: setTimeout(() => {
      state.long = true;
      setCard(place(id));
    }, 450) };
    press.current = state;
  };
  const endPress = () => clearTimeout(press.current?.timer);
  const onClick = (e: React.MouseEvent) => {
    const id = seatAt(e);
    if (!id) return;
    if (press.current?.long) {
      press.current = null;
      return;
    }
    setFocusId(id);
    onToggle(id);
  };

  const cardSeat = card ? byId.get(card.id) : undefined;
  return (
    <div ref={wrap} className={s.wrap} onPointerLeave={() => setCard(null)} data-testid="block-seats">
      <svg
        ref={svgRef}
        onKeyDown={onKeyDown}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label={label}
        onClick={onClick}
        onPointerOver={onPointerOver}
        onPointerDown={onPointerDown}
        onPointerUp={endPress}
        onPointerCancel={endPress}
        onContextMenu={(e) => e.preventDefault()}
      >
        {layout.rows.map((row, i) => (
          <g key={row} className={s.rowLabel}>
            <text x={MARGIN + layout.labelW / 2} y={MARGIN + i * pitch + pitch * 0.68} textAnchor="middle">
              {row}
            </text>
            <text x={layout.width - MARGIN - layout.labelW / 2} y={MARGIN + i * pitch + pitch * 0.68} textAnchor="middle">
              {row}
            </text>
          </g>
        ))}
        {layout.placed.map(({ seat, x, y }) => {
          const status = statuses.get(seat.id) ?? seat.status;
          const isSelected = selected.has(seat.id);
          return (
            <Seat
              key={seat.id}
              seat={seat}
              x={x + 2}
              y={y + 2}
              size={pitch - 4}
              fill={color}
              status={status}
              selected={isSelected}
              focused={seat.id === focused}
              labelOf={labelOf}
            />
          );
        })}
      </svg>
      {card && cardSeat && (
        <div className={s.card} style={{ left: card.x, top: card.y }} role="status" data-testid="seat-card">
          {cardOf(cardSeat, statuses.get(cardSeat.id) ?? cardSeat.status)}
        </div>
      )}
    </div>
  );
}
