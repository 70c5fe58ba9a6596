/* peers: client addresses (IPv4, IPv6 /64) to connection counts: a chained hash table with a
 * random seed.  Counting and which connection is whose are the caller's; no sockets here. */
#include "peers.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define MIN_BITS 6
#define MAX_BITS 20

static uint64_t load_be64(const uint8_t *b)
{
        uint64_t v = 0;

        for (int i = 0; i < 8; i++)
                v = v << 8 | b[i];
        return v;
}

int peers_key(const struct sockaddr *sa, uint8_t *ret_family, uint64_t *ret_key)
{
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

        if (sa->sa_family == AF_INET) {
                const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

                *ret_family = AF_INET;
                *ret_key = ntohl(in->sin_addr.s_addr);
                return 0;
        }
        if (sa->sa_family == AF_INET6) {
                const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;

                if (memcmp(a, mapped, sizeof(mapped)) == 0) {
                        *ret_family = AF_INET;
                        *ret_key = (uint64_t)a[12] << 24 | (uint64_t)a[13] << 16 |
                                   (uint64_t)a[14] << 8 | a[15];
                        return 0;
                }
                *ret_family = AF_INET6;
                *ret_key = load_be64(a);
                return 0;
        }
        return -EAFNOSUPPORT;
}

int peers_init(struct peers *t, unsigned expect)
{
        unsigned bits = MIN_BITS;

        memset(t, 0, sizeof(*t));
        while (bits < MAX_BITS && (1u << bits) < expect)
                bits++;
        t->buckets = calloc((size_t)1 << bits, sizeof(*t->buckets));
        if (!t->buckets)
                return -ENOMEM;
        t->bits = bits;
        if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) != sizeof(t->seed)) {
                struct timespec ts;

                clock_gettime(CLOCK_MONOTONIC, &ts); /* no entropy yet: still differs per run */
                t->seed = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)ts.tv_sec;
        }
        return 0;
}

void peers_done(struct peers *t)
{
        if (!t->buckets)
                return;
        for (size_t i = 0; i < (size_t)1 << t->bits; i++) {
                struct peer *p, *next;

                for (p = t->buckets[i]; p; p = next) {
                        next = p->next;
                        free(p);
                }
        }
        free(t->buckets);
        memset(t, 0, sizeof(*t));
}

/* Multiply-shift over the seeded key (a 64-bit mix first, so that keys differing only in low
 * bits spread over every bucket). */
static size_t bucket_of(const struct peers *t, uint8_t family, uint64_t key)
{
        uint64_t h = (key ^ t->seed) + family;

        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdu;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53u;
        h ^= h >> 33;
        return (size_t)(h >> (64 - t->bits));
}

struct peer *peers_get(struct peers *t, const struct sockaddr *sa)
{
        uint8_t family;
        uint64_t key;
        size_t b;
        struct peer *p;

        if (!t->buckets || peers_key(sa, &family, &key) < 0)
                return NULL;
        b = bucket_of(t, family, key);
        for (p = t->buckets[b]; p; p = p->next)
                if (p->key == key && p->family == family)
                        return p;
        p = calloc(1, sizeof(*p));
        if (!p)
                return NULL;
        p->key = key;
        p->family = family;
        p->next = t->buckets[b];
        t->buckets[b] = p;
        t->n++;
        return p;
}

void peers_put(struct peers *t, struct peer *p)
{
        struct peer **pp;

        if (!p || p->count > 0)
                return;
        for (pp = &t->buckets[bucket_of(t, p->family, p->key)]; *pp; pp = &(*pp)->next)
                if (*pp == p) {
                        *pp = p->next;
                        t->n--;
                        free(p);
                        return;
                }
}
