/* Which geocoder answers file a report at one place (gis/geocode_pick.c):
 * what an Open311 client sending only address_string would see filed,
 * refused as unknown, or refused as ambiguous with the places named. */
#include "check.h"
#include "gis/geocode_pick.h"

#include <stdio.h>
#include <string.h>

/* A feature as GEOCODE_SQL writes it. */
static const char *feature(char *buf, size_t len, const char *kind, const char *label,
                           const char *street, double score, double lon, double lat)
{
    char st[96] = "null";
    if (street)
        snprintf(st, sizeof st, "\"%s\"", street);
    snprintf(buf, len,
             "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]},"
             "\"properties\":{\"label\":\"%s\",\"kind\":\"%s\",\"street\":%s,\"score\":%.3f}}",
             lon, lat, label, kind, st, score);
    return buf;
}

static struct geocode_pick pick3(const char *a, const char *b, const char *c)
{
    char doc[2048];
    snprintf(doc, sizeof doc, "{\"type\":\"FeatureCollection\",\"features\":[%s%s%s%s%s]}",
             a ? a : "", b ? "," : "", b ? b : "", c ? "," : "", c ? c : "");
    struct geocode_pick g;
    CHECK_INT(geocode_pick(doc, &g), 0);
    return g;
}

int main(void)
{
    char a[400], b[400], c[400];
    struct geocode_pick g;

    g = pick3(NULL, NULL, NULL);
    CHECK_INT(g.outcome, GEOCODE_PICK_NONE);
    geocode_pick_free(&g);

    /* an exact number, then its street 0.1 lower: the number */
    g = pick3(feature(a, sizeof a, "address", "Ερμού 10", "Ερμού", 1.0, 23.542, 41.09005),
              feature(b, sizeof b, "street", "Ερμού", "Ερμού", 0.9, 23.545, 41.09), NULL);
    CHECK_INT(g.outcome, GEOCODE_PICK_ONE);
    CHECK_NEAR(g.lon, 23.542, 1e-9);
    CHECK_NEAR(g.lat, 41.09005, 1e-9);
    CHECK_STR(g.label, "Ερμού 10");
    geocode_pick_free(&g);

    /* an interpolated number (0.95) and its street (0.9) are one place */
    g = pick3(feature(a, sizeof a, "address", "Ερμού 15", "Ερμού", 0.95, 23.544, 41.09),
              feature(b, sizeof b, "street", "Ερμού", "Ερμού", 0.9, 23.545, 41.09), NULL);
    CHECK_INT(g.outcome, GEOCODE_PICK_ONE);
    CHECK_NEAR(g.lon, 23.544, 1e-9);
    geocode_pick_free(&g);

    /* one street in two OSM ways, 300 m apart: one place */
    g = pick3(feature(a, sizeof a, "street", "Ερμού", "Ερμού", 1.0, 23.541, 41.09),
              feature(b, sizeof b, "street", "Ερμού", "Ερμού", 1.0, 23.5446, 41.09), NULL);
    CHECK_INT(g.outcome, GEOCODE_PICK_ONE);
    geocode_pick_free(&g);

    /* the same number on two streets of one name 5 km apart: ambiguous, both named */
    g = pick3(feature(a, sizeof a, "address", "Ερμού 10", "Ερμού", 1.0, 23.542, 41.09),
              feature(b, sizeof b, "address", "Ερμού 10", "Ερμού", 1.0, 23.602, 41.09), NULL);
    CHECK_INT(g.outcome, GEOCODE_PICK_AMBIGUOUS);
    CHECK_STR(g.candidates, "Ερμού 10 (41.09000, 23.54200); Ερμού 10 (41.09000, 23.60200)");
    geocode_pick_free(&g);

    /* two streets as good, and a third: at most three named */
    g = pick3(feature(a, sizeof a, "street", "Αγίου Νικολάου", "Αγίου Νικολάου", 1.0, 23.54, 41.09),
              feature(b, sizeof b, "street", "Αγίου Δημητρίου", "Αγίου Δημητρίου", 1.0, 23.55, 41.09),
              feature(c, sizeof c, "street", "Αγίου Γεωργίου", "Αγίου Γεωργίου", 0.95, 23.56, 41.09));
    CHECK_INT(g.outcome, GEOCODE_PICK_AMBIGUOUS);
    CHECK(g.candidates && strstr(g.candidates, "Αγίου Γεωργίου"));
    CHECK(g.candidates && !strstr(g.candidates, "; ;"));
    geocode_pick_free(&g);

    /* a lead of less than 0.1 is not clear */
    g = pick3(feature(a, sizeof a, "street", "Ερμού", "Ερμού", 0.9, 23.54, 41.09),
              feature(b, sizeof b, "place", "Ερμούπολη", NULL, 0.85, 23.56, 41.10), NULL);
    CHECK_INT(g.outcome, GEOCODE_PICK_AMBIGUOUS);
    geocode_pick_free(&g);

    /* not the geocoder's answer: none, and -1 */
    CHECK_INT(geocode_pick("[]", &g), -1);
    CHECK_INT(g.outcome, GEOCODE_PICK_NONE);
    geocode_pick_free(&g);
    return check_summary();
}
