/* test_term: colour decisions, control-character sanitising and word wrapping.
 *
 * Output goes to memory streams; the terminal cases use a pseudo-terminal and are skipped where
 * none can be opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cmocka.h>

#include "term.h"

struct capture {
        char *buf;
        size_t len;
        FILE *f;
};

static void capture_start(struct capture *c, struct term *t, int width)
{
        c->buf = NULL;
        c->len = 0;
        c->f = open_memstream(&c->buf, &c->len);
        assert_non_null(c->f);
        term_init(t, c->f, COLOR_AUTO);
        if (width > 0)
                t->width = width;
}

/* Ends the capture and returns the text written (the caller frees it). */
static char *capture_end(struct capture *c)
{
        assert_int_equal(fclose(c->f), 0);
        return c->buf;
}

static char *puts_of(const char *s, bool keep_nl)
{
        struct capture c;
        struct term t;

        capture_start(&c, &t, 0);
        term_puts(&t, s, keep_nl);
        return capture_end(&c);
}

static void expect_puts(const char *in, bool keep_nl, const char *want)
{
        char *got = puts_of(in, keep_nl);

        if (strcmp(got, want) != 0)
                fail_msg("term_puts(\"%s\") gave \"%s\", want \"%s\"", in, got, want);
        free(got);
}

static void test_puts_sanitises(void **state)
{
        (void)state;
        expect_puts("plain text", false, "plain text");
        expect_puts("", false, "");
        expect_puts("\033[31mred\033[0m", false, "?[31mred?[0m");
        expect_puts("\033]0;title\007", false, "?]0;title?");
        expect_puts("bell\a back\b cr\r del\x7f", false, "bell? back? cr? del?");
        expect_puts("a\tb", false, "a b");
        expect_puts("one\ntwo", false, "one?two");
        expect_puts("one\ntwo", true, "one\ntwo");
        expect_puts("\x01\x1f", true, "??");
        /* C1 controls (CSI is U+009B) arrive as two UTF-8 bytes and become one '?'. */
        expect_puts("x\xc2\x9b" "31my", false, "x?31my");
        expect_puts("\xc2\x80\xc2\x9f", false, "??");
        /* Printable UTF-8 passes untouched, including U+00A0..U+00FF. */
        expect_puts("caf\xc3\xa9 \xc2\xa0 \xe2\x80\x94 \xf0\x9f\x98\x83", false,
                    "caf\xc3\xa9 \xc2\xa0 \xe2\x80\x94 \xf0\x9f\x98\x83");
        /* A lone lead byte at the end is not read past. */
        expect_puts("end\xc2", false, "end\xc2");
}

static void test_width_of(void **state)
{
        (void)state;
        assert_int_equal(term_width_of(""), 0);
        assert_int_equal(term_width_of("abc"), 3);
        assert_int_equal(term_width_of("caf\xc3\xa9"), 4);
        assert_int_equal(term_width_of("\xe2\x80\x94\xf0\x9f\x98\x83"), 2);
}

static int count_char(const char *s, char c)
{
        int n = 0;

        for (; *s; s++)
                n += *s == c;
        return n;
}

static char *wrap_of(int width, int col, int indent, const char *text)
{
        struct capture c;
        struct term t;

        capture_start(&c, &t, width);
        term_wrap(&t, col, indent, text);
        return capture_end(&c);
}

/* Checks that every line of @out fits @width columns (the first after @col already printed),
 * that continuation lines start with @indent spaces, and that @out ends with a newline. */
static void check_wrapped(const char *out, int width, int col, int indent)
{
        const char *line = out;
        int n = 0;

        assert_true(out[0] != '\0' && out[strlen(out) - 1] == '\n');
        while (*line) {
                const char *nl = strchr(line, '\n');
                size_t len = (size_t)(nl - line);
                char *copy = strndup(line, len);
                int w = term_width_of(copy) + (n == 0 ? col : 0);

                if (w > width)
                        fail_msg("line %d is %d columns wide (limit %d): \"%s\"", n, w, width,
                                 copy);
                if (n > 0 && (strspn(copy, " ") != (size_t)indent || copy[indent] == ' '))
                        fail_msg("line %d is not indented by %d: \"%s\"", n, indent, copy);
                free(copy);
                line = nl + 1;
                n++;
        }
}

static void test_wrap(void **state)
{
        static const char text[] = "The quick brown fox jumps over the lazy dog and keeps on "
                                   "running through the field until the sun goes down.";
        char *out;

        (void)state;
        out = wrap_of(80, 0, 0, "short line");
        assert_string_equal(out, "short line\n");
        free(out);

        out = wrap_of(20, 0, 0, "aaa bbb ccc ddd eee fff ggg");
        assert_string_equal(out, "aaa bbb ccc ddd eee\nfff ggg\n");
        free(out);

        out = wrap_of(20, 5, 2, "aaa bbb ccc ddd eee fff ggg");
        assert_string_equal(out, "aaa bbb ccc ddd\n  eee fff ggg\n");
        free(out);

        for (int width = 20; width <= 80; width += 7) {
                out = wrap_of(width, 9, 4, text);
                check_wrapped(out, width, 9, 4);
                free(out);
        }

        /* Runs of blanks collapse; newlines in the text start new, indented lines. */
        out = wrap_of(40, 0, 3, "one   two\tthree\n\nfour");
        assert_int_equal(strncmp(out, "one two three\n", 14), 0);
        assert_int_equal(count_char(out, '\n'), 3); /* the empty line is kept */
        assert_string_equal(out + strlen(out) - 8, "   four\n");
        free(out);

        /* A word longer than the width is not cut: it gets a line of its own. */
        out = wrap_of(20, 0, 2, "see https://example.org/a/very/long/path/indeed here");
        assert_string_equal(out, "see\n  https://example.org/a/very/long/path/indeed\n  here\n");
        free(out);

        /* Columns count code points, not bytes. */
#define E4 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" /* four e-acutes: 8 bytes, 4 columns */
        out = wrap_of(10, 0, 0, E4 " " E4 "\xc3\xa9");
        assert_string_equal(out, E4 " " E4 "\xc3\xa9\n");
        free(out);

        out = wrap_of(80, 0, 0, "");
        assert_string_equal(out, "\n");
        free(out);
}

