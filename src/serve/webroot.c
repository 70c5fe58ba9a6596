/* webroot: the static folder read once into memory, looked up by exact name.
 *
 * Serving from memory means no path from a request ever reaches the file system: traversal,
 * encoded separators and links out of the folder have nothing to reach.  Not a general file
 * server: no directory listings, no ranges.
 */
#include "webroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httputil.h"

struct loader {
        struct webroot *root;
        size_t cap, total;
        char real[PATH_MAX]; /* the folder's real path */
};

static const struct {
        const char *ext, *type;
} types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".webp", "image/webp"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".html", "text/html; charset=utf-8"},
};

const char *webroot_type(const char *name)
{
        const char *dot = strrchr(name, '.');

        for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
                if (strcmp(dot, types[i].ext) == 0)
                        return types[i].type;
        return "application/octet-stream";
}

/* Whether @path (absolute, resolved) is inside the folder. */
static bool inside(const struct loader *ld, const char *path)
{
        size_t n = strlen(ld->real);

        return strncmp(path, ld->real, n) == 0 && path[n] == '/';
}

/* Takes @data (@len bytes) as @f's identity form, compresses it once for good (it is served
 * for the server's life) and names its hashed form. */
static int add_forms(struct webroot_file *f, char *data, size_t len)
{
        char hashed[WEBROOT_MAX_NAME + ASSETS_HASH_DIGITS + 2];
        bool text = strncmp(f->type, "text/", 5) == 0 || strstr(f->type, "json") ||
                    strstr(f->type, "svg") || strstr(f->type, "icon");

        if (encoded_init(&f->a, data, len, 0, COMPRESS_BEST, text, false) < 0 ||
            assets_hashed_name(f->name, data, len, hashed, sizeof(hashed)) < 0)
                return -ENOMEM;
        f->hashed = strdup(hashed);
        return f->hashed ? 0 : -ENOMEM;
}

static int add_file(struct loader *ld, int dirfd, const char *entry, const char *rel)
{
        struct webroot *root = ld->root;
        struct webroot_file *f;
        struct stat st;
        char *data;
        size_t got = 0;
        int fd;

        if (root->n == WEBROOT_MAX_FILES)
                return -E2BIG;
        fd = openat(dirfd, entry, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return -EINVAL;
        }
        if ((size_t)st.st_size > WEBROOT_MAX_FILE_BYTES ||
            ld->total + (size_t)st.st_size > WEBROOT_MAX_TOTAL_BYTES) {
                close(fd);
                return -E2BIG;
        }
        data = malloc((size_t)st.st_size + 1);
        while (data && got < (size_t)st.st_size) {
                ssize_t r = read(fd, data + got, (size_t)st.st_size - got);

                if (r <= 0)
                        break;
                got += (size_t)r;
        }
        close(fd);
        if (!data || got != (size_t)st.st_size) {
                free(data);
                return data ? -EIO : -ENOMEM;
        }
        if (root->n == ld->cap) {
                size_t ncap = ld->cap ? ld->cap * 2 : 16;
                struct webroot_file *nf = realloc(root->files, ncap * sizeof(*nf));

                if (!nf) {
                        free(data);
                        return -ENOMEM;
                }
                root->files = nf;
                ld->cap = ncap;
        }
        f = &root->files[root->n];
        *f = (struct webroot_file){
            .name = strdup(rel), .type = webroot_type(rel), .mtime = st.st_mtime};
        if (!f->name || add_forms(f, data, got) < 0) {
                free(f->name);
                free(f->hashed);
                encoded_done(&f->a);
                return -ENOMEM;
        }
        ld->total += got;
        root->n++;
        return 0;
}

