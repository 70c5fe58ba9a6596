/* negotiate: Accept-Encoding weights, entity-tag lists and HTTP dates, read by hand (a few
 * dozen bytes each, once per request) so the hot path allocates nothing. */
#include "negotiate.h"
#include "dataage.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define Q_ONE       1000
#define Q_UNNAMED   (-1) /* not in the header */
#define Q_MALFORMED (-2)

static bool is_ows(char c)
{
        return c == ' ' || c == '\t';
}

/* A qvalue ("0", "0.5", "1.000"; RFC 9110 section 12.4.2) of @n bytes at @s as 0-1000, or
 * Q_MALFORMED. */
static int parse_qvalue(const char *s, size_t n)
{
        int q, scale = 100;

        if (n == 0 || (s[0] != '0' && s[0] != '1') || n > 5 || (n > 1 && s[1] != '.'))
                return Q_MALFORMED;
        q = (s[0] - '0') * Q_ONE;
        for (size_t i = 2; i < n; i++, scale /= 10) {
                if (s[i] < '0' || s[i] > '9')
                        return Q_MALFORMED;
                q += (s[i] - '0') * scale;
        }
        return q > Q_ONE ? Q_MALFORMED : q;
}

/* The weight in the parameters @p (@n bytes, after the coding's name): 1000 without a q. */
static int element_weight(const char *p, size_t n)
{
        int q = Q_ONE;

        while (n > 0) {
                const char *semi, *end;
                size_t len;

                while (n > 0 && (is_ows(*p) || *p == ';')) {
                        p++;
                        n--;
                }
                if (n == 0)
                        break;
                semi = memchr(p, ';', n);
                len = semi ? (size_t)(semi - p) : n;
                end = p + len;
                while (end > p && is_ows(end[-1]))
                        end--;
                if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                        q = parse_qvalue(p + 2, (size_t)(end - p - 2));
                p += len;
                n -= len;
        }
        return q;
}

enum { SLOT_ID, SLOT_GZIP, SLOT_BR, SLOT_STAR, N_SLOTS };

static int slot_of(const char *name, size_t n)
{
        static const struct {
                const char *name;
                int slot;
        } names[] = {{"identity", SLOT_ID},
                     {"gzip", SLOT_GZIP},
                     {"x-gzip", SLOT_GZIP},
                     {"br", SLOT_BR},
                     {"*", SLOT_STAR}};

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (strlen(names[i].name) == n && strncasecmp(name, names[i].name, n) == 0)
                        return names[i].slot;
        return -1;
}

/* Reads every element of @ae into @q (per slot, the highest weight given; Q_UNNAMED if none). */
static void read_weights(const char *ae, int q[N_SLOTS])
{
        const char *p = ae;

        for (int i = 0; i < N_SLOTS; i++)
                q[i] = Q_UNNAMED;
        while (*p) {
                size_t len = strcspn(p, ","), name_len;
                const char *name = p, *params;
                int slot, w;

                while (len > 0 && is_ows(*name)) {
                        name++;
                        len--;
                }
                name_len = strcspn(name, ",; \t");
                if (name_len > len)
                        name_len = len;
                params = name + name_len;
                slot = slot_of(name, name_len);
                w = element_weight(params, len - name_len);
                if (slot >= 0 && w != Q_MALFORMED && w > q[slot])
                        q[slot] = w;
                p = name + len;
                if (*p == ',')
                        p++;
        }
}

enum encoding negotiate_encoding(const char *ae, unsigned avail)
{
        static const struct {
                enum encoding enc;
                int slot;
        } order[] = {{ENC_BR, SLOT_BR}, {ENC_GZIP, SLOT_GZIP}};
        enum encoding best = ENC_IDENTITY;
        int q[N_SLOTS], best_q;

        if (!ae)
                return ENC_IDENTITY;
        read_weights(ae, q);
        /* Identity not named: acceptable (unless "*" refuses it), but below any named coding. */
        best_q = q[SLOT_ID] != Q_UNNAMED ? q[SLOT_ID] : q[SLOT_STAR] == 0 ? 0 : 1;
        for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
                int w = q[order[i].slot] != Q_UNNAMED ? q[order[i].slot] : q[SLOT_STAR];

                if (!(avail & ENC_BIT(order[i].enc)) || w <= 0)
                        continue;
                /* A tie with identity goes to the coding; br, tried first, keeps a tie with gzip.
                 */
                if (w > best_q || (w == best_q && best == ENC_IDENTITY)) {
                        best = order[i].enc;
                        best_q = w;
                }
        }
        return best;
}

const char *negotiate_etag_suffix(enum encoding e)
{
        return e == ENC_GZIP ? "-gz" : e == ENC_BR ? "-br" : "";
}

bool negotiate_etag_match(const char *inm, const char *etag)
{
        size_t elen = strlen(etag);
        const char *p = inm;

        if (!inm)
                return false;
        while (*p) {
                const char *close;

                while (*p == ',' || is_ows(*p))
                        p++;
                if (*p == '*')
                        return true;
                if (p[0] == 'W' && p[1] == '/')
                        p += 2;
                if (*p != '"')
                        break; /* not an entity tag: the rest cannot be read */
                close = strchr(p + 1, '"');
                if (!close)
                        break;
                if ((size_t)(close + 1 - p) == elen && memcmp(p, etag, elen) == 0)
                        return true;
                p = close + 1;
        }
        return false;
}

static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int negotiate_http_date(time_t t, char *out, size_t cap)
{
        struct tm tm;
        int n;

        if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0)
                return -ERANGE;
        n = snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
                     months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
        return n < 0 || (size_t)n >= cap ? -ERANGE : 0;
}

static int two_digits(const char *s, unsigned max)
{
        unsigned v;

        if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
                return -1;
        v = (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
        return v > max ? -1 : (int)v;
}

int negotiate_parse_http_date(const char *s, time_t *ret_t)
{
        int day, year_hi, year_lo, hh, mm, ss, mon = -1, wday = -1;

        /* "Sun, 06 Nov 1994 08:49:37 GMT": 29 bytes at fixed places. */
        if (!s || strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
            s[16] != ' ' || s[19] != ':' || s[22] != ':' || strcmp(s + 25, " GMT") != 0)
                return -EINVAL;
        for (int i = 0; i < 7; i++)
                if (memcmp(s, days[i], 3) == 0)
                        wday = i;
        for (int i = 0; i < 12; i++)
                if (memcmp(s + 8, months[i], 3) == 0)
                        mon = i;
        day = two_digits(s + 5, 31);
        year_hi = two_digits(s + 12, 99);
        year_lo = two_digits(s + 14, 99);
        hh = two_digits(s + 17, 23);
        mm = two_digits(s + 20, 59);
        ss = two_digits(s + 23, 60);
        if (wday < 0 || mon < 0 || day < 1 || year_hi < 0 || year_lo < 0 || hh < 0 || mm < 0 ||
            ss < 0)
                return -EINVAL;
        *ret_t = (time_t)dataage_days_from_civil(year_hi * 100 + year_lo, (unsigned)mon + 1,
                                                 (unsigned)day) *
                     86400 +
                 hh * 3600 + mm * 60 + ss;
        return 0;
}
