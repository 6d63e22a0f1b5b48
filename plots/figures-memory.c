/* figures-memory.c — the data step of the memory figure, drawn from a
 * model's memory pass (memory/<config-id>.csv, results/memseries.h; see
 * figure.h). */
#include "figure.h"

#include <stdio.h>
#include <unistd.h>

#include "format.h"
#include "memseries.h"

/* OUT/memory/<id>.csv, and how a driver in OUT/plots/data names it. */
static void memory_path(const plot_ctx *c, const char *id, char *path, size_t len)
{
    snprintf(path, len, "%s/memory/%s.csv", c->dir, id);
}

bool fig_prepare_memory(plot_ctx *c, figure *fig)
{
    const agg *pick[MAX_COLLECTORS];
    char names[MAX_COLLECTORS][96];
    unsigned rgb[MAX_COLLECTORS];
    plot_mark mk;
    bool marked;
    size_t n = plot_picks(c, fig->wl, pick, names, rgb, &mk, &marked);
    size_t drawn = 0;
    double most = 0;
    const agg *most_of = NULL;
    for (size_t i = 0; i < n; i++) {
        char path[4400], err[600];
        memory_path(c, pick[i]->id, path, sizeof path);
        gct_mem_series s;
        if (access(path, R_OK) != 0 || gct_mem_series_read(path, &s, err, sizeof err) != 0)
            continue;
        for (size_t k = 0; k < s.n; k++)
            if ((double)s.rows[k].garbage_bytes > most) {
                most = (double)s.rows[k].garbage_bytes;
                most_of = pick[i];
            }
        gct_mem_series_free(&s);
        drawn++;
        char title[200];
        if (names[i][0])
            snprintf(title, sizeof title, "%.95s", names[i]);
        else
            gct_summary_label(pick[i], title, sizeof title);
        fig_varf(fig, "file_%zu = '../../memory/%s.csv'\ntitle_%zu = '%s'\ncolor_%zu = '#%06x'\n",
                 drawn, pick[i]->id, drawn, title, drawn, rgb[i]);
    }
    if (!drawn)
        return FIG_SKIP(c, "%s: skipped, no memory samples for %s (the models' memory pass "
                           "writes them; real interpreters have none)",
                        fig->stem, fig->wl);
    fig_varf(fig, "n = %zu\n", drawn);
    fig_var(fig, "wl", fig->wl);
    char said[300], most_text[32];
    plot_picks_said(c, fig, pick, n, &mk, marked, said, sizeof said);
    gct_fmt_bytes(most, most_text, sizeof most_text);
    snprintf(fig->caption, sizeof fig->caption,
             "Bytes alive over the operations (solid) and, of them, garbage awaiting collection "
             "(dashed), on %s of %s (a second, untimed run of each, sampled %d times). The most "
             "garbage at once: %s%s%s.",
             fig->wl, said, GCT_MEMORY_SAMPLES, most_text, most_of ? ", " : "",
             most_of ? most_of->id : "");
    return true;
}
