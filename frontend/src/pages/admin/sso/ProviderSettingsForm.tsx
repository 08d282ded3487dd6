import { useRef, useState, type FormEvent } from 'react';
import { ssoApi } from '../../../api/endpoints';
import { NO_ERROR, type FormError } from '../../../api/errors';
import { SSO_JIT_ROLES, SSO_MAPPED_FIELDS, type SsoJitRole, type SsoProvider } from '../../../api/types';
import { Field } from '../../../components/Field';
import { CheckboxField, SelectField, TextAreaField } from '../../../components/FormControls';
import { FormAlert, FormSuccess } from '../../../components/FormAlert';
import { useI18n } from '../../../i18n/I18nContext';
import { useGroups } from '../../hr/lookups';
import { ProviderConnectionFields } from './ProviderConnectionFields';
import { ssoFormError } from './ssoErrors';
import {
  buildPatch,
  editState,
  groupFieldKey,
  nextRowKey,
  presetLabel,
  presetOptions,
  readMetadataFile,
  remapProviderFields,
  type EditState,
  type GroupRow,
} from './ssoForm';

const FIELDS = [
  'name',
  'preset',
  'metadata_url',
  'metadata_file',
  'oidc_discovery_url',
  'oidc_client_id',
  'oidc_client_secret',
  'oidc_scopes',
  'attribute_mapping',
  'group_mapping',
  'jit_enabled',
  'allow_idp_initiated',
  'default_role',
  'allowed_domains',
  'trust_email_for_linking',
] as const;

