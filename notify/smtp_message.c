#include "notify/smtp_message.h"

#include "common/textbuf.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* base64 of n bytes in lines of 76 characters (57 bytes each), CRLF ended */
static void append_base64_lines(struct textbuf *t, const unsigned char *data, size_t n)
{
    char line[77];
    for (size_t at = 0; at < n; at += 57) {
        size_t chunk = n - at < 57 ? n - at : 57;
        sodium_bin2base64(line, sizeof line, data + at, chunk, sodium_base64_VARIANT_ORIGINAL);
        textbuf_printf(t, "%s\r\n", line);
    }
}

/* Subject: as is when printable ASCII, else RFC 2047 encoded-words (UTF-8,
 * base64) of at most 42 bytes each, never splitting a character, folded
 * onto continuation lines so that no line passes 78 characters. */
static void append_subject(struct textbuf *t, const char *subject)
{
    const unsigned char *s = (const unsigned char *)subject;
    size_t n = strlen(subject), i;
    for (i = 0; i < n && s[i] >= 0x20 && s[i] < 0x7f; i++)
        ;
    if (i == n && n <= 900) {
        textbuf_printf(t, "Subject: %s\r\n", subject);
        return;
    }
    textbuf_printf(t, "Subject:");
    char word[61];
    for (size_t at = 0; at < n;) {
        size_t end = at + 42 < n ? at + 42 : n;
        while (end < n && end > at + 1 && (s[end] & 0xc0) == 0x80)
            end--; /* back to the first byte of a character */
        sodium_bin2base64(word, sizeof word, s + at, end - at, sodium_base64_VARIANT_ORIGINAL);
        textbuf_printf(t, "%s=?UTF-8?B?%s?=", at ? "\r\n " : " ", word);
        at = end;
    }
    textbuf_printf(t, "\r\n");
}

static void append_escaped(struct textbuf *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': textbuf_printf(t, "&amp;"); break;
        case '<': textbuf_printf(t, "&lt;"); break;
        case '>': textbuf_printf(t, "&gt;"); break;
        case '"': textbuf_printf(t, "&quot;"); break;
        case '\'': textbuf_printf(t, "&#39;"); break;
        case '\n': textbuf_printf(t, "<br>\n"); break;
        default: textbuf_printf(t, "%c", s[i]);
        }
    }
}

/* The HTML part of a text: every character escaped, line breaks kept, and
 * each http(s) link made a link (its text escaped the same way). */
static char *html_from_text(const char *text)
{
    struct textbuf t = {0};
    textbuf_printf(&t, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
                       "<body><p>");
    const char *p = text;
    while (*p) {
        const char *link = strstr(p, "http");
        while (link && strncmp(link, "https://", 8) && strncmp(link, "http://", 7))
            link = strstr(link + 4, "http");
        if (!link) {
            append_escaped(&t, p, strlen(p));
            break;
        }
        size_t len = strcspn(link, " \t\r\n<>\"'");
        append_escaped(&t, p, (size_t)(link - p));
        textbuf_printf(&t, "<a href=\"");
        append_escaped(&t, link, len);
        textbuf_printf(&t, "\">");
        append_escaped(&t, link, len);
        textbuf_printf(&t, "</a>");
        p = link + len;
    }
    textbuf_printf(&t, "</p></body></html>\n");
    return t.buf;
}

/* the text with every lone "\n" made "\r\n" */
static char *with_crlf(const char *text)
{
    struct textbuf t = {0};
    textbuf_printf(&t, "%s", "");
    for (const char *p = text; *p; p++) {
        if (*p == '\n' && (p == text || p[-1] != '\r'))
            textbuf_printf(&t, "\r");
        textbuf_printf(&t, "%c", *p);
    }
    return t.buf;
}

static void append_part(struct textbuf *t, const char *boundary, const char *type,
                        const char *content)
{
    textbuf_printf(t, "--%s\r\nContent-Type: %s; charset=utf-8\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n", boundary, type);
    append_base64_lines(t, (const unsigned char *)content, strlen(content));
}

static int header_safe(const char *name, const char *value, char *err, size_t errlen)
{
    for (const unsigned char *p = (const unsigned char *)value; p && *p; p++)
        if (*p < 0x20 || *p == 0x7f) {
            snprintf(err, errlen, "the %s holds a control character (0x%02x); expected one "
                     "line of text", name, *p);
            return 0;
        }
    return 1;
}

/* RFC 5322 date, in English whatever the locale */
static void append_date(struct textbuf *t, time_t when)
{
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&when, &tm);
    textbuf_printf(t, "Date: %s, %d %s %d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
                   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                   tm.tm_sec);
}

char *mail_message_compose(const struct mail_message *m, char *err, size_t errlen)
{
    if (!header_safe("sender address", m->from, err, errlen) ||
        !header_safe("recipient", m->to, err, errlen) ||
        !header_safe("subject", m->subject, err, errlen) ||
        !header_safe("Message-ID", m->message_id, err, errlen) ||
        !header_safe("thread root", m->thread_root, err, errlen) ||
        !header_safe("unsubscribe link", m->list_unsubscribe, err, errlen))
        return NULL;
    /* "=_" never occurs in base64, so the parts cannot contain the boundary */
    char boundary[300];
    snprintf(boundary, sizeof boundary, "=_polis_%s", m->message_id);
    boundary[strcspn(boundary, "@\"")] = '\0';

    struct textbuf t = {0};
    append_date(&t, m->date);
    textbuf_printf(&t, "From: %s\r\nTo: %s\r\n", m->from, m->to);
    append_subject(&t, m->subject);
    textbuf_printf(&t, "Message-ID: <%s>\r\n", m->message_id);
    if (m->thread_root)
        textbuf_printf(&t, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", m->thread_root,
                       m->thread_root);
    if (m->list_unsubscribe)
        textbuf_printf(&t, "List-Unsubscribe: <%s>\r\n"
                           "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
                       m->list_unsubscribe);
    textbuf_printf(&t, "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n"
                       "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n",
                   boundary);
    char *text = with_crlf(m->text);
    char *html = m->html ? NULL : html_from_text(m->text);
    append_part(&t, boundary, "text/plain", text);
    append_part(&t, boundary, "text/html", m->html ? m->html : html);
    textbuf_printf(&t, "--%s--\r\n", boundary);
    free(text);
    free(html);
    return t.buf;
}

const char *mail_address_domain(const char *address)
{
    const char *at = strrchr(address, '@');
    return at ? at + 1 : "";
}
