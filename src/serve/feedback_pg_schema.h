/* feedback_pg_schema: the PostgreSQL vote store's schema, one migration per version, and the
 * statements every connection prepares.
 *
 * Text only: feedback_pg.c runs the migrations and the statements; nothing here connects.
 */
#ifndef PORTINFO_FEEDBACK_PG_SCHEMA_H
#define PORTINFO_FEEDBACK_PG_SCHEMA_H

#include <stddef.h>

/* The schema version this build writes (schema_version.version); one migration each. */
#define PG_SCHEMA_VERSION 3

/* Entry i takes the schema from version i to i + 1. */
extern const char *const feedback_pg_migrations[PG_SCHEMA_VERSION];

/* A statement prepared on every connection: its name, SQL, parameter count and types (int4 23,
 * text 25, int2 21). */
struct feedback_pg_statement {
        const char *name, *sql;
        int nparams;
        unsigned types[6];
};

extern const struct feedback_pg_statement feedback_pg_statements[];
extern const size_t feedback_pg_n_statements;

#endif
