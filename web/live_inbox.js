// The live mailbox: while someone is signed in, one EventSource on
// GET /api/v1/me/stream. Each new entry of their mailbox is handed to
// onEntry (the badge and the open mailbox) and announced on window as a
// 'polis:inbox' event, which the views that show reports (the staff list and
// map) listen to. The browser reconnects by itself and sends Last-Event-ID,
// so nothing is missed across a dropped connection; app.js keeps its slow
// poll only as the fallback for a browser or proxy without streams.
let source = null;

export function startLiveInbox(onEntry) {
  stopLiveInbox();
  if (typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/me/stream');
  // body[data-live] says whether the stream is open (tests wait on it)
  source.addEventListener('open', () => { document.body.dataset.live = 'open'; });
  source.addEventListener('error', () => { document.body.dataset.live = 'reconnecting'; });
  source.addEventListener('inbox', (e) => {
    let entry;
    try {
      entry = JSON.parse(e.data);
    } catch {
      return;
    }
    onEntry(entry);
    window.dispatchEvent(new CustomEvent('polis:inbox', { detail: entry }));
  });
}

export function stopLiveInbox() {
  source?.close();
  source = null;
  delete document.body.dataset.live;
}
