/* procmap: socket inode -> processes, from the fd tables under /proc (or a fixture root).
 *
 * One open, one getdents64 listing and one readlinkat per descriptor looked at; nothing is
 * stat'ed, and only holders have their name, executable and command line read.  The fd tables
 * are shared out among lanes (threads, one per CPU) as they come free; what they find goes into
 * the procmap under one lock, which is taken only for a wanted socket.  It does not decide what
 * is worth showing.
 */
#include "procmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cleanup.h"
#include "cpus.h"
#include "procdir.h"

#define DENTS_BUF     PROCDIR_DENTS_BUF
#define DENTS_SLACK   32 /* the longest fd entry: a 10-digit name in a 32-byte record */
#define SOCKET_PREFIX "socket:["

enum { UNSEEN, PARTLY, WHOLE }; /* how much of a process's fd table has been read */

struct scan;

/* One reader of fd tables: the calling thread, or one of the threads a pass starts. */
struct lane {
        struct scan *s;
        char *dents;
        size_t visited, unreadable, vanished; /* summed into the procmap at the end */
};

static unsigned forced_lanes; /* procmap_set_lanes(); 0: by the CPUs */

struct scan {
        int rootfd;
        const char *root;
        unsigned flags;
        bool procfs; /* the root is a real /proc: a short getdents64 read means the end */
        struct procmap *m;
        /* wanted inodes: sorted, unique, with a found flag each */
        uint64_t *want;
        uint8_t *found; /* under lock */
        size_t n_want;
        atomic_size_t n_found;
        /* record() runs under this when lanes read in parallel */
        pthread_mutex_t lock;
        struct lane *lanes;
        unsigned n_lanes;
        /* the processes present when the scan started, ascending, with how much was read */
        int *pids;
        uint8_t *state;
        size_t n_pids;
        /* listener mode: per list entry, its fd directory left open after the first look, read
         * up to where that look stopped (-1: closed) */
        int *kept;
        atomic_size_t n_kept;
        size_t max_kept;
        /* pids read whole by the second pass that were not in the list (born since) */
        int *extra;
        size_t n_extra, cap_extra;
        size_t cap_procs, cap_holds;
};

static int cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

        return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
        int x = *(const int *)a, y = *(const int *)b;

        return (x > y) - (x < y);
}

int procmap_parse_socket_link(const char *link, size_t len, uint64_t *ret_inode)
{
        const size_t plen = sizeof(SOCKET_PREFIX) - 1;
        uint64_t v = 0;

        if (len < plen + 2 || memcmp(link, SOCKET_PREFIX, plen) != 0 || link[len - 1] != ']')
                return -EINVAL;
        for (size_t i = plen; i < len - 1; i++) {
                unsigned d = (unsigned)((unsigned char)link[i] - '0');

                if (d > 9 || v > (UINT64_MAX - d) / 10)
                        return -EINVAL;
                v = v * 10 + d;
        }
        *ret_inode = v;
        return 0;
}

/* Index of @inode among the wanted ones, or -1. */
static long want_index(const struct scan *s, uint64_t inode)
{
        size_t lo = 0, hi = s->n_want;

        if (s->n_want == 0 || inode < s->want[0] || inode > s->want[s->n_want - 1])
                return -1;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (s->want[mid] < inode)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return s->want[lo] == inode ? (long)lo : -1;
}

/* Records that process @pid (fd directory @dfd) holds wanted inode number @idx.  @proc caches the
 * pid's index in m->procs across the descriptors of one process (SIZE_MAX: not looked up yet).
 * Duplicates (one socket under two descriptors, or read twice) are removed at the end. */
