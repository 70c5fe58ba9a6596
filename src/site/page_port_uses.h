/* page_port_uses: the sections of a port's page after its official entries: the other uses,
 * the verdict, the checks, the votes and the neighbours (page_port.c lays out the page).
 *
 * Internal to src/site.  Each section formats a struct answer and decides nothing.
 */
#ifndef PORTINFO_PAGE_PORT_USES_H
#define PORTINFO_PAGE_PORT_USES_H

#include <stddef.h>

#include "answer.h"
#include "html_common.h"

/* Whether the page says "both are true": IANA assigns the port, and malware lists name it. */
static inline bool page_port_both_true(const struct answer *a)
{
        return a->verdict == ANSWER_VERDICT_BOTH_TRUE;
}

/* The assigned services as one string: "ssh", "a and b" (plain text into @out of @size). */
void page_port_services(const struct answer *a, char *out, size_t size);

/* "[n]" as a link to source @num of the page's list (nothing for 0). */
void page_port_source_ref(const struct page *pg, size_t num);

/* The "Known unofficial uses" section: the claims, how strong they are, the verdict, the
 * sources. */
void page_port_unofficial(const struct page *pg, const struct answer *a);

/* "Why unassigned ports matter" (for port 0: why it is special). */
void page_port_why(const struct page *pg, const struct answer *a);

/* How to check what is using the port, on Linux, macOS and Windows. */
void page_port_check(const struct page *pg, const struct answer *a);

/* The vote widget for @port. */
void page_port_feedback(const struct page *pg, uint16_t port);

/* Links to the ports before and after @port. */
void page_port_neighbours(const struct page *pg, uint16_t port);

#endif
