/* agewarn: the one warning portinfo gives about old data: on stderr, when the registry in use is
 * over DATAAGE_WARN_DAYS days old, for a person at a terminal, at most once a day.
 */
#ifndef PORTINFO_AGEWARN_H
#define PORTINFO_AGEWARN_H

#include "portdb.h"

/* Warns on stderr that @db's registry is old, unless it is not, stderr is not a terminal,
 * $PORTINFO_NO_AGE_WARNING is set (to anything but "" or "0"), or the data directory @dir
 * (when it exists and this user may write it) holds a stamp of a warning in the last day. */
void agewarn_maybe(const struct portdb *db, const char *dir);

/* Writes ", N days old" for @db's registry into @out (@cap bytes); "" when the date is unknown
 * or in the future. */
void agewarn_age_text(const struct portdb *db, char *out, size_t cap);

#endif
