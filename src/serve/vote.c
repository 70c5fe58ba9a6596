/* vote: the names of the three vote values and the shape of a voter id.
 *
 * No storage and no randomness here: the store keeps votes, the server makes new ids.
 */
#include "vote.h"

#include <errno.h>
#include <string.h>

static const char *const vote_names[VOTE_COUNT] = {"sad", "meh", "happy"};

int vote_parse(const char *s, enum vote *ret_vote)
{
        for (int v = 0; v < VOTE_COUNT; v++)
                if (strcmp(s, vote_names[v]) == 0) {
                        *ret_vote = (enum vote)v;
                        return 0;
                }
        return -EINVAL;
}

const char *vote_name(int v)
{
        return v >= 0 && v < VOTE_COUNT ? vote_names[v] : NULL;
}

bool voter_id_valid(const char *s)
{
        size_t i;

        for (i = 0; i < VOTER_ID_LEN; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return s[i] == '\0';
}
