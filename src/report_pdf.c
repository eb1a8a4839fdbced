/*
 * report_pdf.c — the report as an A4 PDF: cairo draws, pango lays out every
 * piece of text (so Chinese shapes and wraps properly; the font family list
 * is "WenQuanYi Micro Hei" then "Sans"). Text is always set as plain text,
 * never as pango markup, so nothing in the data can change the layout.
 *
 * Layout is a simple flow: a y cursor moves down the page; anything that does
 * not fit starts a new page (table rows are kept whole and the header row is
 * repeated; a chart is kept with its title).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "obdgw/report.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 42.0
#define FONT_FAMILY "WenQuanYi Micro Hei, Sans"

typedef struct {
    const report_t *r;
    cairo_surface_t *surf;
    cairo_t *cr;
    double y;
    int page;
    double w; /* content width */
} pdf_t;

typedef struct {
    double r, g, b;
} rgb_t;

static const rgb_t INK = { 0.11, 0.14, 0.16 }, MUTED = { 0.40, 0.44, 0.48 }, ACCENT = { 0.12, 0.31, 0.47 },
                   LINE = { 0.80, 0.84, 0.88 };

static rgb_t style_bg(int st)
{
    switch (st) {
    case RS_OK:
        return (rgb_t){ 0.90, 0.96, 0.92 };
    case RS_WARN:
        return (rgb_t){ 1.00, 0.96, 0.84 };
    case RS_BAD:
        return (rgb_t){ 0.99, 0.91, 0.90 };
    }
    return (rgb_t){ 1, 1, 1 };
}

static rgb_t style_fg(int st)
{
    switch (st) {
    case RS_OK:
        return (rgb_t){ 0.12, 0.48, 0.23 };
    case RS_WARN:
        return (rgb_t){ 0.54, 0.35, 0.0 };
    case RS_BAD:
        return (rgb_t){ 0.70, 0.15, 0.12 };
    case RS_MUTED:
        return MUTED;
    }
    return INK;
}

