/* polis mail send [--once]: delivers the outbox over SMTP
 * (jobs/mail_sender.h) outside the server, e.g. from cron (--once) or as a
 * service of its own. It and any number of servers may send at the same
 * time: each message is claimed by one of them. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "http/config.h"
#include "jobs/mail_sender.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis mail send [--once]\n"
            "\n"
            "Sends the outbox's pending messages to POLIS_SMTP_URL (smtp:// or smtps://,\n"
            "from POLIS_MAIL_FROM), recording each server's answer; a message not accepted\n"
            "is retried with a growing delay until POLIS_MAIL_GIVE_UP_AFTER_S (default two\n"
            "days) after it was written, then marked failed.\n"
            "\n"
            "  --once   send what is due now, then exit (1 when the database failed)\n"
            "Without --once it keeps sending every few seconds until SIGTERM or SIGINT.\n");
}

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int send_once(const struct polis_config *cfg)
{
    PGconn *db = cli_connect("polis mail send");
    if (!db)
        return 1;
    struct mail_round counts = {0};
    char err[1024];
    int rc = mail_send_due(db, cfg, stderr, &counts, err, sizeof err);
    PQfinish(db);
    printf("polis mail send: %ld sent, %ld to retry, %ld failed\n", counts.sent,
           counts.retrying, counts.failed);
    return rc ? cli_failed("polis mail send", err) : 0;
}

int cmd_mail(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    int once = argc == 3 && !strcmp(argv[2], "--once");
    if (argc < 2 || strcmp(argv[1], "send") || (argc > 2 && !once)) {
        usage(stderr);
        return 2;
    }
    struct polis_config cfg;
    if (cli_config("polis mail send", &cfg))
        return 2;
    if (!*cfg.smtp_url) {
        fprintf(stderr, "polis mail send: POLIS_SMTP_URL is not set; expected the SMTP "
                "server to send through, such as smtp://127.0.0.1:25\n");
        return 2;
    }
    if (once)
        return send_once(&cfg);
    struct sigaction sa = {.sa_handler = on_stop};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    mail_sender_loop(&cfg, &stop_requested, stderr);
    return 0;
}
