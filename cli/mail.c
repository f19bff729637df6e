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

static int mail_send(const struct polis_config *cfg, int once)
{
    if (!*cfg->smtp_url) {
        fprintf(stderr, "polis mail send: POLIS_SMTP_URL is not set; expected the SMTP "
                "server to send through, such as smtp://127.0.0.1:25\n");
        return 2;
    }
    if (once)
        return send_once(cfg);
    struct sigaction sa = {.sa_handler = on_stop};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    mail_sender_loop(cfg, &stop_requested, stderr);
    return 0;
}

static int mail_digest(const struct polis_config *cfg, int now)
{
    if (!*cfg->public_url) {
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
    int rc = digest_send_due(db, cfg, now, &counts, err, sizeof err);
    PQfinish(db);
    if (rc)
        return cli_failed("polis mail digest", err);
    printf("polis mail digest: %ld mails listing %ld notifications\n", counts.mails,
           counts.items);
    return 0;
}

/* Each subcommand takes one optional flag and runs on the configuration. */
static const struct mail_subcommand {
    const char *name, *cmd, *flag;
    int (*run)(const struct polis_config *cfg, int flag_given);
} subcommands[] = {
    {"send", "polis mail send", "--once", mail_send},
    {"digest", "polis mail digest", "--now", mail_digest},
};

int cmd_mail(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    for (size_t i = 0; argc >= 2 && i < sizeof subcommands / sizeof subcommands[0]; i++) {
        const struct mail_subcommand *sub = &subcommands[i];
        if (strcmp(argv[1], sub->name))
            continue;
        int flag_given = argc == 3 && !strcmp(argv[2], sub->flag);
        if (argc > 2 && !flag_given)
            break;
        struct polis_config cfg;
        if (cli_config(sub->cmd, &cfg))
            return 2;
        return sub->run(&cfg, flag_given);
    }
    usage(stderr);
    return 2;
}
