import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { ssoApi } from '../../../api/endpoints';
import { NO_ERROR, type FormError } from '../../../api/errors';
import { SSO_PROTOCOLS, type SsoProtocol } from '../../../api/types';
import { FormAlert } from '../../../components/FormAlert';
import { useI18n } from '../../../i18n/I18nContext';
import { ProviderConnectionFields } from './ProviderConnectionFields';
import { ssoFormError } from './ssoErrors';
import {
  EMPTY_CREATE,
  buildCreateInput,
  presetOptions,
  readMetadataFile,
  remapProviderFields,
  type CreateState,
} from './ssoForm';

const FIELDS = [
  'protocol',
  'name',
  'preset',
  'metadata_url',
  'metadata_file',
  'oidc_discovery_url',
  'oidc_client_id',
  'oidc_client_secret',
] as const;

/** "Add provider": protocol, name, preset and how to reach the IdP; then on to the provider's page. */
export function ProviderCreateForm({
  id,
  presets,
  onCancel,
}: {
  id: string;
  presets: string[] | null;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const radioName = `protocol${useId().replace(/[^\w-]/g, '')}`;
  const [s, setState] = useState<CreateState>(EMPTY_CREATE);
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const set = <K extends keyof CreateState>(name: K, value: CreateState[K]) =>
    setState((prev) => ({ ...prev, [name]: value }));

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = s.protocol === 'saml' ? (fileRef.current?.files?.[0] ?? null) : null;
    let xml: string | null = null;
    if (file) {
      const read = await readMetadataFile(file, t);
      if (read.errors) {
        setError({ message: '', fields: read.errors });
        return;
      }
      xml = read.value;
    }
    const built = buildCreateInput(s, xml, t);
    if (built.errors) {
      setError({ message: '', fields: built.errors });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const created = await ssoApi.createProvider(built.value);
      navigate(`/admin/sso/${created.id}`, { state: { created: true } });
    } catch (err) {
      const usedFile = xml !== null;
      setError(ssoFormError(err, t, FIELDS, (fields) => remapProviderFields(fields, { protocol: s.protocol, usedFile })));
      setPending(false);
    }
  };

  return (
    <form
      id={id}
      className="card sso-create"
      onSubmit={onSubmit}
      noValidate
      aria-busy={pending}
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {t('sso.newProvider')}
      </h3>
      <FormAlert message={error.message} />
      <fieldset className="radio-group">
        <legend>{t('sso.field.protocol')}</legend>
        <div className="radio-options">
          {SSO_PROTOCOLS.map((protocol: SsoProtocol) => (
            <div className="field field-check" key={protocol}>
              <input
                id={`${radioName}-${protocol}`}
                type="radio"
                name={radioName}
                value={protocol}
                checked={s.protocol === protocol}
                onChange={() => {
                  set('protocol', protocol);
                  setError(NO_ERROR);
                }}
              />
              <label htmlFor={`${radioName}-${protocol}`}>{t(`sso.protocol.${protocol}`)}</label>
            </div>
          ))}
        </div>
        {error.fields.protocol ? <p className="field-error">{error.fields.protocol.join(' ')}</p> : null}
      </fieldset>
      <ProviderConnectionFields
        protocol={s.protocol}
        values={s}
        onChange={set}
        errors={error.fields}
        presetChoices={presetOptions(presets, t)}
        presetHint={t('sso.field.presetHint')}
        fileRef={fileRef}
        metadataFileHint={t('sso.field.metadataHint')}
        examples
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('sso.saveProvider')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={pending}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