static void color(pdf_t *p, rgb_t c)
{
    cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

static PangoLayout *text_layout(pdf_t *p, const char *text, double size, bool bold, double width)
{
    PangoLayout *l = pango_cairo_create_layout(p->cr);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, FONT_FAMILY);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

static double layout_h(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static double layout_w(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)w / PANGO_SCALE;
}

static void draw_layout(pdf_t *p, PangoLayout *l, double x, double y, rgb_t c)
{
    color(p, c);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

static void page_footer(pdf_t *p)
{
    char buf[160];
    snprintf(buf, sizeof buf, "obdgw · %s%s%d", p->r->has_wo ? p->r->wo.ro : "", p->r->has_wo ? " · " : "",
             p->page);
    PangoLayout *l = text_layout(p, buf, 7.5, false, 0);
    draw_layout(p, l, PAGE_W - MARGIN - layout_w(l), PAGE_H - MARGIN / 2 - 6, MUTED);
    g_object_unref(l);
}

static void new_page(pdf_t *p)
{
    page_footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
}

/* Make room for `h` points; false when a new page was started. */
static bool ensure(pdf_t *p, double h)
{
    if (p->y + h <= PAGE_H - MARGIN)
        return true;
    if (p->y > MARGIN + 1)
        new_page(p);
    return false;
}

/* A paragraph of wrapped text across the content width. */
static void para(pdf_t *p, const char *text, double size, bool bold, rgb_t c, double indent, double after)
{
    PangoLayout *l = text_layout(p, text, size, bold, p->w - indent);
    double h = layout_h(l);
    ensure(p, h);
    draw_layout(p, l, MARGIN + indent, p->y, c);
    p->y += h + after;
    g_object_unref(l);
}

/* ---- tables --------------------------------------------------------------- */

#define PAD 3.0
#define TABLE_FONT 8.0

/*
 * Column widths: every column gets its natural width (widest cell, no
 * wrapping) when all fit; otherwise columns narrower than a fair share keep
 * their natural width and the wide ones share what is left in proportion to
 * their natural widths (so short codes never wrap, descriptions do).
 */
static void col_widths(pdf_t *p, const report_block_t *b, double *w)
{
    size_t nc = b->ncols < 16 ? b->ncols : 16;
    double nat[16], sum = 0;
    for (size_t c = 0; c < nc; c++) {
        nat[c] = 0;
        for (size_t r = 0; r < b->nrows; r++) {
            PangoLayout *l = text_layout(p, b->cells[r * b->ncols + c], TABLE_FONT, r == 0, 0);
            double x = layout_w(l);
            g_object_unref(l);
            if (x > nat[c])
                nat[c] = x;
        }
        nat[c] += 2 * PAD + 2;
        sum += nat[c];
    }
    if (sum <= p->w) {
        for (size_t c = 0; c < nc; c++)
            w[c] = nat[c] + (p->w - sum) * nat[c] / sum;
        return;
    }
    bool fixed[16] = { false };
    double left = p->w;
    size_t nfree = nc;
    for (bool changed = true; changed && nfree > 0;) {
        changed = false;
        double share = left / (double)nfree;
        for (size_t c = 0; c < nc; c++)
            if (!fixed[c] && nat[c] <= share) {
                fixed[c] = true;
                w[c] = nat[c];
                left -= nat[c];
                nfree--;
                changed = true;
            }
    }
    double wide = 0;
    for (size_t c = 0; c < nc; c++)
        if (!fixed[c])
            wide += nat[c];
    for (size_t c = 0; c < nc; c++)
        if (!fixed[c])
            w[c] = wide > 0 ? left * nat[c] / wide : 0;
}

static double row_draw(pdf_t *p, const report_block_t *b, size_t r, const double *w, bool header, bool draw)
{
    PangoLayout *ls[16];
    size_t nc = b->ncols < 16 ? b->ncols : 16;
    double h = 0;
    for (size_t c = 0; c < nc; c++) {
        ls[c] = text_layout(p, b->cells[r * b->ncols + c], TABLE_FONT, header || (b->kind == RB_KV && c == 0),
                            w[c] - 2 * PAD);
        double x = layout_h(ls[c]);
        if (x > h)
            h = x;
    }
    h += 2 * PAD;
    if (draw) {
        int st = header ? -1 : b->row_style[r];
        rgb_t bg = header ? (rgb_t){ 0.93, 0.95, 0.96 } : style_bg(st);
        double x = MARGIN;
        for (size_t c = 0; c < nc; c++) {
            color(p, bg);
            cairo_rectangle(p->cr, x, p->y, w[c], h);
            cairo_fill_preserve(p->cr);
            color(p, LINE);
            cairo_set_line_width(p->cr, 0.5);
            cairo_stroke(p->cr);
            draw_layout(p, ls[c], x + PAD, p->y + PAD, header ? INK : st == RS_MUTED ? MUTED : INK);
            x += w[c];
        }
    }
    for (size_t c = 0; c < nc; c++)
        g_object_unref(ls[c]);
    return h;
}

static void table_block(pdf_t *p, const report_block_t *b)
{
    if (b->nrows == 0 || b->ncols == 0)
        return;
    double w[16];
    size_t nc = b->ncols < 16 ? b->ncols : 16;
    if (b->kind == RB_KV || b->kind == RB_SIGNOFF) {
        w[0] = p->w * 0.32;
        w[1] = p->w * 0.68;
    } else {
        col_widths(p, b, w);
    }
    (void)nc;
    bool has_header = b->kind == RB_TABLE;
    size_t first = 0;
    if (has_header) {
        double hh = row_draw(p, b, 0, w, true, false);
        double h1 = b->nrows > 1 ? row_draw(p, b, 1, w, false, false) : 0;
        ensure(p, hh + h1);
        p->y += row_draw(p, b, 0, w, true, true);
        first = 1;
    }
    for (size_t r = first; r < b->nrows; r++) {
        double h = row_draw(p, b, r, w, false, false);
        if (!ensure(p, h) && has_header)
            p->y += row_draw(p, b, 0, w, true, true);
        p->y += row_draw(p, b, r, w, false, true);
    }
    p->y += 6;
}

static void list_block(pdf_t *p, const report_block_t *b)
{
    for (size_t i = 0; i < b->nrows; i++) {
        PangoLayout *l = text_layout(p, b->cells[i], 9, false, p->w - 14);
        double h = layout_h(l);
        ensure(p, h);
        color(p, style_fg(b->row_style[i]));
        cairo_arc(p->cr, MARGIN + 4, p->y + 6, 2.2, 0, 2 * M_PI);
        cairo_fill(p->cr);
        draw_layout(p, l, MARGIN + 14, p->y, INK);
        p->y += h + 3;
        g_object_unref(l);
    }
    p->y += 4;
}

static void box_block(pdf_t *p, const report_block_t *b, double size)
{
    PangoLayout *l = text_layout(p, b->text, size, b->kind == RB_VERDICT, p->w - 20);
    PangoLayout *l2 = b->text2 ? text_layout(p, b->text2, 8, false, p->w - 20) : NULL;
    double h = layout_h(l) + (l2 ? layout_h(l2) + 2 : 0) + 12;
    ensure(p, h);
    rgb_t bg = style_bg(b->style), fg = style_fg(b->style);
    color(p, bg);
    cairo_rectangle(p->cr, MARGIN, p->y, p->w, h);
    cairo_fill(p->cr);
    color(p, fg);
    cairo_rectangle(p->cr, MARGIN, p->y, b->kind == RB_VERDICT ? p->w : 3, h);
    if (b->kind == RB_VERDICT) {
        cairo_set_line_width(p->cr, 1.5);
        cairo_stroke(p->cr);
    } else {
        cairo_fill(p->cr);
    }
    draw_layout(p, l, MARGIN + 10, p->y + 6, b->kind == RB_VERDICT ? fg : INK);
    if (l2)
        draw_layout(p, l2, MARGIN + 10, p->y + 8 + layout_h(l), MUTED);
    p->y += h + 6;
    g_object_unref(l);
    if (l2)
        g_object_unref(l2);
}

/* ---- charts --------------------------------------------------------------- */

#define CHART_H 150.0
#define CML 46.0
#define CMB 26.0

static void small_text(pdf_t *p, const char *t, double x, double y, int align /* -1 right, 0 center, 1 left */)
{
    PangoLayout *l = text_layout(p, t, 6.5, false, 0);
    double w = layout_w(l), h = layout_h(l);
    double x0 = align < 0 ? x - w : align == 0 ? x - w / 2 : x;
    draw_layout(p, l, x0, y - h / 2, MUTED);
    g_object_unref(l);
}

static void num_text(double v, double step, char *out, size_t cap)
{
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step));
    if (dec > 6)
        dec = 6;
    snprintf(out, cap, "%.*f", dec, v);
}

