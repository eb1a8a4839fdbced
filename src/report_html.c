/*
 * report_html.c — the report as one self-contained HTML file: inline CSS,
 * inline SVG charts, no scripts, no fonts, images or styles from anywhere
 * else. Readable on a phone (viewport meta, tables scroll sideways, charts
 * scale) and printable to A4 (@page, print rules that keep rows and charts
 * whole).
 *
 * Every text that comes from data (RO, complaint, DTC descriptions, ECU
 * names, ...) goes through esc(): nothing from the data can open a tag.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "obdgw/report.h"

static void esc(FILE *f, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static const char *style_class(int st)
{
    switch (st) {
    case RS_OK:
        return "ok";
    case RS_WARN:
        return "warn";
    case RS_BAD:
        return "bad";
    case RS_MUTED:
        return "muted";
    }
    return "";
}

static const char CSS[] =
    ":root{--ink:#1d2329;--muted:#66707a;--line:#d5dbe1;--ok:#1f7a3a;--okbg:#e6f4ea;--warn:#8a5a00;"
    "--warnbg:#fff4d6;--bad:#b3261e;--badbg:#fde7e6;--accent:#1f4e79}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:var(--ink);background:#f4f6f8;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\","
    "\"WenQuanYi Micro Hei\",\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif}\n"
    ".page{max-width:960px;margin:0 auto;background:#fff;padding:16px 20px 28px}\n"
    "h1{font-size:1.45em;margin:.2em 0 .1em;color:var(--accent)}\n"
    "h2{font-size:1.15em;margin:1.3em 0 .4em;padding-bottom:.2em;border-bottom:2px solid var(--accent);"
    "color:var(--accent)}\n"
    "h3{font-size:1em;margin:1em 0 .3em}\n"
    ".sub{color:var(--muted);margin:0 0 .6em;font-size:.9em}\n"
    ".shop{font-weight:600;font-size:1.05em}.shop small{display:block;font-weight:400;color:var(--muted)}\n"
    "p{margin:.4em 0}\n"
    ".tw{overflow-x:auto;-webkit-overflow-scrolling:touch}\n"
    "table{border-collapse:collapse;width:100%;font-size:.92em;margin:.3em 0}\n"
    "th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}\n"
    "th{background:#eef2f6;font-weight:600}\n"
    "table.kv th{width:34%;background:#f6f8fa}\n"
    "tr.ok td{background:var(--okbg)}tr.warn td{background:var(--warnbg)}tr.bad td{background:var(--badbg)}\n"
    "tr.muted td{color:var(--muted)}\n"
    ".note{border-left:4px solid var(--line);padding:6px 10px;margin:.5em 0;background:#f6f8fa}\n"
    ".note.ok{border-color:var(--ok);background:var(--okbg)}.note.warn{border-color:var(--warn);"
    "background:var(--warnbg)}.note.bad{border-color:var(--bad);background:var(--badbg)}\n"
    ".note small{display:block;color:var(--muted)}\n"
    ".muted{color:var(--muted)}\n"
    ".verdict{font-size:1.5em;font-weight:700;padding:10px 14px;border-radius:6px;margin:.4em 0;"
    "border:2px solid}\n"
    ".verdict.ok{color:var(--ok);background:var(--okbg)}.verdict.warn{color:var(--warn);background:var(--warnbg)}"
    ".verdict.bad{color:var(--bad);background:var(--badbg)}\n"
    "ul.steps{padding-left:1.2em;margin:.3em 0}ul.steps li{margin:.2em 0}\n"
    "ul.steps li.bad::marker{color:var(--bad)}ul.steps li.warn::marker{color:var(--warn)}"
    "ul.steps li.ok::marker{color:var(--ok)}\n"
    "figure.chart{margin:.6em 0 1em;border:1px solid var(--line);border-radius:4px;padding:6px}\n"
    "figure.chart figcaption{font-weight:600;font-size:.92em}\n"
    "figure.chart svg{display:block;width:100%;height:auto}\n"
    "figure.chart .stats{font-size:.85em;color:var(--muted)}\n"
    "svg .grid{stroke:#e3e7eb;stroke-width:1}svg .axis{stroke:#88929c;stroke-width:1}\n"
    "svg .line{fill:none;stroke:var(--accent);stroke-width:1.4;stroke-linejoin:round}\n"
    "svg .mean{stroke:#c77700;stroke-width:1;stroke-dasharray:4 3}\n"
    "svg text{font-size:11px;fill:#4a525a}\n"
    ".sign{display:flex;gap:24px;flex-wrap:wrap;margin-top:1.2em}\n"
    ".sign div{flex:1;min-width:200px;border-top:1px solid var(--ink);padding-top:4px;margin-top:36px;"
    "color:var(--muted)}\n"
    "@media (max-width:600px){body{font-size:14px}.page{padding:10px}table.kv th{width:42%}"
    ".verdict{font-size:1.25em}}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{body{background:#fff;font-size:10.5pt}.page{max-width:none;padding:0}"
    "h2{break-after:avoid}h3{break-after:avoid}tr,figure.chart,.verdict,.sign{break-inside:avoid}"
    "thead{display:table-header-group}.tw{overflow:visible}"
    "tr.ok td,tr.warn td,tr.bad td,.verdict,.note{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* ---- charts --------------------------------------------------------------- */

