/* update: validation, change report, and the atomic install and rollback of an imported table.
 *
 * The directory is changed only by rename(2) of complete, fsync'ed files, under an flock(2), so
 * a reader sees the old table or the new one and a crash at any point leaves one of them.
 */
#include "update.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "datadir.h"
#include "registry_keep.h"

int update_keep_unofficial(struct registry *reg, const struct portdb *db, size_t *ret_dropped)
{
        return registry_keep_table(reg, db, ret_dropped);
}

int update_validate(const struct registry *reg, const struct portdb *cur, bool force,
                    struct reg_error *err)
{
        if (reg->n_recs < UPDATE_MIN_RECORDS) {
                reg_error_set(err, 0,
                              "only %zu records; IANA's port registry has over %u, so this is "
                              "not it (or it is cut short)",
                              reg->n_recs, UPDATE_MIN_RECORDS);
                return -EINVAL;
        }
        if (!force && (uint64_t)reg->n_recs * 100 <
                          (uint64_t)cur->hdr->n_records * UPDATE_MIN_SHARE_PERCENT) {
                reg_error_set(err, 0,
                              "%zu records against %u in the table in use; refusing a table that "
                              "much smaller without --force",
                              reg->n_recs, cur->hdr->n_records);
                return -ERANGE;
        }
        return 0;
}

/* Entries compared by identity: port range, protocol, port-less flag, service name; then by
 * description so that duplicates of one identity pair up in a stable way. */
struct keyed {
        const struct portdb *db;
        const struct portdb_iana *e;
};

static int key_cmp(const struct keyed *x, const struct keyed *y, bool with_desc)
{
        const struct portdb_iana *a = x->e, *b = y->e;
        int c;

        if ((a->flags & PORTDB_F_NOPORT) != (b->flags & PORTDB_F_NOPORT))
                return (a->flags & PORTDB_F_NOPORT) ? 1 : -1; /* port-less names last */
        if (a->lo != b->lo)
                return a->lo < b->lo ? -1 : 1;
        if (a->hi != b->hi)
                return a->hi < b->hi ? -1 : 1;
        if (a->proto != b->proto)
                return a->proto < b->proto ? -1 : 1;
        c = strcmp(portdb_str(x->db, a->service), portdb_str(y->db, b->service));
        if (c || !with_desc)
                return c;
        return strcmp(portdb_str(x->db, a->description), portdb_str(y->db, b->description));
}

static int keyed_sort(const void *p, const void *q)
{
        return key_cmp(p, q, true);
}

static bool same_fields(const struct keyed *x, const struct keyed *y)
{
        const struct portdb_iana *a = x->e, *b = y->e;
        const uint32_t fa[] = {a->description,  a->assignee,     a->contact,
                               a->registered,   a->modified,     a->reference,
                               a->service_code, a->unauthorized, a->note};
        const uint32_t fb[] = {b->description,  b->assignee,     b->contact,
                               b->registered,   b->modified,     b->reference,
                               b->service_code, b->unauthorized, b->note};

        if (a->status != b->status)
                return false;
        for (size_t i = 0; i < sizeof(fa) / sizeof(fa[0]); i++)
                if (strcmp(portdb_str(x->db, fa[i]), portdb_str(y->db, fb[i])) != 0)
                        return false;
        return true;
}

static struct keyed *keyed_table(const struct portdb *db)
{
        struct keyed *v = calloc(db->hdr->n_iana + 1, sizeof(*v));

        if (!v)
                return NULL;
        for (uint32_t i = 0; i < db->hdr->n_iana; i++)
                v[i] = (struct keyed){db, &db->iana[i]};
        qsort(v, db->hdr->n_iana, sizeof(*v), keyed_sort);
        return v;
}

