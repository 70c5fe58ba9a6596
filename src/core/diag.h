/* diag: how every portinfo program says what went wrong: one line on stderr. */
#ifndef PORTINFO_DIAG_H
#define PORTINFO_DIAG_H

/* Prints "@who: MESSAGE" and a newline to stderr (@who: "portinfo serve", say). */
void diag(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Names the command this process answers ("who", "serve"; NULL for portinfo itself), so that
 * every message reads "portinfo CMD: ...".  @cmd is borrowed: a string literal or argv. */
void diag_set_command(const char *cmd);

/* "portinfo CMD", or "portinfo" when no command was named. */
const char *diag_who(void);

/* Prints "portinfo CMD: MESSAGE" (diag_who) and a newline to stderr. */
void diag_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "portinfo CMD: warning: MESSAGE" and a newline to stderr. */
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
