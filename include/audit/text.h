/*
 * text.h — results for people: the output formats, numbers and times as
 * text, the suite's version, and one table type that every tool renders as
 * aligned columns, Markdown or CSV.
 *
 * The analysis modules write their table views through struct aud_table, so
 * that a cell such as a group value `a|b` is escaped the same way by every
 * tool: Markdown escapes `|`, `\` and `*` and turns line breaks into `<br>`;
 * CSV quotes as RFC 4180 says (a field holding a comma, a quote, CR or LF is
 * quoted, its quotes doubled). Aligned tables measure cells in display
 * columns (UTF-8 aware: a combining mark takes none, an East Asian wide
 * character two), pad left-aligned columns on the right and right-aligned
 * ones (numbers) on the left, separate columns by two blanks and never end a
 * line with a blank.
 *
 * Nothing here keeps state between calls; a table is owned by its caller.
 */
#ifndef AUDIT_TEXT_H
#define AUDIT_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The suite's version, printed by every tool's --version and in every JSON. */
#define AUD_VERSION "0.1.0"

/** Output formats of --format. */
enum aud_format { AUD_FORMAT_JSON, AUD_FORMAT_TABLE, AUD_FORMAT_CSV, AUD_FORMAT_MD };

/** Parse "json|table|csv|md". @return 0 or AUD_EINVAL */
int aud_parse_format(enum aud_format *out, const char *s, struct aud_error *err);

/**
 * The default format: table when `out_path` is NULL/"-" and stdout is a
 * terminal, json otherwise.
 */
enum aud_format aud_default_format(const char *out_path);

/** Format a time as "2026-01-01T00:00:00Z" (UTC). buf needs 21 bytes. */
void aud_format_time(char buf[21], time_t t);

/** The size of a buffer that holds any number formatted below. */
#define AUD_NUMBUF 48

/**
 * A number with `decimals` digits after the point ("%.*f"), or `nan_text`
 * when x is NaN (NULL: "n/a").
 */
void aud_format_fixed(char buf[AUD_NUMBUF], double x, int decimals, const char *nan_text);

/**
 * A number with `digits` significant digits ("%.*g"), or `nan_text` when x
 * is NaN (NULL: "n/a"). With `whole` set, an integral x below 1e15 in
 * magnitude is written whole ("1234567", not "1.23e+06"): counts stay exact.
 */
void aud_format_sig(char buf[AUD_NUMBUF], double x, int digits, int whole,
    const char *nan_text);

/**
 * The display width of a UTF-8 text in a terminal: one column per
 * character, none for a combining mark, two for an East Asian wide or
 * full-width character. A byte that does not start valid UTF-8 counts one.
 */
size_t aud_text_width(const char *s);

/** How a column's cells are aligned in a table (and marked in Markdown). */
enum aud_align { AUD_ALIGN_LEFT, AUD_ALIGN_RIGHT };

/** A table of text cells: one header row, then rows added one at a time. */
struct aud_table;

/**
 * A new table of `ncols` columns (1 or more), every header empty and
 * left-aligned until aud_table_column() names it.
 * @param[out] out caller owns; free with aud_table_free()
 * @return 0 or AUD_ENOMEM
 */
int aud_table_new(struct aud_table **out, size_t ncols, struct aud_error *err);

/** Free a table. NULL is allowed. */
void aud_table_free(struct aud_table *t);

/** The number of columns. */
size_t aud_table_ncols(const struct aud_table *t);

/** The number of rows added, the header not counted. */
size_t aud_table_nrows(const struct aud_table *t);

/**
 * Name column `col` (< ncols) and set its alignment.
 * @return 0 or AUD_ENOMEM
 */
int aud_table_column(struct aud_table *t, size_t col, const char *head, enum aud_align align);

/**
 * Start a new row; its cells are empty until set.
 * @return 0 or AUD_ENOMEM
 */
int aud_table_add_row(struct aud_table *t);

/**
 * Set cell `col` (< ncols) of the last row added, printf-style; a cell set
 * twice keeps the second text.
 * @return 0 or AUD_ENOMEM
 */
int aud_table_set(struct aud_table *t, size_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/**
 * A cell's text: row 0 is the header, rows 1 to nrows the rows added.
 * Borrowed; valid until the cell is set again or the table is freed.
 */
const char *aud_table_cell(const struct aud_table *t, size_t row, size_t col);

/** How an aligned table is drawn (the Markdown and CSV forms ignore these). */
struct aud_table_options {
	const char *indent;   /**< written before every line; NULL: none */
	int rule;             /**< a line of dashes under the header */
};

#define AUD_TABLE_OPTIONS_INIT { NULL, 0 }

/**
 * Write the table to f as AUD_FORMAT_TABLE (aligned columns), AUD_FORMAT_MD
 * (a Markdown table, `---:` marking right-aligned columns) or AUD_FORMAT_CSV
 * (the header, then one line per row). `opts` may be NULL.
 * @return 0, AUD_ENOMEM (a cell could not be stored earlier), AUD_EINVAL
 *     (AUD_FORMAT_JSON) or AUD_EOUTPUT (a write failed)
 */
int aud_table_render(const struct aud_table *t, FILE *f, enum aud_format format,
    const struct aud_table_options *opts, struct aud_error *err);

/**
 * One section of a text view: `title` (when not NULL) as a line of its own
 * ("### title" in Markdown; none in CSV), then the table as
 * aud_table_render() writes it, with a rule under the aligned table's header.
 * Frees the table. @return as aud_table_render()
 */
int aud_table_render_section(struct aud_table *t, FILE *f, enum aud_format format,
    const char *title, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
