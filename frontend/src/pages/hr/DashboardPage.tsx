import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { hrApi } from '../../api/endpoints';
import { saveBlob } from '../../api/saveBlob';
import type { Dashboard, ExportFormat, ReportFilters } from '../../api/types';
import { SelectField } from '../../components/FormControls';
import { FormAlert } from '../../components/FormAlert';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';
import { BarList, TrendChart } from './DashboardCharts';
import { hrErrorMessage } from './hrErrors';
import { formatNumber, formatPercent } from './format';
import { departmentLabel, departmentOptions, useCourses, useDepartments, useGroups } from './lookups';
import { useLoad } from './useLoad';

const FILTERS = ['department', 'group', 'course'] as const;

/** /hr — completion figures, per department and course, the weekly trend, exports. */
export function DashboardPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters: ReportFilters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const filterKey = FILTERS.map((name) => params.get(name) ?? '').join('|');
  const dashboard = useLoad((signal) => hrApi.dashboard(filters, signal), [filterKey]);

  const setFilter = (name: (typeof FILTERS)[number], value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  return (
    <section>
      <PageHeading>{t('hr.dashboard.title')}</PageHeading>
      <DashboardFilters filters={filters} onChange={setFilter} />
      <ExportButtons filters={filters} />
      <FormAlert message={dashboard.error} />
      {dashboard.data ? (
        <div aria-busy={dashboard.loading}>
          <StatCards data={dashboard.data} />
          <div className="grid-2">
            <BarList
              title={t('hr.dashboard.byDepartment')}
              empty={t('hr.dashboard.noData')}
              items={dashboard.data.by_department.map((d) => ({
                key: String(d.id ?? 'none'),
                label: d.path ? departmentLabel(d.path) : t('hr.dashboard.noDepartment'),
                rate: d.completion_rate,
                detail: t('hr.dashboard.ofAssigned', { completed: d.completed, assigned: d.assigned }),
              }))}
            />
            <BarList
              title={t('hr.dashboard.byCourse')}
              empty={t('hr.dashboard.noData')}
              items={dashboard.data.by_course.map((c) => ({
                key: c.slug,
                label: c.title,
                rate: c.completion_rate,
                detail: t('hr.dashboard.ofAssigned', { completed: c.completed, assigned: c.assigned }),
              }))}
            />
          </div>
          <TrendChart trend={dashboard.data.trend} />
        </div>
      ) : !dashboard.error ? (
        <Loading />
      ) : null}
    </section>
  );
}

function DashboardFilters({
  filters,
  onChange,
}: {
  filters: ReportFilters;
  onChange: (name: (typeof FILTERS)[number], value: string) => void;
}) {
  const { t } = useI18n();
  const departments = useDepartments();
  const groups = useGroups();
  const courses = useCourses();
  const all = ['', t('hr.filter.all')] as const;
  return (
    <form className="filters" role="search" aria-label={t('hr.filters')} onSubmit={(e) => e.preventDefault()}>
      <SelectField
        label={t('hr.field.department')}
        value={filters.department ?? ''}
        onChange={(e) => onChange('department', e.target.value)}
        options={[all, ...departmentOptions(departments.data)]}
      />
      <SelectField
        label={t('hr.field.group')}
        value={filters.group ?? ''}
        onChange={(e) => onChange('group', e.target.value)}
        options={[all, ...(groups.data ?? []).map((g) => [String(g.id), g.name] as const)]}
      />
      <SelectField
        label={t('hr.field.course')}
        value={filters.course ?? ''}
        onChange={(e) => onChange('course', e.target.value)}
        options={[all, ...(courses.data ?? []).map((c) => [c.slug, c.title] as const)]}
      />
    </form>
  );
}

function StatCards({ data }: { data: Dashboard }) {
  const { t, lang } = useI18n();
  const { totals, seats } = data;
  return (
    <dl className="stat-cards">
      <div className="stat-card">
        <dt>{t('hr.dashboard.completionRate')}</dt>
        <dd data-testid="completion-rate">{formatPercent(totals.completion_rate, lang)}</dd>
      </div>
      <div className="stat-card">
        <dt>{t('hr.dashboard.assigned')}</dt>
        <dd data-testid="assigned-count">{formatNumber(totals.assigned, lang)}</dd>
      </div>
      <div className="stat-card">
        <dt>{t('hr.dashboard.completed')}</dt>
        <dd data-testid="completed-count">{formatNumber(totals.completed, lang)}</dd>
      </div>
      <div className={`stat-card${totals.overdue > 0 ? ' stat-card-warning' : ''}`}>
        <dt>{t('hr.dashboard.overdue')}</dt>
        <dd data-testid="overdue-count">{formatNumber(totals.overdue, lang)}</dd>
      </div>
      <div className="stat-card">
        <dt>{t('hr.dashboard.seats')}</dt>
        <dd data-testid="seats-used">
          {seats.used} / {seats.limit}
        </dd>
      </div>
    </dl>
  );
}

function ExportButtons({ filters }: { filters: ReportFilters }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState('');

  const download = async (format: ExportFormat) => {
    setBusy(format);
    setError('');
    try {
      const file = await hrApi.exportReport(format, filters);
      saveBlob(file.blob, file.filename ?? `assignments.${format}`);
    } catch (err) {
      setError(hrErrorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="export-actions">
      <div className="button-row">
        <button type="button" className="btn btn-secondary" disabled={busy !== null} onClick={() => download('csv')}>
          {t('hr.dashboard.downloadCsv')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy !== null} onClick={() => download('xlsx')}>
          {t('hr.dashboard.downloadXlsx')}
        </button>
        <span className="muted" role="status">
          {busy ? t('hr.dashboard.preparing') : ''}
        </span>
      </div>
      <FormAlert message={error} />
    </div>
  );
}
