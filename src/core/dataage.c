/* dataage: days between the registry's date and now, by the proleptic Gregorian calendar in UTC
 * (no time zone, no locale: the same answer on every machine on one day).
 */
#include "dataage.h"

#include <errno.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

/* Days from 1970-01-01 to @y-@m-@d: Howard Hinnant's days_from_civil
 * (https://howardhinnant.github.io/date_algorithms.html#days_from_civil). */
long dataage_days_from_civil(long y, unsigned m, unsigned d)
{
        long era;
        unsigned yoe, doy, doe;

        y -= m <= 2;
        era = (y >= 0 ? y : y - 399) / 400;
        yoe = (unsigned)(y - era * 400);
        doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + (long)doe - 719468;
}

/* @n digits of @s as a number, or -1. */
static long digits(const char *s, size_t n)
{
        long v = 0;

        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                v = v * 10 + (s[i] - '0');
        }
        return v;
}

time_t dataage_now(void)
{
        const char *e = getenv("SOURCE_DATE_EPOCH");
        char *end = NULL;
        long long v;

        if (e && *e >= '0' && *e <= '9') {
                errno = 0;
                v = strtoll(e, &end, 10);
                if (!*end && errno == 0)
                        return (time_t)v;
        }
        return time(NULL);
}

int dataage_days(const char *date, time_t now, long *ret_days)
{
        size_t n = date ? strlen(date) : 0;
        long y, m, d = 1;

        if ((n != 10 && n != 7) || date[4] != '-' || (n == 10 && date[7] != '-'))
                return -EINVAL;
        y = digits(date, 4);
        m = digits(date + 5, 2);
        if (n == 10)
                d = digits(date + 8, 2);
        if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
                return -EINVAL;
        *ret_days = (long)(now / 86400 - (now % 86400 < 0)) -
                    dataage_days_from_civil(y, (unsigned)m, (unsigned)d);
        return 0;
}

bool dataage_is_iso_date(const char *s)
{
        static const char shape[] = "dddd-dd-dd";

        if (!s || strlen(s) != sizeof(shape) - 1)
                return false;
        for (size_t i = 0; shape[i]; i++)
                if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
                        return false;
        return true;
}
