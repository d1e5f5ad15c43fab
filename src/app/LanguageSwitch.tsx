import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, languageOf } from '../i18n';

/**
 * The operator's language: a labelled native <select> (keyboard: Tab to it, arrows or type-ahead to
 * choose), saved for the next visit. Each language is named in itself, so anyone can find theirs.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation('common');
  const id = useId();
  const current = languageOf(i18n.resolvedLanguage ?? i18n.language);
  return (
    <span className="language-switch">
      <label className="language-label" htmlFor={id}>
        {t('language')}
      </label>
      <select
        id={id}
        data-testid="language-switch"
        value={current}
        onChange={(e) => {
          const next = e.target.value;
          if (isLanguage(next)) void chooseLanguage(next);
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
    </span>
  );
}
