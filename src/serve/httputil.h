/* httputil: the small parsers and checks the web server needs, as pure functions.
 *
 * Text in, verdicts out: no sockets, no libevent, no allocation, so each can be unit-tested
 * and fuzzed on its own.  Every output is bounded by a capacity the caller gives.
 */
#ifndef PORTINFO_HTTPUTIL_H
#define PORTINFO_HTTPUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"

/* Parses a listen address: "ADDR:PORT" (IPv4), "[ADDR]:PORT" (IPv6) or a bare "PORT" (meaning
 * 127.0.0.1).  ADDR must be numeric; PORT is 0-65535 (0: any free port).  Returns 0, or -EINVAL
 * for anything else.  *ret_addr and *ret_len are written only on success. */
int httputil_parse_listen(const char *s, struct sockaddr_storage *ret_addr, socklen_t *ret_len);

/* Formats @sa as "1.2.3.4:80" or "[::1]:80" into @out (at least 64 bytes).  Returns @out. */
char *httputil_format_addr(const struct sockaddr *sa, char *out, size_t cap);

/* Percent-decodes @n bytes of @s into @out (capacity @cap, NUL-terminated); with @plus, '+'
 * becomes a space (form and query values).  Returns 0 and the decoded length in *ret_len,
 * -EINVAL for a malformed escape or an encoded NUL, -E2BIG when @out is too small. */
int httputil_decode(const char *s, size_t n, bool plus, char *out, size_t cap, size_t *ret_len);

/* Finds field @name in an application/x-www-form-urlencoded string (a form body or a URL
 * query) of @n bytes and decodes its value into @out.  Returns 0, -ENOENT (absent), -EINVAL
 * (malformed, or the field given twice) or -E2BIG (value longer than @cap - 1). */
int httputil_form_field(const char *s, size_t n, const char *name, char *out, size_t cap);

/* Parses a port number as it appears in a URL path segment of @n bytes (parse_port_n: decimal
 * digits only, 0-65535, leading zeros allowed).  *ret_canonical says whether the text was
 * already the canonical form (no leading zeros).  Returns 0, -EINVAL (not digits) or -ERANGE
 * (above 65535); the outputs are written only on success. */
int httputil_parse_port(const char *s, size_t n, uint16_t *ret_port, bool *ret_canonical);

/* Copies the voter id from a Cookie header ("voter=<32 hex>") into @out (33 bytes).  Returns
 * true when a well-formed one is there. */
bool httputil_cookie_voter(const char *cookie, char out[33]);

/* Whether a state-changing request may proceed: refused when Sec-Fetch-Site says cross-site or
 * same-site, or when an Origin header is present and does not name @host (the Host header;
 * default ports 80 and 443 are equivalent to none).  A request with neither header (not from
 * a browser) passes: it cannot carry someone else's cookie. */
bool httputil_same_origin(const char *origin, const char *host, const char *sec_fetch_site);

/* Whether a Referer header names a Polish page (a path under /pl/) on @host. */
bool httputil_referer_is_polish(const char *referer, const char *host);

/* Whether an Accept header asks for JSON ("application/json" among its types). */
bool httputil_accepts_json(const char *accept);

/* Appends @uri to @b for the access log: printable ASCII other than space, quote and backslash
 * is kept, every other byte becomes %XX, and at most @max input bytes are used ("..." marks a
 * cut).  A log reader can then split lines on whitespace safely. */
void httputil_log_uri(struct buf *b, const char *uri, size_t max);

/* Classifies a static file path (the part after "/static/", still percent-encoded) and decodes
 * it into @out: only [A-Za-z0-9._-] segments separated by '/', none empty or starting with a
 * dot.  Returns 0, -EINVAL (traversal, encoded separators, NUL, hidden files or any other
 * character) or -E2BIG. */
int httputil_static_path(const char *s, size_t n, char *out, size_t cap);

/* True when @s (@n bytes) is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
bool httputil_utf8_valid(const char *s, size_t n);

#endif
