// Small hand-drawn SVG charts for the dashboard (no chart library needed for two shapes).

export interface Point {
  t: number;
  v: number;
}

/** A line over time, e.g. revenue sampled at each dashboard refresh. */
export function LineChart({ points, label, format }: { points: Point[]; label: string; format: (v: number) => string }) {
  const W = 560;
  const H = 180;
  const P = 32;
  if (points.length === 0) return null;
  const t0 = points[0].t;
  const t1 = Math.max(points[points.length - 1].t, t0 + 1);
  const vmin = Math.min(...points.map((p) => p.v));
  const vmax = Math.max(...points.map((p) => p.v), vmin + 1);
  const x = (t: number) => P + ((t - t0) / (t1 - t0)) * (W - 2 * P);
  const y = (v: number) => H - P - ((v - vmin) / (vmax - vmin)) * (H - 2 * P);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`${label}: ${format(last.v)}`} data-testid="sales-chart">
      <line x1={P} y1={H - P} x2={W - P} y2={H - P} stroke="#e3e1ee" />
      <line x1={P} y1={P} x2={P} y2={H - P} stroke="#e3e1ee" />
      {vmax - vmin > 1 && (
        <text x={P} y={P - 10} fontSize="11" fill="#6b6880">
          {format(vmax)}
        </text>
      )}
      <text x={P} y={H - P + 16} fontSize="11" fill="#6b6880">
        {format(vmin)}
      </text>
      <path d={d} fill="none" stroke="#6d28d9" strokeWidth="2.5" />
      <circle cx={x(last.t)} cy={y(last.v)} r="4" fill="#6d28d9" />
    </svg>
  );
}

/** Horizontal bars of sold / held / available per event. */
export function SellThroughBars({
  rows,
  labels,
}: {
  rows: { id: string; title: string; sold: number; held: number; available: number; total: number }[];
  labels: { sold: string; held: string; available: string };
}) {
  const W = 560;
  const rowH = 34;
  const labelW = 190;
  const H = rows.length * rowH + 24;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={labels.sold}>
      {rows.map((r, i) => {
        const total = Math.max(1, r.total);
        const bw = W - labelW - 60;
        const sw = (r.sold / total) * bw;
        const hw = (r.held / total) * bw;
        const y = i * rowH;
        return (
          <g key={r.id}>
            <text x={0} y={y + 19} fontSize="12" fill="#1c1a29">
              {r.title.length > 22 ? `${r.title.slice(0, 21)}…` : r.title}
            </text>
            <rect x={labelW} y={y + 6} width={bw} height={18} fill="#ede9fe" rx="4" />
            <rect x={labelW} y={y + 6} width={sw} height={18} fill="#6d28d9" rx="4" />
            <rect x={labelW + sw} y={y + 6} width={hw} height={18} fill="#f59e0b" />
            <text x={labelW + bw + 6} y={y + 19} fontSize="12" fill="#6b6880">
              {Math.round((r.sold / total) * 100)}%
            </text>
          </g>
        );
      })}
      <g transform={`translate(${labelW}, ${H - 8})`} fontSize="11" fill="#6b6880">
        <rect width="10" height="10" y="-9" fill="#6d28d9" />
        <text x="14">{labels.sold}</text>
        <rect x="90" width="10" height="10" y="-9" fill="#f59e0b" />
        <text x="104">{labels.held}</text>
        <rect x="180" width="10" height="10" y="-9" fill="#ede9fe" />
        <text x="194">{labels.available}</text>
      </g>
    </svg>
  );
}
