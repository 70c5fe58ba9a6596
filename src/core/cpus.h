/* cpus: how much parallel work this process may do. */
#ifndef PORTINFO_CPUS_H
#define PORTINFO_CPUS_H

/* The CPUs this process may run on (its affinity mask; else the CPUs online; at least 1). */
unsigned cpu_count(void);

#endif
