/* render_who_table: the sockets of `who` and the findings of `audit` as records.
 *
 * Reads the JSON objects render_who_json.c builds and prints their fields; decides nothing.
 */
#include "render_who_table.h"

#include <stdio.h>
#include <string.h>

/* Field @key of @o as text ("" for null or absent), in @buf (@size bytes) for numbers. */
static const char *text_of(const json_t *o, const char *key, char *buf, size_t size)
{
        const json_t *v = json_object_get(o, key);

        if (json_is_string(v))
                return json_string_value(v);
        if (json_is_integer(v)) {
                snprintf(buf, size, "%lld", (long long)json_integer_value(v));
                return buf;
        }
        if (json_is_true(v))
                return "true";
        if (json_is_false(v))
                return "false";
        return "";
}

/* The processes of socket @s: their pids and names, each joined by commas. */
static void processes(const json_t *s, char *pids, size_t psize, char *names, size_t nsize)
{
        const json_t *procs = json_object_get(s, "processes"), *p;
        size_t i, np = 0, nn = 0;

        pids[0] = names[0] = '\0';
        json_array_foreach(procs, i, p)
        {
                char buf[24];

                if (np < psize)
                        np += (size_t)snprintf(pids + np, psize - np, "%s%s", i ? "," : "",
                                               text_of(p, "pid", buf, sizeof(buf)));
                if (nn < nsize)
                        nn += (size_t)snprintf(names + nn, nsize - nn, "%s%s", i ? "," : "",
                                               text_of(p, "name", buf, sizeof(buf)));
        }
}

void render_who_table(const struct table *t, const json_t *sockets)
{
        static const char *const cols[] = {
            "protocol",    "family", "state", "local_address", "local_port", "remote_address",
            "remote_port", "user",   "pids",  "processes",     "service",    "netns",
        };
        const size_t n = sizeof(cols) / sizeof(cols[0]);
        const json_t *s;
        size_t i;

        table_row(t, cols, n);
        json_array_foreach(sockets, i, s)
        {
                char bufs[12][24], pids[256], names[512];
                const char *f[12];

                processes(s, pids, sizeof(pids), names, sizeof(names));
                for (size_t c = 0; c < n; c++)
                        f[c] = text_of(s, cols[c], bufs[c], sizeof(bufs[c]));
                f[8] = pids;
                f[9] = names;
                table_row(t, f, n);
        }
}

void render_audit_table(const struct table *t, const json_t *audit)
{
        static const char *const cols[] = {
            "severity", "rule", "protocol",  "local_address", "local_port",
            "user",     "pids", "processes", "exe",           "message",
        };
        const size_t n = sizeof(cols) / sizeof(cols[0]);
        const json_t *l, *finding;
        size_t i, k;

        table_row(t, cols, n);
        json_array_foreach(json_object_get(audit, "listeners"), i, l)
        {
                char bufs[10][24], pids[256], names[512];
                const json_t *p0 = json_array_get(json_object_get(l, "processes"), 0);

                processes(l, pids, sizeof(pids), names, sizeof(names));
                json_array_foreach(json_object_get(l, "findings"), k, finding)
                {
                        const char *f[10] = {
                            text_of(finding, "severity", bufs[0], sizeof(bufs[0])),
                            text_of(finding, "rule", bufs[1], sizeof(bufs[1])),
                            text_of(l, "protocol", bufs[2], sizeof(bufs[2])),
                            text_of(l, "local_address", bufs[3], sizeof(bufs[3])),
                            text_of(l, "local_port", bufs[4], sizeof(bufs[4])),
                            text_of(l, "user", bufs[5], sizeof(bufs[5])),
                            pids,
                            names,
                            p0 ? text_of(p0, "exe", bufs[8], sizeof(bufs[8])) : "",
                            text_of(finding, "message", bufs[9], sizeof(bufs[9])),
                        };

                        table_row(t, f, n);
                }
        }
}
