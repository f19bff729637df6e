#include "gis/report_workflow.h"

#include <string.h>

const char *const report_statuses[] = {"submitted", "acknowledged", "in_progress", "resolved",
                                       "rejected",  "duplicate",    "reopened",    "closed",
                                       NULL};

/* from -> the statuses staff may move it to, space separated with spaces
 * around, so a lookup is one strstr. A table reads as the diagram does. */
static const struct {
    const char *from, *to;
} staff_moves[] = {
    {"submitted", " acknowledged in_progress resolved rejected duplicate "},
    {"acknowledged", " in_progress resolved rejected duplicate "},
    {"in_progress", " resolved rejected duplicate "},
    {"reopened", " acknowledged in_progress resolved rejected duplicate "},
    {"resolved", " closed in_progress "},
    {"rejected", " closed in_progress "},
    {"duplicate", " closed in_progress "},
    {"closed", " "},
};

int workflow_staff_may(const char *from, const char *to)
{
    char needle[40];
    size_t n = strlen(to);
    if (n == 0 || n > sizeof needle - 3)
        return 0;
    needle[0] = ' ';
    memcpy(needle + 1, to, n);
    needle[n + 1] = ' ';
    needle[n + 2] = '\0';
    for (size_t i = 0; i < sizeof staff_moves / sizeof staff_moves[0]; i++)
        if (!strcmp(staff_moves[i].from, from))
            return strstr(staff_moves[i].to, needle) != NULL;
    return 0;
}

int workflow_reporter_may(const char *from, const char *to)
{
    return !strcmp(from, "resolved") && !strcmp(to, "reopened");
}
