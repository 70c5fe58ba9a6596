/* diag: how every portinfo program says what went wrong: one line on stderr. */
#ifndef PORTINFO_DIAG_H
#define PORTINFO_DIAG_H

/* Prints "@who: MESSAGE" and a newline to stderr (@who: "portinfo serve", say). */
void diag(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
