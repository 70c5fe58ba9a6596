/* agewarn: when portinfo says its data is old.
 *
 * A warning is for a person: it goes to stderr only when stderr is a terminal (scripts, cron and
 * pipes never see it, and stdout, JSON included, is never touched), and at most once a day: the
 * data directory keeps a stamp, .age-warned, whose time is the last warning, when this user may
 * write it (otherwise every run at a terminal warns).  PORTINFO_NO_AGE_WARNING=1 silences it.
 */
#include "agewarn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "dataage.h"
#include "datadir.h"

#define STAMP_NAME ".age-warned"

void agewarn_age_text(const struct portdb *db, char *out, size_t cap)
{
        long days;

        out[0] = '\0';
        if (dataage_days(portdb_str(db, db->hdr->registry_updated), dataage_now(), &days) == 0 &&
            days >= 0)
                snprintf(out, cap, ", %ld day%s old", days, days == 1 ? "" : "s");
}

/* Whether a warning was given from @dir in the last day; if not, stamps it now (when it can). */
static bool warned_today(const char *dir, time_t now)
{
        _cleanup_close_ int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (dirfd < 0 || datadir_check_dir(dirfd, NULL, NULL) < 0)
                return false;
        if (fstatat(dirfd, STAMP_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            st.st_mtime <= now && now - st.st_mtime < 86400)
                return true;
        fd =
            openat(dirfd, STAMP_NAME, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
        if (fd >= 0)
                futimens(fd, (const struct timespec[2]){{now, 0}, {now, 0}});
        return false;
}

void agewarn_maybe(const struct portdb *db, const char *dir)
{
        const char *off = getenv("PORTINFO_NO_AGE_WARNING");
        const char *date = portdb_str(db, db->hdr->registry_updated);
        time_t now = dataage_now();
        long days;

        if ((off && off[0] && strcmp(off, "0") != 0) || !isatty(STDERR_FILENO))
                return;
        if (dataage_days(date, now, &days) < 0 || days <= DATAAGE_WARN_DAYS)
                return;
        if (warned_today(dir, now))
                return;
        fprintf(stderr,
                "portinfo: warning: the IANA registry in use is of %s, %ld days old; 'portinfo "
                "update --fetch' gets the current one (PORTINFO_NO_AGE_WARNING=1 silences this)\n",
                date, days);
}
