#include "services/afm.h"

int afm_valid(const char *s)
{
    if (!s)
        return 0;
    unsigned sum = 0, nonzero = 0;
    int i;
    for (i = 0; i < 9; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0; /* also the end of a shorter string */
        nonzero |= (unsigned)(s[i] - '0');
        if (i < 8)
            sum += (unsigned)(s[i] - '0') << (8 - i);
    }
    if (s[9] != '\0' || !nonzero)
        return 0;
    return sum % 11 % 10 == (unsigned)(s[8] - '0');
}
