/* framing: a strict, incremental reader of HTTP/1.1 request framing (RFC 9112), one byte state
 * machine over heads and chunk lines, with bodies skipped in bulk.
 *
 * What it refuses, each a way for two readers (a proxy in front, evhttp behind) to disagree on
 * where a request ends (RFC 9112 sections 2.2, 3, 5, 6 and 7; RFC 9110 section 5):
 *   - a request line other than METHOD SP TARGET SP HTTP/x.y, with single spaces, a visible
 *     ASCII target and a version of the form HTTP/DIGITS.DIGITS (else 400); a version other than
 *     1.0 and 1.1 (505); a method evhttp does not know (501);
 *   - a bare CR or LF, whitespace before a field's colon or at the start of a line (obs-fold),
 *     control characters in a field;
 *   - a Content-Length that is not plain digits, or given twice; one over the body cap (413);
 *   - a Transfer-Encoding other than "chunked" alone (400 when chunked is not its last coding,
 *     501 when a coding we do not implement comes before it), given twice, beside a
 *     Content-Length or in HTTP/1.0, or with a tab in it (evhttp trims spaces only);
 *   - no Host in HTTP/1.1, or two Hosts, or a Host that is no host[:port];
 *   - a body on HEAD or TRACE (evhttp would read it as the next request);
 *   - a chunk size with anything but hex digits (a sign, "0x", spaces, extensions: evhttp cannot
 *     read those), more than 16 digits, or a sum over the body cap; anything but CRLF after a
 *     chunk's data; trailer fields (evhttp would merge them into the header section, which RFC
 *     9110 section 6.5.1 forbids).
 * Heads are capped (414 while in the request line, 431 after).
 */
#include "framing.h"

#include <string.h>

enum state {
        ST_START,
        ST_METHOD,
        ST_TARGET,
        ST_VERSION,
        ST_LINE_LF,
        ST_FIELD,
        ST_NAME,
        ST_VALUE,
        ST_FIELD_LF,
        ST_END_LF,
        ST_BODY,
        ST_CHUNK_SIZE,
        ST_CHUNK_SIZE_LF,
        ST_CHUNK_DATA,
        ST_DATA_CR,
        ST_DATA_LF,
        ST_TRAILER,
        ST_TRAILER_LF,
        ST_REFUSED,
};

enum field { F_OTHER, F_HOST, F_LENGTH, F_CODING };
enum value { V_BEFORE, V_IN, V_AFTER };

#define MAX_CHUNK_DIGITS 16
#define NAME_TOO_LONG    0xff /* scratch_len of a field name longer than the scratch */

static const char *const method_names[FRAMING_UNKNOWN] = {
    [FRAMING_GET] = "GET",     [FRAMING_HEAD] = "HEAD",       [FRAMING_POST] = "POST",
    [FRAMING_PUT] = "PUT",     [FRAMING_DELETE] = "DELETE",   [FRAMING_OPTIONS] = "OPTIONS",
    [FRAMING_TRACE] = "TRACE", [FRAMING_CONNECT] = "CONNECT", [FRAMING_PATCH] = "PATCH",
};

/* RFC 9110 5.6.2: tchar (ALPHA, DIGIT and "!#$%&'*+-.^_`|~"), one bit per byte value. */
static const uint64_t tchar_bits[4] = {0x03ff6cfa00000000u, 0x57ffffffc7fffffeu, 0, 0};

/* RFC 3986 3.2.2-3.2.3 as Host carries them: reg-name (unreserved, pct-encoded, sub-delims),
 * IP literals in brackets and ":" before a port. */
static const uint64_t host_bits[4] = {0x2fff7ff200000000u, 0x47fffffeaffffffeu, 0, 0};

static bool is_tchar(unsigned char c)
{
        return tchar_bits[c >> 6] >> (c & 63) & 1;
}

static bool is_host_char(unsigned char c)
{
        return host_bits[c >> 6] >> (c & 63) & 1;
}

