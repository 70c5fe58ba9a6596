/* replay: runs one of the who/audit fuzz targets over saved inputs, for builds without
 * libFuzzer (gcc, ASan/UBSan), so that every build replays every corpus.
 *
 * Each argument is a file or a directory whose visible entries are inputs, run in name order.
 * It mutates nothing; fuzzing itself is libFuzzer's job (-Dfuzzing=true).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the target on the file at @path, read into a buffer of exactly its size. */
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

int main(int argc, char **argv)
{
        size_t count = 0;

        for (int i = 1; i < argc; i++) {
                struct dirent **names;
                int n = scandir(argv[i], &names, visible, alphasort);

                if (n < 0) {
                        int r = run_file(argv[i]);

                        if (r < 0) {
                                fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(-r));
                                return 1;
                        }
                        count++;
                        continue;
                }
                for (int k = 0; k < n; k++) {
                        char path[4096];
                        int r;

                        snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]->d_name);
                        r = run_file(path);
                        if (r < 0) {
                                fprintf(stderr, "replay: %s: %s\n", path, strerror(-r));
                                return 1;
                        }
                        count++;
                        free(names[k]);
                }
                free(names);
        }
        printf("replayed %zu inputs\n", count);
        return count ? 0 : 1;
}
