/* render_who_brief: `who --brief`: a line per socket, as ss -tulpn prints them, and the name of
 * the port from the table.
 *
 * Two passes: the cells of every line first (to size the columns), then the lines.  Text that
 * came from a process or the registry goes through term_puts, which neutralises control
 * characters.  What a port is, at length, is the plain `who`'s business.
 */
#include "render_who_brief.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "render_who_text.h"

enum { COL_PROTO, COL_STATE, COL_LOCAL, COL_PEER, COL_PROCESS, COL_USER, COL_NAME, N_COLS };

#define MAX_HOLDERS_SHOWN 3
#define CELL_MAX          256

static const char *const headers[N_COLS] = {"Proto",   "State", "Local",    "Peer",
                                            "Process", "User",  "Port name"};

struct brief_line {
        char *cell[N_COLS]; /* one allocation: cell[0] owns it */
};

/* "sshd/812", "nginx/41,nginx/42", "nginx/41,nginx/42,nginx/43,+2", or "-". */
static void process_cell(const struct inspect_report *rep, const struct inspect_socket *s,
                         char *buf, size_t size)
{
        size_t len = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < s->n_holds && i < MAX_HOLDERS_SHOWN && len < size; i++) {
                const struct procmap_proc *p = inspect_proc(rep, s, i);

                len += (size_t)snprintf(buf + len, size - len, "%s%s/%d", i ? "," : "",
                                        p->name ? p->name : "?", p->pid);
        }
        if (s->n_holds > MAX_HOLDERS_SHOWN && len < size)
                snprintf(buf + len, size - len, ",+%zu", s->n_holds - MAX_HOLDERS_SHOWN);
        if (s->n_holds == 0)
                snprintf(buf, size, "%s", s->row.inode && !rep->root ? "?" : "-");
}

/* "ssh", "ms-wbt-server (RDP)", "Jenkins (unofficial)", "unassigned" or "reserved". */
static void name_cell(const struct portdb *db, const struct inspect_socket *s, char *buf,
                      size_t size)
{
        struct answer a;

        answer_build(&a, db, s->row.lport, PROTO_BIT((enum proto)s->row.proto));
        if (a.service_entry && a.n_akas)
                snprintf(buf, size, "%s (%s)", portdb_str(db, a.service_entry->service),
                         portdb_str(db, a.akas[0].alias->name));
        else if (a.service_entry)
                snprintf(buf, size, "%s", portdb_str(db, a.service_entry->service));
        else
                snprintf(buf, size, "%s", portdb_status_name(a.status));
        if (a.service_entry)
                return;
        for (size_t i = 0; i < a.n_uses_all; i++) {
                const struct portdb_unofficial *u = &a.uses[i];

                if (answer_has_use(&a, u) && u->kind != UO_MALWARE) {
                        snprintf(buf, size, "%s (unofficial)", portdb_str(db, u->name));
                        return;
                }
        }
}

/* Fills @l with the cells of @s.  Returns 0 or -ENOMEM. */
static int make_line(const struct portdb *db, const struct inspect_report *rep,
                     const struct inspect_socket *s, struct brief_line *l)
{
        char cells[N_COLS][CELL_MAX];
        size_t total = 0;
        char *p;

        snprintf(cells[COL_PROTO], CELL_MAX, "%s", portdb_proto_name((enum proto)s->row.proto));
        snprintf(cells[COL_STATE], CELL_MAX, "%s",
                 sock_state_name((enum proto)s->row.proto, s->row.state));
        render_who_endpoint(rep, &s->row, true, cells[COL_LOCAL], CELL_MAX);
        if (s->listener)
                snprintf(cells[COL_PEER], CELL_MAX, "*");
        else
                render_who_endpoint(rep, &s->row, false, cells[COL_PEER], CELL_MAX);
        process_cell(rep, s, cells[COL_PROCESS], CELL_MAX);
        if (s->user)
                snprintf(cells[COL_USER], CELL_MAX, "%s", s->user);
        else
                snprintf(cells[COL_USER], CELL_MAX, "%u", s->row.uid);
        name_cell(db, s, cells[COL_NAME], CELL_MAX);
        for (int c = 0; c < N_COLS; c++)
                total += strlen(cells[c]) + 1;
        p = malloc(total);
        if (!p)
                return -ENOMEM;
        for (int c = 0; c < N_COLS; c++) {
                size_t n = strlen(cells[c]) + 1;

                l->cell[c] = memcpy(p, cells[c], n);
                p += n;
        }
        return 0;
}

/* Prints @cell padded to @width columns (no padding after the last column). */
static void put_cell(const struct term *t, const char *cell, int width, bool last)
{
        int w = term_width_of(cell);

        term_puts(t, cell, false);
        if (!last)
                fprintf(t->out, "%*s", (w < width ? width - w : 0) + 1, "");
}

int render_who_brief(const struct term *t, const struct portdb *db,
                     const struct inspect_report *rep)
{
        struct brief_line *lines = calloc(rep->n ? rep->n : 1, sizeof(*lines));
        int width[N_COLS];
        int r = 0;

        if (!lines)
                return -ENOMEM;
        for (int c = 0; c < N_COLS; c++)
                width[c] = term_width_of(headers[c]);
        for (size_t i = 0; i < rep->n && r == 0; i++) {
                r = make_line(db, rep, &rep->socks[i], &lines[i]);
                for (int c = 0; c < N_COLS && r == 0; c++) {
                        int w = term_width_of(lines[i].cell[c]);

                        if (w > width[c])
                                width[c] = w > RENDER_BRIEF_MAX_COL ? RENDER_BRIEF_MAX_COL : w;
                }
        }
        if (r == 0) {
                term_style(t, STYLE_BOLD);
                for (int c = 0; c < N_COLS; c++)
                        put_cell(t, headers[c], width[c], c == N_COLS - 1);
                term_reset(t);
                fputc('\n', t->out);
                for (size_t i = 0; i < rep->n; i++) {
                        for (int c = 0; c < N_COLS; c++)
                                put_cell(t, lines[i].cell[c], width[c], c == N_COLS - 1);
                        fputc('\n', t->out);
                }
        }
        for (size_t i = 0; i < rep->n; i++)
                free(lines[i].cell[0]);
        free(lines);
        return r;
}
