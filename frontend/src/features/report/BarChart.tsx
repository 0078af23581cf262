import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportCell } from './queries';

/** Bar is one row of a chart: a label and a count, plain or a cell that may be suppressed. */
export interface Bar {
  label: string;
  value: number | ReportCell;
}

/** cellValue is a bar's number, or null when it is suppressed ("fewer than 5"). */
export function cellValue(v: number | ReportCell): number | null {
  if (typeof v === 'number') return v;
  return v.suppressed ? null : (v.value ?? 0);
}

/** useCellText formats a count, or says "fewer than 5" for a suppressed cell. */
export function useCellText() {
  const { t, i18n } = useTranslation();
  const fmt = new Intl.NumberFormat(i18n.language);
  return (v: number | ReportCell) => {
    const n = cellValue(v);
    return n == null ? t('closeout.fewer') : fmt.format(n);
  };
}

const rowHeight = 30;
const width = 320;

/**
 * BarChart draws counts as an SVG with a title and a description that reads
 * every value, and beside it a table of the same figures. Bars are solid in
 * the text colour and labelled with their value, so the chart reads without
 * colour; a suppressed count is a dashed outline labelled "fewer than 5".
 */
export function BarChart({ title, bars, valueHeading }: { title: string; bars: Bar[]; valueHeading?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const text = useCellText();
  const max = Math.max(1, ...bars.map((b) => cellValue(b.value) ?? 4));
  const labelWidth = 0;
  const barSpace = width - 90;
  const height = Math.max(rowHeight, bars.length * rowHeight) + 4;
  const description = bars.map((b) => `${b.label}: ${text(b.value)}`).join('; ');
  return (
    <figure className="report-figure">
      <svg className="report-chart" role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {bars.map((b, i) => {
          const n = cellValue(b.value);
          const y = i * rowHeight;
          const w = n == null ? (barSpace * 4) / max : (barSpace * n) / max;
          return (
            <g key={`${b.label}-${i}`}>
              <text x={labelWidth} y={y + 10} className="chart-label">
                {b.label}
              </text>
              {n == null ? (
                <rect x={labelWidth} y={y + 14} width={Math.max(w, 8)} height={12} className="chart-bar-suppressed" />
              ) : (
                <rect x={labelWidth} y={y + 14} width={Math.max(w, n > 0 ? 2 : 0)} height={12} className="chart-bar" />
              )}
              <text x={labelWidth + Math.max(w, 8) + 4} y={y + 24} className="chart-value">
                {text(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="stats-table report-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('closeout.table.group')}</th>
            <th scope="col">{valueHeading ?? t('closeout.table.count')}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b, i) => (
            <tr key={`${b.label}-${i}`}>
              <th scope="row">{b.label}</th>
              <td>{text(b.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
