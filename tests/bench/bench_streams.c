/* scripts/bench streams: mailbox streams (GET /api/v1/me/stream with an
 * API key) on one server.
 *
 *   bench_streams PORT KEY N
 *     opens N streams and keeps them open: prints "open N" once every one
 *     has its answer (status 200 and the retry: line), then waits until
 *     standard input ends and closes them all. The script reads the
 *     server's RSS meanwhile.
 *
 *   bench_streams latency PORT KEYFILE RATE SECONDS BODY
 *     commit-to-client latency: opens one stream per key of KEYFILE (one key
 *     a line: staff of the department the reports go to), then files
 *     reports (POST /api/v1/reports with BODY, its "%LAT%" replaced) at a
 *     steady RATE per second for SECONDS, and times, for every report and
 *     every stream, the moment the stream's event for that report arrives
 *     against the moment its 201 arrived (the commit). Prints one line of
 *     key=value figures: reports filed, events expected (filed x streams),
 *     received, duplicates, p50/p99/max latency in ms. */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WAVE 100 /* streams asked for and not answered yet, at most */

static int connect_local(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int open_stream(int port, const char *key)
{
    int fd = connect_local(port);
    if (fd < 0)
        return -1;
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET /api/v1/me/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n",
                     key);
    if (n >= (int)sizeof req || write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Opens one stream per key and waits until each has answered with its
 * retry: line (a 401 or 503 has none). Returns 0, or -1 after saying why. */
static int open_streams(int port, char **keys, int n, struct pollfd *p)
{
    char *answered = calloc((size_t)n, 1);
    /* opened in waves, as clients arrive: a burst of N at once would only
     * measure the query queue (POLIS_DB_QUEUE_MAX) of the key lookups */
    int opened = 0, open = 0;
    while (open < n) {
        while (opened < n && opened - open < WAVE) {
            p[opened].fd = open_stream(port, keys[opened]);
            p[opened].events = POLLIN;
            if (p[opened].fd < 0) {
                fprintf(stderr, "bench_streams: stream %d: %s\n", opened + 1, strerror(errno));
                return -1;
            }
            opened++;
        }
        if (poll(p, (nfds_t)opened, 60000) <= 0) {
            fprintf(stderr, "bench_streams: %d of %d streams answered within 60 s\n", open, n);
            return -1;
        }
        for (int i = 0; i < opened; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t got = read(p[i].fd, buf, sizeof buf - 1);
            if (got <= 0) {
                fprintf(stderr, "bench_streams: stream %d closed by the server\n", i + 1);
                return -1;
            }
            buf[got] = '\0';
            if (!answered[i] && strstr(buf, "retry: ")) {
                answered[i] = 1;
                open++;
            } else if (!answered[i]) {
                fprintf(stderr, "bench_streams: stream %d: %.200s\n", i + 1, buf);
                return -1;
            }
        }
    }
    free(answered);
    return 0;
}

static int hold_open(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_streams PORT KEY N\n");
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[3]);
    struct pollfd *p = calloc((size_t)n, sizeof *p);
    char **keys = calloc((size_t)n, sizeof *keys);
    for (int i = 0; i < n; i++)
        keys[i] = argv[2];
    if (open_streams(port, keys, n, p) < 0)
        return 1;
    printf("open %d\n", n);
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0)
        ;
    for (int i = 0; i < n; i++)
        close(p[i].fd);
    return 0;
}

/* ---- latency ---- */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* A stream's bytes after its headers: HTTP/1.1 chunks around SSE lines. */
struct stream {
    int fd;
    int in_body;        /* the response headers are behind us */
    long chunk_left;    /* bytes of the current chunk still to come; -1: a size line next */
    char line[8192];    /* the SSE line being assembled */
    size_t line_len;
    char size_line[32]; /* the chunk-size line being assembled */
    size_t size_len;
    int skip_crlf;      /* the CRLF after a chunk's data */
    char head[4096];    /* the response headers being assembled */
    size_t head_len;
    int answered;       /* its retry: line came: the server holds it open */
};

struct report {
    long id;
    double created_ms; /* its 201 arrived */
};

struct event {
    long report_id;
    double at_ms;
};