static int record_locked(struct scan *s, int dfd, int pid, size_t idx, size_t *proc)
{
        struct procmap *m = s->m;

        if (*proc == SIZE_MAX) {
                for (size_t i = m->n_procs; i > 0 && *proc == SIZE_MAX; i--)
                        if (m->procs[i - 1].pid == pid)
                                *proc = i - 1;
        }
        if (*proc == SIZE_MAX) {
                if (m->n_procs == s->cap_procs) {
                        size_t cap = s->cap_procs ? s->cap_procs * 2 : 16;
                        struct procmap_proc *p = realloc(m->procs, cap * sizeof(*p));

                        if (!p)
                                return -ENOMEM;
                        m->procs = p;
                        s->cap_procs = cap;
                }
                m->procs[m->n_procs] = (struct procmap_proc){.pid = pid};
                *proc = m->n_procs++;
                /* Read while the fd directory is open: /proc/PID/fd/.. is the process. */
                if (s->flags & PROCMAP_DETAILS)
                        procmap_proc_read_at(dfd, "../", s->procfs, &m->procs[*proc]);
        }
        if (m->n_holds == s->cap_holds) {
                size_t cap = s->cap_holds ? s->cap_holds * 2 : 32;
                struct procmap_hold *h = realloc(m->holds, cap * sizeof(*h));

                if (!h)
                        return -ENOMEM;
                m->holds = h;
                s->cap_holds = cap;
        }
        m->holds[m->n_holds++] = (struct procmap_hold){s->want[idx], (uint32_t)*proc};
        if (!s->found[idx]) {
                s->found[idx] = 1;
                atomic_fetch_add_explicit(&s->n_found, 1, memory_order_relaxed);
        }
        return 0;
}

static int record(struct scan *s, int dfd, int pid, size_t idx, size_t *proc)
{
        int r;

        pthread_mutex_lock(&s->lock);
        r = record_locked(s, dfd, pid, idx, proc);
        pthread_mutex_unlock(&s->lock);
        return r;
}

static bool all_found(struct scan *s)
{
        return !(s->flags & PROCMAP_ALL) &&
               atomic_load_explicit(&s->n_found, memory_order_relaxed) == s->n_want;
}

#define HIDDEN 1

/* Reads the link of descriptor @name in fd directory @dfd and records a wanted socket.  Returns
 * 0, HIDDEN when links in @dfd cannot be read, or -ENOMEM. */
static int check_fd(struct scan *s, int dfd, const char *name, int pid, size_t *proc)
{
        char link[64];
        uint64_t inode;
        ssize_t len = readlinkat(dfd, name, link, sizeof(link));
        long idx;

        /* The directory opened but its links are refused (another user namespace, a
         * ptrace-protected process): nothing in it can be read. */
        if (len < 0 && (errno == EACCES || errno == EPERM))
                return HIDDEN;
        if (len <= 0 || (size_t)len >= sizeof(link) ||
            procmap_parse_socket_link(link, (size_t)len, &inode) < 0)
                return 0;
        idx = want_index(s, inode);
        return idx >= 0 ? record(s, dfd, pid, (size_t)idx, proc) : 0;
}

/* Checks every descriptor in the next @size bytes of the listing of fd directory @dfd.  Returns
 * the bytes read (0 at the end), HIDDEN_READ when the links are refused, or -errno. */
#define HIDDEN_READ (-100000)
static ssize_t read_listing(struct lane *l, int dfd, int pid, size_t size, size_t *proc)
{
        ssize_t n = getdents64(dfd, l->dents, size);

        if (n < 0)
                return 0; /* the process exited under us */
        for (ssize_t off = 0; off < n;) {
                struct dirent64 *d = (struct dirent64 *)(void *)(l->dents + off);
                int r;

                off += d->d_reclen;
                if (d->d_name[0] < '0' || d->d_name[0] > '9')
                        continue;
                r = check_fd(l->s, dfd, d->d_name, pid, proc);
                if (r == HIDDEN)
                        return HIDDEN_READ;
                if (r < 0)
                        return r;
        }
        return n;
}

/* Whether a listing read of @n bytes into a @size-byte buffer was the last one: procfs fills
 * the buffer while entries remain (proc_readfd_common), so a read with room to spare was. */
static bool listing_done(const struct scan *s, ssize_t n, size_t size)
{
        return n == 0 || (s->procfs && (size_t)n + DENTS_SLACK <= size);
}

