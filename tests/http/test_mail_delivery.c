/* Mail that is really sent (issue 16): polis serve with POLIS_SMTP_URL
 * hands the outbox to an SMTP server (the tests' own sink, smtp_sink.h) the
 * way a mail client would then show it: a person registers, the
 * confirmation mail arrives (Greek subject encoded, text and HTML, a
 * Message-ID, a link to POLIS_PUBLIC_URL), and following its link confirms
 * the account. Notification mail carries thread and one-click unsubscribe
 * headers; a recipient the server refuses is marked failed with its
 * answer; two servers on one database send each message once. A database of its
 * own (h_private_db): the sender would otherwise deliver (and forget the tokens of) other
 * tests' messages in the shared database. */
#include "h_accounts.h"
#include "h_mail.h"
#include "harness.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAIL_DOMAIN "mail.test.polis.example"

static char *insert_message(PGconn *db, const char *to, const char *subject, const char *body,
                            const char *thread, const char *unsubscribe)
{
    const char *p[] = {to, subject, body, thread, unsubscribe};
    return h_pg_value(db, "INSERT INTO outbox (recipient, subject, body, thread_key,"
                          " list_unsubscribe) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                      5, p);
}

/* register -> the mail at the sink -> its link confirms -> sign-in works */
static void confirmation_mail(const struct h_server *s, PGconn *db, struct smtp_sink *sink)
{
    struct ha_user u = {0};
    ha_unique_email(u.email, sizeof u.email, "mail");
    snprintf(u.password, sizeof u.password, "Pw-mail-delivery-correct horse");
    char body[512];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", u.email, u.password);
    struct h_resp r;
    h_post(s, "/api/v1/auth/register", "application/json", body, &r);
    CHECK_INT("register: status", r.status, 202);
    h_resp_free(&r);

    char *mail = smtp_sink_wait(sink, u.email);
    if (!mail) {
        CHECK(0, "register: expected the confirmation mail at the SMTP server within %d ms",
              H_EVENT_DEADLINE_MS);
        return;
    }
    char *raw_subject = mail_header(mail, "Subject");
    CHECK_HAS("confirmation mail: Subject is RFC 2047 encoded", raw_subject, "=?UTF-8?B?");
    char *subject = mail_decode_words(raw_subject ? raw_subject : "");
    CHECK_STR("confirmation mail: Subject as the reader sees it", subject,
              "Επιβεβαίωση λογαριασμού / Confirm your account");
    char *to = mail_header(mail, "To"), *ctype = mail_header(mail, "Content-Type");
    CHECK_STR("confirmation mail: To", to, u.email);
    CHECK_HAS("confirmation mail: Content-Type", ctype, "multipart/alternative");
    const char *p[] = {u.email};
    char *id = h_pg_value(db, "SELECT '<' || mail_message_id || '>' FROM outbox"
                              " WHERE recipient = $1",
                          1, p);
    char *message_id = mail_header(mail, "Message-ID");
    CHECK_STR("confirmation mail: Message-ID is the outbox row's", message_id, id);
    CHECK_HAS("confirmation mail: Message-ID's domain is POLIS_MAIL_FROM's", message_id,
              "@" MAIL_DOMAIN ">");
    char *unsubscribe = mail_header(mail, "List-Unsubscribe");
    CHECK(unsubscribe == NULL, "confirmation mail: expected no List-Unsubscribe, found %s",
          unsubscribe);

    char link[256];
    snprintf(link, sizeof link, "%s/account/confirm?token=", s->base);
    char *text = mail_part(mail, "text/plain"), *html = mail_part(mail, "text/html");
    CHECK_HAS("confirmation mail: the text part links to POLIS_PUBLIC_URL", text, link);
    CHECK_HAS("confirmation mail: the HTML part has the link", html, "<a href=\"");
    CHECK_HAS("confirmation mail: the HTML part's link", html, link);
    const char *t = text ? strstr(text, link) : NULL;
    char token[128] = "";
    if (t)
        snprintf(token, sizeof token, "%.*s", (int)strcspn(t + strlen(link), " \r\n"),
                 t + strlen(link));
    snprintf(body, sizeof body, "{\"token\":\"%s\"}", token);
    h_post(s, "/api/v1/auth/confirm", "application/json", body, &r);
    CHECK_INT("confirm with the mailed link's token: status", r.status, 200);
    h_resp_free(&r);
    CHECK_INT("sign in after confirming: status", ha_login(s, &u), 200);

    free(hm_wait_value(db, "SELECT status FROM outbox WHERE recipient = $1", u.email, "sent"));
    char *row = h_pg_value(db, "SELECT status || ' ' || attempts || ' ' || (token IS NULL)"
                               " || ' ' || (handed_over_at IS NOT NULL) || ' '"
                               " || left(last_answer, 3) FROM outbox WHERE recipient = $1",
                           1, p);
    CHECK_STR("confirmation row: status, attempts, token gone, handed over, answer", row,
              "sent 1 true true 250");
    free(row);
    free(mail);
    free(raw_subject);
    free(subject);
    free(to);
    free(ctype);
    free(id);
    free(message_id);
    free(text);
    free(html);
}

/* two notifications of one report: one thread, one-click unsubscribe, the
 * text as written (dots, markup) and an HTML part that escapes it */
static void notification_mail(const struct h_server *s, PGconn *db, struct smtp_sink *sink)
{
    char to[160], url[256];
    ha_unique_email(to, sizeof to, "notified");
    snprintf(url, sizeof url, "%s/api/v1/unsubscribe?token=abc123", s->base);
    static const char text[] = "Νέα απάντηση.\n.a line that starts with a dot\n<b>x</b> & y\n";
    char *id1 = insert_message(db, to, "Αίτημα 7: νέα απάντηση", text, "report-7", url);
    char *id2 = insert_message(db, to, "Αίτημα 7: έκλεισε", text, "report-7", url);
    for (int i = 0; i < 2; i++) {
        char *mail = smtp_sink_wait(sink, to);
        if (!mail) {
            CHECK(0, "notification %d: expected it at the SMTP server", i + 1);
            continue;
        }
        char *in_reply = mail_header(mail, "In-Reply-To"), *refs = mail_header(mail, "References");
        char *unsub = mail_header(mail, "List-Unsubscribe");
        char *post = mail_header(mail, "List-Unsubscribe-Post");
        char expected_unsub[300];
        snprintf(expected_unsub, sizeof expected_unsub, "<%s>", url);
        CHECK_STR("notification: In-Reply-To (the report's thread)", in_reply,
                  "<report-7@" MAIL_DOMAIN ">");
        CHECK_STR("notification: References", refs, "<report-7@" MAIL_DOMAIN ">");
        CHECK_STR("notification: List-Unsubscribe", unsub, expected_unsub);
        CHECK_STR("notification: List-Unsubscribe-Post", post, "List-Unsubscribe=One-Click");
        char *plain = mail_part(mail, "text/plain"), *html = mail_part(mail, "text/html");
        CHECK_STR("notification: the text part, line ends CRLF", plain,
                  "Νέα απάντηση.\r\n.a line that starts with a dot\r\n<b>x</b> & y\r\n");
        CHECK_HAS("notification: the HTML part escapes the text", html,
                  "&lt;b&gt;x&lt;/b&gt; &amp; y");
        CHECK(html && !strstr(html, "<b>"), "notification: the HTML part has markup of the "
              "text: %s", html);
        free(in_reply);
        free(refs);
        free(unsub);
        free(post);
        free(plain);
        free(html);
        free(mail);
    }
    const char *p[] = {id1, id2};
    char *ids = h_pg_value(db, "SELECT count(DISTINCT mail_message_id) FROM outbox"
                               " WHERE id IN ($1::bigint, $2::bigint)", 2, p);
    CHECK_STR("notifications: distinct Message-IDs", ids, "2");
    free(ids);
    free(id1);
    free(id2);
}

/* a recipient the server refuses (5xx) is failed at once, with its answer */
static void refused_recipient(PGconn *db, struct smtp_sink *sink)
{
    char to[160];
    ha_unique_email(to, sizeof to, "refused");
    smtp_sink_refuse_recipients(sink, "550 5.1.1 no such mailbox here");
    char *id = insert_message(db, to, "refused", "text\n", NULL, NULL);
    free(hm_wait_value(db, "SELECT status FROM outbox WHERE id = $1::bigint", id, "failed"));
    smtp_sink_refuse_recipients(sink, NULL);
    const char *p[] = {id};
    char *row = h_pg_value(db, "SELECT status || ' ' || attempts || ' ' || (failed_at IS NOT NULL)"
                               " || ' ' || last_answer FROM outbox WHERE id = $1::bigint", 1, p);
    CHECK_HAS("refused recipient: status, attempts, failed_at and the server's answer", row,
              "failed 1 true 550 5.1.1 no such mailbox here");
    free(row);
    free(id);
}

/* with a second server sending from the same outbox, each message still
 * arrives once */
static void two_senders(const char *dburl, const char *const *env, PGconn *db,
                        struct smtp_sink *sink)
{
    struct h_server second;
    if (h_server_start(&second, dburl, env) != 0)
        return;
    char to[160];
    ha_unique_email(to, sizeof to, "once");
    int before = smtp_sink_count(sink);
    const char *p[] = {to};
    free(h_pg_value(db, "INSERT INTO outbox (recipient, subject, body)"
                        " SELECT $1, 'one of twenty ' || i, 'text' FROM generate_series(1, 20) i"
                        " RETURNING 1", 1, p));
    int arrived = 0;
    for (char *m; arrived < 20 && (m = smtp_sink_wait(sink, to)); arrived++)
        free(m);
    CHECK_INT("two senders: messages that arrived", arrived, 20);
    free(hm_wait_value(db, "SELECT count(*) FROM outbox WHERE recipient = $1 AND status = 'sent'",
                        to, "20"));
    char *sent = h_pg_value(db, "SELECT count(*) FILTER (WHERE status = 'sent' AND attempts = 1)"
                                " FROM outbox WHERE recipient = $1", 1, p);
    CHECK_STR("two senders: rows sent at the first attempt", sent, "20");
    free(sent);
    /* any duplicate would have arrived by the time every row says sent */
    CHECK_INT("two senders: messages received in all", smtp_sink_count(sink) - before, 20);
}

int main(void)
{
    h_init("test_mail_delivery", 240);
    const char *own_db = h_private_db("mail_delivery");
    struct smtp_sink *sink = smtp_sink_start(0);
    char smtp_url[64];
    snprintf(smtp_url, sizeof smtp_url, "POLIS_SMTP_URL=smtp://127.0.0.1:%d",
             smtp_sink_port(sink));
    const char *env[] = {smtp_url, "POLIS_MAIL_FROM=polis@" MAIL_DOMAIN, NULL};
    struct h_server s;
    if (h_server_start(&s, own_db, env) != 0)
        return h_finish();
    PGconn *db = h_pg_connect(own_db);

    confirmation_mail(&s, db, sink);
    notification_mail(&s, db, sink);
    refused_recipient(db, sink);
    two_senders(own_db, env, db, sink);

    PQfinish(db);
    smtp_sink_stop(sink);
    return h_finish();
}
