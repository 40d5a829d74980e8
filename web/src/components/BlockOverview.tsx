// The venue overview: every block drawn where it sits (a bowl around the field, floor and
// balcony under a stage), numbered, coloured by how many seats are left, with grade, price
// and seats left on the block itself and in its accessible name. Tapping a block opens it.
import { memo } from 'react';

import s from './BlockOverview.module.css';

export interface OverviewPoint {
  x: number;
  y: number;
}

export interface OverviewBlock {
  id: number;
  name: string;
  label: string;
  kind: 'floor' | 'bowl' | 'balcony';
  polygon: OverviewPoint[];
  price: number;
  color?: string | null;
  counts: { total: number; available: number; held: number; sold: number };
}

/** Availability shade: full colour with plenty left, grey when gone. */
export function shadeOf(block: OverviewBlock): { fill: string; opacity: number } {
  const share = block.counts.total ? block.counts.available / block.counts.total : 0;
  if (block.counts.available === 0) return { fill: '#cbd5e1', opacity: 1 };
  return { fill: block.color ?? '#8b5cf6', opacity: 0.35 + 0.65 * Math.min(1, share * 1.5) };
}

/**
 * Where a block's number goes: the middle of a stand block drawn as an arc (outer edge then
 * inner edge, as the server draws them), else the average of the corners.
 */
export function labelPoint(points: OverviewPoint[]): OverviewPoint {
  const n = points.length;
  if (n > 4 && n % 2 === 0) {
    const k = Math.floor((n / 2 - 1) / 2);
    const a = points[k];
    const b = points[n - 1 - k];
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  }
  return centroid(points);
}

function centroid(points: OverviewPoint[]): OverviewPoint {
  const n = points.length || 1;
  return { x: points.reduce((a, p) => a + p.x, 0) / n, y: points.reduce((a, p) => a + p.y, 0) / n };
}

const Block = memo(function Block({
  block,
  active,
  interactive,
  title,
  onOpen,
}: {
  block: OverviewBlock;
  active: boolean;
  interactive: boolean;
  title: string;
  onOpen: (id: number) => void;
}) {
  const { fill, opacity } = shadeOf(block);
  const c = labelPoint(block.polygon);
  const points = block.polygon.map((p) => `${p.x},${p.y}`).join(' ');
  const big = block.polygon.length <= 4;
  return (
    <g
      className={interactive ? s.block : undefined}
      role={interactive ? 'button' : undefined}
      tabIndex={interactive ? 0 : undefined}
      aria-label={title}
      aria-pressed={interactive ? active : undefined}
      data-block-id={block.id}
      data-available={block.counts.available}
      onClick={interactive ? () => onOpen(block.id) : undefined}
      onKeyDown={
        interactive
          ? (e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onOpen(block.id);
              }
            }
          : undefined
      }
    >
      <title>{title}</title>
      <polygon points={points} fill={fill} fillOpacity={opacity} stroke={active ? '#1c1a29' : '#fff'} strokeWidth={active ? 5 : 2} />
      <text x={c.x} y={c.y + (big ? -4 : 5)} className={s.label} textAnchor="middle">
        {block.label}
      </text>
      {big && (
        <text x={c.x} y={c.y + 20} className={s.left} textAnchor="middle">
          {block.counts.available.toLocaleString()}
        </text>
      )}
    </g>
  );
});

export function BlockOverview({
  blocks,
  focus,
  focusLabel,
  activeId,
  onOpen,
  titleOf,
  label,
}: {
  blocks: OverviewBlock[];
  focus: { kind: 'stage' | 'field'; polygon: OverviewPoint[] };
  focusLabel: string;
  activeId: number | null;
  onOpen?: (id: number) => void;
  titleOf: (b: OverviewBlock) => string;
  label: string;
}) {
  const c = centroid(focus.polygon);
  // On a field the floor blocks cover the centre: its name goes along the top edge.
  const focusY = focus.kind === 'field' ? Math.min(...focus.polygon.map((p) => p.y)) + 30 : c.y + 8;
  const ys = blocks.flatMap((b) => b.polygon.map((p) => p.y)).concat(focus.polygon.map((p) => p.y));
  const bottom = Math.min(1000, Math.max(...ys) + 20);
  return (
    <svg className={s.svg} viewBox={`0 0 1000 ${bottom}`} role="group" aria-label={label} data-testid="venue-overview">
      <polygon points={focus.polygon.map((p) => `${p.x},${p.y}`).join(' ')} fill={focus.kind === 'field' ? '#86c98a' : '#1c1a29'} />
      <text x={c.x} y={focusY} textAnchor="middle" className={s.focus} fill={focus.kind === 'field' ? '#14532d' : '#fff'}>
        {focusLabel}
      </text>
      {blocks.map((b) => (
        <Block key={b.id} block={b} active={b.id === activeId} interactive={!!onOpen} title={titleOf(b)} onOpen={onOpen ?? noop} />
      ))}
    </svg>
  );
}

function noop() {}