/* Visible ASCII (VCHAR): a request target's and a version's bytes. */
static bool is_visible(unsigned char c)
{
        return c > 0x20 && c < 0x7f;
}

/* RFC 9110 5.5: a field value's characters, whitespace aside: VCHAR and obs-text. */
static bool is_value_char(unsigned char c)
{
        return is_visible(c) || c >= 0x80;
}

static int hex_value(unsigned char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        c |= 0x20;
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

const char *framing_reason(int status)
{
        switch (status) {
        case 413:
                return "Content Too Large";
        case 414:
                return "URI Too Long";
        case 431:
                return "Request Header Fields Too Large";
        case 501:
                return "Not Implemented";
        case 505:
                return "HTTP Version Not Supported";
        default:
                return "Bad Request";
        }
}

void framing_init(struct framing *f, uint32_t max_head, uint64_t max_body)
{
        memset(f, 0, sizeof(*f));
        f->max_head = max_head;
        f->max_body = max_body;
        f->state = ST_START;
}

static int refuse(struct framing *f, int status)
{
        f->status = (uint16_t)status;
        f->state = ST_REFUSED;
        return status;
}

/* A piece is whole: what was read so far may be acted on. */
static void piece_done(struct framing *f)
{
        f->pending = 0;
}

static void message_done(struct framing *f)
{
        f->messages++;
        f->head_len = 0;
        f->state = ST_START;
        piece_done(f);
}

static void begin_request(struct framing *f)
{
        f->method = FRAMING_UNKNOWN;
        f->version = 0;
        f->n_host = f->n_length = f->n_coding = 0;
        f->length = 0;
        f->coding_verdict = 0;
        f->scratch_len = 0;
        f->target_seen = 0;
        f->target_pl = true;
}

/* Notes whether the target's first bytes, [@s, @end) of it, are "/pl/". */
static void target_start(struct framing *f, const unsigned char *s, const unsigned char *end)
{
        for (; s < end && f->target_seen < 4; s++)
                f->target_pl &= *s == (unsigned char)"/pl/"[f->target_seen++];
}

bool framing_target_polish(const struct framing *f)
{
        return f->target_seen == 4 && f->target_pl;
}

static bool scratch_is(const struct framing *f, const char *s)
{
        return f->scratch_len == strlen(s) && memcmp(f->scratch, s, f->scratch_len) == 0;
}

static void scratch_add(struct framing *f, unsigned char c, bool lower)
{
        if (f->scratch_len < FRAMING_SCRATCH)
                f->scratch[f->scratch_len] = (char)(lower && c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        if (f->scratch_len < NAME_TOO_LONG)
                f->scratch_len++;
}

/* At the space after the method: one evhttp knows, else 501. */
static int end_method(struct framing *f)
{
        for (int m = 0; m < FRAMING_UNKNOWN; m++)
                if (scratch_is(f, method_names[m])) {
                        f->method = (uint8_t)m;
                        f->scratch_len = 0; /* from here: whether the target has begun */
                        f->state = ST_TARGET;
                        return 0;
                }
        return refuse(f, 501);
}

/* At the CR after the version: HTTP/1.1 and HTTP/1.0 only; HTTP/DIGITS.DIGITS otherwise is a
 * version we do not speak (505), anything else no version at all (400). */
static int end_version(struct framing *f)
{
        size_t n = f->scratch_len, i = 5, major = 0, minor = 0;

        if (scratch_is(f, "HTTP/1.1") || scratch_is(f, "HTTP/1.0")) {
                f->version = (uint8_t)(f->scratch[7] == '1' ? 11 : 10);
                f->state = ST_LINE_LF;
                return 0;
        }
        if (n > FRAMING_SCRATCH || n < 8 || memcmp(f->scratch, "HTTP/", 5) != 0)
                return refuse(f, 400);
        for (; i < n && f->scratch[i] >= '0' && f->scratch[i] <= '9'; i++)
                major++;
        if (i < n && f->scratch[i] == '.')
                for (i++; i < n && f->scratch[i] >= '0' && f->scratch[i] <= '9'; i++)
                        minor++;
        return refuse(f, major && minor && i == n ? 505 : 400);
}

/* At the colon: which field this is; a second Host, Content-Length or Transfer-Encoding is
 * refused at once. */
static int begin_value(struct framing *f)
{
        f->field = F_OTHER;
        if (scratch_is(f, "host"))
                f->field = F_HOST, f->n_host++;
        else if (scratch_is(f, "content-length"))
                f->field = F_LENGTH, f->n_length++;
        else if (scratch_is(f, "transfer-encoding"))
                f->field = F_CODING, f->n_coding++;
        if (f->n_host > 1 || f->n_length > 1 || f->n_coding > 1)
                return refuse(f, 400);
        f->value = V_BEFORE;
        f->scratch_len = 0;
        f->state = ST_VALUE;
        return 0;
}

/* The Transfer-Encoding value, lower-cased and trimmed: "chunked" alone is read; a list that
 * ends in chunked names a coding evhttp cannot undo (501); anything else leaves the body's end
 * unknown (400, RFC 9112 6.3). */
static void judge_coding(struct framing *f)
{
        size_t n = f->scratch_len, i;

        if (n > FRAMING_SCRATCH) {
                f->coding_verdict = 400;
                return;
        }
        while (n > 0 && (f->scratch[n - 1] == ' ' || f->scratch[n - 1] == '\t'))
                n--;
        f->scratch_len = (uint8_t)n;
        if (scratch_is(f, "chunked")) {
                f->coding_verdict = 0;
                return;
        }
        f->coding_verdict = 400;
        for (i = n; i > 0 && f->scratch[i - 1] != ','; i--)
                ;
        if (i == 0)
                return;
        while (i < n && (f->scratch[i] == ' ' || f->scratch[i] == '\t'))
                i++;
        if (n - i == 7 && memcmp(f->scratch + i, "chunked", 7) == 0)
                f->coding_verdict = 501;
}

/* At the CR that ends a field's value. */
static int end_value(struct framing *f)
{
        if (f->field == F_LENGTH && f->value == V_BEFORE)
                return refuse(f, 400); /* empty */
        if (f->field == F_CODING)
                judge_coding(f);
        f->state = ST_FIELD_LF;
        return 0;
}

/* One byte of a field's value other than CR. */
static int value_byte(struct framing *f, unsigned char c)
{
        int d;

        if (c == '\t' && f->field == F_CODING)
                return refuse(f, 400); /* evhttp trims spaces only: it would not see chunked */
        if (c == ' ' || c == '\t') {
                if (f->value == V_IN && (f->field == F_HOST || f->field == F_LENGTH))
                        f->value = V_AFTER;
                else if (f->value != V_BEFORE && f->field == F_CODING)
                        scratch_add(f, c, false);
                return 0;
        }
        if (!is_value_char(c))
                return refuse(f, 400); /* NUL, LF, other controls, DEL */
        if (f->value == V_AFTER)
                return refuse(f, 400); /* "10 0", "a b" */
        f->value = V_IN;
        switch (f->field) {
        case F_LENGTH:
                if (c < '0' || c > '9')
                        return refuse(f, 400); /* "+10", "0x10", "1e3", "10, 10" */
                d = c - '0';
                if (f->length > (f->max_body - (uint64_t)d) / 10)
                        return refuse(f, 413);
                f->length = f->length * 10 + (uint64_t)d;
                return 0;
        case F_HOST:
                return is_host_char(c) ? 0 : refuse(f, 400);
        case F_CODING:
                scratch_add(f, c, true);
                return 0;
        default:
                return 0;
        }
}

/* The empty line: the head is whole.  Checks what takes the whole head to know, and chooses
 * how the body (if any) is read. */
static int end_head(struct framing *f)
{
        if (f->version == 11 && f->n_host != 1)
                return refuse(f, 400);
        if (f->n_coding) {
                if (f->version == 10 || f->n_length)
                        return refuse(f, 400);
                if (f->coding_verdict)
                        return refuse(f, f->coding_verdict);
        }
        if ((f->method == FRAMING_HEAD || f->method == FRAMING_TRACE) &&
            (f->n_coding || f->length > 0))
                return refuse(f, 400);
        piece_done(f);
        f->head_len = 0;
        if (f->n_coding) {
                f->state = ST_CHUNK_SIZE;
                f->body = f->left = 0;
                f->digits = 0;
        } else if (f->length > 0) {
                f->state = ST_BODY;
                f->left = f->length;
        } else {
                message_done(f);
        }
        return 0;
}

/* One byte of the request line. */
static int line_byte(struct framing *f, unsigned char c)
{
        switch (f->state) {
        case ST_START:
                if (!is_tchar(c))
                        return refuse(f, 400); /* also an empty line before the request */
                begin_request(f);
                scratch_add(f, c, false);
                f->state = ST_METHOD;
                return 0;
        case ST_METHOD:
                if (c == ' ')
                        return end_method(f);
                if (!is_tchar(c))
                        return refuse(f, 400);
                scratch_add(f, c, false);
                return 0;
        case ST_TARGET: /* the space after it; its bytes are read in bulk by step() */
                if (c != ' ' || f->scratch_len == 0)
                        return refuse(f, 400); /* a control, non-ASCII, an empty target */
                f->scratch_len = 0;
                f->state = ST_VERSION;
                return 0;
        case ST_VERSION:
                if (c == '\r')
                        return end_version(f);
                if (c <= 0x20 || c >= 0x7f)
                        return refuse(f, 400);
                scratch_add(f, c, false);
                return 0;
        default: /* ST_LINE_LF */
                if (c != '\n')
                        return refuse(f, 400);
                f->state = ST_FIELD;
                return 0;
        }
}

/* One byte of the field section. */
static int field_byte(struct framing *f, unsigned char c)
{
        switch (f->state) {
        case ST_FIELD:
                if (c == '\r') {
                        f->state = ST_END_LF;
                        return 0;
                }
                if (!is_tchar(c))
                        return refuse(f, 400); /* obs-fold, an empty name, a bare LF */
                f->scratch_len = 0;
                scratch_add(f, c, true);
                f->state = ST_NAME;
                return 0;
        case ST_NAME:
                if (c == ':')
                        return begin_value(f);
                if (!is_tchar(c))
                        return refuse(f, 400); /* whitespace before the colon, among others */
                scratch_add(f, c, true);
                return 0;
        case ST_VALUE:
                return c == '\r' ? end_value(f) : value_byte(f, c);
        case ST_FIELD_LF:
                if (c != '\n')
                        return refuse(f, 400);
                f->state = ST_FIELD;
                return 0;
        default: /* ST_END_LF */
                return c == '\n' ? end_head(f) : refuse(f, 400);
        }
}

/* One byte of a chunk line, of the CRLF after a chunk's data, or of the trailer section. */
static int chunk_byte(struct framing *f, unsigned char c)
{
        int d;

        switch (f->state) {
        case ST_CHUNK_SIZE:
                if (c == '\r' && f->digits) {
                        f->state = ST_CHUNK_SIZE_LF;
                        return 0;
                }
                d = hex_value(c);
                if (d < 0 || ++f->digits > MAX_CHUNK_DIGITS)
                        return refuse(f, 400); /* "+a", "0x0a", " a", "a;ext", "" */
                if (f->left > (f->max_body - f->body - (uint64_t)d) / 16)
                        return refuse(f, 413);
                f->left = f->left * 16 + (uint64_t)d;
                return 0;
        case ST_CHUNK_SIZE_LF:
                if (c != '\n')
                        return refuse(f, 400);
                piece_done(f);
                f->body += f->left;
                f->state = f->left ? ST_CHUNK_DATA : ST_TRAILER;
                return 0;
        case ST_DATA_CR:
                if (c != '\r')
                        return refuse(f, 400);
                f->state = ST_DATA_LF;
                return 0;
        case ST_DATA_LF:
                if (c != '\n')
                        return refuse(f, 400);
                piece_done(f);
                f->left = 0;
                f->digits = 0;
                f->state = ST_CHUNK_SIZE;
                return 0;
        case ST_TRAILER:
                if (c != '\r')
                        return refuse(f, 400); /* a trailer field */
                f->state = ST_TRAILER_LF;
                return 0;
        default: /* ST_TRAILER_LF */
                if (c != '\n')
                        return refuse(f, 400);
                message_done(f);
                return 0;
        }
}

/* Reads one byte of a head or a chunk line (@s < @end), or a run of ordinary bytes of a target
 * or of a field value that nothing looks into.  Returns how many bytes were read (at least
 * one; after a refusal, the refused byte counts as read). */
static size_t step(struct framing *f, const unsigned char *s, const unsigned char *end)
{
        const unsigned char *p = s;
        bool head = f->state <= ST_END_LF, bulk = true;

        /* A run stops at the first byte over the head cap, as one byte at a time would. */
        if (head && (size_t)(end - s) > (size_t)f->max_head + 1 - f->head_len)
                end = s + ((size_t)f->max_head + 1 - f->head_len);
        if (f->state == ST_TARGET && is_visible(*p)) {
                while (p < end && is_visible(*p))
                        p++;
                if (f->target_seen < 4)
                        target_start(f, s, p);
                f->scratch_len = 1;
        } else if (f->state == ST_VALUE && f->field == F_OTHER &&
                   (is_value_char(*p) || *p == ' ' || *p == '\t')) {
                while (p < end && (is_value_char(*p) || *p == ' ' || *p == '\t'))
                        p++;
        } else if ((f->state == ST_METHOD || f->state == ST_NAME) && is_tchar(*p)) {
                for (; p < end && is_tchar(*p); p++)
                        scratch_add(f, *p, f->state == ST_NAME);
        } else if (f->state == ST_VERSION && is_visible(*p)) {
                for (; p < end && is_visible(*p); p++)
                        scratch_add(f, *p, false);
        } else if (f->state == ST_VALUE && f->field == F_HOST && f->value != V_AFTER &&
                   is_host_char(*p)) {
                while (p < end && is_host_char(*p))
                        p++;
                f->value = V_IN;
        } else {
                p++;
                bulk = false;
        }
        f->pending += (uint32_t)(p - s);
        if (head) {
                bool line = f->state <= ST_LINE_LF;

                f->head_len += (uint32_t)(p - s);
                if (f->head_len > f->max_head) {
                        refuse(f, line ? 414 : 431);
                        return (size_t)(p - s);
                }
        }
        if (!bulk)
                (void)(f->state <= ST_LINE_LF  ? line_byte(f, *s)
                       : f->state <= ST_END_LF ? field_byte(f, *s)
                                               : chunk_byte(f, *s));
        return (size_t)(p - s);
}

size_t framing_feed(struct framing *f, const char *data, size_t n)
{
        const unsigned char *s = (const unsigned char *)data, *end = s + n;

        while (s < end && f->state != ST_REFUSED) {
                if (f->state == ST_BODY || f->state == ST_CHUNK_DATA) {
                        uint64_t avail = (uint64_t)(end - s);
                        uint64_t k = avail < f->left ? avail : f->left;

                        s += k;
                        f->left -= k;
                        if (f->left == 0 && f->state == ST_BODY)
                                message_done(f);
                        else if (f->left == 0)
                                f->state = ST_DATA_CR;
                        continue;
                }
                s += step(f, s, end);
        }
        return (size_t)(s - (const unsigned char *)data);
}
