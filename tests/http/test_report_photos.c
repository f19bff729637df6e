/* Photos of reports, as the people involved see them: the reporter adds a
 * phone photo and gets it back without the location the phone wrote into
 * it (Exif GPS, XMP), with the right type; a PNG works too (multipart form
 * or raw body); a text file calling itself image/jpeg is refused, so is a
 * sixth photo and one over the size limit, and a refused upload leaves
 * neither a row nor a file behind; the photo of a private report is 404 to
 * strangers and 200 to the reporter and the department's staff. */
#include "../unit/photo_fixtures.h"
#include "h_accounts.h"

#include <curl/curl.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { REPORTER, STRANGER, STAFF_CIVIL, STAFF_TOURISM, NUSERS };

struct world {
    struct h_server *s;
    PGconn *db;
    struct ha_user u[NUSERS];
    const char *var; /* POLIS_VAR of the server: h_temp_dir */
};

static long file_report(struct world *w, const struct ha_user *u, const char *category,
                        char *secret, size_t secretlen)
{
    char body[300];
    snprintf(body, sizeof body,
             "{\"category\":\"%s\",\"lat\":41.0912,\"lon\":23.5490,\"description\":\"photo "
             "test\"}",
             category);
    struct h_resp r;
    ha_call(w->s, u, "POST", "/api/v1/reports", body, &r);
    CHECK(r.status == 201, "file a %s report: expected 201, found %ld %.200s", category,
          r.status, r.body);
    long id = (long)json_integer_value(json_object_get(r.json, "id"));
    if (secret)
        snprintf(secret, secretlen, "%s",
                 json_string_value(json_object_get(r.json, "secret")) ?: "");
    h_resp_free(&r);
    return id;
}

static long count_photos(struct world *w, long report)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%ld", report);
    const char *p[] = {ids};
    char *v = h_pg_value(w->db, "SELECT count(*) FROM report_photos WHERE report_id = $1::bigint",
                         1, p);
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

/* Files (not temporaries) under $POLIS_VAR/photos/<report>. */
static long count_files(struct world *w, long report, int with_temporaries)
{
    char dir[160];
    snprintf(dir, sizeof dir, "%s/photos/%ld", w->var, report);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            (with_temporaries || e->d_name[0] != '.'))
            n++;
    closedir(d);
    return n;
}