/** Everything about a provider except enabling it: name, IdP connection, mappings, provisioning. */
export function ProviderSettingsForm({
  provider,
  onSaved,
}: {
  provider: SsoProvider;
  onSaved: (provider: SsoProvider) => void;
}) {
  const { t } = useI18n();
  const groups = useGroups();
  const [s, setState] = useState<EditState>(() => editState(provider));
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const addRowRef = useRef<HTMLButtonElement>(null);
  const saml = provider.protocol === 'saml';
  const set = <K extends keyof EditState>(name: K, value: EditState[K]) => setState((prev) => ({ ...prev, [name]: value }));

  const setMapping = (field: (typeof SSO_MAPPED_FIELDS)[number], value: string) =>
    setState((prev) => ({ ...prev, mapping: { ...prev.mapping, [field]: value } }));
  const setRow = (key: number, change: Partial<GroupRow>) =>
    setState((prev) => ({ ...prev, groups: prev.groups.map((row) => (row.key === key ? { ...row, ...change } : row)) }));
  const addRow = () => {
    const key = nextRowKey();
    setFocusRow(key);
    setState((prev) => ({ ...prev, groups: [...prev.groups, { key, idpGroup: '', groupId: '' }] }));
  };
  const removeRow = (key: number) => {
    setState((prev) => ({ ...prev, groups: prev.groups.filter((row) => row.key !== key) }));
    addRowRef.current?.focus();
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const file = saml ? (fileRef.current?.files?.[0] ?? null) : null;
    let xml: string | null = null;
    if (file) {
      const read = await readMetadataFile(file, t);
      if (read.errors) {
        setError({ message: '', fields: read.errors });
        return;
      }
      xml = read.value;
    }
    const built = buildPatch(provider, s, xml, t);
    if (built.errors) {
      setError({ message: t('sso.error.checkFields'), fields: built.errors });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const updated = await ssoApi.updateProvider(provider.id, built.value);
      onSaved(updated);
      // The secret is write-only and the file is consumed: start again from what the server keeps.
      setState(editState(updated));
      if (fileRef.current) fileRef.current.value = '';
      setSaved(true);
    } catch (err) {
      const context = { protocol: provider.protocol, usedFile: xml !== null };
      setError(ssoFormError(err, t, FIELDS, (fields) => remapProviderFields(fields, context)));
    } finally {
      setPending(false);
    }
  };

  const presetChoices = presetOptions(null, t);
  if (!presetChoices.some(([value]) => value === s.preset)) presetChoices.push([s.preset, presetLabel(s.preset, t)]);
  const groupOptions: Array<readonly [string, string]> = [
    ['', t('sso.groups.choose')],
    ...(groups.data ?? []).map((group) => [String(group.id), group.name] as const),
  ];
  for (const row of s.groups) {
    if (row.groupId && !groupOptions.some(([value]) => value === row.groupId)) {
      groupOptions.push([row.groupId, t('sso.groups.unknown', { id: row.groupId })]);
    }
  }

  return (
    <form className="card sso-settings" onSubmit={onSubmit} noValidate aria-busy={pending} aria-labelledby="sso-settings">
      <h2 id="sso-settings">{t('sso.section.settings')}</h2>
      <FormAlert message={error.message} />
      <FormSuccess message={saved ? t('sso.saved') : ''} />
      <ProviderConnectionFields
        protocol={provider.protocol}
        values={s}
        onChange={set}
        errors={error.fields}
        presetChoices={presetChoices}
        presetHint={t('sso.mapping.presetNote')}
        fileRef={fileRef}
        metadataFileHint={t('sso.field.metadataReplaceHint')}
        secretHint={provider.has_client_secret ? t('sso.secret.storedHint') : t('sso.secret.missing')}
        oidcExtra={
          <Field
            label={t('sso.field.scopes')}
            name="oidc_scopes"
            autoComplete="off"
            spellCheck={false}
            value={s.scopes}
            onChange={(e) => set('scopes', e.target.value)}
            hint={t('sso.field.scopesHint')}
            errors={error.fields.oidc_scopes}
          />
        }
      />

      <h3 id="sso-mapping">{t('sso.section.mapping')}</h3>
      <p className="muted">{t('sso.mapping.intro')}</p>
      {error.fields.attribute_mapping ? <p className="field-error">{error.fields.attribute_mapping.join(' ')}</p> : null}
      <div className="table-wrap mapping-wrap">
        <table className="table mapping-table" aria-labelledby="sso-mapping">
          <thead>
            <tr>
              <th scope="col">{t('sso.mapping.col.field')}</th>
              <th scope="col">{t('sso.mapping.col.attribute')}</th>
            </tr>
          </thead>
          <tbody>
            {SSO_MAPPED_FIELDS.map((field) => {
              const inputId = `sso-map-${field}`;
              const errors = error.fields[`attribute_mapping.${field}`];
              const describedBy = [`${inputId}-desc`, errors ? `${inputId}-error` : null].filter(Boolean).join(' ');
              return (
                <tr key={field} className={errors ? 'field-invalid' : undefined}>
                  <th scope="row">
                    <label htmlFor={inputId}>{t('sso.mapping.label', { field })}</label>
                    <span className="mapping-desc muted" id={`${inputId}-desc`}>
                      {t(`sso.mapping.field.${field}`)}
                    </span>
                  </th>
                  <td>
                    <input
                      id={inputId}
                      name={`attribute_mapping.${field}`}
                      autoComplete="off"
                      spellCheck={false}
                      value={s.mapping[field]}
                      onChange={(e) => setMapping(field, e.target.value)}
                      aria-invalid={errors ? true : undefined}
                      aria-describedby={describedBy}
                    />
                    {errors ? (
                      <p className="field-error" id={`${inputId}-error`}>
                        {errors.join(' ')}
                      </p>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3>{t('sso.section.groups')}</h3>
      <p className="muted">{t('sso.groups.intro')}</p>
      <FormAlert message={groups.error} />
      {error.fields.group_mapping ? <p className="field-error">{error.fields.group_mapping.join(' ')}</p> : null}
      {s.groups.length === 0 ? <p className="muted">{t('sso.groups.empty')}</p> : null}
      <ol className="group-rows">
        {s.groups.map((row, index) => {
          const n = index + 1;
          return (
            <li key={row.key} className="group-row">
              <Field
                label={t('sso.groups.idpGroup', { n })}
                autoComplete="off"
                spellCheck={false}
                autoFocus={row.key === focusRow}
                value={row.idpGroup}
                onChange={(e) => setRow(row.key, { idpGroup: e.target.value })}
                errors={error.fields[groupFieldKey(index, 'idp')]}
              />
              <SelectField
                label={t('sso.groups.lmsGroup', { n })}
                value={row.groupId}
                onChange={(e) => setRow(row.key, { groupId: e.target.value })}
                options={groupOptions}
                errors={error.fields[groupFieldKey(index, 'lms')]}
              />
              <button
                type="button"
                className="btn btn-secondary btn-small group-row-remove"
                onClick={() => removeRow(row.key)}
              >
                {t('action.remove')}
                <span className="visually-hidden"> {t('sso.groups.row', { n })}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <p>
        <button ref={addRowRef} type="button" className="btn btn-secondary" onClick={addRow}>
          {t('sso.groups.add')}
        </button>
      </p>

      <h3>{t('sso.section.accounts')}</h3>
      <CheckboxField
        label={t('sso.field.jit')}
        name="jit_enabled"
        checked={s.jit}
        onChange={(e) => set('jit', e.target.checked)}
        hint={t('sso.field.jitHint')}
        errors={error.fields.jit_enabled}
      />
      <CheckboxField
        label={t('sso.field.idpInitiated')}
        name="allow_idp_initiated"
        checked={s.idpInitiated}
        onChange={(e) => set('idpInitiated', e.target.checked)}
        hint={t('sso.field.idpInitiatedHint')}
        errors={error.fields.allow_idp_initiated}
      />
      <SelectField
        label={t('sso.field.defaultRole')}
        name="default_role"
        value={s.defaultRole}
        onChange={(e) => set('defaultRole', e.target.value as SsoJitRole)}
        options={SSO_JIT_ROLES.map((role) => [role, t(`role.${role}`)] as const)}
        errors={error.fields.default_role}
      />
      <TextAreaField
        label={t('sso.field.allowedDomains')}
        name="allowed_domains"
        rows={3}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        placeholder="acme.com"
        value={s.allowedDomains}
        onChange={(e) => set('allowedDomains', e.target.value)}
        hint={t('sso.field.allowedDomainsHint')}
        errors={error.fields.allowed_domains}
      />
      <CheckboxField
        label={t('sso.field.trustEmail')}
        name="trust_email_for_linking"
        checked={s.trustEmail}
        onChange={(e) => set('trustEmail', e.target.checked)}
        hint={t('sso.field.trustEmailHint')}
        errors={error.fields.trust_email_for_linking}
      />

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('sso.saveProvider')}
        </button>
      </div>
    </form>
  );
}