#define CW 640
#define CH 230
#define ML 58
#define MR 14
#define MT 12
#define MB 38

static void num_text(double v, double step, char *out, size_t cap)
{
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step));
    if (dec > 6)
        dec = 6;
    snprintf(out, cap, "%.*f", dec, v);
}

static void chart_svg(FILE *f, const report_block_t *b, const char *time_label)
{
    const report_series_t *s = b->series;
    int pw = CW - ML - MR, ph = CH - MT - MB;
    size_t cap = (size_t)pw * 2;
    double *pt = malloc(cap * sizeof *pt), *pv = malloc(cap * sizeof *pv);
    size_t n = pt && pv ? report_chart_points(s, pw, pt, pv, cap) : 0;

    double t0 = 0, t1 = 1, v0 = s->min, v1 = s->max;
    if (n) {
        t0 = t1 = pt[0];
        for (size_t i = 0; i < n; i++) {
            if (pt[i] < t0)
                t0 = pt[i];
            if (pt[i] > t1)
                t1 = pt[i];
            if (pv[i] < v0)
                v0 = pv[i];
            if (pv[i] > v1)
                v1 = pv[i];
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

    fprintf(f, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" "
               "data-series=\"",
            CW, CH, CW, CH);
    esc(f, s->key);
    fputs("\"><title>", f);
    esc(f, b->text);
    fputs("</title>\n", f);
#define X(t) (ML + ((t) - t0) / (t1 - t0) * pw)
#define Y(v) (MT + ph - ((v) - v0) / (v1 - v0) * ph)
    char lab[32];
    int ny = (int)llround((v1 - v0) / ys);
    for (int i = 0; i <= ny && i <= 40; i++) {
        double v = v0 + i * ys;
        fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", ML, Y(v), ML + pw, Y(v));
        num_text(v, ys, lab, sizeof lab);
        fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", ML - 5, Y(v) + 4, lab);
    }
    double tf = ceil(t0 / xs) * xs;
    int nx = (int)floor((t1 - tf) / xs + 1e-6);
    for (int i = 0; i <= nx && i <= 40; i++) {
        double t = tf + i * xs;
        fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", X(t), MT, X(t), MT + ph);
        num_text(t, xs, lab, sizeof lab);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", X(t), MT + ph + 14, lab);
    }
    fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", ML, MT, ML, MT + ph);
    fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", ML, MT + ph, ML + pw, MT + ph);
    /* axis titles: unit on the value axis, time in seconds below */
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", ML + pw / 2, CH - 4);
    esc(f, time_label);
    fputs("</text>", f);
    fprintf(f, "<text x=\"12\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">", MT + ph / 2,
            MT + ph / 2);
    esc(f, s->unit[0] ? s->unit : "-");
    fputs("</text>\n", f);
    if (s->stat_n > 0 && s->mean >= v0 && s->mean <= v1)
        fprintf(f, "<line class=\"mean\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n", ML, Y(s->mean), ML + pw,
                Y(s->mean));
    if (n) {
        fputs("<polyline class=\"line\" points=\"", f);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s%.1f,%.1f", i ? " " : "", X(pt[i]), Y(pv[i]));
        fputs("\"/>\n", f);
    }
#undef X
#undef Y
    fputs("</svg>", f);
    free(pt);
    free(pv);
}

/* ---- blocks --------------------------------------------------------------- */

static void cell_row(FILE *f, const report_block_t *b, size_t r, const char *tag)
{
    const char *cls = style_class(b->row_style[r]);
    if (cls[0])
        fprintf(f, "<tr class=\"%s\">", cls);
    else
        fputs("<tr>", f);
    for (size_t c = 0; c < b->ncols; c++) {
        fprintf(f, "<%s>", tag);
        esc(f, b->cells[r * b->ncols + c]);
        fprintf(f, "</%s>", tag);
    }
    fputs("</tr>\n", f);
}

static void render_block(FILE *f, const report_t *r, const report_block_t *b)
{
    switch (b->kind) {
    case RB_TITLE:
        fputs("<h1>", f);
        esc(f, b->text);
        fputs("</h1>\n<p class=\"sub\">", f);
        esc(f, b->text2);
        fputs("</p>\n", f);
        break;
    case RB_H2:
        fputs("<h2>", f);
        esc(f, b->text);
        fputs("</h2>\n", f);
        break;
    case RB_H3:
        fputs("<h3>", f);
        esc(f, b->text);
        fputs("</h3>\n", f);
        if (b->text2) {
            fputs("<p class=\"sub\">", f);
            esc(f, b->text2);
            fputs("</p>\n", f);
        }
        break;
    case RB_PARA:
        if (b->text2) { /* the shop header */
            fputs("<div class=\"shop\">", f);
            esc(f, b->text);
            fputs("<small>", f);
            esc(f, b->text2);
            fputs("</small></div>\n", f);
            break;
        }
        fprintf(f, "<p class=\"%s\">", style_class(b->style));
        esc(f, b->text);
        fputs("</p>\n", f);
        break;
    case RB_NOTE:
    case RB_VERDICT:
        fprintf(f, "<div class=\"%s %s\">", b->kind == RB_NOTE ? "note" : "verdict", style_class(b->style));
        esc(f, b->text);
        if (b->text2) {
            fputs("<small>", f);
            esc(f, b->text2);
            fputs("</small>", f);
        }
        fputs("</div>\n", f);
        break;
    case RB_KV:
    case RB_SIGNOFF:
        fputs("<div class=\"tw\"><table class=\"kv\">\n", f);
        for (size_t i = 0; i < b->nrows; i++) {
            const char *cls = style_class(b->row_style[i]);
            fprintf(f, "<tr class=\"%s\"><th>", cls);
            esc(f, b->cells[i * 2]);
            fputs("</th><td>", f);
            esc(f, b->cells[i * 2 + 1]);
            fputs("</td></tr>\n", f);
        }
        fputs("</table></div>\n", f);
        if (b->kind == RB_SIGNOFF) {
            fputs("<div class=\"sign\"><div>", f);
            esc(f, report_label(r, "inspector"));
            fputs(" / ", f);
            esc(f, b->text);
            fputs("</div><div>", f);
            esc(f, report_label(r, "date"));
            fputs("</div></div>\n", f);
        }
        break;
    case RB_TABLE:
        if (b->nrows == 0)
            break;
        fputs("<div class=\"tw\"><table>\n<thead>", f);
        cell_row(f, b, 0, "th");
        fputs("</thead>\n<tbody>\n", f);
        for (size_t i = 1; i < b->nrows; i++)
            cell_row(f, b, i, "td");
        fputs("</tbody></table></div>\n", f);
        break;
    case RB_LIST:
        fputs("<ul class=\"steps\">\n", f);
        for (size_t i = 0; i < b->nrows; i++) {
            fprintf(f, "<li class=\"%s\">", style_class(b->row_style[i]));
            esc(f, b->cells[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
        break;
    case RB_CHART:
        fputs("<figure class=\"chart\"><figcaption>", f);
        esc(f, b->text);
        fputs("</figcaption>\n", f);
        chart_svg(f, b, report_label(r, "time_s"));
        fputs("\n<div class=\"stats\">", f);
        esc(f, b->text2);
        fputs("</div></figure>\n", f);
        break;
    }
}

int report_render_html(const report_t *r, FILE *f)
{
    if (!r || !f)
        return OBD_EINVAL;
    report_doc_t d;
    int rc = report_doc_build(r, &d);
    if (rc < 0)
        return rc;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<meta name=\"generator\" content=\"obdgw\">\n<title>",
            r->lang == OBD_LANG_ZH ? "zh-CN" : "en");
    esc(f, d.title);
    if (r->has_wo) {
        fputs(" - ", f);
        esc(f, r->wo.ro);
    }
    fputs("</title>\n<style>\n", f);
    fputs(CSS, f);
    fputs("</style>\n</head>\n<body>\n<main class=\"page\">\n", f);
    for (size_t i = 0; i < d.n; i++)
        render_block(f, r, &d.b[i]);
    fputs("</main>\n</body>\n</html>\n", f);
    report_doc_free(&d);
    return ferror(f) ? -EIO : OBD_OK;
}

char *report_html_text(const report_t *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    int rc = report_render_html(r, f);
    if (fclose(f) != 0 || rc < 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
