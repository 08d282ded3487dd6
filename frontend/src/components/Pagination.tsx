import { PAGE_SIZE } from '../api/types';
import { useI18n } from '../i18n/I18nContext';

export function pageCount(count: number): number {
  return Math.max(1, Math.ceil(count / PAGE_SIZE));
}

export function Pagination({
  page,
  count,
  onChange,
}: {
  page: number;
  count: number;
  onChange: (page: number) => void;
}) {
  const { t } = useI18n();
  const pages = pageCount(count);
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t('pagination.label')}>
      <button type="button" className="btn btn-secondary" disabled={page <= 1} onClick={() => onChange(page - 1)}>
        {t('action.previous')}
      </button>
      <span aria-live="polite">{t('pagination.page', { page, pages })}</span>
      <button type="button" className="btn btn-secondary" disabled={page >= pages} onClick={() => onChange(page + 1)}>
        {t('action.next')}
      </button>
    </nav>
  );
}
