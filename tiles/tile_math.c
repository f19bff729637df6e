#include "tiles/tile_math.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Strict unsigned decimal of at most 9 digits: "007" is fine, "", "-1",
 * "+1", "1e3", " 1" and "0x1" are not. */
static int parse_digits(const char *s, size_t len, long *out)
{
    if (len == 0 || len > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int tile_valid(const struct tile_id *t)
{
    if (t->z < 0 || t->z > TILE_MAX_ZOOM)
        return 0;
    long n = 1L << t->z;
    return t->x >= 0 && t->x < n && t->y >= 0 && t->y < n;
}

int tile_parse(const char *z, const char *x, const char *y_ext, const char *extension,
               struct tile_id *out, struct tile_parse_error *err, char *exp_buf,
               size_t exp_len)
{
    long zv, xv, yv;
    err->part = NULL;
    err->expected = exp_buf;
    if (parse_digits(z, strlen(z), &zv) || zv > TILE_MAX_ZOOM) {
        err->part = "z";
        snprintf(exp_buf, exp_len, "a zoom level from 0 to %d", TILE_MAX_ZOOM);
        return -1;
    }
    long n = 1L << zv;
    if (parse_digits(x, strlen(x), &xv) || xv >= n) {
        err->part = "x";
        snprintf(exp_buf, exp_len, "a tile column from 0 to %ld at zoom %ld", n - 1, zv);
        return -1;
    }
    const char *dot = strrchr(y_ext, '.');
    if (!dot || strcmp(dot + 1, extension) != 0) {
        err->part = "extension";
        snprintf(exp_buf, exp_len, "a tile row followed by .%s", extension);
        return -1;
    }
    if (parse_digits(y_ext, (size_t)(dot - y_ext), &yv) || yv >= n) {
        err->part = "y";
        snprintf(exp_buf, exp_len, "a tile row from 0 to %ld at zoom %ld", n - 1, zv);
        return -1;
    }
    out->z = (int)zv;
    out->x = xv;
    out->y = yv;
    return 0;
}

void tile_bounds_3857(const struct tile_id *t, double out[4])
{
    double size = 2 * TILE_WEB_MERCATOR_HALF / (double)(1L << t->z);
    out[0] = -TILE_WEB_MERCATOR_HALF + (double)t->x * size;
    out[2] = out[0] + size;
    out[3] = TILE_WEB_MERCATOR_HALF - (double)t->y * size;
    out[1] = out[3] - size;
}

static double lat_of_row(double row, double n)
{
    return atan(sinh(M_PI * (1 - 2 * row / n))) * 180 / M_PI;
}

void tile_bounds_lonlat(const struct tile_id *t, double out[4])
{
    double n = (double)(1L << t->z);
    out[0] = (double)t->x / n * 360 - 180;
    out[2] = (double)(t->x + 1) / n * 360 - 180;
    out[3] = lat_of_row((double)t->y, n);
    out[1] = lat_of_row((double)(t->y + 1), n);
}

int tile_for_lonlat(int z, double lon, double lat, struct tile_id *out)
{
    if (z < 0 || z > TILE_MAX_ZOOM || !isfinite(lon) || !isfinite(lat))
        return -1;
    long n = 1L << z;
    if (lat > TILE_MAX_LAT)
        lat = TILE_MAX_LAT;
    if (lat < -TILE_MAX_LAT)
        lat = -TILE_MAX_LAT;
    double fx = (lon + 180) / 360 * (double)n;
    double r = lat * M_PI / 180;
    double fy = (1 - log(tan(r) + 1 / cos(r)) / M_PI) / 2 * (double)n;
    long x = (long)floor(fx), y = (long)floor(fy);
    /* lon 180 and the southern edge belong to the last column/row */
    out->z = z;
    out->x = x < 0 ? 0 : x >= n ? n - 1 : x;
    out->y = y < 0 ? 0 : y >= n ? n - 1 : y;
    return 0;
}

double tile_unit_metres(int z, int extent)
{
    return 2 * TILE_WEB_MERCATOR_HALF / (double)(1L << z) / extent;
}
