/* framing: a strict reader of how HTTP/1.1 requests are framed (RFC 9112), fed a connection's
 * bytes as they arrive, in pieces of any size.  It finds where each request's head and body
 * end, refuses whatever two readers could frame differently, and says how many of the bytes
 * read so far form whole pieces a server may act on.
 *
 * It keeps no bytes (a few counters and a 64-byte scratch), reads no request's meaning (paths,
 * cookies; only whether a target is under /pl/, for the language of a refusal) and knows no
 * sockets: gate.c holds and releases the bytes for evhttp.
 */
#ifndef PORTINFO_FRAMING_H
#define PORTINFO_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The methods evhttp knows: any other is refused (501) before it reads one. */
enum framing_method {
        FRAMING_GET,
        FRAMING_HEAD,
        FRAMING_POST,
        FRAMING_PUT,
        FRAMING_DELETE,
        FRAMING_OPTIONS,
        FRAMING_TRACE,
        FRAMING_CONNECT,
        FRAMING_PATCH,
        FRAMING_UNKNOWN,
};

#define FRAMING_SCRATCH 64

/* One connection's reader.  Caller-owned; set up with framing_init, nothing to free. */
struct framing {
        uint32_t max_head; /* request line and fields, final CRLF included */
        uint64_t max_body; /* a body's length, or the sum of its chunks */
        uint8_t state;
        uint16_t status;  /* the refusal (400, 413, 414, 431, 501, 505); 0 while all is well */
        uint32_t pending; /* bytes read of the piece in progress (a head, a chunk line) */
        uint32_t head_len;
        /* The request whose head is being read. */
        uint8_t method;  /* enum framing_method */
        uint8_t version; /* 10 or 11 */
        uint8_t field;   /* the kind of field being read */
        uint8_t value;   /* where in that field's value: before, in, after */
        uint8_t n_host, n_length, n_coding;
        uint8_t scratch_len;
        uint8_t target_seen;           /* bytes of the target read, up to 4 */
        bool target_pl;                /* whether they are (the start of) "/pl/" */
        char scratch[FRAMING_SCRATCH]; /* method, version, a field name, or a coding */
        uint16_t coding_verdict;       /* 0: chunked alone; else the status to refuse with */
        uint64_t length;               /* Content-Length */
        /* The body. */
        uint64_t left; /* bytes still to come of the body, or of the chunk */
        uint64_t body; /* chunk bytes so far */
        uint8_t digits;
        unsigned long messages; /* requests read whole, bodies included */
};

/* Sets @f up for a new connection: heads up to @max_head bytes, bodies up to @max_body. */
void framing_init(struct framing *f, uint32_t max_head, uint64_t max_body);

/* Reads the next @n bytes of the connection.  Returns how many were read: all @n, or fewer
 * when one of them was refused (f->status then holds the status to answer with, and every
 * later call reads nothing).  Of all the bytes read so far, the last f->pending belong to a
 * piece not yet whole (or, after a refusal, to the refused one); every earlier byte is final:
 * a whole head, body bytes, a whole chunk line. */
size_t framing_feed(struct framing *f, const char *p, size_t n);

/* Whether the target of the request being read (or refused) begins with "/pl/", the Polish
 * pages: its refusal is then answered in Polish. */
bool framing_target_polish(const struct framing *f);

/* The reason phrase of a status framing_feed may refuse with ("Bad Request", ...). */
const char *framing_reason(int status);

#endif
