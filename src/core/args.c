/* args: getopt_long in order, without abbreviations, clusters or negative numbers as options.
 *
 * glibc keeps getopt's state in globals; each args_init starts it afresh, so one process may
 * read several command lines one after the other (never two at once).
 */
#include "args.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void args_init(struct args *a, int argc, char **argv, const char *shorts,
               const struct option *longs, unsigned flags)
{
        *a = (struct args){.argc = argc, .argv = argv, .longs = longs, .flags = flags, .next = 1};
        /* "-": operands come back in order (no permutation); ":": a missing value is told
         * apart from an unknown option. */
        snprintf(a->optstring, sizeof(a->optstring), "-:%s", shorts);
}

/* The long option @s ("--name" or "--name=value") names exactly, or NULL. */
static const struct option *exact_long(const struct args *a, const char *s)
{
        size_t n = strcspn(s + 2, "=");

        for (const struct option *o = a->longs; o && o->name; o++)
                if (strlen(o->name) == n && strncmp(o->name, s + 2, n) == 0)
                        return o;
        return NULL;
}

/* Restarts glibc's getopt for this option string: optind 0 makes it read the string again. */
static void start(struct args *a)
{
        static char prog[] = "portinfo";
        char *none[] = {prog, NULL};

        opterr = 0;
        optind = 0;
        getopt_long(1, none, a->optstring, a->longs, NULL);
        optind = 1;
        a->started = true;
}

int args_next(struct args *a)
{
        const struct option *o;
        const char *s;
        int c, idx = -1;

        if (!a->started)
                start(a);
        a->at = optind;
        a->arg = NULL;
        if (optind >= a->argc)
                return ARGS_END;
        s = a->argv[optind];
        if (s[0] == '-' && s[1] != '-' && s[1] != '\0') {
                if ((a->flags & ARGS_NUMERIC_OPERANDS) && s[1] >= '0' && s[1] <= '9') {
                        a->next = ++optind;
                        a->arg = s;
                        return ARGS_OPERAND;
                }
                if (s[2] != '\0' || s[1] == ':' || !strchr(a->optstring + 2, s[1])) {
                        a->next = ++optind;
                        return ARGS_UNKNOWN;
                }
        }
        c = getopt_long(a->argc, a->argv, a->optstring, a->longs, &idx);
        a->next = optind;
        a->arg = optarg;
        if (c == -1)
                return a->at < a->argc ? ARGS_DASHDASH : ARGS_END;
        if (c == 1 || s[1] != '-')
                return c == ':' ? ARGS_MISSING : c;
        /* A long option: only its whole name counts. */
        o = exact_long(a, s);
        if (o && c == ':')
                return ARGS_MISSING;
        if (!o || c == '?' || (idx >= 0 && &a->longs[idx] != o)) {
                a->next = optind = a->at + 1;
                a->arg = NULL;
                return ARGS_UNKNOWN;
        }
        return c;
}

const char *args_take_word(struct args *a, const char *const *words)
{
        const char *s = optind < a->argc ? a->argv[optind] : NULL;

        for (; s && *words; words++)
                if (strcmp(s, *words) == 0) {
                        a->next = ++optind;
                        return s;
                }
        return NULL;
}

int args_color(struct args *a, const char *v, enum color_mode *ret)
{
        static const char *const words[] = {"auto", "always", "never", NULL};

        if (!v)
                v = args_take_word(a, words);
        if (!v || strcmp(v, "auto") == 0)
                *ret = COLOR_AUTO;
        else if (strcmp(v, "always") == 0)
                *ret = COLOR_ALWAYS;
        else if (strcmp(v, "never") == 0)
                *ret = COLOR_NEVER;
        else
                return -EINVAL;
        return 0;
}