/* Reads the fd table of @pid: all of it, or with @first_look only the first PROCMAP_LOW_DENTS
 * bytes of its listing (ascending fd numbers).  What a first look leaves unread is left to
 * read_rest(): the directory stays open in s->kept[@i] while descriptors allow.  Sets
 * *ret_state to WHOLE or PARTLY.  Returns 0 or -ENOMEM; a process that is gone or hidden is
 * counted (on its @count_it visit), not an error. */
static int scan_process(struct lane *l, int pid, bool first_look, bool count_it, size_t i,
                        uint8_t *ret_state)
{
        struct scan *s = l->s;
        char path[32];
        size_t proc = SIZE_MAX;
        int dfd;
        ssize_t n;

        *ret_state = WHOLE;
        snprintf(path, sizeof(path), "%d/fd", pid);
        dfd = openat(s->rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) {
                if (count_it && (errno == ENOENT || errno == ESRCH))
                        l->vanished++;
                else if (count_it)
                        l->unreadable++;
                return 0;
        }
        if (count_it)
                l->visited++;
        if (first_look) {
                n = read_listing(l, dfd, pid, PROCMAP_LOW_DENTS, &proc);
                if (n >= 0 && !listing_done(s, n, PROCMAP_LOW_DENTS)) {
                        *ret_state = PARTLY;
                        if (atomic_fetch_add_explicit(&s->n_kept, 1, memory_order_relaxed) <
                            s->max_kept) {
                                s->kept[i] = dfd;
                                return 0;
                        }
                        atomic_fetch_sub_explicit(&s->n_kept, 1, memory_order_relaxed);
                }
        } else {
                do
                        n = read_listing(l, dfd, pid, DENTS_BUF, &proc);
                while (n > 0 && !listing_done(s, n, DENTS_BUF));
        }
        close(dfd);
        if (n == HIDDEN_READ && count_it) {
                l->visited--;
                l->unreadable++;
        }
        return n < 0 && n != HIDDEN_READ ? (int)n : 0;
}

/* Reads what the first look at list entry @i left: from where it stopped when its directory is
 * still open, else the whole table again (holds seen twice are merged at the end). */
static int read_rest(struct lane *l, size_t i)
{
        struct scan *s = l->s;
        size_t proc = SIZE_MAX;
        int dfd = s->kept[i];
        ssize_t n;
        uint8_t st;

        if (dfd < 0)
                return scan_process(l, s->pids[i], false, false, i, &st);
        s->kept[i] = -1;
        atomic_fetch_sub_explicit(&s->n_kept, 1, memory_order_relaxed);
        do
                n = read_listing(l, dfd, s->pids[i], DENTS_BUF, &proc);
        while (n > 0 && !listing_done(s, n, DENTS_BUF));
        close(dfd);
        return n < 0 && n != HIDDEN_READ ? (int)n : 0;
}

/* Reads @pid whole unless that was done already. */
static int visit_whole(struct scan *s, int pid)
{
        int *hit = s->n_pids ? bsearch(&pid, s->pids, s->n_pids, sizeof(int), cmp_int) : NULL;
        uint8_t st;

        if (hit) {
                size_t i = (size_t)(hit - s->pids);
                uint8_t was = s->state[i];

                if (was == WHOLE)
                        return 0;
                s->state[i] = WHOLE;
                return scan_process(&s->lanes[0], pid, false, was == UNSEEN, i, &st);
        }
        for (size_t i = 0; i < s->n_extra; i++)
                if (s->extra[i] == pid)
                        return 0;
        if (s->n_extra == s->cap_extra) {
                size_t cap = s->cap_extra ? s->cap_extra * 2 : 16;
                int *e = realloc(s->extra, cap * sizeof(*e));

                if (!e)
                        return -ENOMEM;
                s->extra = e;
                s->cap_extra = cap;
        }
        s->extra[s->n_extra++] = pid;
        return scan_process(&s->lanes[0], pid, false, true, 0, &st);
}

/* Reads whole every child of @pid (of any of its threads).  Sets *ret_unsupported when the
 * kernel has no children files (CONFIG_PROC_CHILDREN off) or the root is a fixture without
 * task directories: then only reading everything is sure. */
