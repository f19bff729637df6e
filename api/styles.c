/* GET /styles/basemap.json?lang=el|en: the MapLibre style of the basemap
 * (tiles/basemap_style.json, in the page's colours), with every URL on this
 * server: the basemap tiles' TileJSON (/tiles/basemap.json) and the glyphs
 * (/fonts/..., api/fonts.c), from POLIS_PUBLIC_URL, else from the address the
 * client used. Labels are in the language asked for (name_el, default, or
 * name_en; a name missing in it falls back to the Greek one), and the map
 * opens on the served municipality's centre (its boundary; when it is not
 * loaded the style has no centre and the page's own view stands). */
#include "api/api.h"
#include "api/fonts.h"
#include "gis/municipality_sql.h"
#include "http/respond.h"
#include "tiles/basemap_style.h"

#include <string.h>

#define STYLE_ZOOM 13

struct fill {
    const char *mark, *value;
};

/* The value of the mark s among fills; NULL when s is no mark. */
static const char *mark_value(const char *s, const struct fill *fills, size_t n)
{
    for (size_t f = 0; f < n; f++)
        if (!strcmp(s, fills[f].mark))
            return fills[f].value;
    return NULL;
}

/* Replaces every string of j equal to a mark of fills with its value. The
 * lookup is done before the replacement, which frees the old string. */
static void fill_marks(json_t *j, const struct fill *fills, size_t n)
{
    const char *key, *value;
    json_t *v;
    size_t i;
    if (json_is_object(j)) {
        json_object_foreach(j, key, v) {
            if (!json_is_string(v))
                fill_marks(v, fills, n);
            else if ((value = mark_value(json_string_value(v), fills, n)))
                json_object_set_new(j, key, json_string(value));
        }
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v) {
            if (!json_is_string(v))
                fill_marks(v, fills, n);
            else if ((value = mark_value(json_string_value(v), fills, n)))
                json_array_set_new(j, i, json_string(value));
        }
    }
}

static void style_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    const char *lang = ex->handler_data;
    const char *public_url = ex->app->cfg.public_url;
    const char *base = *public_url ? public_url : exchange_url(ex, "");
    json_t *style = json_loads(polis_basemap_style, 0, NULL);
    if (!style) {
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the basemap style template is not JSON");
        return;
    }
    const struct fill fills[] = {
        {"{tilejson}", exchange_printf(ex, "%s/tiles/basemap.json", base)},
        {"{glyphs}", exchange_printf(ex, "%s/fonts/{fontstack}/{range}.pbf", base)},
        {"{name}", !strcmp(lang, "en") ? "name_en" : "name_el"},
        {"{font}", FONTSTACK_REGULAR},
        {"{bold_font}", FONTSTACK_BOLD},
    };
    fill_marks(style, fills, sizeof fills / sizeof fills[0]);
    json_t *m = PQntuples(res) == 1
                    ? json_loads(PQgetvalue(res, 0, MUNICIPALITY_GET_JSON), 0, NULL)
                    : NULL;
    json_t *center = json_object_get(m, "center");
    if (json_is_array(center) && json_array_size(center) == 2) {
        json_object_set(style, "center", center);
        json_object_set_new(style, "zoom", json_integer(STYLE_ZOOM));
        json_object_set(json_object_get(style, "metadata"), "polis:bbox",
                        json_object_get(m, "bbox"));
    }
    json_decref(m);
    json_object_set_new(json_object_get(style, "metadata"), "polis:language", json_string(lang));
    respond_header(ex->req, "access-control-allow-origin", "*");
    respond_header(ex->req, "cache-control", "public, max-age=300");
    respond_json(ex->req, 200, style);
}

void api_styles_basemap(struct exchange *ex)
{
    static const char *const allowed[] = {"lang", NULL};
    static const char *const languages[] = {"el", "en", NULL};
    const char *lang = "el";
    params_allow_only(&ex->query, allowed);
    params_choice(&ex->query, "lang", languages, 0, &lang);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    ex->handler_data = (void *)lang;
    const char *args[] = {ex->app->cfg.municipality};
    exchange_query_prepared(ex, MUNICIPALITY_GET_SQL, 1, args, style_done);
}
