/* page_error: the plain page sent with an HTTP error status.  Which status to send is the
 * server's decision, not this page's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_common.h"
#include "page_error.h"

/* ---- errors ------------------------------------------------------------------------------- */

int page_error_render(struct buf *b, int status, const struct html_ctx *ctx)
{
        locale_t old = html_lang_enter(ctx->lang);
        struct page pg = {b, NULL, ctx, ctx->lang < LANG_COUNT ? ctx->lang : LANG_EN, NULL};
        const char *title, *text;

        pg.pfx = html_lang_prefix[pg.lang];
        switch (status) {
        case 400:
                title = _("Bad request");
                text = _("The server could not understand this request.");
                break;
        case 403:
                title = _("Forbidden");
                text = _("This address does not take requests from other sites. Votes are taken "
                         "only from this site's own pages.");
                break;
        case 404:
                title = _("Page not found");
                text = _("There is no page at this address. Port pages live at /ports/N, for N "
                         "from 0 to 65535.");
                break;
        case 405:
                title = _("Method not allowed");
                text = _("This address does not accept that kind of request.");
                break;
        case 413:
                title = _("Request too large");
                text = _("The request carried more data than this site accepts.");
                break;
        case 414:
                title = _("Address too long");
                text = _("The address is longer than this site accepts.");
                break;
        case 429:
                title = _("Too many votes");
                text = _("Your network has already sent as many votes on this page today as "
                         "this site takes from browsers that have not voted here before, so "
                         "this vote was not counted. Votes from a browser that has voted on "
                         "this site before still count.");
                break;
        case 415:
                title = _("Unsupported form");
                text = _("This address takes only forms sent the way a browser sends them.");
                break;
        case 431:
                title = _("Request headers too large");
                text = _("The request carried more header data than this site accepts.");
                break;
        case 501:
                title = _("Method not supported");
                text = _("The server does not support this kind of request.");
                break;
        case 505:
                title = _("HTTP version not supported");
                text = _("The server speaks HTTP/1.0 and HTTP/1.1 only.");
                break;
        case 503:
                title = _("Service unavailable");
                text = _("Part of the site is unavailable for the moment. If you were voting, "
                         "your vote was not recorded; the pages are still served. Please try "
                         "again in a moment.");
                break;
        default:
                title = _("Something went wrong");
                text = _("The server failed to answer this request. Please try again later.");
                break;
        }
        html_page_open(&pg, title, NULL, NULL, NULL);
        buf_printf(b, "<div class=\"error\">\n<p class=\"code\">%d</p>\n", status);
        html_say(b, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", title, text);
        html_search_form(&pg, NULL, false);
        buf_printf(b, "<p><a href=\"%s/\">", pg.pfx);
        html_say(b, "%s</a> · ", _("Home"));
        buf_printf(b, "<a href=\"%s/ports\">", pg.pfx);
        html_say(b, "%s</a></p>\n</div>\n", _("Ports by range"));
        html_page_close(&pg);
        html_lang_leave(old);
        return buf_error(b);
}