static int scan_children(struct scan *s, int pid, bool *ret_unsupported)
{
        char path[48];
        _cleanup_free_ int *tids = NULL;
        size_t n_tids = 0;
        _cleanup_close_ int tfd = -1;
        int r;

        snprintf(path, sizeof(path), "%d/task", pid);
        tfd = openat(s->rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (tfd < 0) {
                snprintf(path, sizeof(path), "%d", pid);
                if (errno == ENOENT && faccessat(s->rootfd, path, F_OK, 0) == 0)
                        *ret_unsupported = true;
                return 0;
        }
        r = procdir_list_tids(tfd, s->lanes[0].dents, &tids, &n_tids);
        for (size_t t = 0; r == 0 && t < n_tids; t++) {
                _cleanup_free_ char *buf = NULL;
                char *p, *end;
                size_t len;

                snprintf(path, sizeof(path), "%d/children", tids[t]);
                r = procdir_read_whole(tfd, path, &buf, &len);
                if (r == -ENOENT && tids[t] == pid)
                        *ret_unsupported = true;
                if (r < 0) {
                        r = r == -ENOMEM ? r : 0;
                        continue;
                }
                for (p = buf; *p && r == 0; p = end) {
                        long child = strtol(p, &end, 10);

                        if (end == p)
                                break;
                        if (child > 0 && child <= INT_MAX)
                                r = visit_whole(s, (int)child);
                }
        }
        return r;
}

/* Reads whole the children of every holder, and theirs in turn when they hold a wanted socket
 * too (holders found on the way are appended to m->procs and walked as well).  Falls back to
 * reading every process when children cannot be listed. */
static int scan_families(struct scan *s)
{
        bool unsupported = false;
        int r = 0;

        for (size_t p = 0; p < s->m->n_procs && !unsupported && r == 0; p++)
                r = scan_children(s, s->m->procs[p].pid, &unsupported);
        for (size_t i = 0; i < s->n_pids && unsupported && r == 0; i++)
                r = visit_whole(s, s->pids[i]);
        return r;
}

static size_t count_state(const struct scan *s, uint8_t state)
{
        size_t n = 0;

        for (size_t i = 0; i < s->n_pids; i++)
                n += s->state[i] == state;
        return n;
}

/* How many fd directories may stay open between the two looks: what the descriptor limit
 * leaves, with room to spare for everything else this process opens. */
static size_t kept_budget(void)
{
        struct rlimit rl;

        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return 0;
        if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 65536 + 128)
                return 65536;
        return rl.rlim_cur > 128 ? (size_t)rl.rlim_cur - 128 : 0;
}

/* ---- passes: one step per process in the list, by every lane at once ---- */

typedef int (*step_fn)(struct lane *l, size_t i);

struct pass {
        struct scan *s;
        step_fn step;
        bool until_found; /* stop taking processes once every wanted socket is seen */
        atomic_size_t next;
        atomic_int err;
};

struct pass_lane {
        struct pass *p;
        struct lane *l;
};

static void run_lane(struct pass *p, struct lane *l)
{
        struct scan *s = p->s;

        while (!atomic_load_explicit(&p->err, memory_order_relaxed) &&
               !(p->until_found && all_found(s))) {
                size_t i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
                int r, zero = 0;

                if (i >= s->n_pids)
                        break;
                r = p->step(l, i);
                if (r < 0) {
                        atomic_compare_exchange_strong(&p->err, &zero, r);
                        break;
                }
        }
}

static void *lane_main(void *arg)
{
        struct pass_lane *pl = arg;

        run_lane(pl->p, pl->l);
        return NULL;
}

/* Runs @step for every process in the list, the processes shared out among the lanes as they
 * come free.  A lane whose thread cannot be started is simply not used. */
static int run_pass(struct pass *p)
{
        struct scan *s = p->s;
        pthread_t tid[PROCMAP_MAX_LANES];
        struct pass_lane pl[PROCMAP_MAX_LANES];
        unsigned started = 0;

        for (unsigned k = 1; k < s->n_lanes; k++) {
                pl[started] = (struct pass_lane){p, &s->lanes[k]};
                if (pthread_create(&tid[started], NULL, lane_main, &pl[started]) != 0)
                        break;
                started++;
        }
        run_lane(p, &s->lanes[0]);
        for (unsigned k = 0; k < started; k++)
                pthread_join(tid[k], NULL);
        return atomic_load(&p->err);
}

