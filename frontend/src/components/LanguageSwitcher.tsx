import { useTranslation } from 'react-i18next';
import { languages, setLanguage } from '../i18n';

/** LanguageSwitcher chooses the interface language. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switcher">
      <label htmlFor="language">{t('app.language')}</label>
      <select id="language" value={i18n.language} onChange={(e) => setLanguage(e.target.value)}>
        {languages.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  );
}
