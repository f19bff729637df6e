/* One place out of the geocoder's answer (see geocode_pick.h). */
#include "gis/geocode_pick.h"

#include "common/textbuf.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct candidate {
    const char *label, *key;
    double lat, lon;
    long score; /* thousandths */
};

/* Metres between two points, on a sphere (short distances: equirectangular). */
static double metres(const struct candidate *a, const struct candidate *b)
{
    const double rad = M_PI / 180, earth = 6371000;
    double x = (b->lon - a->lon) * rad * cos((a->lat + b->lat) / 2 * rad);
    double y = (b->lat - a->lat) * rad;
    return earth * sqrt(x * x + y * y);
}

/* Feature f as a candidate: 0, or -1 when it lacks a point or a label. */
static int candidate_of(json_t *f, struct candidate *c)
{
    json_t *props = json_object_get(f, "properties");
    json_t *xy = json_object_get(json_object_get(f, "geometry"), "coordinates");
    const char *kind = json_string_value(json_object_get(props, "kind"));
    c->label = json_string_value(json_object_get(props, "label"));
    if (!kind || !c->label || !json_is_number(json_array_get(xy, 0)) ||
        !json_is_number(json_array_get(xy, 1)))
        return -1;
    const char *street = json_string_value(json_object_get(props, "street"));
    c->key = !strcmp(kind, "address") && street ? street : c->label;
    c->lon = json_number_value(json_array_get(xy, 0));
    c->lat = json_number_value(json_array_get(xy, 1));
    c->score = lround(json_number_value(json_object_get(props, "score")) * 1000);
    return 0;
}

static int same_place(const struct candidate *a, const struct candidate *b)
{
    return !strcmp(a->key, b->key) && metres(a, b) <= GEOCODE_SAME_PLACE_M;
}

int geocode_pick(const char *answer, struct geocode_pick *out)
{
    memset(out, 0, sizeof *out);
    out->outcome = GEOCODE_PICK_NONE;
    json_t *doc = json_loads(answer, 0, NULL);
    json_t *features = json_object_get(doc, "features");
    if (!json_is_array(features)) {
        json_decref(doc);
        return -1;
    }
    /* the distinct places, best first (the geocoder's order); only the
     * first GEOCODE_PICK_NAMED matter beyond the first two */
    struct candidate kept[GEOCODE_PICK_NAMED];
    size_t n = 0, i;
    json_t *f;
    json_array_foreach(features, i, f) {
        struct candidate c;
        if (candidate_of(f, &c))
            continue; /* not a point with a label: not a place to file at */
        int dup = 0;
        for (size_t k = 0; k < n && !dup; k++)
            dup = same_place(&kept[k], &c);
        if (!dup && n < GEOCODE_PICK_NAMED)
            kept[n++] = c;
    }
    if (n == 1 || (n > 1 && kept[0].score - kept[1].score >= GEOCODE_CLEAR_LEAD)) {
        out->outcome = GEOCODE_PICK_ONE;
        out->lat = kept[0].lat;
        out->lon = kept[0].lon;
        out->label = strdup(kept[0].label);
    } else if (n > 1) {
        out->outcome = GEOCODE_PICK_AMBIGUOUS;
        struct textbuf t = {0};
        for (size_t k = 0; k < n; k++)
            textbuf_printf(&t, "%s%s (%.5f, %.5f)", k ? "; " : "", kept[k].label, kept[k].lat,
                           kept[k].lon);
        out->candidates = t.buf;
    }
    json_decref(doc);
    return 0;
}

void geocode_pick_free(struct geocode_pick *p)
{
    free(p->label);
    free(p->candidates);
    p->label = p->candidates = NULL;
}
