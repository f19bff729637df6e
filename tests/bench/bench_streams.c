/* scripts/bench streams: opens N mailbox streams (GET /api/v1/me/stream
 * with an API key) on one server and keeps them open: prints "open N" once
 * every one has its answer (status 200 and the retry: line), then waits
 * until standard input ends and closes them all. The script reads the
 * server's RSS meanwhile.
 *   bench_streams PORT KEY N */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WAVE 100 /* streams asked for and not answered yet, at most */

static int open_stream(int port, const char *key)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET /api/v1/me/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n",
                     key);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_streams PORT KEY N\n");
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[3]);
    struct pollfd *p = calloc((size_t)n, sizeof *p);
    char *answered = calloc((size_t)n, 1);
    /* opened in waves, as clients arrive: a burst of N at once would only
     * measure the query queue (POLIS_DB_QUEUE_MAX) of the key lookups */
    int opened = 0, open = 0;
    while (open < n) {
        while (opened < n && opened - open < WAVE) {
            p[opened].fd = open_stream(port, argv[2]);
            p[opened].events = POLLIN;
            if (p[opened].fd < 0) {
                fprintf(stderr, "bench_streams: stream %d: %s\n", opened + 1, strerror(errno));
                return 1;
            }
            opened++;
        }
        if (poll(p, (nfds_t)opened, 60000) <= 0) {
            fprintf(stderr, "bench_streams: %d of %d streams answered within 60 s\n", open, n);
            return 1;
        }
        for (int i = 0; i < opened; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t got = read(p[i].fd, buf, sizeof buf - 1);
            if (got <= 0) {
                fprintf(stderr, "bench_streams: stream %d closed by the server\n", i + 1);
                return 1;
            }
            buf[got] = '\0';
            if (!answered[i] && strstr(buf, "retry: ")) { /* a 401 or 503 has none */
                answered[i] = 1;
                open++;
            } else if (!answered[i]) {
                fprintf(stderr, "bench_streams: stream %d: %.200s\n", i + 1, buf);
                return 1;
            }
        }
    }
    printf("open %d\n", open);
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0)
        ;
    for (int i = 0; i < n; i++)
        close(p[i].fd);
    return 0;
}
