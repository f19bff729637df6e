/* HTML for a browser, JSON for every other client: which one an Accept
 * header asks for (the OGC API's pages). */
#include "check.h"
#include "http/accept_media.h"

static int html(const char *header)
{
    return accept_prefers_html(header, strlen(header));
}

int main(void)
{
    /* Chromium's and Firefox's Accept for a page */
    CHECK_INT(html("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                   "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"),
              1);
    CHECK_INT(html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), 1);
    /* curl, GDAL, QGIS and fetch() without an Accept of their own */
    CHECK_INT(html("*/*"), 0);
    CHECK_INT(html("application/geo+json, application/json;q=0.9"), 0);
    CHECK_INT(html("application/json"), 0);
    CHECK_INT(html(""), 0);
    /* ranked by q, a tie to the one written first */
    CHECK_INT(html("application/json;q=0.5, text/html"), 1);
    CHECK_INT(html("text/html;q=0.5, application/json"), 0);
    CHECK_INT(html("text/html, application/json"), 1);
    CHECK_INT(html("application/json, text/html"), 0);
    CHECK_INT(html("TEXT/HTML ; Q=1"), 1);
    CHECK_INT(html("text/html;q=0"), 0);
    /* a malformed q counts as 0; a type that only starts like text/html is not it */
    CHECK_INT(html("text/html;q=x"), 0);
    CHECK_INT(html("text/html;q=1.2.3"), 0);
    CHECK_INT(html("text/htmlx"), 0);
    /* only the bytes given are read */
    CHECK_INT(accept_prefers_html("text/html", 4), 0);
    return check_summary();
}
