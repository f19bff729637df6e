// An OSM opening_hours string made readable: the day codes, PH and "off"
// in the current language, rules on their own lines. The raw string stays
// on the page too (the API checks it, not this); this is a reading aid.
import { t } from './i18n.js';

const TOKEN = /\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|off)\b/g;

// [line, ...] of str: one per ";"-separated rule.
export function readableHours(str) {
  if (!str) return [];
  if (str.trim() === '24/7') return [t('poi.alwaysOpen')];
  return str
    .split(';')
    .map((rule) => rule.trim())
    .filter(Boolean)
    .map((rule) => rule.replace(TOKEN, (m) => t(`day.${m}`)).replace(/-/g, '–'));
}
