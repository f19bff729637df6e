/* A numeric macro as a string literal, for SQL text built at compile time:
 * "LIMIT " STRINGIFY(POI_NEAR_MAX) becomes "LIMIT " "1000". */
#ifndef POLIS_STRINGIFY_H
#define POLIS_STRINGIFY_H

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#endif
