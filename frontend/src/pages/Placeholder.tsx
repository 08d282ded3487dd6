import { PageHeading } from '../components/PageHeading';
import { useI18n } from '../i18n/I18nContext';
import type { MessageKey } from '../i18n/messages';

/** An area that is not built yet: a heading and a short note, no fake data. */
export function Placeholder({ titleKey }: { titleKey: MessageKey }) {
  const { t } = useI18n();
  return (
    <section className="page page-narrow">
      <PageHeading>{t(titleKey)}</PageHeading>
      <p className="muted">{t('placeholder.soon')}</p>
    </section>
  );
}
