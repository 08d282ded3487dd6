import { useId } from 'react';
import { useI18n, isLang } from '../i18n/I18nContext';
import { LANGS } from '../i18n/messages';

export function LanguageSelect() {
  const { lang, setLang, t } = useI18n();
  const id = `lang${useId().replace(/[^\w-]/g, '')}`;
  return (
    <div className="lang-select">
      <label htmlFor={id}>{t('lang.label')}</label>
      <select
        id={id}
        value={lang}
        onChange={(event) => {
          if (isLang(event.target.value)) setLang(event.target.value);
        }}
      >
        {LANGS.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(`lang.${code}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
