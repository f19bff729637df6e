/* The language an anonymous report's mail is written in, from the filing's
 * Accept-Language: the first of el/en as the browser lists them. */
#include "check.h"
#include "http/accept_language.h"

static const char *pick(const char *header)
{
    const char *lang = accept_language_pick(header, strlen(header));
    return lang ? lang : "(none)";
}

int main(void)
{
    CHECK_STR(pick("el-GR,el;q=0.9,en;q=0.8"), "el");
    CHECK_STR(pick("en-US,en;q=0.9,el;q=0.8"), "en");
    CHECK_STR(pick("de-DE, fr;q=0.5 , EN"), "en");
    CHECK_STR(pick("  El ; q=1"), "(none)"); /* a space inside the range is not a tag */
    CHECK_STR(pick("de,ell,eng"), "(none)");
    CHECK_STR(pick("*"), "(none)");
    CHECK_STR(pick(""), "(none)");
    CHECK_STR(pick(",,,el"), "el");
    /* only the bytes given are read: "en" after the end does not count */
    CHECK(accept_language_pick("deen", 2) == NULL);
    return check_summary();
}
