/* Mail to an SMTP server that is down (issue 16): the message is retried
 * (attempts grow, the next attempt is scheduled ahead) and marked failed,
 * with the reason, once it is older than POLIS_MAIL_GIVE_UP_AFTER_S; a
 * message pending while the SMTP server and polis itself are stopped is
 * sent once both are back; `polis mail send --once` sends what is due,
 * authenticating with POLIS_SMTP_USER/PASSWORD, and never in clear when
 * POLIS_SMTP_REQUIRE_TLS=1.
 * A database of its own (see test_mail_delivery.c). */
#include "h_mail.h"
#include "harness.h"
#include "smtp_sink.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *insert_message(PGconn *db, const char *to)
{
    const char *p[] = {to};
    return h_pg_value(db, "INSERT INTO outbox (recipient, subject, body)"
                          " VALUES ($1, 'Δοκιμή / Test', 'text') RETURNING id", 1, p);
}

/* The state of message id: "status attempts scheduled_ahead", where
 * scheduled_ahead says whether, between attempts (not claimed), the next
 * one is in the future. */
static char *state_of(PGconn *db, const char *id)
{
    const char *p[] = {id};
    return h_pg_value(db, "SELECT status || ' ' || attempts || ' '"
                          " || (claimed_until IS NULL AND next_attempt_at > now())"
                          " FROM outbox WHERE id = $1::bigint", 1, p);
}

/* Polls message id until its status is want; *retried_ahead becomes 1 when
 * it was once seen pending after a failed attempt, its next attempt ahead
 * and attempts growing from there. Returns the last state. */
static char *watch_until(PGconn *db, const char *id, const char *want, int *retried_ahead)
{
    char *state = NULL;
    int first_seen = 0;
    *retried_ahead = 0;
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS; h_now_ms() < end; h_sleep_ms(100)) {
        free(state);
        state = state_of(db, id);
        char status[16] = "";
        int attempts = 0;
        char ahead[8] = "";
        if (!state || sscanf(state, "%15s %d %7s", status, &attempts, ahead) != 3)
            continue;
        if (!strcmp(status, "pending") && !strcmp(ahead, "true") && attempts >= 1 &&
            !first_seen)
            first_seen = attempts;
        if (first_seen && attempts > first_seen)
            *retried_ahead = 1;
        if (!strcmp(status, want))
            break;
    }
    return state;
}

static void stop_server(struct h_server *s)
{
    kill(s->pid, SIGTERM);
    CHECK(h_server_wait_exit(s, 60), "polis serve did not exit after SIGTERM");
}

/* Runs `polis mail send --once` and checks it exits 0; returns "status
 * last_answer" of message id (malloc'd). */
static char *send_once(const char *dburl, PGconn *db, const char *what, const char *id)
{
    static const char *const argv[] = {"mail", "send", "--once", NULL};
    int rc = h_polis_wait(h_polis_spawn(dburl, argv));
    CHECK(rc == 0, "%s: expected polis mail send --once to exit 0, found %d", what, rc);
    const char *p[] = {id};
    return h_pg_value(db, "SELECT status || ' ' || coalesce(last_answer, '') FROM outbox"
                          " WHERE id = $1::bigint", 1, p);
}

