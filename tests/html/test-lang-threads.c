/* test-lang-threads: the page language follows each call, not the process, under threads.
 *
 * Eight threads render port, search and error pages at the same time, each alternating English
 * and Polish in its own rhythm, and check every page is wholly in the language it asked for.
 * Also checks Polish plural forms and that a render leaves the caller's locale as it found it.
 */
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portdb_embedded.h"
#include "render_html.h"

#define THREADS  8
#define ROUNDS   150
#define PAGE_MAX (1024u * 1024)

static struct portdb db;
static pthread_barrier_t start;
static int failures;
static pthread_mutex_t failures_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((format(printf, 1, 2))) static void failed(const char *fmt, ...)
{
        va_list ap;

        pthread_mutex_lock(&failures_lock);
        if (failures++ < 20) {
                va_start(ap, fmt);
                vfprintf(stderr, fmt, ap);
                va_end(ap);
                fputc('\n', stderr);
        }
        pthread_mutex_unlock(&failures_lock);
}

/* Whether @page is entirely in @lang, judged by strings each language must and must not show. */
static void judge(const char *page, enum lang lang, const char *what, unsigned round)
{
        static const char *const must[LANG_COUNT][2] = {
            {"<html lang=\"en\">", "Ports by range"},
            {"<html lang=\"pl\">", "Porty według zakresów"},
        };

        for (int i = 0; i < 2; i++) {
                if (!strstr(page, must[lang][i]))
                        failed("%s page in round %u lacks its language's text", what, round);
                if (strstr(page, must[!lang][i]))
                        failed("%s page in round %u has the other language's text", what, round);
        }
}

static void *worker(void *arg)
{
        unsigned id = (unsigned)(uintptr_t)arg;
        struct portdb_hit hit = {1776, 1, 3};
        locale_t before = uselocale((locale_t)0);

        pthread_barrier_wait(&start);
        for (unsigned r = 0; r < ROUNDS; r++) {
                enum lang lang = ((r / (id + 1)) + id) % 2 ? LANG_PL : LANG_EN;
                struct html_ctx ctx = {
                    .lang = lang, .site_name = "Connected", .vote_action = "", .my_vote = -1};
                struct buf b;
                int ret;

                buf_init(&b, PAGE_MAX);
                switch (r % 3) {
                case 0:
                        ret = render_html_port(&b, &db, (uint16_t)(1776 + r), &ctx);
                        break;
                case 1:
                        ret = render_html_search(&b, &db, "femis", &hit, 1, &ctx);
                        break;
                default:
                        ret = render_html_error(&b, 404, &ctx);
                        break;
                }
                if (ret < 0)
                        failed("render failed with %s in round %u", strerror(-ret), r);
                else
                        judge(b.data, lang,
                              r % 3 == 0   ? "port"
                              : r % 3 == 1 ? "search"
                                           : "error",
                              r);
                buf_done(&b);
                if (uselocale((locale_t)0) != before)
                        failed("round %u left the thread in another locale", r);
        }
        return NULL;
}

/* The Polish plural of "N ports match": 1 port, 2-4 porty, 5-21 portów, 22-24 porty, ... (a
 * no-break space between the number and its noun) */
static void plurals(void)
{
        static const struct {
                size_t n;
                const char *want;
        } cases[] = {
            {1, "1\u00a0port pasuje"},        {2, "2\u00a0porty pasują"},
            {4, "4\u00a0porty pasują"},       {5, "5\u00a0portów pasuje"},
            {12, "12\u00a0portów pasuje"},    {21, "21\u00a0portów pasuje"},
            {22, "22\u00a0porty pasują"},     {101, "101\u00a0portów pasuje"},
            {101, "Pokazano pierwszych 100"},
        };
        static struct portdb_hit hits[101];
        struct html_ctx ctx = {
            .lang = LANG_PL, .site_name = "Connected", .vote_action = "", .my_vote = -1};

        for (size_t i = 0; i < sizeof(hits) / sizeof(hits[0]); i++)
                hits[i] = (struct portdb_hit){(uint16_t)(1000 + i), 1, 3};
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct buf b;

                buf_init(&b, PAGE_MAX);
                if (render_html_search(&b, &db, "x", hits, cases[i].n, &ctx) < 0 ||
                    !strstr(b.data, cases[i].want))
                        failed("Polish plural: no \"%s\" for %zu hits", cases[i].want, cases[i].n);
                buf_done(&b);
        }
}

int main(void)
{
        pthread_t t[THREADS];

        portdb_open_embedded(&db);
        plurals();
        if (pthread_barrier_init(&start, NULL, THREADS) != 0)
                return 99;
        for (unsigned i = 0; i < THREADS; i++)
                if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) != 0)
                        return 99;
        for (unsigned i = 0; i < THREADS; i++)
                pthread_join(t[i], NULL);
        pthread_barrier_destroy(&start);
        if (failures) {
                fprintf(stderr, "%d failures\n", failures);
                return 1;
        }
        printf("%d threads x %d pages in alternating languages: all in the language asked for\n",
               THREADS, ROUNDS);
        return 0;
}
