import { useId } from 'react';
import type { Dashboard } from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import { formatPercent, formatWeek } from './format';

export interface BarItem {
  key: string;
  label: string;
  /** 0–100 */
  rate: number;
  detail: string;
}

/** Horizontal bars as a list: the label and figures are text, the bar is decoration. */
export function BarList({ title, items, empty }: { title: string; items: BarItem[]; empty: string }) {
  const { lang } = useI18n();
  return (
    <section className="card chart-card">
      <h2>{title}</h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="bar-list">
          {items.map((item) => {
            const rate = Math.max(0, Math.min(100, item.rate));
            return (
              <li key={item.key} className="bar-item">
                <span className="bar-label">{item.label}</span>
                <span className="bar-track" aria-hidden="true">
                  <span className="bar-fill" style={{ width: `${rate}%` }} />
                </span>
                <span className="bar-value">
                  {formatPercent(item.rate, lang)} <span className="muted">({item.detail})</span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 32 };

/**
 * Assigned vs completed per week as grouped SVG bars. The SVG is hidden from assistive
 * technology; the same figures follow as a (visually hidden) table.
 */
export function TrendChart({ trend }: { trend: Dashboard['trend'] }) {
  const { t, lang } = useI18n();
  const headingId = `trend${useId().replace(/[^\w-]/g, '')}`;
  const max = Math.max(1, ...trend.flatMap((w) => [w.assigned, w.completed]));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = trend.length ? plotW / trend.length : plotW;
  const bar = Math.max(2, slot * 0.34);
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH;
  const labelEvery = trend.length > 8 ? 2 : 1;

  return (
    <section className="card chart-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('hr.dashboard.trend')}</h2>
      <ul className="chart-legend" aria-hidden="true">
        <li>
          <span className="legend-swatch legend-assigned" /> {t('hr.dashboard.assigned')}
        </li>
        <li>
          <span className="legend-swatch legend-completed" /> {t('hr.dashboard.completed')}
        </li>
      </ul>
      <svg
        className="trend-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="xMidYMid meet"
        aria-hidden="true"
        focusable="false"
      >
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} className="axis" />
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max)} y2={y(max)} className="gridline" />
        <text x={PAD.left - 6} y={y(max) + 4} textAnchor="end" className="axis-label">
          {max}
        </text>
        <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end" className="axis-label">
          0
        </text>
        {trend.map((week, index) => {
          const x = PAD.left + index * slot + (slot - 2 * bar) / 2;
          return (
            <g key={week.week}>
              <rect x={x} y={y(week.assigned)} width={bar} height={y(0) - y(week.assigned)} className="bar-assigned" />
              <rect
                x={x + bar}
                y={y(week.completed)}
                width={bar}
                height={y(0) - y(week.completed)}
                className="bar-completed"
              />
              {index % labelEvery === 0 ? (
                <text x={x + bar} y={HEIGHT - 8} textAnchor="middle" className="axis-label">
                  {formatWeek(week.week, lang)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{t('hr.dashboard.trendTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('hr.dashboard.week')}</th>
            <th scope="col">{t('hr.dashboard.assigned')}</th>
            <th scope="col">{t('hr.dashboard.completed')}</th>
          </tr>
        </thead>
        <tbody>
          {trend.map((week) => (
            <tr key={week.week}>
              <th scope="row">{formatWeek(week.week, lang)}</th>
              <td>{week.assigned}</td>
              <td>{week.completed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
