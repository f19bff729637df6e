/* The steps of an application reach the applicant through the one
 * notification loop (issues 16 and 17, sql/050), as they see them at a real
 * SMTP server (the tests' own sink):
 *  (a) own_applications "immediate": the receipt and the answer come by
 *      mail, the answer's with its protocol number, a link to the
 *      application and RFC 8058 one-click unsubscribe; the one-click POST
 *      turns the kind off, after which a new receipt is in the mailbox only;
 *  (b) "daily": no mail at once; the digest lists the receipt and the
 *      rejection with the protocol number and the application's link;
 *  (c) "off" (the mailbox only): the receipt and the request for more are
 *      in the mailbox, no mail;
 *  (d) a receipt the database refuses (a trigger the test adds, refusing
 *      one applicant's receipts) does not hold the next application's
 *      receipt; the admins see the failure in the audit log, and once the
 *      cause is gone the receipt is issued at the next attempt;
 * and a step of an application whose applicant deleted their account does
 * not stop the fan-out.
 * On a database of its own: the mail sender delivers every pending message. */
#include "h_accounts.h"
#include "smtp_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAIL_DOMAIN "mail.test.polis.example"

enum { ADMIN, STAFF, NOW, DAILY, OFF, REFUSED, GONE, NUSERS };

static struct h_server srv;
static PGconn *db;
static const char *dburl;
static struct smtp_sink *sink;
static struct ha_user u[NUSERS];
static char dir[] = "/tmp/polis_test_notices_XXXXXX";
static long service;

/* POST /api/v1/applications/{id}/{what} as staff; the status. */
static long staff_step(long id, const char *what, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/applications/%ld/%s", id, what);
    struct h_resp r;
    ha_call(&srv, &u[STAFF], "POST", path, body, &r);
    long status = r.status;
    if (status >= 300)
        fprintf(stderr, "POST %s: %ld %.300s\n", path, status, r.body);
    h_resp_free(&r);
    return status;
}

/* A submitted application of who; its id, and its protocol number in number. */
static long apply(const struct ha_user *who, char *number, size_t numlen)
{
    char body[128];
    struct h_resp r;
    snprintf(body, sizeof body, "{\"service\":%ld,\"answers\":{}}", service);
    ha_call(&srv, who, "POST", "/api/v1/applications", body, &r);
    CHECK_INT("a draft", r.status, 201);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/applications/%ld/submit", id);
    ha_call(&srv, who, "POST", path, NULL, &r);
    CHECK_INT("its submission", r.status, 200);
    snprintf(number, numlen, "%s",
             json_string_value(json_object_get(r.json, "protocol_number")) ?: "?");
    h_resp_free(&r);
    return id;
}

/* Polls who's mailbox for the entry of kind about application id for up to
 * 30 s; 1 when it is there. */
static int entry_arrives(const struct ha_user *who, long id, const char *kind)
{
    char *e = NULL;
    for (int i = 0; i < 300 && !e; i++) {
        e = ha_application_entry(&srv, who, id, kind);
        if (!e)
            usleep(100 * 1000);
    }
    free(e);
    return e != NULL;
}

/* Staff take step what of who's application id (with the receipt in the
 * mailbox first); once the fan-out settled, the entry of kind in who's
 * mailbox (malloc'd JSON) or NULL. */
static char *after_step(const struct ha_user *who, long id, const char *what, const char *body,
                        const char *kind)
{
    CHECK(entry_arrives(who, id, "application_receipt"), "%s: the receipt's entry", who->email);
    CHECK_INT(what, staff_step(id, what, body), 200);
    ha_fanout_settled(db);
    return ha_application_entry(&srv, who, id, kind);
}

/* Mails written for who (the outbox: what the sender will deliver), but
 * the confirmation of their account. */
static long mails_to(const struct ha_user *who)
{
    return ha_count_where(db, "outbox",
                          "recipient = $1 AND subject NOT LIKE '%Confirm your account'",
                          who->email);
}

static char *pref_of(const struct ha_user *who)
{
    json_t *item = ha_list_item(&srv, who, "/api/v1/me/notification-preferences", "items", "kind",
                                json_string("own_applications"));
    char *mode = item ? strdup(json_string_value(json_object_get(item, "email")) ?: "") : NULL;
    json_decref(item);
    return mode;
}

