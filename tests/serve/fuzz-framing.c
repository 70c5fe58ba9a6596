/* fuzz-framing: the strict reader of request framing (framing.c), fed a connection's bytes.
 *
 * The first byte picks where the rest is cut in two; the rest is what a client sent.  What must
 * hold: the verdict, the requests read whole and the bytes left pending are the same whether
 * the bytes come at once, cut in two or one by one; a refusal is one of the statuses the gate
 * answers with; what is pending stays within the head cap; and the bytes the reader calls
 * final (all read but the pending ones), read again on their own, are whole requests with
 * nothing pending and no refusal.  Small caps, so that inputs reach them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD_MAX 512
#define BODY_MAX 4096

/* A failed check aborts, so that libFuzzer and the replay both see it. */
#define FUZZ_CHECK(cond)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)

static size_t feed_all(struct framing *f, const char *s, size_t n, size_t cut, bool bytewise)
{
        size_t used = 0;

        framing_init(f, HEAD_MAX, BODY_MAX);
        if (bytewise) {
                for (size_t i = 0; i < n && !f->status; i++)
                        used += framing_feed(f, s + i, 1);
                return used;
        }
        used = framing_feed(f, s, cut);
        if (!f->status)
                used += framing_feed(f, s + cut, n - cut);
        return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct framing a, b, c, d;
        const char *s;
        size_t n, cut, used, final;

        if (size == 0)
                return 0;
        s = (const char *)data + 1;
        n = size - 1;
        cut = n ? data[0] % (n + 1) : 0;
        used = feed_all(&a, s, n, n, false);
        FUZZ_CHECK(used <= n);
        FUZZ_CHECK(a.status || used == n);
        FUZZ_CHECK(a.pending <= used);
        FUZZ_CHECK(a.pending <= HEAD_MAX + 1 || a.status);
        FUZZ_CHECK(a.status == 0 || a.status == 400 || a.status == 413 || a.status == 414 ||
                   a.status == 431 || a.status == 501 || a.status == 505);
        FUZZ_CHECK(framing_reason(a.status) != NULL);

        FUZZ_CHECK(feed_all(&b, s, n, cut, false) == used);
        FUZZ_CHECK(b.status == a.status && b.messages == a.messages && b.pending == a.pending);
        FUZZ_CHECK(feed_all(&c, s, n, 0, true) == used);
        FUZZ_CHECK(c.status == a.status && c.messages == a.messages && c.pending == a.pending);

        /* What was final, alone: whole requests and nothing pending. */
        final = used - a.pending;
        feed_all(&d, s, final, final, false);
        FUZZ_CHECK(d.status == 0);
        FUZZ_CHECK(d.pending == 0);
        FUZZ_CHECK(d.messages == a.messages);
        return 0;
}