static void jpeg_roundtrip(struct world *w)
{
    struct ha_user *a = &w->u[REPORTER];
    long id = file_report(w, a, "cleaning", NULL, 0);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/photos", id);
    uint8_t jpeg[1024];
    size_t len = fx_jpeg_with_exif(jpeg);
    struct h_resp r;
    /* declared as something else: the content decides */
    ha_upload(w->s, a, path, "application/octet-stream", jpeg, len, &r);
    CHECK(r.status == 201, "upload a JPEG with Exif GPS: expected 201, found %ld %.300s",
          r.status, r.body);
    const char *url = json_string_value(json_object_get(r.json, "url"));
    CHECK(url && strstr(url, path), "201 gives the photo's url: %.300s", r.body);
    char *photo_url = strdup(url ? url : "");
    h_resp_free(&r);

    h_get_url(photo_url, &r);
    CHECK_INT("GET the photo", r.status, 200);
    CHECK_STR("the photo's media type", r.media_type, "image/jpeg");
    CHECK(r.len > 4 && (uint8_t)r.body[0] == 0xFF && (uint8_t)r.body[1] == 0xD8 &&
              (uint8_t)r.body[r.len - 2] == 0xFF && (uint8_t)r.body[r.len - 1] == 0xD9,
          "the photo is still a JPEG (FFD8 ... FFD9), %zu bytes", r.len);
    CHECK(!fx_contains((const uint8_t *)r.body, r.len, "Exif", 4) &&
              !fx_contains((const uint8_t *)r.body, r.len, "GPS", 3) &&
              !fx_contains((const uint8_t *)r.body, r.len, "xmpmeta", 7),
          "the photo served has no Exif, GPS or XMP left");
    CHECK(r.len == sizeof fx_jpeg && !memcmp(r.body, fx_jpeg, sizeof fx_jpeg),
          "the photo served is the image without its metadata segments");
    char *etag = h_resp_header(&r, "etag");
    char *cc = h_resp_header(&r, "cache-control");
    CHECK(etag && strlen(etag) > 10, "the photo has an ETag: %s", etag ? etag : "(none)");
    CHECK(cc && strstr(cc, "public"), "a public report's photo is cacheable: %s",
          cc ? cc : "(none)");
    h_resp_free(&r);
    if (etag) {
        char inm[200];
        snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
        const char *hdrs[] = {inm, NULL};
        h_request(w->s, "GET", strstr(photo_url, "/api/"), hdrs, NULL, &r);
        CHECK_INT("GET with If-None-Match", r.status, 304);
        h_resp_free(&r);
    }
    free(etag);
    free(cc);

    /* on disk: exactly the cleaned bytes, under POLIS_VAR, no temporaries */
    CHECK_INT("files stored for the report", count_files(w, id, 1), 1);

    /* listed in the report */
    char rpath[96];
    snprintf(rpath, sizeof rpath, "/api/v1/reports/%ld", id);
    h_get(w->s, rpath, &r);
    json_t *photos = json_object_get(json_object_get(r.json, "properties"), "photos");
    CHECK(json_array_size(photos) == 1 &&
              strstr(photo_url, json_string_value(json_array_get(photos, 0)) ?: "(none)"),
          "the report lists its photo: %.400s", r.body);
    h_resp_free(&r);
    /* Open311: a request without a media_url of its own shows its first photo */
    snprintf(rpath, sizeof rpath, "/open311/v2/requests/%ld.json", id);
    h_get(w->s, rpath, &r);
    const char *media = json_string_value(
        json_object_get(json_array_get(r.json, 0), "media_url"));
    CHECK(media && !strcmp(media, photo_url), "Open311 media_url is the photo's URL: %.400s",
          r.body);
    h_resp_free(&r);

    /* a PNG, as a multipart form's "photo" part */
    uint8_t png[1024];
    size_t plen = fx_png_with_metadata(png);
    static const char head[] = "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; "
                               "filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n";
    static const char tail[] = "\r\n--XyZ--\r\n";
    uint8_t form[2048];
    size_t flen = 0;
    memcpy(form, head, sizeof head - 1);
    flen = sizeof head - 1;
    memcpy(form + flen, png, plen);
    flen += plen;
    memcpy(form + flen, tail, sizeof tail - 1);
    flen += sizeof tail - 1;
    ha_upload(w->s, a, path, "multipart/form-data; boundary=XyZ", form, flen, &r);
    CHECK(r.status == 201, "upload a PNG as a form: expected 201, found %ld %.300s", r.status,
          r.body);
    const char *purl = json_string_value(json_object_get(r.json, "url"));
    char *png_url = strdup(purl ? purl : "");
    h_resp_free(&r);
    h_get_url(png_url, &r);
    CHECK(r.status == 200 && !strcmp(r.media_type, "image/png"),
          "GET the PNG: %ld %s", r.status, r.media_type);
    CHECK(!fx_contains((const uint8_t *)r.body, r.len, "GPS", 3) &&
              r.len == sizeof fx_png && !memcmp(r.body, fx_png, sizeof fx_png),
          "the PNG comes back without its text and eXIf chunks");
    h_resp_free(&r);
    free(png_url);

    /* a WebP, raw */
    uint8_t webp[1024];
    size_t wlen = fx_webp_with_metadata(webp);
    ha_upload(w->s, a, path, "image/webp", webp, wlen, &r);
    CHECK(r.status == 201, "upload a WebP: expected 201, found %ld %.300s", r.status, r.body);
    h_resp_free(&r);

    /* the stranger may not add photos to A's report; staff of another department neither */
    ha_upload(w->s, &w->u[STRANGER], path, "image/jpeg", jpeg, len, &r);
    CHECK_PROBLEM("a stranger adds a photo", &r, 403, NULL);
    h_resp_free(&r);
    ha_upload(w->s, &w->u[STAFF_TOURISM], path, "image/jpeg", jpeg, len, &r);
    CHECK_PROBLEM("staff of another department add a photo", &r, 403, NULL);
    h_resp_free(&r);

    /* not an image, whatever it says: 415, nothing stored */
    long rows = count_photos(w, id), files = count_files(w, id, 1);
    static const char text[] = "this is a text file called photo.jpg";
    ha_upload(w->s, a, path, "image/jpeg", text, sizeof text - 1, &r);
    CHECK_PROBLEM("text sent as image/jpeg", &r, 415, NULL);
    const char *detail = json_string_value(json_object_get(r.json, "detail"));
    CHECK(detail && strstr(detail, "not a JPEG, PNG or WebP image"),
          "415 says what is accepted: %s", detail ? detail : r.body);
    h_resp_free(&r);
    /* a JPEG cut in the middle: 422 naming the photo */
    ha_upload(w->s, a, path, "image/jpeg", jpeg, len / 2, &r);
    CHECK_PROBLEM("a truncated JPEG", &r, 422, "photo");
    h_resp_free(&r);
    /* over POLIS_PHOTO_MAX_MB (1 in this test): 413 naming the limit */
    size_t big = 1024 * 1024 + 10;
    uint8_t *huge = calloc(1, big);
    memcpy(huge, jpeg, len);
    ha_upload(w->s, a, path, "image/jpeg", huge, big, &r);
    CHECK_PROBLEM("a photo over the limit", &r, 413, NULL);
    detail = json_string_value(json_object_get(r.json, "detail"));
    CHECK(detail && strstr(detail, "1 MB") && strstr(detail, "POLIS_PHOTO_MAX_MB"),
          "413 names the limit: %s", detail ? detail : r.body);
    h_resp_free(&r);
    free(huge);
    CHECK_INT("photo rows after refused uploads", count_photos(w, id), rows);
    CHECK_INT("files after refused uploads", count_files(w, id, 1), files);

    /* up to 5, then 409 naming the limit, nothing stored */
    for (int i = (int)count_photos(w, id); i < 5; i++) {
        ha_upload(w->s, a, path, "image/jpeg", jpeg, len, &r);
        CHECK(r.status == 201, "photo %d: expected 201, found %ld %.200s", i + 1, r.status,
              r.body);
        h_resp_free(&r);
    }
    ha_upload(w->s, a, path, "image/jpeg", jpeg, len, &r);
    CHECK_PROBLEM("a sixth photo", &r, 409, NULL);
    detail = json_string_value(json_object_get(r.json, "detail"));
    CHECK(detail && strstr(detail, "5 photos"), "409 names the limit: %s",
          detail ? detail : r.body);
    h_resp_free(&r);
    CHECK_INT("photo rows after a sixth", count_photos(w, id), 5);
    CHECK_INT("files after a sixth", count_files(w, id, 1), 5);

    /* bad ids */
    snprintf(rpath, sizeof rpath, "/api/v1/reports/%ld/photos/999999999", id);
    h_get(w->s, rpath, &r);
    CHECK_INT("a photo that does not exist", r.status, 404);
    h_resp_free(&r);
    snprintf(rpath, sizeof rpath, "/api/v1/reports/%ld/photos/abc", id);
    h_get(w->s, rpath, &r);
    CHECK_PROBLEM("a photo id that is not a number", &r, 400, "photo");
    h_resp_free(&r);
    free(photo_url);
}

