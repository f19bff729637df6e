/* The Greek tax number (ΑΦΜ) of a business applying for an e-service: nine
 * digits whose last is a check digit over the first eight. */
#ifndef POLIS_AFM_H
#define POLIS_AFM_H

/* 1 when s is exactly nine ASCII digits, not all zero, and its ninth digit
 * is the check digit: (sum of digit i times 2^(8-i) for the first eight,
 * i from 0) mod 11, mod 10. Any other input (NULL, spaces, letters, other
 * lengths) gives 0. */
int afm_valid(const char *s);

#endif
