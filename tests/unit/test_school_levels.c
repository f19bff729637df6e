/* How polis schools import reads a school's level and a --field-map: the
 * spellings a ministry or municipal file uses (Greek with or without
 * accents, capitals, abbreviations, ELOT 743 Latin) map to one level code;
 * anything else is refused, never guessed. */
#include "gis/school_import.h"
#include "gis/schools_sql.h"
#include "tests/unit/check.h"

#include <stdlib.h>

int main(void)
{
    /* every code maps to itself */
    for (int i = 0; school_levels[i]; i++)
        CHECK_STR(school_level_from_text(school_levels[i]), school_levels[i]);

    static const char *const spellings[][2] = {
        {"Δημοτικό", "primary"},          {"ΔΗΜΟΤΙΚΟ", "primary"},
        {"Δημοτικό Σχολείο", "primary"},  {" dimotiko ", "primary"},
        {"Γυμνάσιο", "lower_secondary"},  {"GYMNASIO", "lower_secondary"},
        {"ΓΕΛ", "upper_secondary"},       {"Γενικό Λύκειο", "upper_secondary"},
        {"Λύκειο", "upper_secondary"},    {"ΕΠΑΛ", "vocational"},
        {"Επαγγελματικό Λύκειο", "vocational"}, {"Νηπιαγωγείο", "kindergarten"},
        {"ΝΗΠΙΑΓΩΓΕΙΟ", "kindergarten"},  {"Παιδικός Σταθμός", "nursery"},
        {"Βρεφονηπιακός Σταθμός", "nursery"}, {"Primary", "primary"},
    };
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        CHECK_STR(school_level_from_text(spellings[i][0]), spellings[i][1]);

    /* not a level of this registry */
    static const char *const unknown[] = {"Πανεπιστήμιο", "university", "", "Δημοτικ",
                                          "primary school of Serres", "ΤΕΙ"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK(school_level_from_text(unknown[i]) == NULL);
    CHECK(school_level_from_text(NULL) == NULL);

    /* --field-map */
    char map[] = "ref=KODIKOS,name_el=ONOMA,level=BATHMIDA";
    struct school_import_options o = {0};
    char err[256];
    CHECK_INT(school_field_map_parse(map, &o, err, sizeof err), 0);
    CHECK_STR(o.field[SC_REF], "KODIKOS");
    CHECK_STR(o.field[SC_NAME_EL], "ONOMA");
    CHECK_STR(o.field[SC_LEVEL], "BATHMIDA");
    CHECK(o.field[SC_NAME_EN] == NULL);
    char bad1[] = "nme=ONOMA";
    CHECK(school_field_map_parse(bad1, &o, err, sizeof err) < 0);
    CHECK(strstr(err, "unknown column \"nme\"") != NULL);
    char bad2[] = "name_el=";
    CHECK(school_field_map_parse(bad2, &o, err, sizeof err) < 0);
    CHECK(strstr(err, "expected column=FIELD") != NULL);
    return check_summary();
}
