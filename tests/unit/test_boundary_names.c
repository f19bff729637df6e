/* Display names of imported boundaries (no database needed). */
#include "gis/boundary_import.h"
#include "tests/unit/check.h"

int main(void)
{
    char el[256], en[256];
    CHECK_INT(boundary_names("municipality", "Σερρών", "9054", el, sizeof el, en, sizeof en), 0);
    CHECK_STR(el, "Δήμος Σερρών");
    CHECK_STR(en, "Dimos Serron");
    CHECK_INT(boundary_names("municipality", "Πυλαίας - Χορτιάτη", "9037", el, sizeof el, en,
                             sizeof en), 0);
    CHECK_STR(el, "Δήμος Πυλαίας - Χορτιάτη");
    CHECK_STR(en, "Dimos Pylaias - Chortiati");
    /* Mount Athos: no code, not a Δήμος */
    CHECK_INT(boundary_names("municipality", "Άθως", NULL, el, sizeof el, en, sizeof en), 0);
    CHECK_STR(el, "Άγιον Όρος (Άθως)");
    CHECK_STR(en, "Mount Athos");
    /* a source that already says Δήμος */
    CHECK_INT(boundary_names("municipality", "Δήμος Άνδρου", "9268", el, sizeof el, en, sizeof en),
              0);
    CHECK_STR(el, "Δήμος Άνδρου");
    CHECK_STR(en, "Dimos Androu");
    /* units and communities keep the source name */
    CHECK_INT(boundary_names("community", "Άνω Καμήλας", "x", el, sizeof el, en, sizeof en), 0);
    CHECK_STR(el, "Άνω Καμήλας");
    CHECK_STR(en, "Ano Kamilas");
    /* too small a buffer is an error, not a silent cut */
    char tiny[8];
    CHECK_INT(boundary_names("municipality", "Σερρών", "9054", tiny, sizeof tiny, en, sizeof en),
              -1);
    CHECK_INT(boundary_names("municipality", "Σερρών", "9054", el, sizeof el, tiny, sizeof tiny),
              -1);
    return check_summary();
}
