// The "Documents" section of an application form: each document the service
// asks for (required ones marked) with a file input and the files already
// attached. A file is sent as it is (POST /api/v1/applications/{id}/files/
// {document_code}, the raw file with its Content-Type; 201 with {id,
// document_code, original_name, media_type, bytes, pages}). The server
// lists an application's files in its `files` member: only then is the
// upload there, so without it (or before the draft is saved) the inputs
// are disabled with a note saying why.
import { api, problemOf } from './api.js';
import { el } from './dom.js';
import { clearProblems, fieldWrapper, showProblem } from './field_errors.js';
import { localName, t } from './i18n.js';
import { documentText } from './services_page.js';

const MEDIA = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' };

function fileLine(f) {
  const parts = [f.original_name, `${Math.ceil(f.bytes / 1024)} KB`];
  if (f.pages) parts.push(t('files.pages').replace('{n}', f.pages));
  return el('li', 'file', parts.join(' · '));
}

// The server takes uploads for this application (see above).
export function uploadsOpen(app) {
  return !!app && Array.isArray(app.files);
}

async function upload(app, d, input, box, list) {
  const file = input.files[0];
  if (!file) return;
  input.disabled = true;
  let res = null;
  try {
    // ?name=: the file's own name is kept (else the server names it by the document)
    res = await api(`/api/v1/applications/${app.id}/files/${encodeURIComponent(d.code)}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
  } catch {
    // offline: problemOf(null) says so
  }
  input.disabled = false;
  if (res?.ok) {
    const made = await res.json();
    app.files.push(made);
    list.append(fileLine(made));
    input.value = '';
    clearProblems(box);
    return;
  }
  const problem = await problemOf(res);
  // the answer is about this document, whatever member it names
  showProblem(box, { ...problem, errors: [] }, { field: `files.${d.code}` });
}

// The section for service's documents and app (the draft, or null before
// its first save).
export function filesSection(service, app) {
  const section = el('section', 'documents');
  section.setAttribute('aria-labelledby', 'apply-documents-title');
  const h = el('h3', null, t('services.documents'));
  h.id = 'apply-documents-title';
  section.append(h);
  const docs = service.documents || [];
  if (!docs.length) {
    section.append(el('p', 'hint', t('services.noDocuments')));
    return section;
  }
  const open = uploadsOpen(app);
  const note = el('p', 'hint', t(open ? 'files.hint' : app ? 'files.notYet' : 'files.saveFirst'));
  note.id = 'apply-files-note';
  section.append(note);
  for (const d of docs) {
    const box = el('div', 'document');
    const input = el('input');
    input.type = 'file';
    input.id = `apply-file-${d.code}`;
    input.accept = (d.types || []).map((x) => MEDIA[x]).filter(Boolean).join(',');
    input.disabled = !open;
    if (d.required) input.setAttribute('aria-required', 'true');
    const label = el('label', null, documentText(d));
    label.htmlFor = input.id;
    const wrap = fieldWrapper(`files.${d.code}`, label, input);
    input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby')} ${note.id}`);
    const list = el('ul', 'files');
    list.setAttribute('aria-label', localName(d));
    for (const f of (open ? app.files : []).filter((x) => x.document_code === d.code)) list.append(fileLine(f));
    box.append(wrap, list);
    if (open) input.addEventListener('change', () => upload(app, d, input, box, list));
    section.append(box);
  }
  return section;
}
