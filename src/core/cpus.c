/* cpus: the CPU count that sizes serve's event loops, export's renderers and who's fd readers. */
#include "cpus.h"

#include <sched.h>
#include <unistd.h>

unsigned cpu_count(void)
{
        cpu_set_t set;
        long n;

        if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
                return (unsigned)CPU_COUNT(&set);
        n = sysconf(_SC_NPROCESSORS_ONLN);
        return n > 0 ? (unsigned)n : 1;
}
