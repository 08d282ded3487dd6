import { Link } from 'react-router-dom';
import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nContext';

export function NotFound() {
  const { t } = useI18n();
  return (
    <section className="page page-narrow">
      <PageHeading>{t('notFound.title')}</PageHeading>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </section>
  );
}
