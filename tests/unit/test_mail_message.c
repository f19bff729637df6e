/* notify/smtp_message.c: what a mail client reads. A Greek subject of any
 * length becomes encoded-words that never split a character and lines that
 * stay short; the HTML part made from a text escapes it; headers refuse
 * line breaks; threading and one-click unsubscribe appear only when asked.
 * And the mail settings of http/config.c refuse what cannot work. */
#include "check.h"
#include "http/config.h"
#include "notify/smtp_message.h"

#include <sodium.h>
#include <stdlib.h>

/* the subject as a reader sees it: every encoded-word decoded, in order;
 * *split counts words that start inside a character */
static void decode_subject(const char *mail, char *out, size_t outlen, int *split)
{
    size_t len = 0;
    *split = 0;
    for (const char *w = strstr(mail, "=?UTF-8?B?"); w; w = strstr(w, "=?UTF-8?B?")) {
        w += 10;
        const char *end = strstr(w, "?=");
        size_t n = 0;
        if (!end || sodium_base642bin((unsigned char *)out + len, outlen - len - 1, w,
                                      (size_t)(end - w), NULL, &n, NULL,
                                      sodium_base64_VARIANT_ORIGINAL))
            break;
        if (n && ((unsigned char)out[len] & 0xc0) == 0x80)
            ++*split;
        len += n;
        w = end;
    }
    out[len] = '\0';
}

static size_t longest_line(const char *mail, int *bare_lf)
{
    size_t longest = 0;
    *bare_lf = 0;
    for (const char *p = mail; *p;) {
        size_t n = strcspn(p, "\n");
        if (p[n] == '\n' && (n == 0 || p[n - 1] != '\r'))
            ++*bare_lf;
        longest = n > longest ? n : longest;
        p += n + (p[n] == '\n');
    }
    return longest;
}

static struct mail_message base(void)
{
    static const char text[] =
        "Line one\n<script>alert(1)</script> & \"quotes\"\nhttps://polis.example/a?x=1&y=2\n";
    return (struct mail_message){.from = "polis@serres.example", .to = "citizen@example.gr",
                                 .subject = "Hello", .text = text,
                                 .message_id = "outbox-7@serres.example"};
}

static void subjects(void)
{
    char err[256], decoded[2048];
    int split, bare_lf;
    struct mail_message m = base();
    char *mail = mail_message_compose(&m, err, sizeof err);
    CHECK(mail && strstr(mail, "\r\nSubject: Hello\r\n"));
    free(mail);

    static const char greek[] =
        "Το αίτημά σας για τη λακκούβα στην οδό Μεραρχίας απαντήθηκε από το τμήμα "
        "καθαριότητας του Δήμου Σερρών — ευχαριστούμε";
    m.subject = greek;
    mail = mail_message_compose(&m, err, sizeof err);
    CHECK(mail != NULL);
    if (!mail)
        return;
    decode_subject(mail, decoded, sizeof decoded, &split);
    CHECK_STR(decoded, greek);
    CHECK_INT(split, 0);
    CHECK(longest_line(mail, &bare_lf) <= 78);
    CHECK_INT(bare_lf, 0);
    CHECK(strstr(mail, "Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n") != NULL);
    free(mail);
}

static void parts_and_headers(void)
{
    char err[256];
    struct mail_message m = base();
    char *mail = mail_message_compose(&m, err, sizeof err);
    CHECK(mail && strstr(mail, "Message-ID: <outbox-7@serres.example>\r\n"));
    CHECK(mail && !strstr(mail, "List-Unsubscribe"));
    CHECK(mail && !strstr(mail, "In-Reply-To"));
    /* the HTML part, decoded */
    const char *html64 = mail ? strstr(mail, "text/html; charset=utf-8\r\n") : NULL;
    html64 = html64 ? strstr(html64, "\r\n\r\n") : NULL;
    static unsigned char html[4096];
    size_t n = 0;
    CHECK(html64 && !sodium_base642bin(html, sizeof html - 1, html64 + 4, strcspn(html64 + 4, "-"),
                                       "\r\n", &n, NULL, sodium_base64_VARIANT_ORIGINAL));
    html[n] = '\0';
    CHECK(strstr((char *)html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    CHECK(!strstr((char *)html, "<script>"));
    CHECK(strstr((char *)html, "<a href=\"https://polis.example/a?x=1&amp;y=2\">") != NULL);
    free(mail);

    m.thread_root = "report-12@serres.example";
    m.list_unsubscribe = "https://polis.example/api/v1/unsubscribe?token=t";
    mail = mail_message_compose(&m, err, sizeof err);
    CHECK(mail && strstr(mail, "\r\nIn-Reply-To: <report-12@serres.example>\r\n"
                               "References: <report-12@serres.example>\r\n"));
    CHECK(mail && strstr(mail, "\r\nList-Unsubscribe: "
                               "<https://polis.example/api/v1/unsubscribe?token=t>\r\n"
                               "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
    free(mail);

    m = base();
    m.subject = "Hi\r\nBcc: everyone@example.gr";
    CHECK(mail_message_compose(&m, err, sizeof err) == NULL);
    CHECK(strstr(err, "subject") != NULL);
    m = base();
    m.to = "a@example.gr\nBcc: b@example.gr";
    CHECK(mail_message_compose(&m, err, sizeof err) == NULL);
    CHECK(strstr(err, "recipient") != NULL);
    CHECK_STR(mail_address_domain("polis@serres.example"), "serres.example");
}

static int load(const char *url, const char *from, char *err, size_t errlen)
{
    struct polis_config cfg;
    setenv("POLIS_SMTP_URL", url, 1);
    setenv("POLIS_MAIL_FROM", from, 1);
    return config_load(&cfg, err, errlen);
}

static void settings(void)
{
    char err[512];
    unsetenv("POLIS_LISTEN");
    CHECK_INT(load("smtp://127.0.0.1:25", "polis@serres.example", err, sizeof err), 0);
    CHECK_INT(load("smtps://u:p@mail.example:465", "polis@serres.example", err, sizeof err), 0);
    CHECK_INT(load("", "", err, sizeof err), 0);
    CHECK_INT(load("http://mail.example", "polis@serres.example", err, sizeof err), -1);
    CHECK(strstr(err, "POLIS_SMTP_URL") != NULL);
    CHECK_INT(load("smtp://127.0.0.1:25", "", err, sizeof err), -1);
    CHECK(strstr(err, "POLIS_MAIL_FROM") != NULL);
    CHECK_INT(load("smtp://127.0.0.1:25", "Polis <polis@serres.example>", err, sizeof err), -1);
    CHECK(strstr(err, "POLIS_MAIL_FROM") != NULL);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    subjects();
    parts_and_headers();
    settings();
    return check_summary();
}