static void chart_block(pdf_t *p, const report_block_t *b)
{
    const report_series_t *s = b->series;
    PangoLayout *title = text_layout(p, b->text, 8.5, true, p->w);
    PangoLayout *cap = text_layout(p, b->text2, 7.5, false, p->w);
    double th = layout_h(title), ch = layout_h(cap);
    ensure(p, th + CHART_H + ch + 10);
    draw_layout(p, title, MARGIN, p->y, INK);
    p->y += th + 2;

    double px = MARGIN + CML, pw = p->w - CML - 6, py = p->y + 4, ph = CHART_H - CMB - 6;
    int cols = (int)pw;
    size_t capn = (size_t)cols * 2;
    double *pt = malloc(capn * sizeof *pt), *pv = malloc(capn * sizeof *pv);
    size_t n = pt && pv ? report_chart_points(s, cols, pt, pv, capn) : 0;
    double t0 = 0, t1 = 1, v0 = s->min, v1 = s->max;
    if (n) {
        t0 = t1 = pt[0];
        for (size_t i = 0; i < n; i++) {
            t0 = fmin(t0, pt[i]);
            t1 = fmax(t1, pt[i]);
            v0 = fmin(v0, pv[i]);
            v1 = fmax(v1, pv[i]);
        }
    }
    if (!(t1 > t0))
        t1 = t0 + 1;
    if (!(v1 - v0 > 1e-9 * fabs(v0))) {
        double pad = fabs(v0) > 1 ? fabs(v0) * 0.05 : 1;
        v0 -= pad;
        v1 += pad;
    }
    double ys = report_nice_step(v1 - v0, 5);
    v0 = floor(v0 / ys) * ys;
    v1 = ceil(v1 / ys) * ys;
    double xs = report_nice_step(t1 - t0, 6);
#define X(t) (px + ((t) - t0) / (t1 - t0) * pw)
#define Y(v) (py + ph - ((v) - v0) / (v1 - v0) * ph)
    cairo_t *cr = p->cr;
    char lab[32];
    cairo_set_line_width(cr, 0.4);
    int ny = (int)llround((v1 - v0) / ys);
    for (int i = 0; i <= ny && i <= 40; i++) {
        double v = v0 + i * ys;
        color(p, LINE);
        cairo_move_to(cr, px, Y(v));
        cairo_line_to(cr, px + pw, Y(v));
        cairo_stroke(cr);
        num_text(v, ys, lab, sizeof lab);
        small_text(p, lab, px - 3, Y(v), -1);
    }
    double tf = ceil(t0 / xs) * xs;
    int nx = (int)floor((t1 - tf) / xs + 1e-6);
    for (int i = 0; i <= nx && i <= 40; i++) {
        double t = tf + i * xs;
        color(p, LINE);
        cairo_move_to(cr, X(t), py);
        cairo_line_to(cr, X(t), py + ph);
        cairo_stroke(cr);
        num_text(t, xs, lab, sizeof lab);
        small_text(p, lab, X(t), py + ph + 7, 0);
    }
    color(p, MUTED);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, px, py);
    cairo_line_to(cr, px, py + ph);
    cairo_line_to(cr, px + pw, py + ph);
    cairo_stroke(cr);
    small_text(p, report_label(p->r, "time_s"), px + pw / 2, py + ph + 18, 0);
    /* unit, rotated along the value axis */
    {
        PangoLayout *l = text_layout(p, s->unit[0] ? s->unit : "-", 6.5, false, 0);
        cairo_save(cr);
        cairo_move_to(cr, MARGIN + 2, py + ph / 2 + layout_w(l) / 2);
        cairo_rotate(cr, -M_PI / 2);
        color(p, MUTED);
        pango_cairo_update_layout(cr, l);
        pango_cairo_show_layout(cr, l);
        cairo_restore(cr);
        g_object_unref(l);
    }
    if (s->stat_n > 0 && s->mean >= v0 && s->mean <= v1) {
        double dash[] = { 3, 2 };
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_source_rgb(cr, 0.78, 0.47, 0.0);
        cairo_set_line_width(cr, 0.6);
        cairo_move_to(cr, px, Y(s->mean));
        cairo_line_to(cr, px + pw, Y(s->mean));
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    if (n) {
        color(p, ACCENT);
        cairo_set_line_width(cr, 0.9);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        for (size_t i = 0; i < n; i++) {
            if (i == 0)
                cairo_move_to(cr, X(pt[i]), Y(pv[i]));
            else
                cairo_line_to(cr, X(pt[i]), Y(pv[i]));
        }
        cairo_stroke(cr);
    }
#undef X
#undef Y
    free(pt);
    free(pv);
    p->y += CHART_H;
    draw_layout(p, cap, MARGIN, p->y, MUTED);
    p->y += ch + 10;
    g_object_unref(title);
    g_object_unref(cap);
}

