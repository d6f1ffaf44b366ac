// A horizontal bar chart drawn as inline SVG: one row per lead authority, visits in time and out of
// time side by side, each bar labelled with its number (so nothing is said by colour alone). The
// chart is one image to assistive technology, named by its <title> and summarised by its <desc>;
// the table beside it is its text equivalent.
import { useId } from 'react';

export type ChartRow = { key: string; label: string; inTime: number; outOfTime: number };

const BAR = 14;
const GAP = 4;
const ROW = BAR * 2 + GAP + 22;
const LABEL_W = 220;
const PLOT_W = 440;
const TOP = 34;

/** Colours from GOV.UK's palette: green for in time, red for out of time (and a hatched fill). */
const IN_TIME = '#00703c';
const OUT_OF_TIME = '#d4351c';

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export const VisitsChart = ({
  rows,
  title,
  summary,
}: {
  rows: ChartRow[];
  title: string;
  summary: string;
}) => {
  const id = useId().replace(/:/g, '');
  const max = Math.max(1, ...rows.flatMap((r) => [r.inTime, r.outOfTime]));
  const width = LABEL_W + PLOT_W + 40;
  const height = TOP + rows.length * ROW + 8;
  const scale = (n: number) => (n / max) * PLOT_W;
  return (
    <svg
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ maxWidth: `${width}px`, height: 'auto', display: 'block' }}
      className="govuk-body govuk-!-margin-bottom-6"
      focusable="false"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{summary}</desc>
      <defs>
        <pattern
          id={`${id}-hatch`}
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="6" height="6" fill={OUT_OF_TIME} />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" strokeWidth="2" />
        </pattern>
      </defs>
      {/* Legend: words beside each swatch. */}
      <g fontSize="14" fill="#0b0c0c">
        <rect x={LABEL_W} y={6} width={14} height={14} fill={IN_TIME} />
        <text x={LABEL_W + 20} y={18}>
          In time
        </text>
        <rect x={LABEL_W + 100} y={6} width={14} height={14} fill={`url(#${id}-hatch)`} />
        <text x={LABEL_W + 120} y={18}>
          Out of time
        </text>
      </g>
      {rows.map((r, i) => {
        const y = TOP + i * ROW;
        return (
          <g key={r.key} fontSize="14" fill="#0b0c0c">
            <text x={LABEL_W - 8} y={y + BAR + GAP / 2 + 5} textAnchor="end">
              {truncate(r.label, 28)}
            </text>
            <rect x={LABEL_W} y={y} width={Math.max(scale(r.inTime), 1)} height={BAR} fill={IN_TIME} />
            <text x={LABEL_W + scale(r.inTime) + 6} y={y + BAR - 2}>
              {r.inTime}
            </text>
            <rect
              x={LABEL_W}
              y={y + BAR + GAP}
              width={Math.max(scale(r.outOfTime), 1)}
              height={BAR}
              fill={`url(#${id}-hatch)`}
            />
            <text x={LABEL_W + scale(r.outOfTime) + 6} y={y + 2 * BAR + GAP - 2}>
              {r.outOfTime}
            </text>
          </g>
        );
      })}
      <line x1={LABEL_W} y1={TOP - 4} x2={LABEL_W} y2={height - 4} stroke="#505a5f" strokeWidth="1" />
    </svg>
  );
};
