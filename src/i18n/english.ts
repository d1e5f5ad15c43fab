import i18next, { type TFunction } from 'i18next';
import common from './locales/en/common.json';
import operator from './locales/en/operator.json';

/**
 * English text without the browser setup: for pure helpers that Node also calls (`twin watch` prints
 * the connection line with connectionText), as their default `t`. Plain JSON imports, so it works
 * under tsx as well as in the bundle (where these are the same modules the UI loads).
 */
const instance = i18next.createInstance();
void instance.init({
  resources: { en: { common, operator } },
  lng: 'en',
  fallbackLng: false,
  ns: ['common', 'operator'],
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  initAsync: false,
});

export const englishT: TFunction = instance.getFixedT('en');
