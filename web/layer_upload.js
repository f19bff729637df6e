// Layer upload for staff: the file and its options go as multipart/form-data
// to POST /api/v1/layers, which answers 202 with a job at once; the job's
// progress (features read/written of the total) is then polled until it
// succeeds or fails, and the recent jobs are listed.
import { api, call, problemOf } from './api.js';
import { clearProblems, showProblem } from './field_errors.js';
import { t } from './i18n.js';

const POLL_MS = 700;
const $ = (id) => document.getElementById(id);
const FIELDS = [
  ['name', 'l-name'],
  ['title_el', 'l-title-el'],
  ['title_en', 'l-title-en'],
  ['srs', 'l-srs'],
  ['encoding', 'l-encoding'],
  ['mode', 'l-mode'],
  ['visibility', 'l-visibility'],
  ['x', 'l-x'],
  ['y', 'l-y'],
];

function jobLine(j) {
  const p = j.progress || {};
  const counts = p.read !== undefined ? ` · ${t('layers.counts').replace('{read}', p.read).replace('{written}', p.written ?? 0).replace('{total}', p.total ?? '?')}` : '';
  return `#${j.id} ${j.file || ''} → ${j.layer || ''}: ${t(`job.${j.status}`)}${counts}`;
}

function jobResult(j) {
  if (j.status === 'failed') return j.result?.error || '';
  if (j.status === 'succeeded' && j.result)
    return t('layers.done').replace('{written}', j.result.written).replace('{layer}', j.result.layer);
  return '';
}

export function initLayerUpload() {
  const form = $('layer-form');
  let polling = null;

  async function listJobs() {
    const r = await call('/api/v1/jobs?limit=10');
    const items = r.ok ? r.body.jobs : [];
    $('job-list').replaceChildren(
      ...items.map((j) => {
        const li = document.createElement('li');
        li.className = 'card';
        li.dataset.job = j.id;
        li.textContent = jobLine(j);
        return li;
      }),
    );
  }

  function showJob(j) {
    $('job').hidden = false;
    $('job-status').textContent = jobLine(j);
    const bar = $('job-progress');
    const p = j.progress || {};
    if (j.status === 'succeeded') {
      bar.max = 1;
      bar.value = 1;
    } else if (p.total > 0) {
      bar.max = p.total;
      bar.value = p.read || 0;
    } else {
      bar.removeAttribute('value'); // indeterminate until a total is known
    }
    $('job-result').textContent = jobResult(j);
    $('job').dataset.status = j.status;
  }

  async function follow(url) {
    clearTimeout(polling);
    const r = await call(url);
    if (!r.ok) {
      $('job-result').textContent = r.problem.detail;
      return;
    }
    showJob(r.body);
    if (r.body.status === 'queued' || r.body.status === 'running') polling = setTimeout(() => follow(url), POLL_MS);
    else listJobs();
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    const data = new FormData();
    const file = $('l-file').files[0];
    if (file) data.append('file', file, file.name);
    for (const [name, id] of FIELDS) if ($(id).value.trim()) data.append(name, $(id).value.trim());
    let res;
    try {
      res = await api('/api/v1/layers', { method: 'POST', body: data });
    } catch {
      res = null;
    }
    if (!res || res.status !== 202) return showProblem(form, await problemOf(res), { field: 'file' });
    const job = await res.json();
    showJob(job);
    follow(job.url);
  });

  return { show: listJobs };
}