static void private_photo(struct world *w)
{
    struct ha_user *a = &w->u[REPORTER];
    long id = file_report(w, a, "incidents", NULL, 0);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/reports/%ld/photos", id);
    uint8_t jpeg[1024];
    size_t len = fx_jpeg_with_exif(jpeg);
    struct h_resp r;
    ha_upload(w->s, &w->u[STRANGER], path, "image/jpeg", jpeg, len, &r);
    CHECK_PROBLEM("a stranger adds a photo to a private report", &r, 404, NULL);
    h_resp_free(&r);
    ha_upload(w->s, a, path, "image/jpeg", jpeg, len, &r);
    CHECK(r.status == 201, "the reporter adds a photo to a private report: %ld %.200s",
          r.status, r.body);
    const char *u = json_string_value(json_object_get(r.json, "url"));
    char photo[128];
    snprintf(photo, sizeof photo, "%s", u ? strstr(u, "/api/") : "");
    h_resp_free(&r);

    h_get(w->s, photo, &r);
    CHECK_INT("anonymous GET of a private report's photo", r.status, 404);
    h_resp_free(&r);
    ha_call(w->s, &w->u[STRANGER], "GET", photo, NULL, &r);
    CHECK_INT("a stranger's GET of a private report's photo", r.status, 404);
    h_resp_free(&r);
    ha_call(w->s, &w->u[STAFF_TOURISM], "GET", photo, NULL, &r);
    CHECK_INT("other staff's GET of a private report's photo", r.status, 404);
    h_resp_free(&r);
    ha_call(w->s, a, "GET", photo, NULL, &r);
    CHECK_INT("the reporter's GET of their private photo", r.status, 200);
    char *cc = h_resp_header(&r, "cache-control");
    CHECK(cc && strstr(cc, "private"), "a private report's photo is Cache-Control private: %s",
          cc ? cc : "(none)");
    free(cc);
    h_resp_free(&r);
    ha_call(w->s, &w->u[STAFF_CIVIL], "GET", photo, NULL, &r);
    CHECK_INT("the department's staff GET the private photo", r.status, 200);
    CHECK_STR("media type", r.media_type, "image/jpeg");
    h_resp_free(&r);

    /* an anonymous reporter uses the report's secret */
    char secret[80];
    long anon = file_report(w, NULL, "incidents", secret, sizeof secret);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/photos", anon);
    ha_upload(w->s, NULL, path, "image/jpeg", jpeg, len, &r);
    CHECK_PROBLEM("anonymous upload without the secret", &r, 404, NULL);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/photos?secret=%s", anon, secret);
    ha_upload(w->s, NULL, path, "image/jpeg", jpeg, len, &r);
    CHECK(r.status == 201, "anonymous upload with the secret: %ld %.200s", r.status, r.body);
    long pid = (long)json_integer_value(json_object_get(r.json, "id"));
    h_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/reports/%ld/photos/%ld?secret=%s", anon, pid, secret);
    h_get(w->s, path, &r);
    CHECK_INT("anonymous GET of their photo with the secret", r.status, 200);
    h_resp_free(&r);
}