int update_diff(const struct portdb *old_db, const struct portdb *new_db, struct change_list *ret)
{
        _cleanup_free_ struct keyed *a = keyed_table(old_db);
        _cleanup_free_ struct keyed *b = keyed_table(new_db);
        size_t na = old_db->hdr->n_iana, nb = new_db->hdr->n_iana, i = 0, j = 0;
        _cleanup_free_ struct change *v = calloc(na + nb + 1, sizeof(*v));
        struct change_list l = {0};

        if (!a || !b || !v)
                return -ENOMEM;
        l.v = v;
        while (i < na || j < nb) {
                int c = i == na ? 1 : j == nb ? -1 : key_cmp(&a[i], &b[j], false);

                if (c < 0) {
                        l.v[l.n++] = (struct change){CHANGE_REMOVED, a[i++].e, NULL};
                        l.removed++;
                } else if (c > 0) {
                        l.v[l.n++] = (struct change){CHANGE_ADDED, NULL, b[j++].e};
                        l.added++;
                } else {
                        if (!same_fields(&a[i], &b[j])) {
                                l.v[l.n++] = (struct change){CHANGE_MODIFIED, a[i].e, b[j].e};
                                l.modified++;
                        }
                        i++;
                        j++;
                }
        }
        TAKE_PTR(v); /* now l.v, the caller's */
        *ret = l;
        return 0;
}

void update_changes_free(struct change_list *l)
{
        free(l->v);
        memset(l, 0, sizeof(*l));
}

/* Prints @s without control characters. */
static void put_clean(FILE *out, const char *s)
{
        for (; *s; s++)
                fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
}

static void print_entry(FILE *out, char mark, const struct portdb *db, const struct portdb_iana *e)
{
        const char *proto = portdb_proto_name(e->proto);
        char where[32];

        if (e->flags & PORTDB_F_NOPORT)
                snprintf(where, sizeof(where), "-/%s", proto ? proto : "any");
        else if (e->lo != e->hi)
                snprintf(where, sizeof(where), "%u-%u/%s", e->lo, e->hi, proto ? proto : "any");
        else
                snprintf(where, sizeof(where), "%u/%s", e->lo, proto ? proto : "any");
        fprintf(out, "  %c %-16s ", mark, where);
        put_clean(out, portdb_str(db, e->service)[0] ? portdb_str(db, e->service) : "-");
        fputs("  ", out);
        put_clean(out, portdb_str(db, e->description));
        fputc('\n', out);
}

void update_print_changes(FILE *out, const struct portdb *old_db, const struct portdb *new_db,
                          const struct change_list *l, size_t max_lines)
{
        size_t shown = 0;

        fprintf(out, "%zu added, %zu removed, %zu modified\n", l->added, l->removed, l->modified);
        for (size_t i = 0; i < l->n; i++) {
                const struct change *c = &l->v[i];

                if (max_lines && shown == max_lines) {
                        fprintf(out, "  ... and %zu more (--verbose shows all)\n", l->n - shown);
                        break;
                }
                if (c->kind == CHANGE_ADDED)
                        print_entry(out, '+', new_db, c->new_e);
                else if (c->kind == CHANGE_REMOVED)
                        print_entry(out, '-', old_db, c->old_e);
                else
                        print_entry(out, '~', new_db, c->new_e);
                shown++;
        }
}