static void set_pref(const struct ha_user *who, const char *mode)
{
    char body[96];
    struct h_resp r;
    snprintf(body, sizeof body, "{\"email\":{\"own_applications\":\"%s\"}}", mode);
    ha_call(&srv, who, "PUT", "/api/v1/me/notification-preferences", body, &r);
    CHECK_INT("set own_applications", r.status, 200);
    h_resp_free(&r);
}

static char *decoded_header(const char *mail, const char *name)
{
    char *raw = mail_header(mail, name);
    char *v = raw ? mail_decode_words(raw) : NULL;
    free(raw);
    return v;
}

/* (a) */
static void immediate(void)
{
    char number[32], expected[160];
    long id = apply(&u[NOW], number, sizeof number);
    char *mail = smtp_sink_wait(sink, u[NOW].email);
    char *subject = mail ? decoded_header(mail, "Subject") : NULL;
    snprintf(expected, sizeof expected, "Απόδειξη της αίτησής σας %s", number);
    CHECK_STR("immediate: the receipt comes by mail", subject, expected);
    free(subject);
    free(mail);

    CHECK_INT("staff approve it", staff_step(id, "approve",
              "{\"comment\":\"Εγκρίθηκε\",\"text\":[\"Η αίτηση εγκρίνεται.\"]}"), 200);
    mail = smtp_sink_wait(sink, u[NOW].email);
    CHECK(mail, "immediate: the answer comes by mail");
    if (!mail)
        return;
    subject = decoded_header(mail, "Subject");
    snprintf(expected, sizeof expected, "Απάντηση στην αίτησή σας %s", number);
    CHECK_STR("the answer's subject names the protocol number", subject, expected);
    char *text = mail_part(mail, "text/plain");
    CHECK_HAS("the mail gives the staff's comment", text, "Εγκρίθηκε");
    snprintf(expected, sizeof expected, "/#/applications/%ld", id);
    CHECK_HAS("the mail links to the application", text, expected);
    char thread[160];
    snprintf(thread, sizeof thread, "<application-%ld@" MAIL_DOMAIN ">", id);
    char *refs = mail_header(mail, "References");
    CHECK_STR("the mail is threaded with the application's others", refs, thread);
    char *unsub = mail_header(mail, "List-Unsubscribe");
    char *one_click = mail_header(mail, "List-Unsubscribe-Post");
    CHECK_HAS("the answer's mail: List-Unsubscribe", unsub, "/api/v1/unsubscribe?token=");
    CHECK_STR("the answer's mail: List-Unsubscribe-Post", one_click,
              "List-Unsubscribe=One-Click");
    const char *path = unsub ? strstr(unsub, "/api/v1/unsubscribe") : NULL;
    if (path) {
        char p[256];
        snprintf(p, sizeof p, "%.*s", (int)strcspn(path, ">"), path);
        struct h_req q = {.method = "POST", .path = p,
                          .content_type = "application/x-www-form-urlencoded",
                          .body = "List-Unsubscribe=One-Click"};
        struct h_resp r;
        h_send(&srv, &q, &r);
        CHECK_INT("the one-click POST (RFC 8058)", r.status, 200);
        h_resp_free(&r);
    }
    char *mode = pref_of(&u[NOW]);
    CHECK_STR("after one click own_applications is off", mode, "off");
    free(mode);

    long before = mails_to(&u[NOW]);
    long next = apply(&u[NOW], number, sizeof number);
    CHECK(entry_arrives(&u[NOW], next, "application_receipt"),
          "after unsubscribing, the next receipt is in the mailbox");
    ha_fanout_settled(db);
    CHECK_INT("but comes by mail no more", mails_to(&u[NOW]), before);
    free(subject);
    free(text);
    free(refs);
    free(unsub);
    free(one_click);
    free(mail);
}