/* Wrapped text is sanitised like term_puts, also across its internal chunking. */
static void test_wrap_sanitises(void **state)
{
        char *out, *big;

        (void)state;
        out = wrap_of(80, 0, 0, "evil \033[2Jclear \033]8;;http://x\033\\link");
        assert_null(strchr(out, '\033'));
        assert_string_equal(out, "evil ?[2Jclear ?]8;;http://x?\\link\n");
        free(out);

        /* One 2000-byte word of two-byte characters with a control character in it. */
        big = malloc(2001 + 1);
        assert_non_null(big);
        for (int i = 0; i < 1000; i++)
                memcpy(big + 2 * i, "\xc3\xa9", 2);
        big[999] = '\033';
        big[2000] = '\0';
        out = wrap_of(80, 0, 0, big);
        assert_null(strchr(out, '\033'));
        assert_int_equal(strlen(out), 2000 + 1);
        free(out);
        free(big);
}

static void test_colour_off_a_terminal(void **state)
{
        struct capture c;
        struct term t;
        char *out;

        (void)state;
        unsetenv("NO_COLOR");
        capture_start(&c, &t, 0);
        assert_false(t.color); /* a memory stream is not a terminal */
        assert_int_equal(t.width, TERM_NO_WRAP); /* nor wrapped: one item a line for a pipe */
        term_style(&t, STYLE_BOLD);
        term_puts(&t, "x", false);
        term_reset(&t);
        out = capture_end(&c);
        assert_string_equal(out, "x");
        free(out);

        c.f = open_memstream(&c.buf, &c.len);
        assert_non_null(c.f);
        term_init(&t, c.f, COLOR_ALWAYS);
        assert_true(t.color);
        term_style(&t, STYLE_RED);
        term_puts(&t, "x", false);
        term_reset(&t);
        out = capture_end(&c);
        assert_string_equal(out, "\033[31mx\033[0m");
        free(out);

        /* --color=always wins over NO_COLOR; --color=never always holds. */
        setenv("NO_COLOR", "1", 1);
        c.f = open_memstream(&c.buf, &c.len);
        assert_non_null(c.f);
        term_init(&t, c.f, COLOR_ALWAYS);
        assert_true(t.color);
        term_init(&t, c.f, COLOR_NEVER);
        assert_false(t.color);
        free(capture_end(&c));
        unsetenv("NO_COLOR");
}

/* A pseudo-terminal as the output: colour by default, off with NO_COLOR, width from the
 * terminal when it is narrower than 80. */
/* No pseudo-terminal here: the test is skipped, or under CI (CI=true) fails. */
#define no_pty()                                                                                   \
        do {                                                                                       \
                const char *ci = getenv("CI");                                                     \
                if (ci && strcmp(ci, "true") == 0)                                                 \
                        fail_msg("no pseudo-terminal under CI");                                   \
                skip();                                                                            \
        } while (0)

static void test_colour_on_a_terminal(void **state)
{
        int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), slave;
        struct winsize ws = { .ws_row = 24, .ws_col = 60 };
        const char *name;
        struct term t;
        FILE *f;

        (void)state;
        if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
            !(name = ptsname(master))) {
                if (master >= 0)
                        close(master);
                no_pty();
        }
        slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0) {
                close(master);
                no_pty();
        }
        f = fdopen(slave, "w");
        assert_non_null(f);

        unsetenv("NO_COLOR");
        term_init(&t, f, COLOR_AUTO);
        assert_true(t.color);
        term_init(&t, f, COLOR_NEVER);
        assert_false(t.color);
        setenv("NO_COLOR", "1", 1);
        term_init(&t, f, COLOR_AUTO);
        assert_false(t.color);
        setenv("NO_COLOR", "", 1); /* no-color.org: an empty value does not count */
        term_init(&t, f, COLOR_AUTO);
        assert_true(t.color);
        unsetenv("NO_COLOR");

        assert_int_equal(ioctl(slave, TIOCSWINSZ, &ws), 0);
        term_init(&t, f, COLOR_AUTO);
        assert_int_equal(t.width, 60);
        ws.ws_col = 200;
        assert_int_equal(ioctl(slave, TIOCSWINSZ, &ws), 0);
        term_init(&t, f, COLOR_AUTO);
        assert_int_equal(t.width, 80);
        ws.ws_col = 20; /* too narrow to be believed */
        assert_int_equal(ioctl(slave, TIOCSWINSZ, &ws), 0);
        term_init(&t, f, COLOR_AUTO);
        assert_int_equal(t.width, 80);

        fclose(f);
        close(master);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_puts_sanitises),
                cmocka_unit_test(test_width_of),
                cmocka_unit_test(test_wrap),
                cmocka_unit_test(test_wrap_sanitises),
                cmocka_unit_test(test_colour_off_a_terminal),
                cmocka_unit_test(test_colour_on_a_terminal),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
