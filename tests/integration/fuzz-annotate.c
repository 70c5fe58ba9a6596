/* fuzz-annotate: `portinfo annotate`'s readers on any text: the tool detection, the line
 * parsers of ss, netstat (Linux and Windows) and lsof, nmap -oG lines and nmap -oX documents.
 *
 * The first byte picks the reader; the rest is the input.  Every record handed out must hold
 * terminated strings, a protocol of tcp or udp and ports from -1 to 65535.  Seeds: the recorded
 * outputs of tests/integration/fixtures/annotate/, each behind every reader byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annotate_detect.h"
#include "annotate_parse.h"
#include "annotate_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct annotate_rec *r)
{
        if (memchr(r->proto, '\0', sizeof(r->proto)) == NULL ||
            memchr(r->local_addr, '\0', sizeof(r->local_addr)) == NULL ||
            memchr(r->remote_addr, '\0', sizeof(r->remote_addr)) == NULL ||
            memchr(r->state, '\0', sizeof(r->state)) == NULL ||
            memchr(r->process, '\0', sizeof(r->process)) == NULL ||
            memchr(r->service, '\0', sizeof(r->service)) == NULL)
                abort();
        if (strcmp(r->proto, "tcp") != 0 && strcmp(r->proto, "udp") != 0)
                abort();
        if (r->local_port < -1 || r->local_port > 65535 || r->remote_port < -1 ||
            r->remote_port > 65535)
                abort();
}

static void on_port(void *ctx, const struct annotate_rec *r)
{
        (void)ctx;
        check(r);
}

/* Every line of @text through the parser of @from, as annotate_main.c feeds them. */
static void lines(enum annotate_from from, char *text, size_t len)
{
        static struct annotate_rec many[ANNOTATE_MAX_PORTS];
        struct annotate_ctx ctx = {.from = from};
        char *s = text, *end = text + len;

        while (s < end) {
                char *nl = memchr(s, '\n', (size_t)(end - s));
                size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
                struct annotate_rec r;
                int k;

                s[n] = '\0';
                if (n <= ANNOTATE_MAX_LINE) {
                        if (from == FROM_NMAP_GREP) {
                                k = annotate_parse_nmap_grep(s, many, ANNOTATE_MAX_PORTS);
                                for (int i = 0; i < k; i++)
                                        check(&many[i]);
                        } else if (annotate_parse_line(&ctx, s, &r) == 1) {
                                check(&r);
                        }
                }
                s += n + 1;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        enum annotate_from from;
        char *text;

        if (size < 1)
                return 0;
        text = malloc(size);
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        from = (enum annotate_from)(data[0] % 7);
        if (from == FROM_UNKNOWN)
                from = annotate_detect(text, size - 1);
        if (from == FROM_NMAP_XML)
                annotate_nmap_xml(text, size - 1, on_port, NULL);
        else if (from != FROM_UNKNOWN)
                lines(from, text, size - 1);
        free(text);
        return 0;
}
