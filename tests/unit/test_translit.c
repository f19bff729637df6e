/* ELOT 743 transliteration and folding of real municipality names. */
#include "gis/translit.h"
#include "tests/unit/check.h"

static const char *tr(const char *in, char *buf, size_t len)
{
    translit_elot743(in, buf, len);
    return buf;
}

static const char *fold(const char *in, char *buf, size_t len)
{
    translit_fold(in, buf, len);
    return buf;
}

int main(void)
{
    char b[256];
    /* names from the Kallikratis data */
    CHECK_STR(tr("Σερρών", b, sizeof b), "Serron");
    CHECK_STR(tr("Βισαλτίας", b, sizeof b), "Visaltias");
    CHECK_STR(tr("Πυλαίας - Χορτιάτη", b, sizeof b), "Pylaias - Chortiati");
    CHECK_STR(tr("Θεσσαλονίκης", b, sizeof b), "Thessalonikis");
    CHECK_STR(tr("Κορδελιού - Ευόσμου", b, sizeof b), "Kordeliou - Evosmou");
    CHECK_STR(tr("Παύλου Μελά", b, sizeof b), "Pavlou Mela");
    CHECK_STR(tr("Νέας Ζίχνης", b, sizeof b), "Neas Zichnis");
    CHECK_STR(tr("Εμμανουήλ Παππά", b, sizeof b), "Emmanouil Pappa");
    CHECK_STR(tr("Άθως", b, sizeof b), "Athos");
    CHECK_STR(tr("Ωραιοκάστρου", b, sizeof b), "Oraiokastrou");
    CHECK_STR(tr("Αμφίπολης", b, sizeof b), "Amfipolis");
    CHECK_STR(tr("Ψαχνών", b, sizeof b), "Psachnon");
    /* αυ/ευ: v before vowels and voiced consonants, f before unvoiced and at the end */
    CHECK_STR(tr("Ευβοίας", b, sizeof b), "Evvoias");
    CHECK_STR(tr("Ναύπακτος", b, sizeof b), "Nafpaktos");
    CHECK_STR(tr("αυτός", b, sizeof b), "aftos");
    CHECK_STR(tr("Ευρώπη", b, sizeof b), "Evropi");
    CHECK_STR(tr("Ηυ", b, sizeof b), "If");
    /* diaeresis breaks the diphthong */
    CHECK_STR(tr("Ταΰγετος", b, sizeof b), "Taygetos");
    CHECK_STR(tr("Αϊδίνιο", b, sizeof b), "Aidinio");
    /* μπ: b at the start and the end of a word, mp inside */
    CHECK_STR(tr("Μπαλτά", b, sizeof b), "Balta");
    CHECK_STR(tr("Λάμπρος", b, sizeof b), "Lampros");
    CHECK_STR(tr("Καρατζαμπ", b, sizeof b), "Karatzab");
    /* γγ, γκ, γχ, γξ */
    CHECK_STR(tr("Αγγελική", b, sizeof b), "Angeliki");
    CHECK_STR(tr("Λαγκαδά", b, sizeof b), "Lagkada");
    CHECK_STR(tr("Μελάγχολος", b, sizeof b), "Melancholos");
    CHECK_STR(tr("σφίγξ", b, sizeof b), "sfinx");
    /* capitals */
    CHECK_STR(tr("ΘΕΣΣΑΛΟΝΙΚΗ", b, sizeof b), "THESSALONIKI");
    CHECK_STR(tr("ΧΑΝΙΑ", b, sizeof b), "CHANIA");
    CHECK_STR(tr("ΜΠΟΥΡΝΟΒΑ", b, sizeof b), "BOURNOVA");
    CHECK_STR(tr("Χ", b, sizeof b), "Ch");
    /* ASCII passes through; mixed text */
    CHECK_STR(tr("Dimos 9054 (x)", b, sizeof b), "Dimos 9054 (x)");
    CHECK_STR(tr("Νάξου & Μικρών Κυκλάδων", b, sizeof b), "Naxou & Mikron Kykladon");
    CHECK_STR(tr("", b, sizeof b), "");

    /* buffer contract: snprintf-like length, always terminated */
    char small[4];
    CHECK_INT(translit_elot743("Θεσσαλονίκη", small, sizeof small), 12);
    CHECK_STR(small, "The");
    CHECK_INT(translit_elot743("Θεσσαλονίκη", NULL, 0), 12);
    /* invalid UTF-8 becomes '?' */
    CHECK_STR(tr("a\xD3\xE5z", b, sizeof b), "a??z");

    /* folding */
    CHECK_STR(fold("Άθως", b, sizeof b), "αθωσ");
    CHECK_STR(fold("ΣΕΡΡΩΝ", b, sizeof b), "σερρων");
    CHECK_STR(fold("Σερρών", b, sizeof b), "σερρων");
    CHECK_STR(fold("Ταΰγετος ΐ Ϊ", b, sizeof b), "ταυγετοσ ι ι");
    CHECK_STR(fold("Dimos SERRON", b, sizeof b), "dimos serron");

    CHECK(utf8_valid("Σερρών"));
    CHECK(!utf8_valid("\xD3\xE5\xF1\xF1\xFE\xED")); /* Σερρών in CP1253 */
    CHECK(!utf8_valid("\xC0\xAF"));                 /* overlong '/' */
    CHECK(!utf8_valid("\xED\xA0\x80"));             /* surrogate */
    CHECK(utf8_valid("\xEF\xBF\xBD"));              /* U+FFFD itself is fine */
    return check_summary();
}