int main(void)
{
    h_init("test_mail_retry", 280);
    const char *own_db = h_private_db("mail_retry");
    PGconn *db = h_pg_connect(own_db);

    /* a port where an SMTP server was and is no more */
    struct smtp_sink *sink = smtp_sink_start(0);
    int port = smtp_sink_port(sink);
    smtp_sink_stop(sink);
    char smtp_url[64];
    snprintf(smtp_url, sizeof smtp_url, "POLIS_SMTP_URL=smtp://127.0.0.1:%d", port);

    /* give up after 20 s: attempts 5 s apart (a quarter of it) */
    const char *short_env[] = {smtp_url, "POLIS_MAIL_FROM=polis@test.polis.example",
                               "POLIS_MAIL_GIVE_UP_AFTER_S=20", NULL};
    struct h_server s;
    if (h_server_start(&s, own_db, short_env) != 0)
        return h_finish();
    char *doomed = insert_message(db, "doomed@test.polis.example");
    int retried = 0;
    char *state = watch_until(db, doomed, "failed", &retried);
    CHECK(retried, "server down: expected the message retried (pending, next attempt ahead, "
          "then more attempts), last state \"%s\"", state);
    CHECK_HAS("server down: the message is failed after the give-up time", state, "failed ");
    const char *p[] = {doomed};
    char *why = h_pg_value(db, "SELECT last_answer || ' | ' || (failed_at IS NOT NULL)"
                               " FROM outbox WHERE id = $1::bigint", 1, p);
    CHECK_HAS("server down: the reason is kept", why, "not sent: ");
    CHECK_HAS("server down: failed_at is set", why, "| true");
    free(why);
    free(state);
    stop_server(&s);

    /* pending while the SMTP server is down; polis stopped meanwhile too */
    const char *long_env[] = {smtp_url, "POLIS_MAIL_FROM=polis@test.polis.example",
                              "POLIS_MAIL_GIVE_UP_AFTER_S=80", NULL};
    if (h_server_start(&s, own_db, long_env) != 0)
        return h_finish();
    char *kept = insert_message(db, "kept@test.polis.example");
    char *tried = hm_wait_value(db, "SELECT attempts >= 1 AND claimed_until IS NULL"
                                    " FROM outbox WHERE id = $1::bigint", kept, "t");
    CHECK_STR("server down: a first attempt was made and recorded", tried, "t");
    free(tried);
    stop_server(&s);
    sink = smtp_sink_start(port);
    if (h_server_start(&s, own_db, long_env) != 0)
        return h_finish();
    char *mail = smtp_sink_wait(sink, "kept@test.polis.example");
    CHECK(mail != NULL, "after both restarts: expected the pending message at the SMTP server");
    free(mail);
    const char *k[] = {kept};
    free(watch_until(db, kept, "sent", &retried));
    char *sent = h_pg_value(db, "SELECT status || ' ' || (attempts >= 2) FROM outbox"
                                " WHERE id = $1::bigint", 1, k);
    CHECK_STR("after both restarts: status and more than one attempt", sent, "sent true");
    free(sent);
    stop_server(&s);

    /* the operators' command, with no server running; its settings come
     * from this process's environment */
    setenv("POLIS_SMTP_URL", smtp_url + strlen("POLIS_SMTP_URL="), 1);
    setenv("POLIS_MAIL_FROM", "polis@test.polis.example", 1);
    char *later = insert_message(db, "later@test.polis.example");
    char *row = send_once(own_db, db, "polis mail send --once", later);
    CHECK_HAS("polis mail send --once: status and answer once it exited", row, "sent 250 ");
    free(row);
    char *mail_later = smtp_sink_wait(sink, "later@test.polis.example");
    CHECK(mail_later != NULL, "polis mail send --once: expected the message at the SMTP server");
    free(mail_later);

    /* POLIS_SMTP_REQUIRE_TLS=1 and a server that offers no STARTTLS:
     * nothing goes out in clear, the message waits */
    setenv("POLIS_SMTP_REQUIRE_TLS", "1", 1);
    int received = smtp_sink_count(sink);
    char *clear = insert_message(db, "clear@test.polis.example");
    row = send_once(own_db, db, "TLS required but not offered", clear);
    CHECK_HAS("TLS required but not offered: pending, saying why", row, "pending not sent: ");
    CHECK_INT("TLS required but not offered: messages the server received",
              smtp_sink_count(sink) - received, 0);
    free(row);
    unsetenv("POLIS_SMTP_REQUIRE_TLS");

    /* SMTP AUTH with POLIS_SMTP_USER/PASSWORD: refused credentials are
     * the configuration's trouble, so the message waits for a retry */
    smtp_sink_require_auth(sink, "mailer", "s3cret pw");
    setenv("POLIS_SMTP_USER", "mailer", 1);
    setenv("POLIS_SMTP_PASSWORD", "wrong", 1);
    char *authed = insert_message(db, "authed@test.polis.example");
    row = send_once(own_db, db, "wrong SMTP password", authed);
    CHECK_HAS("wrong SMTP password: pending, with the server's answer", row, "pending 535 ");
    free(row);
    const char *a[] = {authed};
    free(h_pg_value(db, "UPDATE outbox SET next_attempt_at = now() WHERE id = $1::bigint"
                        " RETURNING id", 1, a));
    setenv("POLIS_SMTP_PASSWORD", "s3cret pw", 1);
    row = send_once(own_db, db, "right SMTP password", authed);
    CHECK_HAS("right SMTP password: status and answer", row, "sent 250 ");
    free(row);
    char *mail_authed = smtp_sink_wait(sink, "authed@test.polis.example");
    CHECK(mail_authed != NULL, "right SMTP password: expected the message at the SMTP server");
    free(mail_authed);

    free(clear);
    free(doomed);
    free(kept);
    free(later);
    free(authed);
    smtp_sink_stop(sink);
    PQfinish(db);
    return h_finish();
}
