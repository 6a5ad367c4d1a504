/*
 * report_impl.h — what the report's section files share (private): the
 * report object, the drawing context with its cursor, layout helpers
 * (headings, paragraphs, tables with page breaks), JSON accessors and
 * number formatting. Sections: report_data.c, report_fair.c, report_task.c,
 * report_mitigate.c, report_robust.c, report_explain.c, report_slice.c,
 * report_card.c (model card, definitions, provenance).
 */
#ifndef AUDIT_REPORT_IMPL_H
#define AUDIT_REPORT_IMPL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include <audit/error.h>
#include <audit/json.h>
#include <audit/report.h>

#include "chart.h"
#include "html.h"
#include "pdf.h"

struct aud__rdoc {
	char *name;                 /* path as given */
	cJSON *json;                /* owned */
	enum aud_report_kind kind;
};

struct aud_report {
	char *title;
	enum aud_paper paper;
	time_t created;
	char *font, *bold_font, *generator;
	struct aud__rdoc *docs;
	size_t ndocs, cap;
	cJSON *card;                /* owned, or NULL */
	char *card_name;
	char *warning;              /* after rendering: about placeholders, or NULL */
	int decision;               /* AUD_DECISION_*: which fairness metrics lead */
};

/* The drawing context: the document, margins and the cursor y (top of the
 * next thing to draw). Layout helpers break pages when what they draw does
 * not fit above the bottom margin.
 *
 * Two backends, the same calls: for a PDF, `pdf` is a libharu document and
 * `html` is NULL; for HTML, `pdf` is an SVG surface (aud__pdf_new_svg())
 * and the helpers write HTML elements into `html`. In HTML mode what the
 * sections draw on `pdf` between two helper calls (a chart) becomes one
 * inline <svg> of the content width and the height the cursor moved over;
 * pages never break. */
struct aud__rctx {
	struct aud_report *r;
	struct aud_pdf *pdf;
	double left, right, top, bottom;  /* content box */
	double y;
	struct aud_error *err;
	struct aud__html *html;           /* HTML mode, or NULL */
	char *pend_text;                  /* PDF: a level-1/2 heading waiting for what follows */
	int pend_level;
	double svg_top;                   /* HTML: the cursor when the drawing began */
};

/* 1 in HTML mode. Only the cover asks (its PDF decoration has no place in HTML). */
int aud__rep_is_html(const struct aud__rctx *c);
/* HTML mode: what was drawn since the last helper call, as one <svg>; PDF:
 * a heading still waiting is drawn (the helpers call it themselves; the
 * renderer once at the end). */
int aud__rep_flush(struct aud__rctx *c);

#define AUD__BODY 9.0     /* body text size */
#define AUD__SMALL 7.5    /* table text size */

/* Width of the content box. */
double aud__rep_width(const struct aud__rctx *c);
/* A new page; the cursor goes to the top. */
int aud__rep_page(struct aud__rctx *c);
/* Make room for h points (a new page when they do not fit). */
int aud__rep_need(struct aud__rctx *c, double h);
/* Headings: level 0 is 16 pt and a top-level bookmark, and starts a new
 * page only when less than a third of the page is left; level 1 is 11.5 pt
 * and a child bookmark; level 2 is 9.5 pt, no bookmark. A level-1 or -2
 * heading waits for what follows it and goes to the next page with it, so
 * that a heading is never the last thing on a page. */
int aud__rep_heading(struct aud__rctx *c, int level, const char *text);
/* A wrapped paragraph (font, size), then `after` points of space. Text
 * longer than AUD__TEXT_MAX bytes is cut between characters, and a line
 * "⟦cut: the first N of M bytes⟧" follows it. */
#define AUD__TEXT_MAX 2000
int aud__rep_text(struct aud__rctx *c, enum aud__font font, double size, double indent,
    const char *text, double after);
