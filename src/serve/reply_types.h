/* reply_types: the size of an answer's head and the security headers every answer carries, as
 * a worker holds them (types and constants only: reply.c writes them, server.h keeps them).
 */
#ifndef PORTINFO_REPLY_TYPES_H
#define PORTINFO_REPLY_TYPES_H

#include <stddef.h>

#include "http_config.h"

/* The Content-Security-Policy names the vote URL twice (connect-src, form-action); the header
 * lines around it take less than 192 bytes more. */
#define REPLY_CSP_MAX   (256 + 2 * (HTTP_MAX_URL + 2))
#define REPLY_GUARD_MAX (REPLY_CSP_MAX + 448)
/* Plus Content-Type, Cache-Control, Content-Length, Content-Encoding, Vary, ETag,
 * Last-Modified and X-Robots-Tag. */
#define REPLY_HEAD_MAX (REPLY_GUARD_MAX + 512)

/* The security headers every answer carries, as header lines: written as one block right after
 * each status line (reply_on_output), and for answers evhttp writes itself followed by
 * "Cache-Control: no-store" (len covers both, security_len the first). */
struct reply_guard {
        char lines[REPLY_GUARD_MAX];
        size_t len, security_len;
};

#endif
