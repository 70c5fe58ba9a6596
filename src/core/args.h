/* args: getopt_long held to portinfo's command lines, which never guessed.
 *
 * getopt_long takes "--js" for "--json", "-jh" for "-j -h" and "-5" for an option; portinfo's
 * commands refuse the first two and read "-5" as a (bad) port.  Options and operands come back
 * in the order given.  Prints nothing (opterr is 0): every message is the caller's.
 */
#ifndef PORTINFO_ARGS_H
#define PORTINFO_ARGS_H

#include <getopt.h>
#include <stdbool.h>

#include "term.h"

#define ARGS_NUMERIC_OPERANDS 0x1u /* "-5", "-1-3": operands, not options */

enum {
        ARGS_END = -1,      /* no arguments left */
        ARGS_DASHDASH = -2, /* "--": the operands start at next */
        ARGS_OPERAND = 1,   /* an operand, in arg */
        ARGS_MISSING = ':', /* the option at at needs a value and is last */
        ARGS_UNKNOWN = '?', /* argv[at] is not an option here (or has a value it takes none of) */
};

struct args {
        int argc;
        char **argv;
        const struct option *longs;
        unsigned flags;
        char optstring[32];
        bool started;
        int at;          /* where the last answer came from */
        int next;        /* the next argument to read */
        const char *arg; /* the option's value (NULL: none) or the operand */
};

/* Prepares to read @argv (@argc of them, argv[0] being the program) with the short options
 * @shorts (letters without values) and the long options @longs (zero-terminated, as for
 * getopt_long; give long-only options a val of 256 or more).  Borrows all of them. */
void args_init(struct args *a, int argc, char **argv, const char *shorts,
               const struct option *longs, unsigned flags);

/* Reads the next argument.  Returns an option's val (a short option's letter) with a->arg its
 * value, ARGS_OPERAND, ARGS_UNKNOWN, ARGS_MISSING, ARGS_DASHDASH or ARGS_END. */
int args_next(struct args *a);

/* Takes the next argument as the value of the option just read if it is one of the
 * NULL-terminated @words ("--color always"); returns it, or NULL (nothing taken). */
const char *args_take_word(struct args *a, const char *const *words);

/* --color's (or --colour's) value @v ("--color=WHEN"), else the next argument when it is one of
 * its words ("--color WHEN"), else auto, into *ret.  Returns 0, or -EINVAL for another word
 * (the caller says "--color takes auto, always or never"). */
int args_color(struct args *a, const char *v, enum color_mode *ret);

#endif
