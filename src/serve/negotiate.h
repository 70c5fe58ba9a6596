/* negotiate: which encoding of an answer a client gets (Accept-Encoding) and whether it already
 * has it (If-None-Match, If-Modified-Since), as pure functions of header text.
 *
 * No sockets, no libevent, no allocation: each is unit-tested on its own.
 */
#ifndef PORTINFO_NEGOTIATE_H
#define PORTINFO_NEGOTIATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The content codings the server keeps, in order of preference when a client rates them the
 * same (brotli is smaller than gzip for the same page). */
enum encoding { ENC_IDENTITY, ENC_GZIP, ENC_BR, ENC_COUNT };

#define ENC_BIT(e) (1u << (e))

/* The encoding to send for the Accept-Encoding header @ae (NULL: none, identity) among those in
 * @avail (ENC_BIT mask; identity is always available).  RFC 9110 section 12.5.3: each coding
 * has a weight ("q=0" refuses it), "*" stands for every coding not named, and identity is
 * acceptable unless refused by name or by "*;q=0" (then identity is still what is sent: the
 * server has nothing else).  The highest weight wins; ties go to br, then gzip, then identity;
 * an identity not named counts as the lowest acceptable weight.  Case-insensitive; "x-gzip" is
 * gzip.  A malformed element is ignored. */
enum encoding negotiate_encoding(const char *ae, unsigned avail);

/* The ETag suffix that tells encodings apart: "", "-gz", "-br". */
const char *negotiate_etag_suffix(enum encoding e);

/* Whether the If-None-Match header @inm (a list of entity tags, or "*") names @etag (quoted,
 * e.g. "\"abc\"") under the weak comparison (RFC 9110 section 13.1.2: a W/ prefix on either
 * side is ignored). */
bool negotiate_etag_match(const char *inm, const char *etag);

/* Writes @t as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") into @out (at least 30
 * bytes).  Returns 0, or -ERANGE when it does not fit or @t cannot be shown. */
int negotiate_http_date(time_t t, char *out, size_t cap);

/* Parses an IMF-fixdate (the form every current client sends in If-Modified-Since).  Returns
 * 0 and the time in *ret_t, or -EINVAL. */
int negotiate_parse_http_date(const char *s, time_t *ret_t);

#endif
