// The report statuses as the server defines them (GET /api/v1/report-statuses,
// table report_statuses): workflow order, labels in both languages and which
// are open. Pages ask here instead of keeping their own list.
import { call } from './api.js';

let loaded = null;

// [{name, open, label_el, label_en}], fetched once; [] when the server cannot
// be reached (the filters then offer "all" only).
export function loadStatuses() {
  if (!loaded) loaded = call('/api/v1/report-statuses').then((r) => (r.ok ? r.body.statuses : []));
  return loaded;
}