/* Eight uploads at once to a report with none: exactly five are stored
 * (rows and files), the others are 409 and leave nothing behind. */
struct racer {
    pthread_t t;
    struct world *w;
    char path[128];
    long status;
};

static void *race(void *arg)
{
    struct racer *rc = arg;
    uint8_t jpeg[1024];
    size_t len = fx_jpeg_with_exif(jpeg);
    struct h_resp r;
    ha_upload(rc->w->s, &rc->w->u[REPORTER], rc->path, "image/jpeg", jpeg, len, &r);
    rc->status = r.status;
    h_resp_free(&r);
    return NULL;
}

static void concurrent_uploads(struct world *w)
{
    long id = file_report(w, &w->u[REPORTER], "cleaning", NULL, 0);
    struct racer rc[8];
    for (int i = 0; i < 8; i++) {
        rc[i].w = w;
        snprintf(rc[i].path, sizeof rc[i].path, "/api/v1/reports/%ld/photos", id);
        pthread_create(&rc[i].t, NULL, race, &rc[i]);
    }
    int created = 0, conflict = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(rc[i].t, NULL);
        created += rc[i].status == 201;
        conflict += rc[i].status == 409;
    }
    CHECK(created == 5 && conflict == 3,
          "8 uploads at once: expected 5 created and 3 conflicts, found %d and %d", created,
          conflict);
    CHECK_INT("photo rows after 8 uploads at once", count_photos(w, id), 5);
    CHECK_INT("files after 8 uploads at once", count_files(w, id, 1), 5);
}

int main(void)
{
    h_init("test_report_photos", 240);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *url = h_shared_dburl();
    struct world w = {0};
    w.db = h_pg_connect(url);
    w.var = h_temp_dir("photos");
    char var_env[100];
    snprintf(var_env, sizeof var_env, "POLIS_VAR=%s", w.var);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_ANON_WRITE=100000", "POLIS_PHOTO_MAX_MB=1", var_env, NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    w.s = &s;
    static const char *const tags[NUSERS] = {"ph-rep", "ph-str", "ph-civil", "ph-tour"};
    for (int i = 0; i < NUSERS; i++)
        if (ha_new_user(&s, w.db, tags[i], &w.u[i]))
            return h_finish();
    ha_set_role(w.db, &w.u[STAFF_CIVIL], "staff", "civil_protection");
    ha_set_role(w.db, &w.u[STAFF_TOURISM], "staff", "tourism");

    jpeg_roundtrip(&w);
    private_photo(&w);
    concurrent_uploads(&w);

    PQfinish(w.db);
    return h_finish();
}
