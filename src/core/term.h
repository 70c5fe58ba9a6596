/* term: what the terminal can take (colour, width) and word-wrapped, sanitised text output.
 *
 * Data from the registry is printed only through these functions, which replace control
 * characters so that no registry text can drive the terminal.
 */
#ifndef PORTINFO_TERM_H
#define PORTINFO_TERM_H

#include <stdbool.h>
#include <stdio.h>

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct term {
        FILE *out;
        bool color;
        int width; /* wrap column, at most 80; TERM_NO_WRAP: never wrap */
};

#define TERM_NO_WRAP 1000000

/* Decides colour and width for @out: colour only on a terminal whose TERM is not "dumb", never
 * with NO_COLOR set (unless COLOR_ALWAYS); width 80 or the terminal's, whichever is smaller, and
 * no wrapping at all when @out is not a terminal or TERM is "dumb". */
void term_init(struct term *t, FILE *out, enum color_mode mode);

enum term_style { STYLE_BOLD, STYLE_DIM, STYLE_RED, STYLE_YELLOW, STYLE_GREEN, STYLE_CYAN };

/* Starts/ends a style (nothing without colour). */
void term_style(const struct term *t, enum term_style s);
void term_reset(const struct term *t);

/* Prints @s with control characters replaced by '?' (newlines kept when @keep_nl). */
void term_puts(const struct term *t, const char *s, bool keep_nl);

/* Prints @text word-wrapped: the first line continues at column @col (the caller has already
 * printed that much), later lines start with @indent spaces.  Newlines in @text start new lines
 * (with TERM_NO_WRAP they are spaces: one item a line).
 * Ends with a newline. */
void term_wrap(const struct term *t, int col, int indent, const char *text);

/* The display width of UTF-8 @s, counting each code point as one column. */
int term_width_of(const char *s);

#endif