static struct report *reports;
static size_t nreports, reports_cap;
static struct event *events;
static size_t nevents, events_cap;

static void event_add(long report_id, double at)
{
    if (nevents == events_cap) {
        events_cap = events_cap ? events_cap * 2 : 65536;
        events = realloc(events, events_cap * sizeof *events);
        if (!events) {
            fprintf(stderr, "bench_streams: out of memory\n");
            exit(1);
        }
    }
    events[nevents++] = (struct event){report_id, at};
}

/* An SSE line of a stream: "data: {...}" of an inbox event names its report. */
static void sse_line(struct stream *s, const char *line, double at)
{
    if (!strncmp(line, "retry: ", 7))
        s->answered = 1;
    if (strncmp(line, "data: ", 6))
        return;
    const char *r = strstr(line, "\"report_id\":");
    if (!r)
        return;
    event_add(strtol(r + strlen("\"report_id\":"), NULL, 10), at);
}

static void sse_byte(struct stream *s, char c, double at)
{
    if (c == '\n') {
        s->line[s->line_len] = '\0';
        sse_line(s, s->line, at);
        s->line_len = 0;
    } else if (s->line_len + 1 < sizeof s->line) {
        s->line[s->line_len++] = c;
    }
}

/* Feeds bytes read from a stream; returns -1 on a response that is no stream. */
static int stream_feed(struct stream *s, const char *buf, size_t n, double at)
{
    size_t i = 0;
    while (i < n && !s->in_body) {
        if (s->head_len + 1 >= sizeof s->head)
            return -1;
        s->head[s->head_len++] = buf[i++];
        s->head[s->head_len] = '\0';
        if (s->head_len >= 4 && !memcmp(s->head + s->head_len - 4, "\r\n\r\n", 4)) {
            if (strncmp(s->head, "HTTP/1.1 200", 12) || !strstr(s->head, "chunked"))
                return -1;
            s->in_body = 1;
            s->chunk_left = -1;
        }
    }
    while (i < n) {
        char c = buf[i++];
        if (s->skip_crlf) {
            if (c == '\n')
                s->skip_crlf = 0;
        } else if (s->chunk_left < 0) {
            if (c == '\n') {
                s->size_line[s->size_len] = '\0';
                s->chunk_left = strtol(s->size_line, NULL, 16);
                s->size_len = 0;
                if (s->chunk_left == 0)
                    return -1; /* the server ended the stream */
            } else if (c != '\r' && s->size_len + 1 < sizeof s->size_line) {
                s->size_line[s->size_len++] = c;
            }
        } else {
            sse_byte(s, c, at);
            if (--s->chunk_left == 0) {
                s->chunk_left = -1;
                s->skip_crlf = 1;
            }
        }
    }
    return 0;
}

/* A keep-alive connection that files reports, one request at a time. */
struct filer {
    int fd;
    int busy;
    char resp[8192];
    size_t resp_len;
};

