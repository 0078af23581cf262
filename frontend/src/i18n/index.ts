import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fr from './fr.json';

export const languages = [
  { code: 'en', label: 'English' },
  { code: 'fr', label: 'Français' },
] as const;

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('lang') : null;
const browser = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'en';
const initial = [stored, browser].find((l) => l === 'en' || l === 'fr') ?? 'en';

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: initial,
  fallbackLng: 'en',
  // Error codes such as "process.not_found" are nested keys under "errors".
  nsSeparator: false,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

/** setLanguage switches the UI language and remembers it. */
export function setLanguage(lang: string) {
  void i18n.changeLanguage(lang);
  localStorage.setItem('lang', lang);
}

if (typeof document !== 'undefined') {
  document.documentElement.lang = i18n.language;
  i18n.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
}

export default i18n;
