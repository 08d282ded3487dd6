import { useAuth } from '../../auth/AuthContext';
import { EmailPreferences } from '../../components/EmailPreferences';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';
import type { MessageKey } from '../../i18n/messages';

/** /profile — who is signed in and, on corporate tenants, the optional e-mails. */
export function ProfilePage() {
  const { t } = useI18n();
  const { user } = useAuth();
  if (!user) return null;
  const name = `${user.first_name} ${user.last_name}`.trim();
  return (
    <section className="page page-narrow">
      <PageHeading>{t('profile.title')}</PageHeading>
      <dl className="facts facts-column">
        {name ? (
          <div>
            <dt>{t('hr.col.name')}</dt>
            <dd>{name}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('field.email')}</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>{t('hr.field.role')}</dt>
          <dd>{t(`role.${user.role}` as MessageKey)}</dd>
        </div>
        {user.tenant?.name ? (
          <div>
            <dt>{t('profile.organisation')}</dt>
            <dd>{user.tenant.name}</dd>
          </div>
        ) : null}
      </dl>
      {user.tenant?.kind === 'corporate' ? <EmailPreferences /> : null}
    </section>
  );
}
