// The seat map as SVG: one <g> per section, memoized seats (a delta or a tap re-renders
// only the sections it touches, and only the seats whose status or pick changed compute
// their label), and zoom/pan as a CSS transform on the <svg> element so the browser
// composites it instead of re-laying out 4,900 seats per frame. Seats are buttons with
// labels; one of them is in the tab order (roving tabindex), arrows move between them.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

import type { SeatStatus } from '../api/models';
import { neighbour, SEAT_R, type Direction, type PlacedSection, type SeatGeometry } from '../lib/seatLayout';
import s from './SeatCanvas.module.css';

export type StatusMap = Record<string, Record<string, SeatStatus>>;

type LabelOf = (seatId: string, status: SeatStatus, selected: boolean) => string;

interface SeatProps {
  id: string;
  x: number;
  y: number;
  fill: string;
  status: SeatStatus;
  selected: boolean;
  focused: boolean;
  labelOf: LabelOf;
}

const Seat = memo(function Seat({ id, x, y, fill, status, selected, focused, labelOf }: SeatProps) {
  const label = labelOf(id, status, selected);
  const color = selected ? '#1c1a29' : status === 'available' ? fill : status === 'held' ? '#cbd5e1' : '#64748b';
  return (
    <circle
      className={s.seat}
      cx={x}
      cy={y}
      r={SEAT_R}
      fill={color}
      stroke={selected ? fill : undefined}
      strokeWidth={selected ? 2 : undefined}
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

interface SectionProps {
  section: PlacedSection;
  statuses: Record<string, SeatStatus>;
  /** The picked seats of this section only, so a tap re-renders one section. */
  selected: ReadonlySet<string>;
  /** The focused seat when it is in this section. */
  focusedId: string | null;
  labelOf: LabelOf;
}

const Section = memo(function Section({ section, statuses, selected, focusedId, labelOf }: SectionProps) {
  return (
    <g data-section={section.name}>
      <text className={s.sectionLabel} x={section.x} y={section.y + 12}>
        {section.name}
      </text>
      {section.seats.map((seat) => {
        const status = statuses[seat.id] ?? seat.status;
        const isSelected = selected.has(seat.id);
        return (
          <Seat
            key={seat.id}
            id={seat.id}
            x={seat.x}
            y={seat.y}
            fill={section.color}
            status={status}
            selected={isSelected}
            focused={focusedId === seat.id}
            labelOf={labelOf}
          />
        );
      })}
    </g>
  );
});

interface View {
  k: number;
  x: number;
  y: number;
}

const KEYS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

export function SeatCanvas({
  geometry,
  statuses,
  selected,
  onToggle,
  labelOf,
  stageLabel,
  zoomLabels,
  mapLabel,
}: {
  geometry: SeatGeometry;
  statuses: StatusMap;
  selected: string[];
  onToggle: (seatId: string) => void;
  labelOf: (seatId: string, status: SeatStatus, selected: boolean) => string;
  stageLabel: string;
  zoomLabels: { in: string; out: string; fit: string };
  mapLabel: string;
}) {
  const viewport = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const view = useRef<View>({ k: 1, x: 0, y: 0 });
  const fitK = useRef(1);
  const frame = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout>>();
  const drag = useRef<{ id: number; sx: number; sy: number; vx: number; vy: number; moved: boolean } | null>(null);
  const suppressClick = useRef(false);
  const [dragging, setDragging] = useState(false);
  const [focusedId, setFocusedId] = useState<string | null>(() => geometry.sections[0]?.seats[0]?.id ?? null);
  // Per section, the picked seats; a section whose picks did not change keeps its set, so
  // its memoized <g> is skipped on a tap elsewhere.
  const previousPicks = useRef(new Map<string, ReadonlySet<string>>());
  const picksBySection = useMemo(() => {
    const groups = new Map<string, string[]>();
    for (const id of selected) {
      const sec = geometry.byId.get(id)?.section;
      if (sec !== undefined) groups.set(sec, [...(groups.get(sec) ?? []), id]);
    }
    const next = new Map<string, ReadonlySet<string>>();
    for (const sec of geometry.sections) {
      const ids = groups.get(sec.name) ?? [];
      const old = previousPicks.current.get(sec.name);
      const same = old && old.size === ids.length && ids.every((id) => old.has(id));
      next.set(sec.name, same ? old : ids.length ? new Set(ids) : NO_PICKS);
    }
    previousPicks.current = next;
    return next;
  }, [selected, geometry]);

  const apply = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const el = svg.current;
      if (!el) return;
      const { k, x, y } = view.current;
      el.classList.add(s.moving);
      el.style.transform = `translate(${x}px, ${y}px) scale(${k})`;
      // Once still, drop the layer hint so the seats are re-rasterized sharp at this zoom.
      clearTimeout(idle.current);
      idle.current = setTimeout(() => el.classList.remove(s.moving), 180);
    });
  }, []);

  const fit = useCallback(() => {
    const vp = viewport.current;
    if (!vp) return;
    const k = Math.min(vp.clientWidth / geometry.width, vp.clientHeight / geometry.height);
    fitK.current = k;
    view.current = { k, x: (vp.clientWidth - geometry.width * k) / 2, y: Math.max(0, (vp.clientHeight - geometry.height * k) / 2) };
    apply();
  }, [geometry, apply]);

  useLayoutEffect(fit, [fit]);
  useEffect(() => {
    const vp = viewport.current;
    if (!vp || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => fit());
    ro.observe(vp);
    return () => ro.disconnect();
  }, [fit]);

  const zoomAt = useCallback(
    (factor: number, cx?: number, cy?: number) => {
      const vp = viewport.current;
      if (!vp) return;
      const v = view.current;
      const px = cx ?? vp.clientWidth / 2;
      const py = cy ?? vp.clientHeight / 2;
      const k = Math.min(Math.max(v.k * factor, fitK.current * 0.8), Math.max(4, fitK.current * 12));
      const r = k / v.k;
      view.current = { k, x: px - (px - v.x) * r, y: py - (py - v.y) * r };
      apply();
    },
    [apply],
  );

  // React's wheel listener is passive; this one must prevent the page from scrolling.
  useEffect(() => {
    const vp = viewport.current;
    if (!vp) return;
    const onWheel = (e: globalThis.WheelEvent) => {
      e.preventDefault();
      const rect = vp.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
    };
    vp.addEventListener('wheel', onWheel, { passive: false });
    return () => vp.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    drag.current = { id: e.pointerId, sx: e.clientX, sy: e.clientY, vx: view.current.x, vy: view.current.y, moved: false };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    const dx = e.clientX - d.sx;
    const dy = e.clientY - d.sy;
    if (!d.moved && Math.hypot(dx, dy) < 5) return;
    if (!d.moved) {
      d.moved = true;
      setDragging(true);
      // Capture only once it is a drag, so a plain click still lands on its seat.
      viewport.current?.setPointerCapture(e.pointerId);
    }
    view.current = { ...view.current, x: d.vx + dx, y: d.vy + dy };
    apply();
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    suppressClick.current = d.moved;
    drag.current = null;
    setDragging(false);
  };

  const onClick = (e: React.MouseEvent) => {
    if (suppressClick.current) {
      suppressClick.current = false;
      return;
    }
    const id = (e.target as Element).getAttribute?.('data-seat-id');
    if (id) {
      setFocusedId(id);
      onToggle(id);
    }
  };

  /** Keeps the keyboard-focused seat on screen. */
  const reveal = (id: string) => {
    const seat = geometry.byId.get(id);
    const vp = viewport.current;
    if (!seat || !vp) return;
    const v = view.current;
    const sx = seat.x * v.k + v.x;
    const sy = seat.y * v.k + v.y;
    const pad = 30;
    if (sx < pad || sy < pad || sx > vp.clientWidth - pad || sy > vp.clientHeight - pad) {
      view.current = { ...v, x: vp.clientWidth / 2 - seat.x * v.k, y: vp.clientHeight / 2 - seat.y * v.k };
      apply();
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as Element;
    const id = target.getAttribute?.('data-seat-id');
    if (e.key === '+' || e.key === '=') {
      zoomAt(1.25);
      e.preventDefault();
      return;
    }
    if (e.key === '-' || e.key === '_') {
      zoomAt(0.8);
      e.preventDefault();
      return;
    }
    if (!id) return;
    const dir = KEYS[e.key];
    if (dir) {
      e.preventDefault();
      const next = neighbour(geometry, id, dir);
      setFocusedId(next);
      reveal(next);
      requestAnimationFrame(() => svg.current?.querySelector<SVGElement>(`[data-seat-id="${next}"]`)?.focus());
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onToggle(id);
    }
  };

  return (
    <div
      ref={viewport}
      className={`${s.viewport} ${dragging ? s.dragging : ''}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      data-testid="seat-map"
    >
      <div className={s.zoom}>
        <button type="button" onClick={() => zoomAt(1.3)} aria-label={zoomLabels.in}>
          +
        </button>
        <button type="button" onClick={() => zoomAt(1 / 1.3)} aria-label={zoomLabels.out}>
          −
        </button>
        <button type="button" onClick={fit} aria-label={zoomLabels.fit}>
          ⤢
        </button>
      </div>
      <svg
        ref={svg}
        className={s.svg}
        width={geometry.width}
        height={geometry.height}
        viewBox={`0 0 ${geometry.width} ${geometry.height}`}
        role="group"
        aria-label={mapLabel}
        onClick={onClick}
        onKeyDown={onKeyDown}
      >
        <rect x={geometry.stage.x} y={geometry.stage.y} width={geometry.stage.width} height={geometry.stage.height} rx={6} fill="#1c1a29" />
        <text x={geometry.width / 2} y={geometry.stage.y + geometry.stage.height / 2 + 5} textAnchor="middle" fill="#fff" fontSize={14} fontWeight={700}>
          {stageLabel}
        </text>
        {geometry.sections.map((sec) => (
          <Section
            key={sec.name}
            section={sec}
            statuses={statuses[sec.name] ?? EMPTY}
            selected={picksBySection.get(sec.name) ?? NO_PICKS}
            focusedId={focusedId !== null && geometry.byId.get(focusedId)?.section === sec.name ? focusedId : null}
            labelOf={labelOf}
          />
        ))}
      </svg>
    </div>
  );
}

const EMPTY: Record<string, SeatStatus> = {};
const NO_PICKS: ReadonlySet<string> = new Set();
