import type { TenantStatus } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import type { MessageKey } from '../i18n/messages';

const KNOWN: readonly TenantStatus[] = ['provisioning', 'active', 'suspended', 'archived'];

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const known = (KNOWN as readonly string[]).includes(status);
  const label = known ? t(`status.${status}` as MessageKey) : status;
  return <span className={`badge badge-${known ? status : 'unknown'}`}>{label}</span>;
}
