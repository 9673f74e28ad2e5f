import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from '../i18n';

const NAMES: Record<string, string> = { nl: 'Nederlands', en: 'English' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switch" role="group" aria-label={t('app.language')}>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-pressed={i18n.language === language}
          aria-label={NAMES[language]}
          onClick={() => setLanguage(language)}
        >
          {language.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
