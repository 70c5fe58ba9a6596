/* fixture: the unit tests' one way to read a file they are given. */
#ifndef PORTINFO_TEST_FIXTURE_H
#define PORTINFO_TEST_FIXTURE_H

#include <stddef.h>

/* The whole of @path, NUL-terminated (the NUL not counted in *@ret_len); ends the running
 * test with a message when the file cannot be read.  The caller frees it. */
char *unit_read_file(const char *path, size_t *ret_len);

/* The same for tests/fixtures/@dir/@name. */
char *unit_fixture(const char *dir, const char *name, size_t *ret_len);

#endif
