/* ELOT 743 transliteration and accent folding of monotonic Greek. */
#include "gis/translit.h"

#include <stdint.h>

/* What a Greek code point is, stripped of accent and case. */
struct gl {
    uint32_t base; /* lowercase, unaccented letter (ς kept as ς); 0 = not Greek */
    int upper;
    int accent;
    int diaer;
};

/* Decodes one UTF-8 sequence at s. Returns the bytes consumed (0 at the
 * terminating NUL); malformed input yields cp = 0xFFFD and consumes 1 byte. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, c = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, c = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return n;
}

int utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    size_t n;
    while ((n = decode(p, &cp)) > 0) {
        if (cp == 0xFFFD && !(n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD))
            return 0;
        p += n;
    }
    return 1;
}

/* Classifies a code point of the Greek and Coptic block (monotonic only). */
static struct gl greek(uint32_t cp)
{
    struct gl g = {0, 0, 0, 0};
    if (cp >= 0x0391 && cp <= 0x03A9 && cp != 0x03A2) {
        g.base = cp + 0x20, g.upper = 1;
    } else if (cp >= 0x03B1 && cp <= 0x03C9) {
        g.base = cp;
    } else {
        switch (cp) {
        case 0x0386: g.base = 0x03B1, g.upper = 1, g.accent = 1; break; /* Ά */
        case 0x0388: g.base = 0x03B5, g.upper = 1, g.accent = 1; break; /* Έ */
        case 0x0389: g.base = 0x03B7, g.upper = 1, g.accent = 1; break; /* Ή */
        case 0x038A: g.base = 0x03B9, g.upper = 1, g.accent = 1; break; /* Ί */
        case 0x038C: g.base = 0x03BF, g.upper = 1, g.accent = 1; break; /* Ό */
        case 0x038E: g.base = 0x03C5, g.upper = 1, g.accent = 1; break; /* Ύ */
        case 0x038F: g.base = 0x03C9, g.upper = 1, g.accent = 1; break; /* Ώ */
        case 0x0390: g.base = 0x03B9, g.accent = 1, g.diaer = 1; break; /* ΐ */
        case 0x03AA: g.base = 0x03B9, g.upper = 1, g.diaer = 1; break; /* Ϊ */
        case 0x03AB: g.base = 0x03C5, g.upper = 1, g.diaer = 1; break; /* Ϋ */
        case 0x03AC: g.base = 0x03B1, g.accent = 1; break;             /* ά */
        case 0x03AD: g.base = 0x03B5, g.accent = 1; break;             /* έ */
        case 0x03AE: g.base = 0x03B7, g.accent = 1; break;             /* ή */
        case 0x03AF: g.base = 0x03B9, g.accent = 1; break;             /* ί */
        case 0x03B0: g.base = 0x03C5, g.accent = 1, g.diaer = 1; break; /* ΰ */
        case 0x03CA: g.base = 0x03B9, g.diaer = 1; break;              /* ϊ */
        case 0x03CB: g.base = 0x03C5, g.diaer = 1; break;              /* ϋ */
        case 0x03CC: g.base = 0x03BF, g.accent = 1; break;             /* ό */
        case 0x03CD: g.base = 0x03C5, g.accent = 1; break;             /* ύ */
        case 0x03CE: g.base = 0x03C9, g.accent = 1; break;             /* ώ */
        default: break;
        }
    }
    return g;
}

/* Bounded output that still counts what it would have written. */
struct sink {
    char *out;
    size_t cap;
    size_t n;
};

static void put(struct sink *k, char c)
{
    if (k->n + 1 < k->cap)
        k->out[k->n] = c;
    k->n++;
}

static void put_bytes(struct sink *k, const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        put(k, (char)s[i]);
}

static size_t finish(struct sink *k)
{
    if (k->cap > 0)
        k->out[k->n < k->cap ? k->n : k->cap - 1] = '\0';
    return k->n;
}

