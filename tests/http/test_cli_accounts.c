/* The account commands as an operator uses them: polis user add (password
 * from stdin, or generated and printed once; staff with departments),
 * polis user list, polis key create (printed once, works as Bearer),
 * polis demo users (prints only what it created; a second run prints
 * nothing). CLI writes are in the audit log as "cli". Emails are unique
 * per run; the demo accounts are removed at the end. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs "polis ARGS" through the shell with stdin from `input` (NULL: from
 * /dev/null); returns its exit status and its stdout (malloc'd) in *out. */
static int run(const char *input, const char *args, char **out)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s '%s' %s", input ? "printf '%s\\n' \"$POLIS_TEST_STDIN\" |"
                                                  : "</dev/null",
             h_env("POLIS_BIN"), args);
    if (input)
        setenv("POLIS_TEST_STDIN", input, 1);
    FILE *p = popen(cmd, "r");
    if (!p)
        h_fatal("popen: cannot run %s", cmd);
    size_t cap = 65536, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 1024)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    int st = pclose(p);
    *out = buf;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

int main(void)
{
    h_init("test_cli_accounts", 240);
    const char *url = h_shared_dburl();
    h_use_database(url);
    setenv("POLIS_MUNICIPALITY", "9054", 1);
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();
    char *out, args[512];

    /* --help of each command */
    CHECK_INT("polis user --help", run(NULL, "user --help", &out), 0);
    CHECK_HAS("polis user --help", out, "polis user add");
    free(out);
    CHECK_INT("polis key --help", run(NULL, "key --help", &out), 0);
    CHECK_HAS("polis key --help", out, "polis key create");
    free(out);

    /* staff with a password from stdin: nothing printed */
    struct ha_user staff = {0};
    ha_unique_email(staff.email, sizeof staff.email, "cli-staff");
    snprintf(staff.password, sizeof staff.password, "stdin passphrase 4711");
    snprintf(args, sizeof args, "user add --email %s --role staff --department cleaning "
             "--department tourism", staff.email);
    CHECK_INT("polis user add (staff, password on stdin)", run(staff.password, args, &out), 0);
    CHECK_STR("polis user add with a password on stdin prints nothing", out, "");
    free(out);
    CHECK_INT("the staff user signs in with the password given on stdin", ha_login(&s, &staff),
              200);
    struct h_resp r;
    ha_call(&s, &staff, "GET", "/api/v1/me", NULL, &r);
    CHECK_HAS("staff user's departments", r.body, "\"tourism\"");
    CHECK_STR("staff user's role",
              json_string_value(json_object_get(json_object_get(r.json, "user"), "role")),
              "staff");
    h_resp_free(&r);
    CHECK_INT("polis user add with the same email", run("another passphrase 1", args, &out), 1);
    free(out);

    /* admin with a generated password, printed once as "email password" */
    struct ha_user admin = {0};
    ha_unique_email(admin.email, sizeof admin.email, "cli-admin");
    snprintf(args, sizeof args, "user add --email %s --role admin", admin.email);
    CHECK_INT("polis user add (admin, generated password)", run(NULL, args, &out), 0);
    char printed_email[200] = "";
    sscanf(out, "%199s %79s", printed_email, admin.password);
    CHECK_STR("polis user add prints the email", printed_email, admin.email);
    free(out);
    CHECK_INT("the admin signs in with the printed password", ha_login(&s, &admin), 200);

    /* refusals: unknown department, staff without one, a common password */
    char bad[160];
    ha_unique_email(bad, sizeof bad, "cli-bad");
    snprintf(args, sizeof args, "user add --email %s --role staff --department nosuchdept", bad);
    CHECK_INT("polis user add with an unknown department", run(NULL, args, &out), 1);
    free(out);
    snprintf(args, sizeof args, "user add --email %s --role staff", bad);
    CHECK_INT("polis user add staff without a department", run(NULL, args, &out), 2);
    free(out);
    snprintf(args, sizeof args, "user add --email %s --role citizen", bad);
    CHECK_INT("polis user add with the password \"password123\"", run("password123", args, &out),
              2);
    free(out);
    CHECK_INT("users with the refused commands' address", ha_count_where(db, "users", "email = $1",
              bad), 0);

    /* list */
    CHECK_INT("polis user list", run(NULL, "user list", &out), 0);
    CHECK_HAS("polis user list", out, staff.email);
    CHECK_HAS("polis user list", out, "cleaning,tourism");
    free(out);

    /* key create: printed once, works as Bearer */
    snprintf(args, sizeof args, "key create --user %s --scope read,staff --name ops", staff.email);
    CHECK_INT("polis key create", run(NULL, args, &out), 0);
    char key[128] = "";
    sscanf(out, "%127s", key);
    free(out);
    ha_call_key(&s, key, "GET", "/api/v1/me", NULL, &r);
    CHECK(r.status == 200 && strstr(r.body, staff.email),
          "GET /api/v1/me with the key from polis key create: expected 200, found %ld",
          r.status);
    h_resp_free(&r);
    snprintf(args, sizeof args, "key create --user %s --scope read,admin", staff.email);
    CHECK_INT("polis key create with an unknown scope", run(NULL, args, &out), 1);
    free(out);

    /* audited as "cli" */
    const char *p[] = {staff.email};
    char *n = h_pg_value(db, "SELECT count(*) FROM audit_log WHERE actor_label = 'cli'"
                             " AND ((action = 'user.create' AND after->>'email' = $1)"
                             "   OR (action = 'key.create' AND after->>'user_id' ="
                             "       (SELECT id::text FROM users WHERE email = $1)))", 1, p);
    CHECK_STR("audit rows by \"cli\" for the user and the key", n, "2");
    free(n);

    /* demo users: first run prints what it created, the second nothing */
    free(h_pg_value(db, "DELETE FROM users WHERE email LIKE '%@demo.polis.example'", 0, NULL));
    CHECK_INT("polis demo users", run(NULL, "demo users", &out), 0);
    char *departments = h_pg_value(db, "SELECT count(*) FROM departments d JOIN boundaries b"
                                       " ON b.id = d.municipality_id AND b.code = '9054'",
                                   0, NULL);
    int lines = count_lines(out);
    CHECK(lines == 1 + atoi(departments),
          "polis demo users: expected %d \"email password\" lines (admin + one per "
          "department), found %d", 1 + atoi(departments), lines);
    struct ha_user demo_admin = {0};
    char *line = strstr(out, "admin@demo.polis.example ");
    if (line)
        sscanf(line, "%159s %79s", demo_admin.email, demo_admin.password);
    CHECK_INT("the demo admin signs in with the printed password", ha_login(&s, &demo_admin),
              200);
    free(out);
    CHECK_INT("polis demo users again", run(NULL, "demo users", &out), 0);
    CHECK_STR("polis demo users again prints nothing", out, "");
    free(out);
    free(departments);
    free(h_pg_value(db, "DELETE FROM users WHERE email LIKE '%@demo.polis.example'", 0, NULL));
    PQfinish(db);
    return h_finish();
}
