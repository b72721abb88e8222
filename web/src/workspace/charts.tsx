/**
 * Small SVG charts for the bundle view and the dashboard: horizontal bars, stacked columns and
 * lines/areas, each in a <figure> with its data as a table.
 *
 * Hand-written rather than a chart library, deliberately:
 * - size: the one well-kept React 19 option, recharts 3, brings @reduxjs/toolkit, react-redux,
 *   immer, reselect, es-toolkit, decimal.js-light and d3 (victory-vendor) — several times this
 *   whole app's script (≈250 kB) for three plain chart types, on screens analysts open all day;
 * - accessibility: every chart's text equivalent is a real <table> that is always in the
 *   accessibility tree (visually hidden until "Show table" is pressed); the SVG itself is
 *   aria-hidden, so screen readers get one clean reading instead of a library's stream of axis
 *   tick <text> nodes, and no chart-internal focus stops to tab through;
 * - no animation, no tooltips that need a pointer (native <title> hints only), so nothing moves.
 * Colours meet 3:1 against white (WCAG 1.4.11) and every series is named in a text legend.
 *
 * @example
 *   <BarChart title="Incidents by country" data={[{ label: 'DK', value: 1000 }]} valueLabel="Incidents" />
 */
import { useId, useState, type ReactNode } from 'react';

/** Series colours, all ≥ 3:1 on white and distinct in greyscale order. */
export const palette = [
  '#0b4f9c',
  '#a8071a',
  '#8a5300',
  '#1e6b30',
  '#6a1b9a',
  '#4a4a4a',
  '#00607a',
  '#b3261e',
] as const;
export const priorityColours: Record<string, string> = {
  P1: '#a8071a',
  P2: '#8a5300',
  P3: '#0b4f9c',
  informational: '#5c5c5c',
};
export const outcomeColours: Record<string, string> = {
  baseline: '#6b0011',
  national_illegal: '#c2410c',
  other_offence: '#8a5300',
  uncertain: '#6a1b9a',
  not_illegal: '#1e6b30',
};

export interface Series {
  key: string;
  label: string;
  colour: string;
}

const numberFormat = new Intl.NumberFormat('en-GB');
export const formatNumber = (n: number) => numberFormat.format(n);

/** A "nice" axis maximum and its ticks (1, 2, 5 × 10ⁿ steps, whole numbers: the charts count things). Pure. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const ticks: number[] = [];
  for (let v = 0; v < max + step - 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Which of n category labels to print so that about `room` fit. Pure. */
export function labelEvery(n: number, room: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, room)));
}

interface TableData {
  columns: string[];
  rows: (string | number)[][];
}

