import type { ReactNode, Ref } from 'react';
import type { FieldErrors } from '../../../api/client';
import type { SsoProtocol } from '../../../api/types';
import { Field } from '../../../components/Field';
import { SelectField } from '../../../components/FormControls';
import { useI18n } from '../../../i18n/I18nContext';

/** The values both provider forms keep under the same names (CreateState and EditState). */
export interface ConnectionValues {
  name: string;
  preset: string;
  metadataUrl: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
}

export type ConnectionField = keyof ConnectionValues;

/**
 * Name, preset and how to reach the IdP (SAML metadata URL or file; OIDC discovery URL, client ID
 * and secret), shared by the "add provider" form and the provider settings form.
 */
export function ProviderConnectionFields({
  protocol,
  values,
  onChange,
  errors,
  presetChoices,
  presetHint,
  fileRef,
  metadataFileHint,
  secretHint,
  examples = false,
  oidcExtra,
}: {
  protocol: SsoProtocol;
  values: ConnectionValues;
  onChange: (name: ConnectionField, value: string) => void;
  errors: FieldErrors;
  presetChoices: ReadonlyArray<readonly [string, string]>;
  presetHint: string;
  /** The metadata file input, read by the form on submit. */
  fileRef: Ref<HTMLInputElement>;
  metadataFileHint: string;
  secretHint?: string;
  /** Example addresses as placeholders (for a new provider). */
  examples?: boolean;
  /** More OIDC controls, after the client ID and secret. */
  oidcExtra?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <>
      <div className="field-row">
        <Field
          label={t('field.name')}
          name="name"
          autoComplete="off"
          value={values.name}
          onChange={(e) => onChange('name', e.target.value)}
          hint={t('sso.field.nameHint')}
          errors={errors.name}
        />
        <SelectField
          label={t('sso.field.preset')}
          name="preset"
          value={values.preset}
          onChange={(e) => onChange('preset', e.target.value)}
          options={presetChoices}
          hint={presetHint}
          errors={errors.preset}
        />
      </div>
      {protocol === 'saml' ? (
        <div className="field-row">
          <Field
            label={t('sso.field.metadataUrl')}
            type="url"
            name="metadata_url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder={examples ? 'https://idp.example.com/metadata.xml' : undefined}
            value={values.metadataUrl}
            onChange={(e) => onChange('metadataUrl', e.target.value)}
            errors={errors.metadata_url}
          />
          <Field
            ref={fileRef}
            label={t('sso.field.metadataFile')}
            type="file"
            name="metadata_file"
            accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
            hint={metadataFileHint}
            errors={errors.metadata_file}
          />
        </div>
      ) : (
        <>
          <Field
            label={t('sso.field.discoveryUrl')}
            type="url"
            name="oidc_discovery_url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder={examples ? 'https://login.example.com/.well-known/openid-configuration' : undefined}
            value={values.discoveryUrl}
            onChange={(e) => onChange('discoveryUrl', e.target.value)}
            hint={t('sso.field.discoveryHint')}
            errors={errors.oidc_discovery_url}
          />
          <div className="field-row">
            <Field
              label={t('sso.field.clientId')}
              name="oidc_client_id"
              autoComplete="off"
              spellCheck={false}
              value={values.clientId}
              onChange={(e) => onChange('clientId', e.target.value)}
              errors={errors.oidc_client_id}
            />
            <Field
              label={t('sso.field.clientSecret')}
              type="password"
              name="oidc_client_secret"
              autoComplete="new-password"
              spellCheck={false}
              value={values.clientSecret}
              onChange={(e) => onChange('clientSecret', e.target.value)}
              hint={secretHint}
              errors={errors.oidc_client_secret}
            />
          </div>
          {oidcExtra}
        </>
      )}
    </>
  );
}
