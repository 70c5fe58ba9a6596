/* term: colour decisions, sanitised printing and word wrapping for the text output.
 *
 * Widths count code points, not East Asian double widths: the data is almost all ASCII.
 */
#include "term.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Whether $TERM says the terminal takes no escape sequences and no layout. */
static bool term_is_dumb(void)
{
        const char *term = getenv("TERM");

        return term && strcmp(term, "dumb") == 0;
}

void term_init(struct term *t, FILE *out, enum color_mode mode)
{
        struct winsize ws;
        int fd = fileno(out);
        bool tty = isatty(fd), dumb = term_is_dumb();
        const char *no_color = getenv("NO_COLOR");

        t->out = out;
        /* A pipe or a dumb terminal gets each line whole, for awk, cut and grep. */
        t->width = tty && !dumb ? 80 : TERM_NO_WRAP;
        if (mode == COLOR_ALWAYS)
                t->color = true;
        else if (mode == COLOR_NEVER)
                t->color = false;
        else
                t->color = tty && !dumb && !(no_color && no_color[0] != '\0');
        if (tty && !dumb && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 && ws.ws_col < 80)
                t->width = ws.ws_col;
}

void term_style(const struct term *t, enum term_style s)
{
        static const char *const codes[] = {"\033[1m",  "\033[2m",  "\033[31m",
                                            "\033[33m", "\033[32m", "\033[36m"};

        if (t->color)
                fputs(codes[s], t->out);
}

void term_reset(const struct term *t)
{
        if (t->color)
                fputs("\033[0m", t->out);
}

static bool is_control(unsigned char c, bool keep_nl)
{
        if (c == '\n')
                return !keep_nl;
        return c < 0x20 || c == 0x7f;
}

void term_puts(const struct term *t, const char *s, bool keep_nl)
{
        const char *run = s;

        for (; *s; s++) {
                /* C1 controls arrive as UTF-8 0xc2 0x80-0x9f. */
                bool c1 = (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
                          (unsigned char)s[1] <= 0x9f;

                if (!is_control((unsigned char)*s, keep_nl) && !c1)
                        continue;
                fwrite(run, 1, (size_t)(s - run), t->out);
                fputc(*s == '\t' ? ' ' : '?', t->out);
                if (c1)
                        s++;
                run = s + 1;
        }
        fwrite(run, 1, (size_t)(s - run), t->out);
}

int term_width_of(const char *s)
{
        int w = 0;

        for (; *s; s++)
                if (((unsigned char)*s & 0xc0) != 0x80)
                        w++;
        return w;
}

/* Prints @n bytes of @s sanitised. */
static void put_n(const struct term *t, const char *s, size_t n)
{
        char buf[512];

        while (n > 0) {
                size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;

                /* Never split a UTF-8 sequence across chunks. */
                while (k < n && k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
                        k--;
                memcpy(buf, s, k);
                buf[k] = '\0';
                term_puts(t, buf, false);
                s += k;
                n -= k;
        }
}

static int width_n(const char *s, size_t n)
{
        int w = 0;

        for (size_t i = 0; i < n; i++)
                if (((unsigned char)s[i] & 0xc0) != 0x80)
                        w++;
        return w;
}

void term_wrap(const struct term *t, int col, int indent, const char *text)
{
        const char *p = text;
        bool line_empty = true;

        while (*p) {
                size_t wlen;
                int w;

                /* Unwrapped output keeps one item a line: a newline in the text is a space. */
                if (*p == '\n' && t->width != TERM_NO_WRAP) {
                        fprintf(t->out, "\n%*s", indent, "");
                        col = indent;
                        line_empty = true;
                        p++;
                        continue;
                }
                if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
                        p++;
                        continue;
                }
                wlen = strcspn(p, " \t\r\n");
                w = width_n(p, wlen);
                if (!line_empty && col + 1 + w > t->width) {
                        fprintf(t->out, "\n%*s", indent, "");
                        col = indent;
                        line_empty = true;
                }
                if (!line_empty) {
                        fputc(' ', t->out);
                        col++;
                }
                put_n(t, p, wlen);
                col += w;
                line_empty = false;
                p += wlen;
        }
        fputc('\n', t->out);
}
