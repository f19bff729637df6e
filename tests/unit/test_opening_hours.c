/* opening_hours validation: values as they are written on OSM for museums,
 * churches, shops and offices are accepted; mistakes people make are refused
 * with the position, what was expected and what was found. */
#include "gis/opening_hours.h"
#include "tests/unit/check.h"

static void valid(const char *s)
{
    char err[256];
    int rc = opening_hours_check(s, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "  \"%s\" refused: %s\n", s, err);
    CHECK_INT(rc, 0);
}

/* Refused, and the message is exactly want. */
static void invalid(const char *s, const char *want)
{
    char err[256];
    int rc = opening_hours_check(s, err, sizeof err);
    CHECK_INT(rc, -1);
    CHECK_STR(err, want);
}

int main(void)
{
    /* real-world values */
    valid("24/7");
    valid("Mo-Fr 08:00-17:00");
    valid("Mo-Fr 08:00-12:00,13:00-17:30");
    valid("Mo-Fr 08:00-17:00; Sa 09:00-13:00");
    valid("Mo-Fr 08:00-17:00; Sa 09:00-13:00; Su,PH off");
    valid("Tu-Su 08:30-15:00; Mo off");
    valid("Mo,We,Fr 09:00-14:00");
    valid("Mo-Sa 10:00-14:00,17:30-21:00");
    valid("Mo-Fr 08:00-12:00, Sa 10:00-14:00");
    valid("Fr-Sa 22:00-03:00");
    valid("Mo-Su 22:00-02:00");
    valid("Mo-Su 18:00-26:00");
    valid("Mo-Su 00:00-24:00");
    valid("Mo-Su 17:00+");
    valid("Sa 20:00-22:00+");
    valid("Apr-Oct Tu-Su 08:00-20:00; Nov-Mar Tu-Su 08:30-15:30");
    valid("Apr-Oct: Mo-Su 10:00-18:00");
    valid("Jan-Mar,Nov-Dec Mo-Fr 09:00-15:00");
    valid("Dec 25 off");
    valid("Dec 24-26 off");
    valid("Jan 01 off");
    valid("Dec 24 09:00-13:00");
    valid("Aug 15 closed");
    valid("Jul 01-Aug 31 Mo-Su 09:00-21:00");
    valid("Feb 29 off");
    valid("PH off");
    valid("PH 10:00-14:00");
    valid("Mo-Fr,PH 10:00-12:00");
    valid("SH Mo-Fr 09:00-12:00");
    valid("Su[1] 10:00-12:00");
    valid("Su[1,3] 07:00-11:00");
    valid("Fr[-1] 18:00-22:00");
    valid("Mo[1-2] 08:00-10:00");
    valid("Mo-Fr 08:00-17:00 \"by appointment in August\"");
    valid("\"by appointment\"");
    valid("Mo-Fr 09:00-17:00 || \"by appointment\"");
    valid("Mo-Sa 07:00-14:00 open");
    valid("Sa unknown");
    valid("Mo-Fr 08:00-15:00; Sa,Su 10:00-14:00; Dec 25,Jan 01 off");
    valid("Mo-Su 07:00-13:00,17:00-20:00; Aug 15 off");
    valid("Mo-Fr 08:00-16:00;  Sa 09:00-12:00"); /* extra space after ; */
    valid("Mo 08:00-10:00 \"Μόνο με ραντεβού\""); /* Greek comment */
    valid("Jan-Dec 24/7");

    /* mistakes, with the message a tourism office reads */
    invalid("Mo-Fr 9am-5pm", "at 7: expected a time like 09:00, found \"9am-5pm\"");
    invalid("Mo-Fr 9:00-17:00", "at 7: expected a time like 09:00, found \"9:00-17:00\"");
    invalid("Mo-Fr 08:00", "at 12: expected \"-\" and the closing time, as in 09:00-17:00, "
                           "found the end of the text");
    invalid("Mo-Fr 08:00-25:61", "at 13: expected a time from 00:00 to 48:00, found "
                                 "\"25:61\"");
    invalid("Mo-Fr 25:00-26:00", "at 7: expected a time from 00:00 to 24:00, found "
                                 "\"25:00-26:00\"");
    invalid("Mo-Fr 24:30-26:00", "at 7: expected a time from 00:00 to 24:00, found "
                                 "\"24:30-26:00\"");
    invalid("Mo-Fr 08:00-08:00", "at 13: expected a closing time different from the opening "
                                 "time, found \"08:00\"");
    invalid("Mo-Fr 08:00-34:00", "at 13: expected an end past midnight before the start (at "
                                 "most 24 hours), found \"34:00\"");
    invalid("Mo-Fr: 08:00-17:00", "at 6: expected a space between the days and the times "
                                  "(OSM writes Mo-Fr 09:00-17:00), found \":\"");
    invalid("mo-fr 08:00-17:00", "at 1: expected a month (Jan), a weekday (Mo), PH, a time "
                                 "like 09:00, 24/7, off or a comment, found \"mo-fr\"");
    invalid("Mon-Fri 08:00-17:00", "at 1: expected a month (Jan), a weekday (Mo), PH, a time "
                                   "like 09:00, 24/7, off or a comment, found \"Mon-Fri\"");
    invalid("Mo-Xy 08:00-17:00", "at 4: expected a weekday ending the range (Mo, Tu, We, Th, "
                                 "Fr, Sa, Su), found \"Xy\"");
    invalid("Mo-Fr 08:00-17:00;", "at 19: expected a rule such as Mo-Fr 09:00-17:00, found "
                                  "the end of the text");
    invalid("", "at 1: expected opening hours such as Mo-Fr 09:00-17:00, found the end of "
                "the text");
    invalid("Mo-Fr 08:00-17:00 \"unclosed", "at 19: expected a comment closed with a quote "
                                            "(\"), found \"\"unclosed\"");
    invalid("Feb 30 off", "at 5: expected a day of Feb from 1 to 29, found \"30\"");
    invalid("Dec 32 off", "at 5: expected a day of Dec from 1 to 31, found \"32\"");
    invalid("Jan-Foo Mo 10:00-12:00", "at 5: expected a month (Jan .. Dec) ending the range, "
                                      "found \"Foo\"");
    invalid("Su[6] 10:00-12:00", "at 4: expected a week of the month from 1 to 5 (or -1 to "
                                 "-5), found \"6]\"");
    invalid("Su[1 10:00-12:00", "at 5: expected \",\" or \"]\", found \" \"");
    invalid("Mo-Fr 08:00-17:00 Sa 10:00-12:00",
            "at 19: expected off, closed, a comment or the end of the rule after the times, "
            "found \"Sa\"");
    invalid("Mo-Fr sunrise-sunset", "at 7: expected a time like 09:00, found "
                                    "\"sunrise-sunset\"");
    invalid("Mo-Fr 08:00-17:00 off off", "at 23: expected off, closed, a comment or the end "
                                         "of the rule after the times, found \"off\"");
    invalid("Mo-Fr08:00-17:00", "at 6: expected a space, \";\" or \",\" between the parts of "
                                "a rule, found \"08:00-17:00\"");
    invalid("week 01-53 Mo 10:00-12:00", "at 1: expected a month (Jan), a weekday (Mo), PH, "
                                         "a time like 09:00, 24/7, off or a comment, found "
                                         "\"week\"");
    invalid("2024 Mo-Fr 08:00-12:00", "at 1: expected a time like 09:00, found "
                                      "\"2024\"");
    invalid("Δε-Πα 08:00-17:00", "at 1: expected a month (Jan), a weekday (Mo), PH, a time "
                                 "like 09:00, 24/7, off or a comment, found \"Δε-Πα\"");
    invalid("Mo-Fr 08:00-12:00,", "at 19: expected a rule such as Mo-Fr 09:00-17:00, found "
                                  "the end of the text");
    return check_summary();
}