/** A chart's frame: title, legend, the (aria-hidden) picture, and its data table behind a toggle. */
export function ChartFigure(props: {
  title: string;
  summary?: string | undefined;
  legend?: Series[] | undefined;
  table: TableData;
  children: ReactNode;
  testId?: string;
}) {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const empty = props.table.rows.length === 0;
  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption className="chart-title">
        <span>{props.title}</span>
        {empty ? null : (
          <button
            type="button"
            className="link-button chart-toggle"
            aria-expanded={showTable}
            aria-controls={tableId}
            onClick={() => setShowTable((s) => !s)}
          >
            {showTable ? 'Hide table' : 'Show table'}
            <span className="visually-hidden"> for {props.title}</span>
          </button>
        )}
      </figcaption>
      {props.summary ? <p className="chart-summary">{props.summary}</p> : null}
      {props.legend && props.legend.length > 0 ? (
        <ul className="chart-legend" aria-hidden="true">
          {props.legend.map((s) => (
            <li key={s.key}>
              <span className="swatch" style={{ background: s.colour }} />
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      {empty ? (
        <p className="chart-empty">No data in this period.</p>
      ) : (
        <div aria-hidden="true">{props.children}</div>
      )}
      {empty ? null : (
        <div id={tableId} className={showTable ? 'chart-table' : 'visually-hidden'}>
          <table>
            <caption className="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                {props.table.columns.map((c, i) => (
                  <th key={c} scope="col" className={i > 0 ? 'num' : undefined}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={j} className="num">
                        {typeof cell === 'number' ? formatNumber(cell) : cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}

const W = 640;

/** Horizontal bars, one per category, largest first as given. */
export function BarChart(props: {
  title: string;
  summary?: string;
  data: { label: string; value: number }[];
  valueLabel: string;
  categoryLabel?: string;
  colour?: string;
  maxBars?: number;
  testId?: string;
}) {
  const shown = props.data.slice(0, props.maxBars ?? 20);
  const rowH = 22;
  const labelW = 120;
  const top = 4;
  const h = top + shown.length * rowH + 22;
  const max = Math.max(1, ...shown.map((d) => d.value));
  const ticks = niceTicks(max);
  const axisMax = ticks[ticks.length - 1];
  const plotW = W - labelW - 60;
  const x = (v: number) => labelW + (v / axisMax) * plotW;
  return (
    <ChartFigure
      title={props.title}
      summary={props.summary}
      testId={props.testId}
      table={{
        columns: [props.categoryLabel ?? 'Category', props.valueLabel],
        rows: props.data.map((d) => [d.label, d.value]),
      }}
    >
      <svg className="chart-svg" viewBox={`0 0 ${W} ${h}`} focusable="false">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={top} y2={h - 18} className="grid" />
            <text x={x(t)} y={h - 4} textAnchor="middle" className="tick">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {shown.map((d, i) => (
          <g key={d.label}>
            <text x={labelW - 6} y={top + i * rowH + rowH / 2 + 4} textAnchor="end" className="tick">
              {d.label}
            </text>
            <rect
              x={labelW}
              y={top + i * rowH + 3}
              width={Math.max(1, x(d.value) - labelW)}
              height={rowH - 6}
              fill={props.colour ?? palette[0]}
            >
              <title>{`${d.label}: ${formatNumber(d.value)}`}</title>
            </rect>
            <text x={x(d.value) + 4} y={top + i * rowH + rowH / 2 + 4} className="value">
              {formatNumber(d.value)}
            </text>
          </g>
        ))}
      </svg>
      {props.data.length > shown.length ? (
        <p className="chart-note">{props.data.length - shown.length} more in the table.</p>
      ) : null}
    </ChartFigure>
  );
}

/** Stacked columns over ordered categories (days, age buckets, jurisdictions). */
export function StackedColumnChart(props: {
  title: string;
  summary?: string;
  /** `short`: the axis label when the table's would not fit. */
  categories: { key: string; label: string; short?: string }[];
  series: Series[];
  /** values[categoryIndex][seriesKey] */
  values: Record<string, number>[];
  categoryLabel: string;
  testId?: string;
  height?: number;
}) {
  const h = props.height ?? 220;
  const left = 48;
  const bottom = 24;
  const top = 8;
  const n = props.categories.length;
  const totals = props.values.map((v) => props.series.reduce((s, x) => s + (v[x.key] ?? 0), 0));
  const ticks = niceTicks(Math.max(1, ...totals));
  const axisMax = ticks[ticks.length - 1];
  const plotW = W - left - 8;
  const plotH = h - top - bottom;
  const band = plotW / Math.max(1, n);
  const barW = Math.max(1, Math.min(48, band * 0.75));
  const y = (v: number) => top + plotH - (v / axisMax) * plotH;
  const every = labelEvery(n, Math.floor(plotW / 70));
  return (
    <ChartFigure
      title={props.title}
      summary={props.summary}
      testId={props.testId}
      legend={props.series}
      table={{
        columns: [
          props.categoryLabel,
          ...props.series.map((s) => s.label),
          ...(props.series.length > 1 ? ['Total'] : []),
        ],
        rows: totals.some((t) => t > 0)
          ? props.categories.map((c, i) => [
              c.label,
              ...props.series.map((s) => props.values[i]?.[s.key] ?? 0),
              ...(props.series.length > 1 ? [totals[i]] : []),
            ])
          : [],
      }}
    >
      <svg className="chart-svg" viewBox={`0 0 ${W} ${h}`} focusable="false">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={W - 8} y1={y(t)} y2={y(t)} className="grid" />
            <text x={left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {props.categories.map((c, i) => {
          let acc = 0;
          const cx = left + band * i + band / 2;
          return (
            <g key={c.key}>
              {props.series.map((s) => {
                const v = props.values[i]?.[s.key] ?? 0;
                if (v <= 0) return null;
                const y0 = y(acc);
                acc += v;
                const y1 = y(acc);
                return (
                  <rect
                    key={s.key}
                    x={cx - barW / 2}
                    y={y1}
                    width={barW}
                    height={Math.max(0.5, y0 - y1)}
                    fill={s.colour}
                  >
                    <title>{`${c.label} · ${s.label}: ${formatNumber(v)}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 ? (
                <text x={cx} y={h - 6} textAnchor="middle" className="tick">
                  {c.short ?? c.label}
                </text>
              ) : null}
            </g>
          );
        })}
        <line x1={left} x2={W - 8} y1={y(0)} y2={y(0)} className="axis" />
      </svg>
    </ChartFigure>
  );
}

/** Lines (or one filled area) over ordered points in time. */
export function LineChart(props: {
  title: string;
  summary?: string;
  points: { key: string; label: string; short?: string }[];
  series: Series[];
  values: Record<string, number | null>[];
  categoryLabel: string;
  area?: boolean;
  unit?: string;
  testId?: string;
  height?: number;
}) {
  const h = props.height ?? 220;
  const left = 48;
  const bottom = 24;
  const top = 8;
  const n = props.points.length;
  const all = props.values.flatMap((v) => props.series.map((s) => v[s.key] ?? 0));
  const ticks = niceTicks(Math.max(1, ...all));
  const axisMax = ticks[ticks.length - 1];
  const plotW = W - left - 12;
  const plotH = h - top - bottom;
  const x = (i: number) => (n <= 1 ? left + plotW / 2 : left + (i / (n - 1)) * plotW);
  const y = (v: number) => top + plotH - (v / axisMax) * plotH;
  const every = labelEvery(n, Math.floor(plotW / 80));
  const fmt = (v: number | null) =>
    v === null ? '—' : `${formatNumber(v)}${props.unit ? ` ${props.unit}` : ''}`;
  return (
    <ChartFigure
      title={props.title}
      summary={props.summary}
      testId={props.testId}
      legend={props.series}
      table={{
        columns: [props.categoryLabel, ...props.series.map((s) => s.label)],
        rows: props.points.map((p, i) => [
          p.label,
          ...props.series.map((s) => fmt(props.values[i]?.[s.key] ?? null)),
        ]),
      }}
    >
      <svg className="chart-svg" viewBox={`0 0 ${W} ${h}`} focusable="false">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={W - 12} y1={y(t)} y2={y(t)} className="grid" />
            <text x={left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {props.series.map((s) => {
          const pts = props.points
            .map((_, i) => ({ i, v: props.values[i]?.[s.key] ?? null }))
            .filter((p): p is { i: number; v: number } => p.v !== null);
          if (pts.length === 0) return null;
          const line = pts
            .map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.i).toFixed(1)},${y(p.v).toFixed(1)}`)
            .join(' ');
          const area = `${line} L${x(pts[pts.length - 1].i).toFixed(1)},${y(0)} L${x(pts[0].i).toFixed(1)},${y(0)} Z`;
          return (
            <g key={s.key}>
              {props.area ? <path d={area} fill={s.colour} fillOpacity={0.18} /> : null}
              <path d={line} fill="none" stroke={s.colour} strokeWidth={2} />
              {pts.length <= 60
                ? pts.map((p) => (
                    <circle key={p.i} cx={x(p.i)} cy={y(p.v)} r={3} fill={s.colour}>
                      <title>{`${props.points[p.i].label} · ${s.label}: ${fmt(p.v)}`}</title>
                    </circle>
                  ))
                : null}
            </g>
          );
        })}
        {props.points.map((p, i) =>
          i % every === 0 ? (
            <text key={p.key} x={x(i)} y={h - 6} textAnchor="middle" className="tick">
              {p.short ?? p.label}
            </text>
          ) : null,
        )}
        <line x1={left} x2={W - 12} y1={y(0)} y2={y(0)} className="axis" />
      </svg>
    </ChartFigure>
  );
}
