/* fuzz: what portinfo's fuzz targets share: the libFuzzer entry point, checks that abort, and
 * walks over an accepted blob or a successfully read registry.
 *
 * Only for tests/fuzz; nothing here is part of portinfo itself.
 */
#ifndef PORTINFO_FUZZ_H
#define PORTINFO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "portdb.h"
#include "registry.h"
#include "registry_blob.h"
#include "registry_csv.h"
#include "registry_xml.h"
#include "unofficial_tsv.h"

/* Runs one input of @size bytes at @data (libFuzzer's entry point, also called by replay.c).
 * Returns 0; a bug shows as a sanitizer report or an abort. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints where a check failed and aborts, so that libFuzzer and the replay both see a crash. */
void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

#define FUZZ_CHECK(cond)                                                                           \
        do {                                                                                       \
                if (!(cond))                                                                       \
                        fuzz_fail(__FILE__, __LINE__, #cond);                                      \
        } while (0)

/* Runs portdb_search for @query over @db and checks the shape of the answer. */
void fuzz_search(const struct portdb *db, const char *query);

/* Walks every kind of lookup over @db (a blob that passed verification): refs, status and
 * unofficial uses at each entry's ports and a sample of the others, every entry, the name index
 * and a few searches.  Every string handed out is read to its end, so a bad offset shows. */
void fuzz_exercise_db(const struct portdb *db);

/* Builds the blob of @reg (a registry a reader accepted), checks that it verifies, walks it and
 * checks that the records of @reg are found by lookup.  @reg stays the caller's. */
void fuzz_check_registry(const struct registry *reg);

/* Reads @size bytes at @data with registry_read_any when they look like the format of
 * @want_xml (as registry_read_any tells them apart) and checks that the answer matches the
 * direct reader's: @want_ret and @want_recs records. */
void fuzz_check_read_any(const uint8_t *data, size_t size, bool want_xml, int want_ret,
                         size_t want_recs);

#endif
