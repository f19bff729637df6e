// What the tourism pages share about POIs: the categories (loaded once),
// a POI's texts in the current language and a distance people can read.
import { call } from './api.js';
import { lang, localName, t } from './i18n.js';

let categories = null;

// The POI categories [{code, name_el, name_en, ...}] (inactive ones left out).
export function poiCategories() {
  categories ??= call('/api/v1/poi-categories').then((r) => (r.ok ? r.body.categories.filter((c) => c.active !== false) : []));
  return categories;
}

// The name of a POI's properties in the current language.
export function poiName(p) {
  return localName(p) || p.name || '';
}

export function poiDescription(p) {
  return (lang() === 'en' ? p.description_en : p.description_el) || p.description_el || p.description_en || '';
}

// 850 m, 2.4 km
export function distanceText(metres) {
  if (metres < 1000) return t('visit.metres').replace('{n}', Math.round(metres));
  return t('visit.km').replace('{n}', (metres / 1000).toLocaleString(lang(), { maximumFractionDigits: 1 }));
}