/* Walks the directory open at @dirfd whose path relative to the folder is @prefix. */
static int walk(struct loader *ld, int dirfd, const char *prefix, int depth)
{
        DIR *d = fdopendir(dirfd);
        struct dirent *de;
        int r = 0;

        if (!d) {
                close(dirfd);
                return -errno;
        }
        while (r != -ENOMEM && (de = readdir(d))) {
                char rel[WEBROOT_MAX_NAME + 1], check[WEBROOT_MAX_NAME + 1];
                struct stat st;
                int n;

                if (de->d_name[0] == '.')
                        continue; /* ".", ".." and hidden files */
                n = snprintf(rel, sizeof(rel), "%s%s", prefix, de->d_name);
                if (n < 0 || (size_t)n >= sizeof(rel) ||
                    httputil_static_path(rel, (size_t)n, check, sizeof(check)) < 0 ||
                    fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        ld->root->skipped++;
                        continue;
                }
                if (S_ISLNK(st.st_mode)) {
                        char path[PATH_MAX + WEBROOT_MAX_NAME + 2], real[PATH_MAX];

                        snprintf(path, sizeof(path), "%s/%s", ld->real, rel);
                        if (!realpath(path, real) || !inside(ld, real) || stat(real, &st) < 0) {
                                ld->root->skipped++; /* a link out of the folder, or dangling */
                                continue;
                        }
                }
                if (S_ISDIR(st.st_mode) && depth < WEBROOT_MAX_DEPTH) {
                        int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        char subprefix[WEBROOT_MAX_NAME + 2];

                        snprintf(subprefix, sizeof(subprefix), "%s/", rel);
                        if (sub < 0 || walk(ld, sub, subprefix, depth + 1) == -ENOMEM)
                                r = sub < 0 ? 0 : -ENOMEM;
                } else if (S_ISREG(st.st_mode)) {
                        int a = add_file(ld, dirfd, de->d_name, rel);

                        if (a == -ENOMEM)
                                r = a;
                        else if (a < 0)
                                ld->root->skipped++;
                } else {
                        ld->root->skipped++;
                }
        }
        closedir(d);
        return r;
}

static int by_name(const void *a, const void *b)
{
        return strcmp(((const struct webroot_file *)a)->name,
                      ((const struct webroot_file *)b)->name);
}

static int by_hashed(const void *a, const void *b)
{
        return strcmp((*(struct webroot_file *const *)a)->hashed,
                      (*(struct webroot_file *const *)b)->hashed);
}

/* The second index (by hashed name) and the pages' list of hashed URLs. */
static int index_hashed(struct webroot *root)
{
        root->by_hash = calloc(root->n ? root->n : 1, sizeof(*root->by_hash));
        root->assets = calloc(root->n ? root->n : 1, sizeof(*root->assets));
        if (!root->by_hash || !root->assets)
                return -ENOMEM;
        for (size_t i = 0; i < root->n; i++) {
                struct webroot_file *f = &root->files[i];
                char *url;

                if (asprintf(&url, "/static/%s", f->hashed) < 0)
                        return -ENOMEM;
                root->assets[i] = (struct asset_name){.name = f->name, .url = url};
                root->by_hash[i] = f;
        }
        qsort(root->by_hash, root->n, sizeof(*root->by_hash), by_hashed);
        return 0;
}

int webroot_load(const char *dir, struct webroot **ret_root)
{
        struct loader ld = {0};
        int fd, r;

        if (!realpath(dir, ld.real))
                return -errno;
        fd = open(ld.real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        ld.root = calloc(1, sizeof(*ld.root));
        if (!ld.root) {
                close(fd);
                return -ENOMEM;
        }
        r = walk(&ld, fd, "", 0);
        if (r < 0) {
                webroot_free(ld.root);
                return r;
        }
        if (ld.root->n)
                qsort(ld.root->files, ld.root->n, sizeof(*ld.root->files), by_name);
        if (index_hashed(ld.root) < 0) {
                webroot_free(ld.root);
                return -ENOMEM;
        }
        *ret_root = ld.root;
        return 0;
}

void webroot_free(struct webroot *root)
{
        if (!root)
                return;
        for (size_t i = 0; i < root->n; i++) {
                free(root->files[i].name);
                free(root->files[i].hashed);
                encoded_done(&root->files[i].a);
                if (root->assets)
                        free((char *)root->assets[i].url);
        }
        free(root->files);
        free(root->by_hash);
        free(root->assets);
        free(root);
}

/* Binary search for @name among the files' own names, or their hashed names. */
static const struct webroot_file *search(const struct webroot *root, const char *name, bool hashed)
{
        size_t lo = 0, hi = root ? root->n : 0;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                const struct webroot_file *f = hashed ? root->by_hash[mid] : &root->files[mid];
                int c = strcmp(name, hashed ? f->hashed : f->name);

                if (c == 0)
                        return f;
                if (c < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return NULL;
}

const struct webroot_file *webroot_find(const struct webroot *root, const char *name,
                                        bool *ret_hashed)
{
        const struct webroot_file *f = search(root, name, false);

        *ret_hashed = false;
        if (f || !assets_is_hashed(name, strlen(name)))
                return f;
        f = search(root, name, true);
        *ret_hashed = f != NULL;
        return f;
}
