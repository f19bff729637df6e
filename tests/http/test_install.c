/* `cmake --install` to a prefix gives a polis that runs from the prefix
 * alone: the test installs the build to a temporary prefix, moves the
 * prefix elsewhere (so no path compiled into the binary can lead back to a
 * file of the install), marks the installed page and MapLibre, and from a
 * working directory outside the source tree runs the installed
 * `polis migrate`, imports boundaries and starts the installed `polis
 * serve` on its own cluster. The server's executable must be the moved
 * one, and it must serve the installed (marked) page and MapLibre, a
 * boundaries tile and migration-backed API answers. Nothing in the source
 * tree is changed. */
#include "harness.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE_MARK "<!-- served from the installed prefix -->"
#define MAPLIBRE_MARK "0.0.0-installed"
/* the tile over the city of Serres at zoom 10 */
#define SERRES_TILE "/tiles/boundaries/10/578/383.mvt"

/* Runs argv (searched in PATH) to its end; returns its exit code, -1 if killed. */
static int run(const char *const *argv)
{
    pid_t pid = fork();
    if (pid < 0)
        h_fatal("fork: %s", strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "test_install: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int is_file(const char *dir, const char *rel)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Appends PAGE_MARK to the installed index.html and sets the installed
 * MapLibre's version to MAPLIBRE_MARK: what the server then shows can only
 * come from the prefix. */
static void mark_install(const char *prefix)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/share/polis/web/index.html", prefix);
    FILE *f = fopen(path, "a");
    if (!f || fputs(PAGE_MARK "\n", f) < 0 || fclose(f))
        h_fatal("cannot mark %s: %s", path, strerror(errno));
    snprintf(path, sizeof path, "%s/share/polis/maplibre-gl/package.json", prefix);
    json_t *pkg = json_load_file(path, 0, NULL);
    if (!pkg || json_object_set_new(pkg, "version", json_string(MAPLIBRE_MARK)) ||
        json_dump_file(pkg, path, 0))
        h_fatal("cannot set the version in %s", path);
    json_decref(pkg);
}

int main(void)
{
    h_init("test_install", 240);
    char tmp[] = "/tmp/polis-install-XXXXXX";
    if (!mkdtemp(tmp))
        h_fatal("mkdtemp: %s", strerror(errno));
    char staged[64], prefix[64], bin[80];
    snprintf(staged, sizeof staged, "%s/staged", tmp);
    snprintf(prefix, sizeof prefix, "%s/moved", tmp);
    snprintf(bin, sizeof bin, "%s/bin/polis", prefix);

    const char *install[] = {h_env("POLIS_CMAKE"), "--install", h_env("POLIS_BUILD_DIR"),
                             "--prefix", staged, NULL};
    int rc = run(install);
    CHECK(rc == 0, "cmake --install %s --prefix %s: expected exit status 0, found %d",
          h_env("POLIS_BUILD_DIR"), staged, rc);
    if (rename(staged, prefix))
        h_fatal("mv %s %s: %s", staged, prefix, strerror(errno));
    static const char *const installed[] = {"bin/polis", "share/polis/web/index.html",
                                            "share/polis/web/app.js",
                                            "share/polis/maplibre-gl/dist/maplibre-gl.mjs",
                                            "share/polis/maplibre-gl/package.json"};
    for (size_t i = 0; i < sizeof installed / sizeof installed[0]; i++)
        CHECK(is_file(prefix, installed[i]), "expected %s in the installed prefix %s, found none",
              installed[i], prefix);
    if (!is_file(prefix, "bin/polis"))
        h_fatal("no installed binary: nothing to run");
    mark_install(prefix);

    /* the installed binary from now on, run outside the source and build trees,
     * with the built-in defaults of the pages' directories */
    setenv("POLIS_BIN", bin, 1);
    unsetenv("POLIS_WEB_DIR");
    unsetenv("POLIS_MAPLIBRE_DIR");
    if (chdir(tmp))
        h_fatal("cd %s: %s", tmp, strerror(errno));

    struct h_cluster c;
    h_cluster_create(&c);
    static const char *const migrate[] = {"migrate", NULL};
    rc = h_polis_wait(h_polis_spawn(c.url, migrate));
    CHECK(rc == 0, "%s migrate: expected exit status 0, found %d", bin, rc);
    char boundaries[PATH_MAX];
    snprintf(boundaries, sizeof boundaries, "%s/kallikratis_dimoi_kentriki_makedonia.geojson",
             h_env("POLIS_DATA"));
    const char *import[] = {"boundaries", "import", boundaries, NULL};
    rc = h_polis_wait(h_polis_spawn(c.url, import));
    CHECK(rc == 0, "%s boundaries import %s: expected exit status 0, found %d", bin, boundaries,
          rc);

    struct h_server s;
    if (h_server_start(&s, c.url, NULL) != 0)
        return h_finish();
    char exe_link[64], exe[PATH_MAX];
    snprintf(exe_link, sizeof exe_link, "/proc/%d/exe", (int)s.pid);
    ssize_t n = readlink(exe_link, exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    CHECK_STR("the running server's executable", exe, bin);

    struct h_resp r;
    h_get(&s, "/", &r);
    CHECK(r.status == 200, "GET /: expected 200, found %ld %.300s", r.status, r.body);
    CHECK_STR("GET /: media type", r.media_type, "text/html");
    CHECK_HAS("GET /: the installed page (its mark)", r.body, PAGE_MARK);
    CHECK_HAS("GET /: the installed MapLibre (its version)", r.body,
              "/vendor/maplibre-gl/" MAPLIBRE_MARK);
    h_resp_free(&r);
    h_get(&s, "/vendor/maplibre-gl/" MAPLIBRE_MARK "/maplibre-gl.mjs", &r);
    CHECK(r.status == 200 && r.len > 100000, "GET MapLibre from the prefix: expected 200 with "
          "the library, found %ld (%zu bytes)", r.status, r.len);
    h_resp_free(&r);

    h_get(&s, SERRES_TILE, &r);
    CHECK(r.status == 200, "GET " SERRES_TILE ": expected 200, found %ld %.300s", r.status,
          r.body);
    CHECK_STR("GET " SERRES_TILE ": media type", r.media_type,
              "application/vnd.mapbox-vector-tile");
    CHECK(r.len > 0 && memmem(r.body, r.len, "boundaries", 10) &&
              memmem(r.body, r.len, "Σερρών", strlen("Σερρών")),
          "GET " SERRES_TILE ": expected an MVT layer \"boundaries\" holding Serres, found %zu "
          "bytes without them", r.len);
    h_resp_free(&r);

    /* answers that need the migrations applied */
    h_get(&s, "/readyz", &r);
    CHECK(r.status == 200, "GET /readyz: expected 200 (every migration applied), found %ld %.300s",
          r.status, r.body);
    h_resp_free(&r);
    h_get(&s, "/api/v1/categories", &r);
    CHECK(r.status == 200 && json_is_array(json_object_get(r.json, "categories")),
          "GET /api/v1/categories: expected 200 {\"categories\": [...]}, found %ld %.300s",
          r.status, r.body);
    h_resp_free(&r);
    h_get(&s, "/api/v1/municipality", &r);
    CHECK(r.status == 200, "GET /api/v1/municipality: expected 200, found %ld %.300s", r.status,
          r.body);
    CHECK_STR("GET /api/v1/municipality: the imported Serres",
              json_string_value(json_object_get(r.json, "code")), "9054");
    h_resp_free(&r);

    int failed = h_finish();
    if (!failed && chdir("/") == 0) {
        const char *rm[] = {"rm", "-rf", tmp, NULL};
        run(rm);
    }
    return failed;
}
