/* dataage: how old the registry behind the table is, counted in whole days from the registry's
 * own date (the table's registry_updated) to today, in UTC.
 *
 * Arithmetic only: saying so, and when to warn, is the faces' (cli, site).
 */
#ifndef PORTINFO_DATAAGE_H
#define PORTINFO_DATAAGE_H

#include <stdbool.h>
#include <time.h>

/* Data older than this many days is worth a warning (`portinfo update --fetch`). */
#define DATAAGE_WARN_DAYS 180

/* The time to count from: $SOURCE_DATE_EPOCH when it holds a number of seconds (reproducible
 * builds, so that an exported site is the same bytes on another day; and tests), else now. */
time_t dataage_now(void);

/* The days from @date (YYYY-MM-DD, or YYYY-MM counted from the month's first day) to @now, in
 * *@ret_days (negative for a date in the future).  Returns 0, or -EINVAL for a date it cannot
 * read. */
int dataage_days(const char *date, time_t now, long *ret_days);

/* Days from 1970-01-01 to @y-@m-@d in the proleptic Gregorian calendar (negative before). */
long dataage_days_from_civil(long y, unsigned m, unsigned d);

/* Whether @s is a date written YYYY-MM-DD (digits and dashes in that shape; NULL is not). */
bool dataage_is_iso_date(const char *s);

#endif