static int step_first_look(struct lane *l, size_t i)
{
        struct scan *s = l->s;

        return scan_process(l, s->pids[i], true, true, i, &s->state[i]);
}

static int step_rest(struct lane *l, size_t i)
{
        struct scan *s = l->s;

        if (s->state[i] != PARTLY)
                return 0;
        s->state[i] = WHOLE;
        return read_rest(l, i);
}

static int step_whole(struct lane *l, size_t i)
{
        struct scan *s = l->s;

        return scan_process(l, s->pids[i], false, true, i, &s->state[i]);
}

/* Listeners are opened early in a process's life and keep their descriptor number across fork,
 * so the lowest descriptors of every process are read first (PROCMAP_LOW_DENTS), and the rest only
 * while a wanted socket is still missing. */
static int run_listeners(struct scan *s)
{
        struct pass first = {.s = s, .step = step_first_look};
        struct pass rest = {.s = s, .step = step_rest, .until_found = true};
        int r;

        s->kept = malloc((s->n_pids ? s->n_pids : 1) * sizeof(*s->kept));
        if (!s->kept)
                return -ENOMEM;
        for (size_t i = 0; i < s->n_pids; i++)
                s->kept[i] = -1;
        s->max_kept = kept_budget();
        r = run_pass(&first);
        if (r == 0 && !all_found(s)) {
                size_t before = count_state(s, PARTLY);

                r = run_pass(&rest);
                /* A listener found deep in one process may sit as deep in its children, unless
                 * everything has been read already (a socket no process shows keeps us
                 * looking). */
                if (r == 0 && count_state(s, PARTLY) < before && count_state(s, PARTLY) > 0)
                        r = scan_families(s);
        }
        return r;
}

/* Everything else: whole processes in pid order until every wanted socket is found, then the
 * holders' families; or simply the few processes left, when that is cheaper. */
static int run_any(struct scan *s)
{
        struct pass whole = {.s = s, .step = step_whole, .until_found = true};
        size_t rest;
        int r = run_pass(&whole);

        if (r < 0)
                return r;
        rest = count_state(s, UNSEEN);
        if (rest == 0)
                return 0;
        /* Reading a holder's children costs about what reading a small process does. */
        if (rest > 2 * s->m->n_procs)
                return scan_families(s);
        for (size_t i = 0; i < s->n_pids && r == 0; i++)
                r = visit_whole(s, s->pids[i]);
        return r;
}

/* How many lanes read fd tables: one per CPU this process may run on, at most
 * PROCMAP_MAX_LANES, and one per PROCMAP_PIDS_PER_LANE processes, since a thread costs about
 * what reading a few small processes does. */
static unsigned lanes_for(size_t n_pids)
{
        size_t n = cpu_count();

        if (forced_lanes)
                return forced_lanes;
        if (n > PROCMAP_MAX_LANES)
                n = PROCMAP_MAX_LANES;
        if (n > n_pids / PROCMAP_PIDS_PER_LANE)
                n = n_pids / PROCMAP_PIDS_PER_LANE;
        return n ? (unsigned)n : 1;
}

void procmap_set_lanes(unsigned n)
{
        forced_lanes = n > PROCMAP_MAX_LANES ? PROCMAP_MAX_LANES : n;
}

static int cmp_hold(const void *a, const void *b, void *arg)
{
        const struct procmap_hold *x = a, *y = b;
        const struct procmap_proc *procs = arg;

        if (x->inode != y->inode)
                return x->inode < y->inode ? -1 : 1;
        return cmp_int(&procs[x->proc].pid, &procs[y->proc].pid);
}

