/* feedback_pg_schema: the PostgreSQL vote store's schema as migrations (version 1: votes and
 * counts; 2: a vote in one statement; 3: the per-network cap on votes from new voters) and the
 * prepared statements.  Text only: feedback_pg.c runs them.
 */
#include "feedback_pg_schema.h"

/* Schema version 1: the same tables as the SQLite store; counts kept by a trigger so that no
 * code path can forget them.  Concurrent votes on one port queue on its counts row. */
static const char schema_v1[] =
    "CREATE TABLE votes ("
    "  port integer NOT NULL CHECK (port BETWEEN 0 AND 65535),"
    "  voter text NOT NULL CHECK (length(voter) = 32),"
    "  value smallint NOT NULL CHECK (value IN (0, 1, 2)),"
    "  time timestamptz NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (port, voter));"
    "CREATE TABLE counts ("
    "  port integer PRIMARY KEY CHECK (port BETWEEN 0 AND 65535),"
    "  sad bigint NOT NULL DEFAULT 0,"
    "  meh bigint NOT NULL DEFAULT 0,"
    "  happy bigint NOT NULL DEFAULT 0);"
    "CREATE FUNCTION portinfo_count_vote() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF TG_OP <> 'INSERT' THEN\n"
    "    UPDATE counts SET sad = sad - (OLD.value = 0)::int, meh = meh - (OLD.value = 1)::int,\n"
    "      happy = happy - (OLD.value = 2)::int WHERE port = OLD.port;\n"
    "  END IF;\n"
    "  IF TG_OP <> 'DELETE' THEN\n"
    "    INSERT INTO counts AS c (port, sad, meh, happy)\n"
    "      VALUES (NEW.port, (NEW.value = 0)::int, (NEW.value = 1)::int, (NEW.value = 2)::int)\n"
    "      ON CONFLICT (port) DO UPDATE SET sad = c.sad + excluded.sad,\n"
    "        meh = c.meh + excluded.meh, happy = c.happy + excluded.happy;\n"
    "  END IF;\n"
    "  RETURN NULL;\n"
    "END $$;"
    "CREATE TRIGGER votes_count AFTER INSERT OR DELETE OR UPDATE OF value ON votes"
    "  FOR EACH ROW EXECUTE PROCEDURE portinfo_count_vote();";

/* Schema version 2: a vote in one statement, so in one round trip.  The statement is its own
 * transaction, committed before the server says it is ready for the next one, which is when
 * PQexecPrepared returns; the counts it returns are read after the trigger ran. */
static const char schema_v2[] =
    "CREATE FUNCTION portinfo_vote(vote_port integer, vote_voter text, vote_value smallint)"
    "  RETURNS TABLE (n_sad bigint, n_meh bigint, n_happy bigint) LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  INSERT INTO votes (port, voter, value, time) VALUES (vote_port, vote_voter, vote_value,"
    "    now()) ON CONFLICT (port, voter) DO UPDATE SET value = excluded.value,"
    "    time = excluded.time;\n"
    "  RETURN QUERY SELECT c.sad, c.meh, c.happy FROM counts c WHERE c.port = vote_port;\n"
    "END $$;";

/* Schema version 3: the cap on votes from voters the store does not know yet (no cookie, or one
 * it never gave out), per network (an IPv4 /24 or IPv6 /64, as text; never a whole address),
 * port and UTC day.  The count is charged in the vote's own transaction and only when the vote
 * is taken: a conditional upsert, which under concurrent votes serializes on the row, so no two
 * servers can both take the last one.  A refused vote returns no row and changes nothing.  Days
 * before yesterday are dropped as votes come in. */
static const char schema_v3[] =
    "CREATE INDEX votes_voter ON votes (voter);"
    "CREATE TABLE vote_caps ("
    "  net text NOT NULL CHECK (length(net) <= 64),"
    "  port integer NOT NULL CHECK (port BETWEEN 0 AND 65535),"
    "  day integer NOT NULL,"
    "  n integer NOT NULL,"
    "  PRIMARY KEY (net, port, day));"
    "CREATE INDEX vote_caps_day ON vote_caps (day);"
    "CREATE FUNCTION portinfo_vote_capped(vote_port integer, vote_voter text,"
    "    vote_value smallint, vote_net text, vote_day integer, vote_limit integer)"
    "  RETURNS TABLE (n_sad bigint, n_meh bigint, n_happy bigint) LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  IF NOT EXISTS (SELECT 1 FROM votes v WHERE v.voter = vote_voter) THEN\n"
    "    INSERT INTO vote_caps AS c (net, port, day, n)\n"
    "      VALUES (vote_net, vote_port, vote_day, 1)\n"
    "      ON CONFLICT (net, port, day) DO UPDATE SET n = c.n + 1 WHERE c.n < vote_limit;\n"
    "    IF NOT FOUND THEN\n"
    "      RETURN;\n"
    "    END IF;\n"
    "    DELETE FROM vote_caps WHERE day < vote_day - 1;\n"
    "  END IF;\n"
    "  RETURN QUERY SELECT * FROM portinfo_vote(vote_port, vote_voter, vote_value);\n"
    "END $$;";

const char *const feedback_pg_migrations[PG_SCHEMA_VERSION] = {schema_v1, schema_v2, schema_v3};

const struct feedback_pg_statement feedback_pg_statements[] = {
    {"counts", "SELECT sad, meh, happy FROM counts WHERE port = $1", 1, {23}},
    {"vote_of", "SELECT value FROM votes WHERE port = $1 AND voter = $2", 2, {23, 25}},
    {"vote", "SELECT n_sad, n_meh, n_happy FROM portinfo_vote($1, $2, $3)", 3, {23, 25, 21}},
    {"vote_capped",
     "SELECT n_sad, n_meh, n_happy FROM portinfo_vote_capped($1, $2, $3, $4, $5, $6)",
     6,
     {23, 25, 21, 25, 23, 23}},
};

const size_t feedback_pg_n_statements =
    sizeof(feedback_pg_statements) / sizeof(feedback_pg_statements[0]);
