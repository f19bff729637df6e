/* polis mail send [--once]: delivers the outbox over SMTP
 * (jobs/mail_sender.h) outside the server, e.g. from cron (--once) or as a
 * service of its own. It and any number of servers may send at the same
 * time: each message is claimed by one of them.
 *
 * polis mail digest [--now]: writes the daily digest mails that are due
 * (jobs/digest.h) into the outbox, once; the sender delivers them. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "http/config.h"
#include "jobs/digest.h"
#include "jobs/mail_sender.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis mail send [--once]\n"
            "       polis mail digest [--now]\n"
            "\n"
            "send: sends the outbox's pending messages to POLIS_SMTP_URL (smtp:// or smtps://,\n"
            "from POLIS_MAIL_FROM), recording each server's answer; a message not accepted\n"
            "is retried with a growing delay until POLIS_MAIL_GIVE_UP_AFTER_S (default two\n"
            "days) after it was written, then marked failed.\n"
            "\n"
            "  --once   send what is due now, then exit (1 when the database failed)\n"
            "Without --once it keeps sending every few seconds until SIGTERM or SIGINT.\n"
            "\n"
            "digest: writes today's digest mail of every user with notifications they chose\n"
            "to get daily, once a day per user, from POLIS_DIGEST_HOUR (Europe/Athens,\n"
            "default 7) on; `polis serve` does the same every minute.\n"
            "\n"
            "  --now    whatever the hour (still once a day per user)\n");
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

static int cmd_mail_send(int argc, char **argv)
{
    int once = argc == 3 && !strcmp(argv[2], "--once");
    if (argc > 2 && !once) {
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

static int cmd_mail_digest(int argc, char **argv)
{
    int now = argc == 3 && !strcmp(argv[2], "--now");
    if (argc > 2 && !now) {
        usage(stderr);
        return 2;
    }
    struct polis_config cfg;
    if (cli_config("polis mail digest", &cfg))
        return 2;
    if (!*cfg.public_url) {
        fprintf(stderr, "polis mail digest: POLIS_PUBLIC_URL is not set; expected the address "
                "people reach polis at (the links in the mail start with it), such as "
                "https://polis.example.gr\n");
        return 2;
    }
    PGconn *db = cli_connect("polis mail digest");
    if (!db)
        return 1;
    struct digest_counts counts;
    char err[1024];
    int rc = digest_send_due(db, &cfg, now, &counts, err, sizeof err);
    PQfinish(db);
    if (rc)
        return cli_failed("polis mail digest", err);
    printf("polis mail digest: %ld mails listing %ld notifications\n", counts.mails,
           counts.items);
    return 0;
}

int cmd_mail(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    if (argc >= 2 && !strcmp(argv[1], "send"))
        return cmd_mail_send(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "digest"))
        return cmd_mail_digest(argc, argv);
    usage(stderr);
    return 2;
}
