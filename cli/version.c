/* polis version: what this binary is built from, for bug reports. */
#include "cli/commands.h"

#include <gdal.h>
#include <h2o/version.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <proj.h>
#include <stdio.h>

int cmd_version(int argc, char **argv)
{
    PJ_INFO proj = proj_info();
    int pq = PQlibVersion();
    printf("polis %s\n", POLIS_VERSION);
    printf("h2o %s, libpq %d.%d, jansson %s, GDAL %s, PROJ %s\n", H2O_VERSION, pq / 10000,
           pq % 10000, JANSSON_VERSION, GDALVersionInfo("RELEASE_NAME"), proj.version);
    return 0;
}
