// An SMTP server of the browser tests' own: it accepts every message (EHLO
// or HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH) on a free
// loopback port and keeps it in memory, decoded the way a mail client shows
// it: the subject's RFC 2047 words and the base64 text/plain part of the
// multipart/alternative that polis sends (notify/smtp_message.c). The tests
// then read their mail as a person would, after it really went over SMTP.
import { createServer } from 'node:net';

// A message larger than this is refused (552): a runaway client cannot
// fill the test's memory.
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

// "=?UTF-8?B?...?=" words as text; the space between two words goes.
export function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes = /b/i.test(enc)
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return new TextDecoder(charset).decode(bytes);
    });
}

// { headers: Map of lower-case name -> unfolded value, body } of raw
// message text (CRLF line ends).
function splitHeaders(raw) {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const headers = new Map();
  for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: end < 0 ? '' : raw.slice(end + 4) };
}

// The decoded content of each part of a multipart body: [{ type, text }].
function parts(contentType, body) {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType || '')?.[1];
  if (!boundary) return [];
  const found = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break; // the closing delimiter
    const { headers, body: content } = splitHeaders(chunk.replace(/^\r\n/, ''));
    const type = (headers.get('content-type') || 'text/plain').split(';')[0].trim().toLowerCase();
    const encoding = (headers.get('content-transfer-encoding') || '').toLowerCase();
    const text = encoding === 'base64' ? Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8') : content;
    found.push({ type, text });
  }
  return found;
}

// A message as the tests read it: envelope, headers, subject and text.
function readMessage(envelope, raw) {
  const { headers, body } = splitHeaders(raw);
  const found = parts(headers.get('content-type'), body);
  return {
    from: envelope.from,
    to: envelope.to,
    raw,
    headers,
    subject: decodeWords(headers.get('subject') || ''),
    text: found.find((p) => p.type === 'text/plain')?.text ?? body,
    html: found.find((p) => p.type === 'text/html')?.text ?? null,
  };
}

// One client's conversation.
function converse(socket, messages) {
  let buffered = '';
  let envelope = { from: null, to: [] };
  let data = null; // the lines of a message being received, or null outside DATA
  let dataBytes = 0;
  const reply = (line) => socket.write(`${line}\r\n`);

  function command(line) {
    const verb = line.slice(0, 4).toUpperCase();
    const arg = line.slice(4).trim();
    if (verb === 'EHLO') return reply(`250-polis-test-sink\r\n250-8BITMIME\r\n250 SIZE ${MAX_MESSAGE_BYTES}`);
    if (verb === 'HELO') return reply('250 polis-test-sink');
    if (verb === 'MAIL') {
      envelope = { from: /<([^>]*)>/.exec(arg)?.[1] ?? '', to: [] };
      return reply('250 2.1.0 Ok');
    }
    if (verb === 'RCPT') {
      if (envelope.from === null) return reply('503 5.5.1 MAIL first');
      envelope.to.push(/<([^>]*)>/.exec(arg)?.[1] ?? '');
      return reply('250 2.1.5 Ok');
    }
    if (verb === 'DATA') {
      if (!envelope.to.length) return reply('503 5.5.1 RCPT first');
      data = [];
      dataBytes = 0;
      return reply('354 End data with <CR><LF>.<CR><LF>');
    }
    if (verb === 'RSET') {
      envelope = { from: null, to: [] };
      return reply('250 2.0.0 Ok');
    }
    if (verb === 'NOOP') return reply('250 2.0.0 Ok');
    if (verb === 'QUIT') {
      reply('221 2.0.0 Bye');
      return socket.end();
    }
    return reply('502 5.5.2 Command not recognised');
  }

  function dataLine(line) {
    if (line !== '.') {
      dataBytes += line.length + 2;
      if (dataBytes <= MAX_MESSAGE_BYTES) data.push(line.startsWith('.') ? line.slice(1) : line);
      return;
    }
    const tooBig = dataBytes > MAX_MESSAGE_BYTES;
    if (!tooBig) messages.push(readMessage(envelope, data.join('\r\n') + '\r\n'));
    data = null;
    envelope = { from: null, to: [] };
    reply(tooBig ? '552 5.3.4 Message too big' : `250 2.0.0 Ok: queued as ${messages.length}`);
  }

  socket.setEncoding('utf8');
  socket.on('error', () => {}); // a client that went away is not the test's failure
  socket.on('data', (chunk) => {
    buffered += chunk;
    for (let eol = buffered.indexOf('\r\n'); eol >= 0; eol = buffered.indexOf('\r\n')) {
      const line = buffered.slice(0, eol);
      buffered = buffered.slice(eol + 2);
      if (data) dataLine(line);
      else command(line);
    }
    if (!data && buffered.length > 4096) socket.destroy(); // no command is this long
  });
  reply('220 polis-test-sink ESMTP');
}

// Starts the sink on a free loopback port: { port, url, messages,
// waitForMail(address, match, deadlineMs), close() }.
export function startSmtpSink() {
  const messages = [];
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    converse(socket, messages);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        url: `smtp://127.0.0.1:${port}`,
        messages,
        // The newest message to address that matches (a text its subject
        // contains, or a function of the message), as soon as it has
        // arrived; fails after deadlineMs.
        async waitForMail(address, match, deadlineMs) {
          const matches = typeof match === 'function' ? match : (m) => m.subject.includes(match);
          const deadline = Date.now() + deadlineMs;
          for (;;) {
            const found = messages.findLast((m) => m.to.includes(address) && matches(m));
            if (found) return found;
            if (Date.now() > deadline) {
              const seen = messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('; ') || 'none';
              const wanted = typeof match === 'function' ? 'the mail expected' : `a subject containing "${match}"`;
              throw new Error(`no mail to ${address} with ${wanted} reached the SMTP sink within ${deadlineMs / 1000} s (mail seen: ${seen})`);
            }
            await pause(50); // between two looks
          }
        },
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            for (const s of sockets) s.destroy(); // a client still connected
          }),
      });
    });
  });
}
