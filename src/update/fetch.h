/* fetch: one HTTP(S) download of a registry file into memory with libcurl, conditional on what
 * the last download returned (ETag, Last-Modified), within a size cap and a timeout.
 *
 * Never prints and never touches the data directory: what to do with the bytes, and where the
 * validators are kept, is update_fetch.c's.
 */
#ifndef PORTINFO_FETCH_H
#define PORTINFO_FETCH_H

#include <stdbool.h>
#include <stddef.h>

/* The longest ETag or Last-Modified value kept; a longer one is not remembered. */
#define FETCH_MAX_VALIDATOR 256
/* At most this many redirects are followed, each only to https. */
#define FETCH_MAX_REDIRECTS 3

struct fetch_request {
        const char *url;
        const char *etag;          /* sent as If-None-Match; NULL or "": none */
        const char *last_modified; /* sent as If-Modified-Since; NULL or "": none */
        long timeout;              /* seconds for the whole transfer, connecting included */
        size_t max_bytes;          /* a larger body is refused */
        const char *user_agent;
};

struct fetch_result {
        char *body; /* malloc'ed; the caller frees it (fetch_result_done) */
        size_t len;
        long status;                    /* the final HTTP status; 0 when none came */
        char etag[FETCH_MAX_VALIDATOR]; /* of the final response; "" when none or unusable */
        char last_modified[FETCH_MAX_VALIDATOR];
        char error[256]; /* on failure: why, in words, without a trailing period */
};

/* Whether @url may be fetched: https to any host, plain http only to the loopback host
 * (127.0.0.1, ::1, localhost).  Returns 0, or -EINVAL with @err (@cap bytes) saying why. */
int fetch_url_allowed(const char *url, char *err, size_t cap);

/* Downloads @req->url into @ret.  Returns 0 (a 200 answer: the body in ret->body), 1 (a 304:
 * unchanged since the validators sent; no body) or a negative errno with ret->error set:
 * -EINVAL (a URL refused), -E2BIG (over max_bytes), -ETIMEDOUT, -EPROTO (an HTTP status other
 * than 200 or 304; ret->status says which), -EIO (a body cut short), -EHOSTUNREACH (name not
 * resolved, connection refused or unreachable), -ENOMEM, or -ECONNABORTED (any other transfer
 * or TLS failure).  @ret is written in every case; release it with fetch_result_done. */
int fetch_registry(const struct fetch_request *req, struct fetch_result *ret);
void fetch_result_done(struct fetch_result *r);

/* Whether @s may be sent back as a header value: printable ASCII, no CR or LF, shorter than
 * FETCH_MAX_VALIDATOR. */
bool fetch_validator_ok(const char *s);

#endif
