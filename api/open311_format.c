#include "api/open311_format.h"

#include "common/textbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int open311_split_format(const char *segment, char *name, size_t namelen,
                         enum open311_format *format)
{
    const char *dot = strrchr(segment, '.');
    if (!dot || dot == segment || (size_t)(dot - segment) >= namelen)
        return -1;
    if (!strcmp(dot, ".json"))
        *format = OPEN311_JSON;
    else if (!strcmp(dot, ".xml"))
        *format = OPEN311_XML;
    else
        return -1;
    memcpy(name, segment, (size_t)(dot - segment));
    name[dot - segment] = '\0';
    return 0;
}

/* The element name of one item of the array called name. */
static const char *singular(const char *name)
{
    static const char *const pairs[][2] = {
        {"services", "service"},       {"service_requests", "request"},
        {"attributes", "attribute"},   {"values", "value"},
        {"errors", "error"},           {"endpoints", "endpoint"},
        {"formats", "format"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (!strcmp(name, pairs[i][0]))
            return pairs[i][1];
    return "item";
}

static void xml_text(struct textbuf *t, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': textbuf_printf(t, "&lt;"); break;
        case '>': textbuf_printf(t, "&gt;"); break;
        case '&': textbuf_printf(t, "&amp;"); break;
        case '"': textbuf_printf(t, "&quot;"); break;
        default:
            /* XML 1.0 forbids most control characters, even escaped */
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t' || *s == '\r')
                textbuf_printf(t, "%c", *s);
        }
    }
}

static void xml_value(struct textbuf *t, const char *name, const json_t *v)
{
    if (json_is_null(v)) {
        textbuf_printf(t, "<%s/>", name);
        return;
    }
    textbuf_printf(t, "<%s>", name);
    if (json_is_object(v)) {
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)v, key, member)
            xml_value(t, key, member);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
            xml_value(t, singular(name), item);
    } else if (json_is_string(v)) {
        xml_text(t, json_string_value(v));
    } else if (json_is_integer(v)) {
        textbuf_printf(t, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        textbuf_printf(t, "%.15g", json_real_value(v));
    } else {
        textbuf_printf(t, "%s", json_is_true(v) ? "true" : "false");
    }
    textbuf_printf(t, "</%s>", name);
}

char *open311_render(const json_t *value, const char *root, enum open311_format format)
{
    if (format == OPEN311_JSON)
        return json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    struct textbuf t = {0};
    textbuf_printf(&t, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml_value(&t, root, value);
    textbuf_printf(&t, "\n");
    return t.buf;
}
