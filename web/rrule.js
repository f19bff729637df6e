// The editor's repeat picker and an RFC 5545 RRULE: none, daily, weekly or
// monthly, ending after COUNT times or on an UNTIL date (the end of that
// day in UTC, the form the API asks for). Other rules the API accepts
// (BYDAY, INTERVAL...) are kept as typed when the picker cannot show them.
export const FREQS = ['DAILY', 'WEEKLY', 'MONTHLY'];

// {freq: ''|FREQ, count: '', until: 'YYYY-MM-DD'} -> rrule string or null
export function buildRrule({ freq, count, until }) {
  if (!freq) return null;
  const parts = [`FREQ=${freq}`];
  if (count) parts.push(`COUNT=${count}`);
  else if (until) parts.push(`UNTIL=${until.replace(/-/g, '')}T235959Z`);
  return parts.join(';');
}

// rrule -> {freq, count, until, other}; other = the rule could not be shown
export function parseRrule(rule) {
  const out = { freq: '', count: '', until: '', other: false };
  if (!rule) return out;
  for (const part of rule.split(';')) {
    const [k, v = ''] = part.split('=');
    if (k === 'FREQ' && FREQS.includes(v)) out.freq = v;
    else if (k === 'COUNT') out.count = v;
    else if (k === 'UNTIL') out.until = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
    else out.other = true;
  }
  if (!out.freq) out.other = true;
  return out;
}