int aud__rep_para(struct aud__rctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A bullet item "• text". */
int aud__rep_bullet(struct aud__rctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Vertical space. */
void aud__rep_space(struct aud__rctx *c, double h);

/* Tables: columns with a title, a width (fractions of the content width
 * when all widths are <= 1) and an alignment; cells wrap; a '\n' in a cell
 * starts a second line; the header repeats after a page break. */
struct aud__col {
	const char *title;
	double width;
	enum aud__align align;
};
#define AUD__MAXCOLS 16
#define AUD__CELL 1024
#define AUD__SEEN 512      /* cells a table remembers to tell look-alikes apart */
struct aud__table {
	const struct aud__col *cols;
	size_t ncols;
	double size;       /* text size */
	double widths[AUD__MAXCOLS];
	size_t rows;       /* rows drawn so far (for shading) */
	/* cells drawn so far: hash of the text and of how it looks */
	uint64_t seen_text[AUD__SEEN], seen_look[AUD__SEEN];
	unsigned char seen_col[AUD__SEEN];
	size_t nseen;
};
/* Start a table (draws the header). */
int aud__rep_table_begin(struct aud__rctx *c, struct aud__table *t,
    const struct aud__col *cols, size_t ncols, double size);
/* One row; `bold` draws it in bold. cells[i] may be NULL (empty). A cell
 * shows at most 8 lines; a longer one gets a ninth, "⟦cut #hhhhhh⟧" (a hash
 * of the whole cell). A cell that would look exactly like a different
 * earlier cell of its column (they differ only in spaces) gets a line
 * "⟦#2⟧" (its rank among the look-alikes). */
int aud__rep_table_row(struct aud__rctx *c, struct aud__table *t,
    const char *const *cells, int bold);
/* Finish (space after the table). */
void aud__rep_table_end(struct aud__rctx *c, struct aud__table *t);

/* A row's cell buffers. */
struct aud__row {
	char buf[AUD__MAXCOLS][AUD__CELL];
	const char *cells[AUD__MAXCOLS];
};
void aud__row_init(struct aud__row *row);
/* Format a cell; text longer than AUD__CELL - 1 bytes is cut between
 * characters and ends in "…#hhhhhh" (a hash of the whole text). */
void aud__row_set(struct aud__row *row, size_t i, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* JSON accessors: aud_json_get() and the others of <audit/json.h>. */
/* s, or `dflt` when s is NULL. */
const char *aud__or(const char *s, const char *dflt);

/* A value as the summary prints it: "undefined" for NaN, integers whole,
 * else 4 significant digits ("%.4g"). */
void aud__fmt_value(char *buf, size_t size, double v);
/* A rate with 3 decimals, "—" for NaN. */
void aud__fmt_rate(char *buf, size_t size, double v);

/* The documents of a kind, in the order given: fills at most max, returns count. */
size_t aud__rep_docs(const struct aud_report *r, enum aud_report_kind kind,
    const struct aud__rdoc **out, size_t max);

/* Sections. */
int aud__report_fairness(struct aud__rctx *c);
/* The decision the fairness findings lead with: aud_report_set_decision()'s,
 * else the model card's intended_use.decision, else AUD_DECISION_NONE. */
int aud__rep_decision(const struct aud_report *r);
/* The key-findings bullet of one fairness attribute (res: the document's results). */
int aud__report_fairness_finding(struct aud__rctx *c, const cJSON *res, const cJSON *a);
int aud__report_robustness(struct aud__rctx *c);
/* The mitigation section (report_mitigate.c): per audit-mitigate document the
 * rules, the rates before and after, and the frontier chart. */
int aud__report_mitigation(struct aud__rctx *c);
/* The key-findings bullet of one audit-mitigate document. */
int aud__report_mitigation_finding(struct aud__rctx *c, const struct aud__rdoc *d);

/* The Data section (report_data.c): audit-data's profiles, schema checks and drift. */
int aud__report_data(struct aud__rctx *c);
/* The key-findings bullet of one audit-data document. */
int aud__report_data_finding(struct aud__rctx *c, const struct aud__rdoc *d);

/* The Slices section (report_slice.c): audit-slice's named and discovered slices. */
int aud__report_slices(struct aud__rctx *c);
/* The key-findings bullet of one audit-slice document. */
int aud__report_slice_finding(struct aud__rctx *c, const struct aud__rdoc *d);

/* The fairness pages of multi-class and regression documents (report_task.c). */
int aud__report_fairness_tasks(struct aud__rctx *c);
/* The key-findings bullets of one such document (one per attribute). */
int aud__report_task_finding(struct aud__rctx *c, const struct aud__rdoc *d);

int aud__report_explanations(struct aud__rctx *c);
int aud__report_card(struct aud__rctx *c);
int aud__report_appendix(struct aud__rctx *c);

/* 1 when a `checks` entry was requested (--check/--policy): "requested" true
 * or absent; 0 for an entry only reported ("requested": false, audit-fair's
 * four-fifths rule). */
int aud__check_requested(const cJSON *check);
/* Where a check applies, for the checks table: "sex / F" (attribute and group),
 * "perturbation flip:sex" or "feature age" before it when the entry names one
 * (audit-robust, audit-explain), "" for the whole results. */
void aud__check_where_cell(char *buf, size_t size, const cJSON *check);
/* The small groups (fewer rows than the minimum group size) that decide a
 * check of a fairness document: "'G': n = 2, small, selection_rate interval
 * [0, 0.66]" for each, joined by "; "; "" when none. */
void aud__check_small_note(char *buf, size_t size, const cJSON *doc, const cJSON *check);

/* The course's and libraries' name of a metric key, or NULL. */
const char *aud__metric_name(const char *key);

#endif
