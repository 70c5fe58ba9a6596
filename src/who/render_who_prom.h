/* render_who_prom: `audit` in the Prometheus text format.
 */
#ifndef PORTINFO_RENDER_WHO_PROM_H
#define PORTINFO_RENDER_WHO_PROM_H

#include "audit.h"
#include "buf.h"
#include "inspect.h"

/* Prometheus text format, for node_exporter's textfile collector: a portinfo_listener and a
 * portinfo_audit_finding series per distinct label set (proto, address, port, exe, user /
 * rule, severity), the findings by severity, the threshold, the unreadable processes and @now
 * (seconds since the epoch) as the time of the run.  Returns 0, -E2BIG or -ENOMEM. */
int render_audit_prom(struct buf *b, const struct inspect_report *rep, const struct audit_report *a,
                      enum severity min, long long now);

#endif