static void signoff_block(pdf_t *p, const report_block_t *b)
{
    table_block(p, b);
    ensure(p, 50);
    p->y += 30;
    color(p, INK);
    cairo_set_line_width(p->cr, 0.6);
    double half = (p->w - 30) / 2;
    cairo_move_to(p->cr, MARGIN, p->y);
    cairo_line_to(p->cr, MARGIN + half, p->y);
    cairo_move_to(p->cr, MARGIN + half + 30, p->y);
    cairo_line_to(p->cr, MARGIN + p->w, p->y);
    cairo_stroke(p->cr);
    char lab[160];
    snprintf(lab, sizeof lab, "%s / %s", report_label(p->r, "inspector"), b->text ? b->text : "");
    PangoLayout *l = text_layout(p, lab, 8, false, half);
    draw_layout(p, l, MARGIN, p->y + 3, MUTED);
    g_object_unref(l);
    l = text_layout(p, report_label(p->r, "date"), 8, false, half);
    draw_layout(p, l, MARGIN + half + 30, p->y + 3, MUTED);
    g_object_unref(l);
    p->y += 20;
}

static void render_block(pdf_t *p, const report_block_t *b)
{
    switch (b->kind) {
    case RB_TITLE:
        para(p, b->text, 17, true, ACCENT, 0, 2);
        para(p, b->text2, 8.5, false, MUTED, 0, 8);
        break;
    case RB_H2:
        ensure(p, 44); /* keep a heading with what follows */
        p->y += 6;
        para(p, b->text, 11.5, true, ACCENT, 0, 2);
        color(p, ACCENT);
        cairo_set_line_width(p->cr, 1.2);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_line_to(p->cr, MARGIN + p->w, p->y);
        cairo_stroke(p->cr);
        p->y += 5;
        break;
    case RB_H3:
        ensure(p, 36);
        p->y += 3;
        para(p, b->text, 9.5, true, INK, 0, 2);
        if (b->text2)
            para(p, b->text2, 8, false, MUTED, 0, 3);
        break;
    case RB_PARA:
        if (b->text2) {
            para(p, b->text, 11, true, INK, 0, 1);
            para(p, b->text2, 8, false, MUTED, 0, 8);
        } else {
            para(p, b->text, 8, false, style_fg(b->style), 0, 6);
        }
        break;
    case RB_NOTE:
        box_block(p, b, 9);
        break;
    case RB_VERDICT:
        box_block(p, b, 16);
        break;
    case RB_KV:
    case RB_TABLE:
        table_block(p, b);
        break;
    case RB_LIST:
        list_block(p, b);
        break;
    case RB_CHART:
        chart_block(p, b);
        break;
    case RB_SIGNOFF:
        signoff_block(p, b);
        break;
    }
}

int report_render_pdf(const report_t *r, const char *path)
{
    if (!r || !path)
        return OBD_EINVAL;
    report_doc_t d;
    int rc = report_doc_build(r, &d);
    if (rc < 0)
        return rc;
    pdf_t p = { .r = r, .page = 1, .y = MARGIN, .w = PAGE_W - 2 * MARGIN };
    p.surf = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(p.surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(p.surf);
        report_doc_free(&d);
        return OBD_EIO;
    }
    char title[200];
    snprintf(title, sizeof title, "%s%s%s", d.title, r->has_wo ? " - " : "", r->has_wo ? r->wo.ro : "");
    cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATOR, "obdgw");
    p.cr = cairo_create(p.surf);
    for (size_t i = 0; i < d.n; i++)
        render_block(&p, &d.b[i]);
    page_footer(&p);
    cairo_show_page(p.cr);
    cairo_status_t st = cairo_status(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(p.surf);
    cairo_surface_destroy(p.surf);
    report_doc_free(&d);
    return st == CAIRO_STATUS_SUCCESS ? OBD_OK : OBD_EIO;
}