static int filer_send(struct filer *f, const char *body, double lat)
{
    char json[2048], req[4096];
    const char *at = strstr(body, "%LAT%");
    if (!at)
        return -1;
    snprintf(json, sizeof json, "%.*s%.6f%s", (int)(at - body), body, lat, at + 5);
    int n = snprintf(req, sizeof req,
                     "POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     strlen(json), json);
    if (n >= (int)sizeof req || write(f->fd, req, (size_t)n) != n)
        return -1;
    f->busy = 1;
    f->resp_len = 0;
    return 0;
}

/* Bytes of a filing's answer; a whole 201 records the report. Returns -1
 * on anything but a 201. */
static int filer_feed(struct filer *f, const char *buf, size_t n, double at)
{
    if (f->resp_len + n + 1 > sizeof f->resp)
        return -1;
    memcpy(f->resp + f->resp_len, buf, n);
    f->resp_len += n;
    f->resp[f->resp_len] = '\0';
    char *end = strstr(f->resp, "\r\n\r\n");
    if (!end)
        return 0;
    char *cl = strcasestr(f->resp, "content-length:");
    if (!cl || cl > end)
        return -1;
    size_t want = (size_t)(end + 4 - f->resp) + (size_t)strtoul(cl + 15, NULL, 10);
    if (f->resp_len < want)
        return 0;
    if (strncmp(f->resp, "HTTP/1.1 201", 12)) {
        fprintf(stderr, "bench_streams: a filing answered %.200s\n", f->resp);
        return -1;
    }
    char *id = strstr(end, "\"id\":");
    if (!id)
        return -1;
    if (nreports == reports_cap) {
        reports_cap = reports_cap ? reports_cap * 2 : 4096;
        reports = realloc(reports, reports_cap * sizeof *reports);
        if (!reports)
            return -1;
    }
    reports[nreports++] = (struct report){strtol(id + 5, NULL, 10), at};
    f->busy = 0;
    f->resp_len = 0;
    return 0;
}

static int cmp_report(const void *a, const void *b)
{
    long x = ((const struct report *)a)->id, y = ((const struct report *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define FILERS 16        /* connections filing; a send finding all busy is late */
#define DRAIN_MS 15000.0 /* after the last filing, wait this long for the last events */

static int latency(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: bench_streams latency PORT KEYFILE RATE SECONDS BODY\n");
        return 2;
    }
    int port = atoi(argv[2]);
    double rate = atof(argv[4]), seconds = atof(argv[5]);
    const char *body = argv[6];
    FILE *kf = fopen(argv[3], "r");
    if (!kf) {
        fprintf(stderr, "bench_streams: %s: %s\n", argv[3], strerror(errno));
        return 1;
    }
    char **keys = NULL, line[256];
    int nkeys = 0;
    while (fgets(line, sizeof line, kf)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        keys = realloc(keys, (size_t)(nkeys + 1) * sizeof *keys);
        keys[nkeys++] = strdup(line);
    }
    fclose(kf);
    if (!nkeys) {
        fprintf(stderr, "bench_streams: no keys in %s\n", argv[3]);
        return 1;
    }
    /* the streams first, then the filers, in one poll set */
    struct pollfd *p = calloc((size_t)nkeys + FILERS, sizeof *p);
    struct stream *streams = calloc((size_t)nkeys, sizeof *streams);
    struct filer filers[FILERS];
    memset(filers, 0, sizeof filers);
    int opened = 0, answered = 0;
    while (answered < nkeys) { /* in waves, as in hold_open */
        while (opened < nkeys && opened - answered < WAVE) {
            streams[opened].fd = p[opened].fd = open_stream(port, keys[opened]);
            p[opened].events = POLLIN;
            if (p[opened].fd < 0) {
                fprintf(stderr, "bench_streams: stream %d: %s\n", opened + 1, strerror(errno));
                return 1;
            }
            opened++;
        }
        if (poll(p, (nfds_t)opened, 60000) <= 0) {
            fprintf(stderr, "bench_streams: %d of %d streams answered within 60 s\n", answered,
                    nkeys);
            return 1;
        }
        for (int i = 0; i < opened; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t got = read(p[i].fd, buf, sizeof buf);
            int was = streams[i].answered;
            if (got <= 0 || stream_feed(&streams[i], buf, (size_t)got, now_ms()) < 0) {
                fprintf(stderr, "bench_streams: stream %d: no stream (%.200s)\n", i + 1,
                        streams[i].head);
                return 1;
            }
            answered += streams[i].answered - was;
        }
    }
    nevents = 0; /* events before the filing are not ours */
    for (int i = 0; i < nkeys; i++)
        fcntl(p[i].fd, F_SETFL, O_NONBLOCK);
    /* the filers connect when first needed: the server closes a connection
     * that sends no request for a while (and then they connect again) */
    for (int i = 0; i < FILERS; i++) {
        filers[i].fd = p[nkeys + i].fd = -1;
        p[nkeys + i].events = POLLIN;
    }
    srand(7);
    long sent = 0, late = 0;
    double start = now_ms(), stop_filing = start + seconds * 1e3, last_201 = start;
    for (;;) {
        double t = now_ms();
        /* every filing due by now that a free connection can take */
        while (t < stop_filing && sent < (long)((t - start) * rate / 1e3) + 1) {
            int f = 0;
            while (f < FILERS && filers[f].busy)
                f++;
            if (f == FILERS) {
                late++; /* skipped: counted, so that a slow server shows */
                sent++;
                continue;
            }
            if (filers[f].fd < 0)
                filers[f].fd = p[nkeys + f].fd = connect_local(port);
            if (filers[f].fd < 0 ||
                filer_send(&filers[f], body, 41.07 + (double)(rand() % 40000) / 1e6) < 0) {
                fprintf(stderr, "bench_streams: a filing could not be sent\n");
                return 1;
            }
            sent++;
        }
        int busy = 0;
        for (int f = 0; f < FILERS; f++)
            busy += filers[f].busy;
        size_t expected = (nreports) * (size_t)nkeys;
        if (t >= stop_filing && !busy && (nevents >= expected || t - last_201 > DRAIN_MS))
            break;
        double next = start + (double)sent * 1e3 / rate;
        int wait = t < stop_filing ? (int)(next - t) + 1 : 50;
        if (wait < 0)
            wait = 0;
        if (poll(p, (nfds_t)(nkeys + FILERS), wait) < 0 && errno != EINTR)
            return 1;
        double at = now_ms();
        for (int i = 0; i < nkeys + FILERS; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[65536];
            ssize_t got = read(p[i].fd, buf, sizeof buf);
            if (got < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (got <= 0 && i >= nkeys && !filers[i - nkeys].busy) {
                close(p[i].fd); /* an idle filer the server let go */
                filers[i - nkeys].fd = p[i].fd = -1;
                continue;
            }
            if (got <= 0) {
                fprintf(stderr, "bench_streams: %s %d closed by the server\n",
                        i < nkeys ? "stream" : "filer", i < nkeys ? i + 1 : i - nkeys);
                return 1;
            }
            if (i < nkeys ? stream_feed(&streams[i], buf, (size_t)got, at)
                          : filer_feed(&filers[i - nkeys], buf, (size_t)got, at)) {
                fprintf(stderr, "bench_streams: unexpected bytes on %s %d\n",
                        i < nkeys ? "stream" : "filer", i < nkeys ? i + 1 : i - nkeys);
                return 1;
            }
            if (i >= nkeys && !filers[i - nkeys].busy)
                last_201 = at;
        }
    }
    /* match each event with its report: latency from the 201 */
    qsort(reports, nreports, sizeof *reports, cmp_report);
    unsigned short *count = calloc(nreports ? nreports : 1, sizeof *count);
    double *lat = malloc((nevents ? nevents : 1) * sizeof *lat);
    size_t nlat = 0, duplicates = 0, foreign = 0;
    for (size_t e = 0; e < nevents; e++) {
        struct report key = {events[e].report_id, 0};
        struct report *r = bsearch(&key, reports, nreports, sizeof *reports, cmp_report);
        if (!r) {
            foreign++; /* an event of a report not filed here */
            continue;
        }
        count[r - reports]++;
        lat[nlat++] = events[e].at_ms - r->created_ms;
    }
    size_t expected = nreports * (size_t)nkeys, complete = 0;
    for (size_t r = 0; r < nreports; r++) {
        if (count[r] > (unsigned)nkeys)
            duplicates += count[r] - (size_t)nkeys;
        complete += count[r] == (unsigned)nkeys;
    }
    qsort(lat, nlat, sizeof *lat, cmp_double);
    double p50 = nlat ? lat[nlat / 2] : 0, p99 = nlat ? lat[(size_t)((double)nlat * 0.99)] : 0;
    double max = nlat ? lat[nlat - 1] : 0, elapsed = (stop_filing - start) / 1e3;
    printf("streams=%d filed=%zu rate=%.1f late=%ld expected=%zu received=%zu duplicates=%zu "
           "reports_complete=%zu foreign=%zu p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
           nkeys, nreports, (double)nreports / elapsed, late, expected, nlat, duplicates, complete,
           foreign, p50, p99, max);
    for (int i = 0; i < nkeys; i++)
        close(streams[i].fd);
    for (int i = 0; i < FILERS; i++)
        if (filers[i].fd >= 0)
            close(filers[i].fd);
    return nlat == expected && !duplicates ? 0 : 3;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "latency"))
        return latency(argc, argv);
    return hold_open(argc, argv);
}
