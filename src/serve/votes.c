/* votes: the handlers of the "was this page helpful?" votes: POST /ports/N/feedback records one,
 * GET /api/ports/N/feedback reads the counts; the voter cookie is made here.
 *
 * Who may vote (same origin, an allowed origin) and which network a new voter counts against
 * (--votes-per-address) are decided here; how a vote is stored and the cap kept is
 * feedback.c's, and the pages that show counts are pages.c's.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "httputil.h"
#include "routes.h"
#include "server.h"

#define VOTER_COOKIE_MAX_AGE 31536000 /* a year */

static void reply_counts_json(struct reply *rp, int status, const struct feedback_counts *c,
                              int vote)
{
        char *text = NULL;
        int r;

        if (vote >= 0)
                r = asprintf(&text, "{\"sad\":%u,\"meh\":%u,\"happy\":%u,\"vote\":\"%s\"}",
                             c->n[VOTE_SAD], c->n[VOTE_MEH], c->n[VOTE_HAPPY], vote_name(vote));
        else
                r = asprintf(&text, "{\"sad\":%u,\"meh\":%u,\"happy\":%u}", c->n[VOTE_SAD],
                             c->n[VOTE_MEH], c->n[VOTE_HAPPY]);
        reply_json_text(rp, status, "no-store", r < 0 ? NULL : text);
}

void votes_get(struct worker *w, struct evhttp_request *req, struct reqinfo *ri, struct reply *rp)
{
        struct feedback_counts c;
        int r = w->fb ? feedback_counts(w->fb, ri->port, &c) : -ENOENT;
        int mine = -1;

        if (r < 0) {
                reply_error(w, ri, rp, 503, "the vote store is unavailable");
                return;
        }
        /* The voter's own vote too, so that a page can show it pressed. */
        if (ri->has_voter && feedback_vote_of(w->fb, ri->port, ri->voter, &mine) < 0)
                mine = -1;
        reply_counts_json(rp, 200, &c, mine);
}

static void new_voter(char out[VOTER_ID_LEN + 1])
{
        static const char hex[] = "0123456789abcdef";
        unsigned char raw[VOTER_ID_LEN / 2];
        size_t got = 0;

        while (got < sizeof(raw)) {
                ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        abort(); /* the kernel's random source cannot fail once seeded */
                got += (size_t)n;
        }
        for (size_t i = 0; i < sizeof(raw); i++) {
                out[2 * i] = hex[raw[i] >> 4];
                out[2 * i + 1] = hex[raw[i] & 15];
        }
        out[VOTER_ID_LEN] = '\0';
}

/* Reads the vote from the form: checks who sends it, the form's size and type and value, and
 * the language to answer in.  Returns true with *ret_vote set, or false with @rp an error. */
static bool read_vote(struct worker *w, struct evhttp_request *req, struct reqinfo *ri,
                      struct reply *rp, enum vote *ret_vote)
{
        struct evkeyvalq *in = evhttp_request_get_input_headers(req);
        struct evbuffer *body = evhttp_request_get_input_buffer(req);
        const char *ctype = evhttp_find_header(in, "Content-Type");
        size_t len = evbuffer_get_length(body);
        char value[16], lang[8];
        const char *form, *origin;
        int r;

        ri->wants_json = httputil_accepts_json(evhttp_find_header(in, "Accept"));
        /* Answers, refusals included, in the voter's language: the path (/pl/ports/N/feedback),
         * the Polish page the form was sent from, or (once the form is read) its lang field. */
        if (httputil_referer_is_polish(evhttp_find_header(in, "Referer"),
                                       evhttp_find_header(in, "Host")))
                ri->lang = LANG_PL;
        origin = evhttp_find_header(in, "Origin");
        if (!ri->cors_origin && !httputil_same_origin(origin, evhttp_find_header(in, "Host"),
                                                      evhttp_find_header(in, "Sec-Fetch-Site"))) {
                /* "null" is what any page can make its browser send (a no-referrer policy, a
                 * sandboxed frame), so it proves nothing; an allowed site's page names itself
                 * under strict-origin-when-cross-origin (docs/security.md). */
                reply_error(w, ri, rp, 403,
                            origin && strcmp(origin, "null") == 0
                                ? "Votes are taken only from pages that say where they come "
                                  "from; this one was sent with Origin: null (its site's "
                                  "Referrer-Policy hides it)."
                                : "Votes are taken only from this site's own pages.");
                return false;
        }
        if (len > MAX_FORM_BYTES) {
                reply_error(w, ri, rp, 413, "The form is too large.");
                return false;
        }
        if (ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0) {
                reply_error(w, ri, rp, 415,
                            "Send the vote as a form (application/x-www-form-urlencoded).");
                return false;
        }
        form = len ? (const char *)evbuffer_pullup(body, -1) : "";
        if (form && httputil_form_field(form, len, "lang", lang, sizeof(lang)) == 0 &&
            strcmp(lang, "pl") == 0)
                ri->lang = LANG_PL;
        r = form ? httputil_form_field(form, len, "vote", value, sizeof(value)) : -ENOMEM;
        if (r < 0 || vote_parse(value, ret_vote) < 0) {
                reply_error(w, ri, rp, 400, "The vote must be one of sad, meh or happy.");
                return false;
        }
        return true;
}

