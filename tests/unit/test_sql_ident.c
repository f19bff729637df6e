/* The identifier rule every name written into SQL text goes through
 * (gis/sql_ident.c): OGC collections and queryables, CQL2 properties, tile
 * layer columns, imported layer names, category and POI codes. */
#include "gis/sql_ident.h"
#include "tests/unit/check.h"

#include <string.h>

int main(void)
{
    /* accepted: what the importer makes from real layer and column names */
    CHECK(sql_ident_ok("schools"));
    CHECK(sql_ident_ok("a"));
    CHECK(sql_ident_ok("odos_2"));
    CHECK(sql_ident_ok("f_1960_census"));
    char longest[64];
    memset(longest, 'a', 63);
    longest[63] = '\0';
    CHECK(sql_ident_ok(longest)); /* 63 bytes: PostgreSQL keeps it whole */

    /* refused */
    CHECK(!sql_ident_ok(NULL));
    CHECK(!sql_ident_ok(""));
    CHECK(!sql_ident_ok("_hidden")); /* the tile registry once let this through */
    CHECK(!sql_ident_ok("1st"));
    CHECK(!sql_ident_ok("Schools"));
    CHECK(!sql_ident_ok("odos-2"));
    CHECK(!sql_ident_ok("a b"));
    CHECK(!sql_ident_ok("x\"; DROP TABLE reports; --"));
    CHECK(!sql_ident_ok("σχολεία"));
    char too_long[65];
    memset(too_long, 'a', 64);
    too_long[64] = '\0';
    CHECK(!sql_ident_ok(too_long)); /* 64 bytes would be truncated to a different name */

    /* codes: same alphabet, their own length bounds */
    CHECK(lower_code_ok("potholes", 2, 40));
    CHECK(!lower_code_ok("p", 2, 40));
    CHECK(lower_code_ok("p", 1, 40));
    CHECK(!lower_code_ok("lighting-night", 2, 40));
    CHECK(!lower_code_ok("_x", 1, 40));
    CHECK(!lower_code_ok(too_long, 2, 40));
    return check_summary();
}
