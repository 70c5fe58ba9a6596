/* vote: the names of the three vote values, the shape of a voter id, and the network a client
 * address counts as for the vote cap.
 *
 * No storage and no randomness here: the store keeps votes and counts against the cap, the
 * server makes new ids.
 */
#include "vote.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdint.h>
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

int vote_net(const struct sockaddr *sa, char out[VOTE_NET_LEN])
{
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        struct in_addr v4;
        struct in6_addr v6;
        char text[INET6_ADDRSTRLEN];

        out[0] = '\0';
        if (sa->sa_family == AF_INET) {
                v4 = ((const struct sockaddr_in *)sa)->sin_addr;
        } else if (sa->sa_family == AF_INET6) {
                v6 = ((const struct sockaddr_in6 *)sa)->sin6_addr;
                if (memcmp(v6.s6_addr, mapped, sizeof(mapped)) != 0) {
                        memset(v6.s6_addr + 8, 0, 8); /* the /64 */
                        inet_ntop(AF_INET6, &v6, text, sizeof(text));
                        snprintf(out, VOTE_NET_LEN, "%s/64", text);
                        return 0;
                }
                memcpy(&v4, v6.s6_addr + 12, 4);
        } else {
                return -EAFNOSUPPORT;
        }
        ((uint8_t *)&v4)[3] = 0; /* the /24: the address is in network order */
        inet_ntop(AF_INET, &v4, text, sizeof(text));
        snprintf(out, VOTE_NET_LEN, "%s/24", text);
        return 0;
}
