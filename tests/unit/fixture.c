/* fixture: reading a test's input files, under cmocka (a failure ends the running test). */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

char *unit_read_file(const char *path, size_t *ret_len)
{
        FILE *f = fopen(path, "rb");
        char *buf;
        long n;

        if (!f)
                fail_msg("cannot open %s", path);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        n = ftell(f);
        assert_true(n >= 0);
        rewind(f);
        buf = malloc((size_t)n + 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
        buf[n] = '\0';
        fclose(f);
        *ret_len = (size_t)n;
        return buf;
}

char *unit_fixture(const char *dir, const char *name, size_t *ret_len)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s/%s", FIXTURE_DIR, dir, name);
        return unit_read_file(path, ret_len);
}