/* Sorts the holds and drops those recorded twice. */
static void sort_holds(struct procmap *m)
{
        size_t u = 0;

        if (m->n_holds > 1)
                qsort_r(m->holds, m->n_holds, sizeof(*m->holds), cmp_hold, m->procs);
        for (size_t i = 0; i < m->n_holds; i++)
                if (u == 0 || m->holds[u - 1].inode != m->holds[i].inode ||
                    m->holds[u - 1].proc != m->holds[i].proc)
                        m->holds[u++] = m->holds[i];
        m->n_holds = u;
}

/* Adds what the lanes counted to the procmap and releases everything the scan held. */
static void scan_done(struct scan *s)
{
        for (unsigned k = 0; k < s->n_lanes; k++) {
                s->m->visited += s->lanes[k].visited;
                s->m->unreadable += s->lanes[k].unreadable;
                s->m->vanished += s->lanes[k].vanished;
                free(s->lanes[k].dents);
        }
        pthread_mutex_destroy(&s->lock);
        close(s->rootfd);
        free(s->want);
        free(s->found);
        free(s->pids);
        free(s->state);
        free(s->extra);
        for (size_t i = 0; s->kept && i < s->n_pids; i++)
                if (s->kept[i] >= 0)
                        close(s->kept[i]);
        free(s->kept);
}

int procmap_scan(struct procmap *m, const char *root, const uint64_t *inodes, size_t n,
                 unsigned flags)
{
        struct scan s = {.root = root ? root : PROCMAP_ROOT, .flags = flags, .m = m};
        struct lane lanes[PROCMAP_MAX_LANES] = {{0}};
        struct statfs fs;
        size_t u = 0;
        int r;

        *m = (struct procmap){0};
        s.rootfd = open(s.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (s.rootfd < 0)
                return -errno;
        pthread_mutex_init(&s.lock, NULL);
        s.procfs = fstatfs(s.rootfd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
        s.lanes = lanes;
        s.n_lanes = 1;
        lanes[0] = (struct lane){.s = &s, .dents = malloc(DENTS_BUF)};
        s.want = malloc((n ? n : 1) * sizeof(*s.want));
        s.found = calloc(n ? n : 1, 1);
        if (!s.want || !s.found || !lanes[0].dents) {
                r = -ENOMEM;
                goto out;
        }
        if (n)
                memcpy(s.want, inodes, n * sizeof(*s.want));
        if (n > 1)
                qsort(s.want, n, sizeof(*s.want), cmp_u64);
        for (size_t i = 0; i < n; i++)
                if (u == 0 || s.want[u - 1] != s.want[i])
                        s.want[u++] = s.want[i];
        s.n_want = u;
        r = procdir_list_pids(s.rootfd, lanes[0].dents, PROCMAP_MAX_PROCS, &s.pids, &s.n_pids);
        if (r == 0) {
                s.state = calloc(s.n_pids ? s.n_pids : 1, 1);
                r = s.state ? 0 : -ENOMEM;
        }
        if (r < 0)
                goto out;
        for (unsigned k = 1, want = lanes_for(s.n_pids); k < want; k++) {
                lanes[k] = (struct lane){.s = &s, .dents = malloc(DENTS_BUF)};
                if (!lanes[k].dents)
                        break;
                s.n_lanes++;
        }
        if ((flags & PROCMAP_LISTENERS) && !(flags & PROCMAP_ALL))
                r = run_listeners(&s);
        else
                r = run_any(&s);
        if (r < 0)
                goto out;
        m->complete = count_state(&s, UNSEEN) == 0;
        /* Holders were read as they were found; one that vanished meanwhile stays bare. */
        sort_holds(m);
out:
        scan_done(&s);
        return r;
}

void procmap_done(struct procmap *m)
{
        for (size_t i = 0; i < m->n_procs; i++)
                procmap_proc_done(&m->procs[i]);
        free(m->procs);
        free(m->holds);
        *m = (struct procmap){0};
}

size_t procmap_find(const struct procmap *m, uint64_t inode, const struct procmap_hold **ret_first)
{
        size_t lo = 0, hi = m->n_holds, end;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (m->holds[mid].inode < inode)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (end = lo; end < m->n_holds && m->holds[end].inode == inode; end++)
                ;
        if (end > lo)
                *ret_first = &m->holds[lo];
        return end - lo;
}