/* (b) */
static void daily(void)
{
    char number[32], expected[200];
    long id = apply(&u[DAILY], number, sizeof number);
    char *e = after_step(&u[DAILY], id, "reject", "{\"reason\":\"Λείπει η υπογραφή\"}",
                         "application_rejected");
    CHECK(e != NULL, "daily: the rejection is in the mailbox");
    free(e);
    CHECK_INT("daily: no mail before the digest", mails_to(&u[DAILY]), 0);

    setenv("POLIS_PUBLIC_URL", srv.base, 1); /* the digest's links, as the server's */
    static const char *const argv[] = {"mail", "digest", "--now", NULL};
    CHECK_INT("polis mail digest --now", h_polis_wait(h_polis_spawn(dburl, argv)), 0);
    char *mail = smtp_sink_wait(sink, u[DAILY].email);
    CHECK(mail, "the digest mail arrives");
    if (!mail)
        return;
    char *subject = decoded_header(mail, "Subject"), *text = mail_part(mail, "text/plain");
    CHECK_STR("digest: both steps", subject, "Η ημερήσια σύνοψή σας: 2 ειδοποιήσεις");
    snprintf(expected, sizeof expected, "Η αίτησή σας απορρίφθηκε: %s", number);
    CHECK_HAS("digest: the rejection with the protocol number", text, expected);
    CHECK_HAS("digest: its reason", text, "Λείπει η υπογραφή");
    snprintf(expected, sizeof expected, "Απόδειξη της αίτησής σας %s", number);
    CHECK_HAS("digest: the receipt with the protocol number", text, expected);
    snprintf(expected, sizeof expected, "%s/#/applications/%ld", srv.base, id);
    CHECK_HAS("digest: the application's link", text, expected);
    free(subject);
    free(text);
    free(mail);
}

/* (c) */
static void mailbox_only(void)
{
    char number[32];
    long id = apply(&u[OFF], number, sizeof number);
    char *e = after_step(&u[OFF], id, "request-info",
                         "{\"comment\":\"Στείλτε αντίγραφο ταυτότητας\"}",
                         "application_info_requested");
    CHECK(e && strstr(e, "Στείλτε αντίγραφο ταυτότητας"),
          "off: the request is in the mailbox: %s", e ? e : "nothing");
    free(e);
    CHECK_INT("off: no mail at all", mails_to(&u[OFF]), 0);
}

/* An applicant who deleted their account: a step of their application
 * reaches no one, and the events after it are handled all the same. */
static void account_gone(void)
{
    char number[32];
    long id = apply(&u[GONE], number, sizeof number);
    CHECK(entry_arrives(&u[GONE], id, "application_receipt"), "gone: the receipt's entry");
    CHECK_INT("the applicant deletes their account",
              ha_status(&srv, &u[GONE], "DELETE", "/api/v1/me", NULL), 204);
    CHECK_INT("staff reject the application of an account that is gone",
              staff_step(id, "reject", "{\"reason\":\"Ο λογαριασμός διαγράφηκε\"}"), 200);
    CHECK_INT("the fan-out handles the step that reaches no one", ha_fanout_settled(db), 0);
    long next = apply(&u[OFF], number, sizeof number);
    CHECK(entry_arrives(&u[OFF], next, "application_receipt"),
          "and the next application's receipt still reaches its mailbox");
}

/* (d) */
static void refused_receipt(void)
{
    char sql[1200];
    snprintf(sql, sizeof sql,
             "CREATE FUNCTION test_refuse_receipt() RETURNS trigger LANGUAGE plpgsql AS $$"
             " BEGIN IF NEW.kind = 'receipt' AND EXISTS (SELECT 1 FROM applications a"
             "   WHERE a.id = NEW.application_id AND a.user_id = %ld) THEN"
             "   RAISE EXCEPTION 'receipts of application %% are refused', NEW.application_id;"
             " END IF; RETURN NEW; END $$;"
             "CREATE TRIGGER test_refuse_receipt BEFORE INSERT ON issued_documents"
             " FOR EACH ROW EXECUTE FUNCTION test_refuse_receipt()", u[REFUSED].id);
    h_owner_exec(dburl, sql);
    char number[32];
    long refused = apply(&u[REFUSED], number, sizeof number);
    long next = apply(&u[OFF], number, sizeof number);
    CHECK(entry_arrives(&u[OFF], next, "application_receipt"),
          "the next application gets its receipt although the one before fails");
    char *e = ha_application_entry(&srv, &u[REFUSED], refused, "application_receipt");
    CHECK(!e, "the refused one has none: %s", e ? e : "");
    free(e);

    struct h_resp r;
    ha_call(&srv, &u[ADMIN], "GET", "/api/v1/admin/audit", NULL, &r);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%ld", refused);
    size_t i;
    json_t *entry;
    const char *why = NULL;
    json_array_foreach(json_object_get(r.json, "entries"), i, entry)
        if (!strcmp(json_string_value(json_object_get(entry, "action")) ?: "",
                    "application.receipt_failed") &&
            !strcmp(json_string_value(json_object_get(entry, "entity_id")) ?: "", idtext) && !why)
            why = json_string_value(json_object_get(json_object_get(entry, "after"), "error"));
    CHECK_HAS("the admins see the failed receipt and why in the audit log", why,
              "are refused");
    h_resp_free(&r);

    h_owner_exec(dburl, "DROP TRIGGER test_refuse_receipt ON issued_documents;"
                        "DROP FUNCTION test_refuse_receipt()");
    CHECK(entry_arrives(&u[REFUSED], refused, "application_receipt"),
          "once the cause is gone, the receipt is issued at the next attempt");
}