/* Words the store's failure @r for the voter (@cap: the cap the store applied, if any); false
 * when there was none. */
static bool store_failed(struct worker *w, const struct reqinfo *ri, struct reply *rp, int r,
                         const struct vote_cap *cap)
{
        if (r == -ENOTCONN)
                reply_error(w, ri, rp, 503,
                            "The vote store cannot be reached right now; the vote was not "
                            "recorded. The pages still work; please try again later.");
        else if (r == -EBUSY || r == -EROFS || r == -ENOSPC)
                reply_error(w, ri, rp, 503,
                            "The vote store is busy or full; the vote was not recorded. Please "
                            "try again.");
        else if (r == -EDQUOT) {
                /* The cap's day ends at the next UTC midnight (at least a second from now). */
                long long left = cap ? (cap->day + 1) * 86400 - (long long)time(NULL) : 0;

                rp->retry_after = left > 0 ? (long)left : 1;
                reply_error(w, ri, rp, 429,
                            "Too many votes on this page today from your network by browsers "
                            "that had not voted here before; this vote was not counted. A "
                            "browser that has voted on this site before can still vote.");
        } else if (r < 0)
                reply_error(w, ri, rp, 500, "The vote could not be recorded.");
        return r < 0;
}

/* Fills @cap for a vote from @req's client: its network (the socket's peer: no forwarding
 * header is trusted), today in UTC and the configured limit.  NULL when there is no cap (or the
 * peer is not an IP address, as on a Unix socket). */
static const struct vote_cap *cap_for(struct worker *w, struct evhttp_request *req,
                                      struct vote_cap *cap, char net[VOTE_NET_LEN])
{
        struct evhttp_connection *evcon = evhttp_request_get_connection(req);
        const struct sockaddr *sa = evcon ? evhttp_connection_get_addr(evcon) : NULL;

        if (w->cfg->votes_per_address == 0 || !sa || vote_net(sa, net) < 0)
                return NULL;
        cap->net = net;
        cap->day = (long long)(time(NULL) / 86400);
        cap->limit = w->cfg->votes_per_address;
        return cap;
}

void votes_post(struct worker *w, struct evhttp_request *req, struct reqinfo *ri, struct reply *rp)
{
        struct feedback_counts c;
        struct vote_cap cap_buf;
        const struct vote_cap *cap;
        char net[VOTE_NET_LEN];
        enum vote vote;

        if (!read_vote(w, req, ri, rp, &vote))
                return;
        if (!feedback_writable(w->fb)) {
                reply_error(w, ri, rp, 503,
                            "Votes cannot be recorded right now (the vote store is read-only or "
                            "unavailable); the pages still work.");
                return;
        }
        if (!ri->has_voter) {
                new_voter(ri->voter);
                ri->has_voter = true;
        }
        cap = cap_for(w, req, &cap_buf, net);
        if (store_failed(w, ri, rp, feedback_record(w->fb, ri->port, ri->voter, vote, cap, &c),
                         cap))
                return;
        atomic_fetch_add_explicit(&w->srv->vote_gen, 1, memory_order_release);
        metrics_vote(w->metrics, vote);
        snprintf(rp->cookie, sizeof(rp->cookie),
                 "voter=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict", ri->voter,
                 VOTER_COOKIE_MAX_AGE);
        if (ri->wants_json) {
                reply_counts_json(rp, 200, &c, (int)vote);
                return;
        }
        /* A form sent from another allowed site (a static export) goes back to that site's
         * page, not to this server's copy of it. */
        reply_redirect(rp, 303, "%s%s/ports/%u#feedback", ri->cors_origin ? ri->cors_origin : "",
                       ri->lang == LANG_PL ? "/pl" : "", ri->port);
}
