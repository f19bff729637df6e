/* Notification preferences as a user sees them: a new citizen finds every
 * kind of notification with its default (the mailbox always on), staff find
 * one more (their department's); a change is answered with the whole list
 * and found again by a later GET, and is the user's own; a wrong mode, an
 * unknown kind, a staff kind asked by a citizen or a body of another shape
 * is a 422 naming the field, and changes nothing (not even the valid part
 * of the same request). */
#include "h_accounts.h"

#include <stdio.h>
#include <string.h>

#define PATH "/api/v1/me/notification-preferences"

/* The item of kind in a list answer, or NULL. */
static json_t *item_of(const struct h_resp *r, const char *kind)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
        if (!strcmp(json_string_value(json_object_get(it, "kind")) ?: "", kind))
            return it;
    return NULL;
}

/* The e-mail mode u has for kind now ("" when the kind is not listed). */
static const char *mode_of(const struct h_server *s, const struct ha_user *u, const char *kind,
                           char *out, size_t outlen)
{
    struct h_resp r;
    ha_call(s, u, "GET", PATH, NULL, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld %.200s", PATH, r.status, r.body);
    json_t *it = item_of(&r, kind);
    snprintf(out, outlen, "%s", it ? json_string_value(json_object_get(it, "email")) ?: "" : "");
    h_resp_free(&r);
    return out;
}

static void defaults(const struct h_server *s, const struct ha_user *cit,
                     const struct ha_user *staff)
{
    struct h_resp r;
    ha_call(s, cit, "GET", PATH, NULL, &r);
    CHECK(r.status == 200, "citizen GET: expected 200, found %ld %.200s", r.status, r.body);
    /* own_reports, followed_reports, subscriptions, own_applications (sql/046) */
    CHECK_INT("citizen's kinds", (long)json_array_size(json_object_get(r.json, "items")), 4);
    CHECK_STR("own_applications by default",
              json_string_value(json_object_get(item_of(&r, "own_applications"), "email")),
              "immediate");
    json_t *own = item_of(&r, "own_reports");
    CHECK(own != NULL, "own_reports is listed: %.300s", r.body);
    CHECK_STR("own_reports by default", json_string_value(json_object_get(own, "email")),
              "immediate");
    CHECK(json_is_true(json_object_get(own, "mailbox")), "the mailbox is always on: %.300s",
          r.body);
    CHECK_HAS("own_reports' Greek label", json_string_value(json_object_get(own, "label_el")),
              "αναφορές");
    CHECK_STR("subscriptions by default",
              json_string_value(json_object_get(item_of(&r, "subscriptions"), "email")), "daily");
    CHECK(item_of(&r, "department") == NULL, "a citizen has no department kind: %.300s", r.body);
    h_resp_free(&r);

    ha_call(s, staff, "GET", PATH, NULL, &r);
    CHECK_INT("staff's kinds", (long)json_array_size(json_object_get(r.json, "items")), 5);
    CHECK(item_of(&r, "department") != NULL, "staff have the department kind: %.300s", r.body);
    h_resp_free(&r);
}

static void change(const struct h_server *s, const struct ha_user *cit,
                   const struct ha_user *other)
{
    struct h_resp r;
    ha_call(s, cit, "PUT", PATH, "{\"email\":{\"subscriptions\":\"off\",\"own_reports\":\"daily\"}}",
            &r);
    CHECK(r.status == 200, "PUT: expected 200, found %ld %.300s", r.status, r.body);
    CHECK_STR("answer: subscriptions",
              json_string_value(json_object_get(item_of(&r, "subscriptions"), "email")), "off");
    CHECK_STR("answer: own_reports",
              json_string_value(json_object_get(item_of(&r, "own_reports"), "email")), "daily");
    CHECK_STR("answer: followed_reports untouched",
              json_string_value(json_object_get(item_of(&r, "followed_reports"), "email")),
              "immediate");
    h_resp_free(&r);
    char m[40];
    CHECK_STR("subscriptions after a new GET", mode_of(s, cit, "subscriptions", m, sizeof m),
              "off");
    CHECK_STR("own_reports after a new GET", mode_of(s, cit, "own_reports", m, sizeof m),
              "daily");
    CHECK_STR("another user keeps the default", mode_of(s, other, "subscriptions", m, sizeof m),
              "daily");
    /* and back again: a stored choice is replaced, not added to */
    ha_call(s, cit, "PUT", PATH, "{\"email\":{\"subscriptions\":\"immediate\"}}", &r);
    CHECK(r.status == 200, "second PUT: expected 200, found %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    CHECK_STR("subscriptions changed again", mode_of(s, cit, "subscriptions", m, sizeof m),
              "immediate");
}

/* A body the API must refuse, and the field its problem names. */
struct refusal {
    const char *what, *body, *field;
};

static void refused(const struct h_server *s, const struct ha_user *cit)
{
    static const struct refusal cases[] = {
        {"an unknown mode", "{\"email\":{\"own_reports\":\"weekly\",\"subscriptions\":\"off\"}}",
         "email.own_reports"},
        {"a mode that is not a string", "{\"email\":{\"own_reports\":1}}", "email.own_reports"},
        {"an unknown kind", "{\"email\":{\"gossip\":\"off\",\"subscriptions\":\"off\"}}", "email"},
        {"a staff kind for a citizen", "{\"email\":{\"department\":\"off\"}}", "email"},
        {"a kind that is no name", "{\"email\":{\"Own Reports\":\"off\"}}", "email"},
        {"email not an object", "{\"email\":\"off\"}", "email"},
        {"an empty object", "{\"email\":{}}", "email"},
        {"another member", "{\"email\":{\"subscriptions\":\"off\"},\"sms\":true}", "sms"},
    };
    char m[40];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct h_resp r;
        ha_call(s, cit, "PUT", PATH, cases[i].body, &r);
        CHECK_PROBLEM(cases[i].what, &r, 422, cases[i].field);
        h_resp_free(&r);
        CHECK_STR(cases[i].what, mode_of(s, cit, "subscriptions", m, sizeof m), "immediate");
        CHECK_STR(cases[i].what, mode_of(s, cit, "own_reports", m, sizeof m), "daily");
    }
    struct h_resp r;
    ha_call(s, cit, "PUT", PATH, "{\"email\":{\"gossip\":\"off\"}}", &r);
    CHECK_HAS("an unknown kind: the kinds there are", r.body, "own_reports");
    CHECK_HAS("an unknown kind: what was found", r.body, "gossip");
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_notification_preferences", 120);
    PGconn *db = h_pg_connect(h_shared_dburl());
    /* three accounts are made here: registering is not rate-limited */
    static const char *const env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                                      "POLIS_RATE_RESET=100000", NULL};
    static const char *const tags[] = {"prefs-cit", "prefs-other", "prefs-staff"};
    enum { CITIZEN, OTHER, STAFF, NUSERS };
    struct ha_user u[NUSERS];
    struct h_server s;
    int ready = h_server_start(&s, h_shared_dburl(), env) == 0;
    for (int i = 0; ready && i < NUSERS; i++)
        ready = ha_new_user(&s, db, tags[i], &u[i]) == 0;
    if (ready) {
        ha_set_role(db, &u[STAFF], "staff", "lighting");
        defaults(&s, &u[CITIZEN], &u[STAFF]);
        change(&s, &u[CITIZEN], &u[OTHER]);
        refused(&s, &u[CITIZEN]);
    }
    PQfinish(db);
    return h_finish();
}
