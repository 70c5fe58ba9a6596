/* replay: runs a fuzz target over saved inputs, for builds without libFuzzer (gcc, ASan/UBSan).
 *
 * Each argument is a file or a directory whose entries (hidden files aside) are inputs, run in
 * name order.  It does not mutate anything: that is libFuzzer's job under -Dfuzzing=true.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Reads the file at @path into a buffer of exactly its size (so that ASan sees any read past
 * it) and runs the target on it.  Returns 0 or -errno. */
static int run_file(const char *path)
{
        struct stat st;
        uint8_t *buf;
        size_t len = 0;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return -EINVAL;
        }
        buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        while (len < (size_t)st.st_size) {
                ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

                if (n <= 0) {
                        free(buf);
                        close(fd);
                        return n < 0 ? -errno : -EIO;
                }
                len += (size_t)n;
        }
        close(fd);
        printf("%s\n", path);
        fflush(stdout); /* the last name printed is the input that crashed */
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        return 0;
}

static int visible(const struct dirent *d)
{
        return d->d_name[0] != '.';
}

/* Runs every input in @dir; adds their number to *count.  Returns 0 or -errno. */
static int run_dir(const char *dir, size_t *count)
{
        struct dirent **names;
        int n = scandir(dir, &names, visible, alphasort), ret = 0;

        if (n < 0)
                return -errno;
        for (int i = 0; i < n; i++) {
                char path[4096];

                if (ret == 0) {
                        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) >=
                            sizeof(path))
                                ret = -ENAMETOOLONG;
                        else
                                ret = run_file(path);
                        if (ret == 0)
                                (*count)++;
                        else
                                fprintf(stderr, "replay: %s: %s\n", path, strerror(-ret));
                }
                free(names[i]);
        }
        free(names);
        return ret;
}

int main(int argc, char **argv)
{
        size_t count = 0;

        if (argc < 2) {
                fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
                return 2;
        }
        for (int i = 1; i < argc; i++) {
                struct stat st;
                int r;

                if (stat(argv[i], &st) < 0) {
                        fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
                        return 2;
                }
                if (S_ISDIR(st.st_mode)) {
                        r = run_dir(argv[i], &count);
                } else {
                        r = run_file(argv[i]);
                        if (r == 0)
                                count++;
                        else
                                fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(-r));
                }
                if (r < 0)
                        return 2;
        }
        if (count == 0) {
                fprintf(stderr, "replay: no inputs\n");
                return 1;
        }
        printf("replay: %zu inputs, no crash\n", count);
        return 0;
}
