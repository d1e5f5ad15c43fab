import i18next, { type TFunction } from 'i18next';
import { loadAll, NAMESPACES, type Language } from './resources';

const all = await loadAll();

/**
 * A `t` for unit tests of pure text helpers: every namespace of every language loaded, no detector,
 * no React. `testT('de', 'alarms')('ack')`.
 */
export function testT(language: Language, ns = 'common'): TFunction {
  const instance = i18next.createInstance();
  void instance.init({
    resources: all,
    lng: language,
    fallbackLng: false,
    ns: [...NAMESPACES],
    defaultNS: ns,
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance.getFixedT(language, ns);
}