static int lock_dir(int dirfd)
{
        _cleanup_close_ int fd =
            openat(dirfd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

        if (fd < 0)
                return -errno;
        if (flock(fd, LOCK_EX | LOCK_NB) < 0)
                return errno == EWOULDBLOCK ? -EBUSY : -errno;
        return TAKE_FD(fd);
}

/* mkdir -p for @dir with mode 0755. */
static int make_dirs(const char *dir)
{
        char path[4096];
        size_t n = strlen(dir);

        if (n == 0 || n >= sizeof(path))
                return -ENAMETOOLONG;
        memcpy(path, dir, n + 1);
        for (char *p = path + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(path, 0755) < 0 && errno != EEXIST)
                        return -errno;
                *p = '/';
        }
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;

        while (len > 0) {
                ssize_t n = write(fd, p, len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

static int open_locked_dir(const char *dir, int *ret_dirfd, int *ret_lockfd)
{
        _cleanup_close_ int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int lockfd;

        if (dirfd < 0)
                return -errno;
        lockfd = lock_dir(dirfd);
        if (lockfd < 0)
                return lockfd;
        *ret_dirfd = TAKE_FD(dirfd);
        *ret_lockfd = lockfd;
        return 0;
}

/* Keeps the table in use as the previous one: a hard link renamed over it, so that the current
 * name never goes missing.  Returns 0 (also when there is no table yet) or -errno. */
static int keep_previous(int dirfd)
{
        char prev_tmp[64];

        snprintf(prev_tmp, sizeof(prev_tmp), ".portdb.prev.%ld.tmp", (long)getpid());
        if (linkat(dirfd, DATADIR_CURRENT, dirfd, prev_tmp, 0) == 0) {
                if (renameat(dirfd, prev_tmp, dirfd, DATADIR_PREVIOUS) < 0) {
                        int r = -errno;

                        unlinkat(dirfd, prev_tmp, 0);
                        return r;
                }
        } else if (errno != ENOENT) {
                return -errno;
        }
        return 0;
}

int update_install(const char *dir, const void *blob, size_t len)
{
        char tmp[64];
        _cleanup_close_ int dirfd = -1;
        _cleanup_close_ int lockfd = -1;
        int fd, r;

        r = make_dirs(dir);
        if (r < 0)
                return r;
        r = open_locked_dir(dir, &dirfd, &lockfd);
        if (r < 0)
                return r;
        snprintf(tmp, sizeof(tmp), ".portdb.bin.%ld.tmp", (long)getpid());
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        r = write_all(fd, blob, len);
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r == 0)
                r = keep_previous(dirfd);
        if (r == 0 && renameat(dirfd, tmp, dirfd, DATADIR_CURRENT) < 0)
                r = -errno;
        if (r < 0) {
                unlinkat(dirfd, tmp, 0);
                return r;
        }
        return fsync(dirfd) < 0 ? -errno : 0;
}

/* Whether DIR/@name holds a valid table. */
static int check_table(int dirfd, const char *name)
{
        struct portdb db;
        struct stat st;
        void *map;
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        int r;

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
            (unsigned long long)st.st_size > UINT32_MAX)
                return -EINVAL;
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
                return -EINVAL;
        r = portdb_open(&db, map, (size_t)st.st_size, true) < 0 ? -EINVAL : 0;
        munmap(map, (size_t)st.st_size);
        return r;
}

int update_rollback(const char *dir)
{
        char tmp[64];
        _cleanup_close_ int dirfd = -1;
        _cleanup_close_ int lockfd = -1;
        bool have_current;
        int r;

        r = open_locked_dir(dir, &dirfd, &lockfd);
        if (r < 0)
                return r;
        r = check_table(dirfd, DATADIR_PREVIOUS);
        if (r < 0)
                return r;
        snprintf(tmp, sizeof(tmp), ".portdb.swap.%ld.tmp", (long)getpid());
        have_current = linkat(dirfd, DATADIR_CURRENT, dirfd, tmp, 0) == 0;
        if (!have_current && errno != ENOENT)
                return -errno;
        if (renameat(dirfd, DATADIR_PREVIOUS, dirfd, DATADIR_CURRENT) < 0) {
                r = -errno;
                if (have_current)
                        unlinkat(dirfd, tmp, 0);
                return r;
        }
        if (have_current && renameat(dirfd, tmp, dirfd, DATADIR_PREVIOUS) < 0) {
                r = -errno;
                unlinkat(dirfd, tmp, 0);
                return r;
        }
        return fsync(dirfd) < 0 ? -errno : 0;
}
