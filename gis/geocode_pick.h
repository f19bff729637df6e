/* The geocoder's answer (GEOCODE_SQL's FeatureCollection, best first) read
 * as one place to file a report at, for the filings that take an address
 * without coordinates (Open311 address_string, the JSON API's address).
 *
 * The rule:
 * - Candidates that are one place are counted once: a later candidate with
 *   the same street (an address's street, a street's name) or, for places
 *   and POIs, the same label, within GEOCODE_SAME_PLACE_M of an earlier one
 *   (a street split into several OSM ways, a number and its street).
 * - No candidate: none. One: it. Several: the best when its score is at
 *   least GEOCODE_CLEAR_LEAD ahead of the next (an exact street and number,
 *   score 1, is ahead of a street that only starts with the words, 0.9);
 *   otherwise ambiguous, the first GEOCODE_PICK_NAMED named. */
#ifndef POLIS_GEOCODE_PICK_H
#define POLIS_GEOCODE_PICK_H

/* How many candidates to ask the geocoder for (its limit=). */
#define GEOCODE_PICK_LIMIT 10
/* The lead in score (thousandths) that makes the best match the answer. */
#define GEOCODE_CLEAR_LEAD 100
/* Candidates of one street or name closer than this (metres) are one place
 * (the distance at which the geocoder ties an address to its street). */
#define GEOCODE_SAME_PLACE_M 500
/* How many candidates an ambiguous answer names. */
#define GEOCODE_PICK_NAMED 3

enum geocode_pick_outcome { GEOCODE_PICK_ONE, GEOCODE_PICK_NONE, GEOCODE_PICK_AMBIGUOUS };

struct geocode_pick {
    enum geocode_pick_outcome outcome;
    double lat, lon; /* GEOCODE_PICK_ONE: the point to file at */
    char *label;     /* GEOCODE_PICK_ONE: its label; malloc'd, or NULL */
    char *candidates; /* GEOCODE_PICK_AMBIGUOUS: "Ερμού 15 (41.09005, 23.54200); ...";
                       * malloc'd, else NULL */
};

/* Reads answer into out; -1 when it is not a FeatureCollection (out then
 * says none). Free with geocode_pick_free. */
int geocode_pick(const char *answer, struct geocode_pick *out);
void geocode_pick_free(struct geocode_pick *p);

#endif
