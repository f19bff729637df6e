// The e-services (#/services): the active services of the municipality
// (GET /api/v1/services), certificates (answered by a document polis
// generates) apart from applications (answered by the department), each with
// its description, target time, who may apply and the documents it needs,
// and a link to apply (signed in) or to sign in first. The helpers that name
// a service, its applicants and its documents serve the application pages
// too.
import { call } from './api.js';
import { el } from './dom.js';
import { lang, localName, t } from './i18n.js';
import { viewSection } from './views.js';

// The service's title or description in the page's language.
export function serviceText(s, what = 'title') {
  return (lang() === 'en' ? s?.[`${what}_en`] : s?.[`${what}_el`]) || s?.[`${what}_el`] || s?.[`${what}_en`] || '';
}

// "2 days" for 48 hours, "36 hours" for 36.
export function targetTime(hours) {
  if (hours % 24 === 0) return t(hours === 24 ? 'services.day' : 'services.days').replace('{n}', hours / 24);
  return t('services.hours').replace('{n}', hours);
}

const KB = 1024;
function size(kb) {
  return kb >= KB && kb % KB === 0 ? `${kb / KB} MB` : `${kb} KB`;
}

// One document a service asks for: its name, (required) and what it takes.
export function documentText(d) {
  const need = d.required ? t('services.required') : t('services.optional');
  const types = (d.types || []).map((x) => x.toUpperCase()).join(', ');
  return `${localName(d)} (${need}) · ${types} · ${t('services.upTo')} ${size(d.max_kb)}`;
}

// "Documents needed": the list, or that none is needed.
export function documentList(docs, headingTag = 'h4') {
  const box = el('div', 'documents');
  box.append(el(headingTag, null, t('services.documents')));
  if (!docs?.length) {
    box.append(el('p', 'hint', t('services.noDocuments')));
    return box;
  }
  const ul = el('ul');
  for (const d of docs) ul.append(el('li', d.required ? 'doc-required' : null, documentText(d)));
  box.append(ul);
  return box;
}

function serviceCard(s, user) {
  const li = el('li', 'card service');
  li.dataset.service = s.id;
  const title = el('h4', 'card-head', serviceText(s));
  title.id = `service-${s.id}-title`;
  li.setAttribute('aria-labelledby', title.id);
  li.append(
    title,
    el('p', null, serviceText(s, 'description')),
    el('p', 'hint', `${t('services.target')}: ${targetTime(s.target_hours)} · ${t('services.who')}: ${t(`services.applicants.${s.applicants}`)}`),
    documentList(s.documents, 'h5'),
  );
  const a = el('a', user ? 'button primary' : null, t(user ? 'services.apply' : 'services.signInToApply'));
  a.href = user ? `#/services/${s.id}/apply` : '#/';
  a.setAttribute('aria-describedby', title.id);
  if (!user) a.addEventListener('click', () => setTimeout(() => document.getElementById('email')?.focus(), 0));
  li.append(a);
  return li;
}

export function initServicesPage() {
  const { page, status } = viewSection('services', { hint: true, status: true });
  return async function show(user) {
    page.replaceChildren();
    status.textContent = t('services.loading');
    const r = await call(`/api/v1/services?lang=${lang()}`);
    if (!r.ok) {
      status.textContent = r.problem.status === 0 ? t('problem.offline') : r.problem.detail;
      return;
    }
    const all = r.body.services.filter((s) => s.active !== false);
    status.textContent = all.length ? '' : t('services.none');
    for (const [kind, key] of [['generated', 'services.certificates'], ['uploaded', 'services.applications']]) {
      const mine = all.filter((s) => s.answer_kind === kind);
      if (!mine.length) continue;
      const h = el('h3', null, t(key));
      h.id = `services-${kind}`;
      const ul = el('ul', 'cards');
      ul.setAttribute('aria-labelledby', h.id);
      ul.append(...mine.map((s) => serviceCard(s, user)));
      page.append(h, ul);
    }
  };
}