static char cased(char c, int upper)
{
    return upper && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Writes a Latin string for one letter: all caps when the word is written in
 * capitals (ΘΕΣΗ -> THESI), only the first capital in Title Case (Θέση -> Thesi). */
static void put_latin(struct sink *k, const char *lat, int upper, int all_caps)
{
    for (size_t i = 0; lat[i]; i++)
        put(k, cased(lat[i], upper && (i == 0 || all_caps)));
}

static int is_vowel(uint32_t b)
{
    return b == 0x03B1 || b == 0x03B5 || b == 0x03B7 || b == 0x03B9 || b == 0x03BF ||
           b == 0x03C5 || b == 0x03C9;
}

/* β γ δ ζ λ μ ν ρ: after them αυ/ευ/ηυ read as av/ev/iv */
static int is_voiced(uint32_t b)
{
    return b == 0x03B2 || b == 0x03B3 || b == 0x03B4 || b == 0x03B6 || b == 0x03BB ||
           b == 0x03BC || b == 0x03BD || b == 0x03C1;
}

/* Single-letter mappings; the context rules (υ, μπ, γγ) are in the caller. */
static const char *latin_of(uint32_t b)
{
    static const char *const tab[] = {
        "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o",
        "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o",
    }; /* α β γ δ ε ζ η θ ι κ λ μ ν ξ ο π ρ ς σ τ υ φ χ ψ ω */
    return b >= 0x03B1 && b <= 0x03C9 ? tab[b - 0x03B1] : "?";
}

size_t translit_elot743(const char *in, char *out, size_t outlen)
{
    struct sink k = {out, outlen, 0};
    const unsigned char *p = (const unsigned char *)in;
    struct gl prev = {0, 0, 0, 0};
    uint32_t cp;
    size_t n;
    while ((n = decode(p, &cp)) > 0) {
        struct gl cur = greek(cp);
        if (!cur.base) {
            if (cp == 0xFFFD && n == 1)
                put(&k, '?');
            else
                put_bytes(&k, p, n);
            prev = cur;
            p += n;
            continue;
        }
        uint32_t cp1 = 0, cp2 = 0;
        size_t n1 = decode(p + n, &cp1);
        struct gl next = n1 ? greek(cp1) : (struct gl){0, 0, 0, 0};
        struct gl next2 = {0, 0, 0, 0};
        if (next.base && decode(p + n + n1, &cp2))
            next2 = greek(cp2);
        int all_caps = cur.upper && (next.base ? next.upper : prev.base && prev.upper);
        size_t adv = n;
        uint32_t b = cur.base;

        if (b == 0x03C5) { /* υ: part of ου / αυ ευ ηυ, or y */
            int diphthong = prev.base && !prev.accent && !prev.diaer && !cur.diaer;
            if (diphthong && prev.base == 0x03BF) {
                put(&k, cased('u', cur.upper));
            } else if (diphthong && (prev.base == 0x03B1 || prev.base == 0x03B5 ||
                                     prev.base == 0x03B7)) {
                int v = next.base && (is_vowel(next.base) || is_voiced(next.base));
                put(&k, cased(v ? 'v' : 'f', cur.upper));
            } else {
                put(&k, cased('y', cur.upper));
            }
        } else if (b == 0x03BC && next.base == 0x03C0 && (!prev.base || !next2.base)) {
            /* μπ at the start or the end of a word is b (inside it is mp) */
            put(&k, cased('b', cur.upper));
            adv += n1;
            cur = next;
        } else if (b == 0x03B3 &&
                   (next.base == 0x03B3 || next.base == 0x03BE || next.base == 0x03C7)) {
            put(&k, cased('n', cur.upper)); /* γγ ng, γξ nx, γχ nch */
        } else {
            put_latin(&k, latin_of(b), cur.upper, all_caps);
        }
        prev = cur;
        p += adv;
    }
    return finish(&k);
}

/* Encodes a code point below U+0800 (all this file ever writes) as UTF-8. */
static void put_cp(struct sink *k, uint32_t cp)
{
    if (cp < 0x80) {
        put(k, (char)cp);
    } else {
        put(k, (char)(0xC0 | (cp >> 6)));
        put(k, (char)(0x80 | (cp & 0x3F)));
    }
}

size_t translit_fold(const char *in, char *out, size_t outlen)
{
    struct sink k = {out, outlen, 0};
    const unsigned char *p = (const unsigned char *)in;
    uint32_t cp;
    size_t n;
    while ((n = decode(p, &cp)) > 0) {
        struct gl g = greek(cp);
        if (g.base)
            put_cp(&k, g.base == 0x03C2 ? 0x03C3 : g.base);
        else if (cp >= 'A' && cp <= 'Z')
            put(&k, (char)(cp - 'A' + 'a'));
        else if (cp == 0xFFFD && n == 1)
            put(&k, '?');
        else
            put_bytes(&k, p, n);
        p += n;
    }
    return finish(&k);
}

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}
