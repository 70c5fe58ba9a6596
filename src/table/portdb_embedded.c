/* portdb_embedded: the table generated at build time, linked in as read-only data.
 *
 * Nothing is parsed or checked at start-up: gen-portdb verified the blob when it wrote it.
 */
#include "portdb_embedded.h"

void portdb_open_embedded(struct portdb *db)
{
        portdb_attach(db, portdb_embedded_blob);
}