/* The service applied for: a certificate of the citizens' service, its
 * answer generated (and signed) by the server. */
static void make_service(void)
{
    json_t *service_json = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:[], s:[]}",
        "title_el", "Βεβαίωση οικογενειακής κατάστασης", "title_en", "Family status certificate",
        "description_el", "Η οικογενειακή κατάσταση του αιτούντος.",
        "description_en", "The applicant's family status.", "department", "citizen_services",
        "applicants", "citizen", "target_hours", 48, "answer_kind", "generated", "fields",
        "documents");
    char code[32];
    snprintf(code, sizeof code, "notices_%d", (int)getpid());
    json_object_set_new(service_json, "code", json_string(code));
    char *body = json_dumps(service_json, JSON_COMPACT);
    json_decref(service_json);
    struct h_resp r;
    ha_call(&srv, &u[ADMIN], "POST", "/api/v1/services", body, &r);
    free(body);
    CHECK_INT("the admin makes a service", r.status, 201);
    service = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_application_notices", 240);
    dburl = strdup(h_private_db("notices"));
    db = h_pg_connect(dburl);
    h_use_database(dburl);
    if (!mkdtemp(dir))
        h_fatal("mkdtemp");
    char *made = NULL;
    CHECK_INT("polis signing demo-cert",
              h_run(&made, "'%s' signing demo-cert '%s' 2>&1", h_env("POLIS_BIN"), dir), 0);
    free(made);

    /* accounts are made on a server that sends no mail: their confirmation
     * tokens are read from the outbox before a sender forgets them */
    struct h_server quiet;
    const char *quiet_env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                               "POLIS_RATE_RESET=100000", "POLIS_DIGEST_HOUR=off", NULL};
    if (h_server_start(&quiet, dburl, quiet_env) != 0)
        return h_finish();
    static const char *const tags[NUSERS] = {"notices-admin", "notices-staff", "notices-now",
                                             "notices-daily", "notices-off", "notices-refused",
                                             "notices-gone"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&quiet, db, tags[i], &u[i]))
            return h_finish();
    ha_set_role(db, &u[ADMIN], "admin", NULL);
    ha_set_role(db, &u[STAFF], "staff", "citizen_services");
    free(h_pg_value(db, "UPDATE outbox SET status = 'sent', token = NULL,"
                        " handed_over_at = now() WHERE status = 'pending' RETURNING 1",
                    0, NULL));

    sink = smtp_sink_start(0);
    static char smtp[64], key[400], cert[400], var[400];
    snprintf(smtp, sizeof smtp, "POLIS_SMTP_URL=smtp://127.0.0.1:%d", smtp_sink_port(sink));
    snprintf(key, sizeof key, "POLIS_SIGNING_KEY=%s/signing-key.pem", dir);
    snprintf(cert, sizeof cert, "POLIS_SIGNING_CERT=%s/signing-cert.pem", dir);
    snprintf(var, sizeof var, "POLIS_VAR=%s/var", dir);
    const char *env[] = {smtp, "POLIS_MAIL_FROM=polis@" MAIL_DOMAIN, key, cert, var,
                         "POLIS_DIGEST_HOUR=off", NULL};
    if (h_server_start(&srv, dburl, env) != 0)
        return h_finish();
    make_service();
    set_pref(&u[NOW], "immediate");
    set_pref(&u[DAILY], "daily");
    set_pref(&u[OFF], "off");

    immediate();
    daily();
    mailbox_only();
    account_gone();
    refused_receipt();

    char *gone = NULL;
    h_run(&gone, "rm -rf '%s'", dir);
    free(gone);
    PQfinish(db);
    smtp_sink_stop(sink);
    h_private_db_drop(dburl);
    free((char *)dburl);
    return h_finish();
}
