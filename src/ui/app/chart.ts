import { h, svg } from './dom';

export interface Series {
  label: string;
  /** CSS class for the line's colour (see styles.css). */
  className: string;
  points: { x: number; y: number | null }[];
}

const PAD = { top: 14, right: 16, bottom: 30, left: 40 };
const DAY_MS = 24 * 60 * 60 * 1000;

function axisLabel(ms: number, spanMs: number): string {
  const date = new Date(ms);
  if (spanMs < DAY_MS) return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/**
 * A small SVG line chart on a 0..1 axis: recall@k and MRR over time. Drawn at
 * the width it is shown at (1 SVG unit = 1 CSS pixel), so its text stays
 * readable on a phone.
 */
export function lineChart(title: string, series: Series[], width = 640): HTMLElement {
  const W = Math.max(280, Math.round(width));
  const H = Math.round(Math.min(320, Math.max(200, W * 0.42)));
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const spanX = maxX - minX || 1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const px = (x: number) => (xs.length < 2 || maxX === minX ? PAD.left + innerW / 2 : PAD.left + ((x - minX) / spanX) * innerW);
  const py = (y: number) => PAD.top + (1 - Math.max(0, Math.min(1, y))) * innerH;

  const titleId = `chart-title-${Math.random().toString(36).slice(2, 8)}`;
  const chart = svg('svg', { class: 'chart', attrs: { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-labelledby': titleId, preserveAspectRatio: 'xMidYMid meet' } });
  chart.appendChild(svg('title', { attrs: { id: titleId }, text: title }));

  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const y = py(tick);
    chart.appendChild(svg('line', { class: 'chart-grid', attrs: { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y } }));
    chart.appendChild(svg('text', { class: 'chart-label', attrs: { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end' }, text: tick.toFixed(2) }));
  }
  if (xs.length > 0) {
    chart.appendChild(svg('text', { class: 'chart-label', attrs: { x: PAD.left, y: H - 8, 'text-anchor': 'start' }, text: axisLabel(minX, maxX - minX) }));
    if (maxX !== minX) chart.appendChild(svg('text', { class: 'chart-label', attrs: { x: W - PAD.right, y: H - 8, 'text-anchor': 'end' }, text: axisLabel(maxX, maxX - minX) }));
  }

  for (const s of series) {
    const points = s.points.filter((p): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y));
    if (points.length > 1) {
      const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
      chart.appendChild(svg('path', { class: `chart-line ${s.className}`, attrs: { d } }));
    }
    for (const p of points) {
      const dot = svg('circle', { class: `chart-dot ${s.className}`, attrs: { cx: px(p.x).toFixed(1), cy: py(p.y).toFixed(1), r: 3.5 } });
      dot.appendChild(svg('title', { text: `${s.label} ${p.y.toFixed(3)} — ${new Date(p.x).toLocaleString()}` }));
      chart.appendChild(dot);
    }
  }

  const legend = h(
    'ul',
    { class: 'chart-legend' },
    ...series.map((s) => {
      const last = [...s.points].reverse().find((p) => p.y !== null);
      return h('li', {}, h('span', { class: `swatch ${s.className}`, attrs: { 'aria-hidden': 'true' } }), `${s.label}${last?.y != null ? `: ${last.y.toFixed(3)} (latest)` : ''}`);
    }),
  );
  return h('figure', { class: 'chart-figure' }, chart, h('figcaption', {}, legend));
}
