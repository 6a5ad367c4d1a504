/*
 * rowexpr.h — expressions over the columns of one row (audit-slice --slice).
 *
 *     expr    := or
 *     or      := and ('||' and)*
 *     and     := unary ('&&' unary)*
 *     unary   := '!' unary | '(' expr ')' | pred
 *     pred    := column OP value | column 'in' '(' value (',' value)* ')'
 *              | column 'contains' string | column 'startswith' string
 *              | column 'is' 'missing' | column 'is' 'not' 'missing'
 *     OP      := '==' | '!=' | '<' | '<=' | '>' | '>='
 *     value   := number | string
 *     column  := [A-Za-z_][A-Za-z0-9_.]* | '`' any text but '`' '`'
 *     string  := '"' text with \" and \\ '"'
 *
 * A comparison with a number is numeric: the field is parsed as a number (C
 * locale); a missing field or one that is not a number makes the comparison
 * false (and `!=` false too). A comparison with a string compares bytes
 * (`<` etc. in byte order). `in` holds when any listed value compares equal.
 * `contains`/`startswith` look for bytes in the field's text. Missing
 * means the CSV reader's missing-value test (--na); a missing field is in
 * no comparison, `in`, `contains` or `startswith` (all false, `!=` too),
 * only in `is missing`. `!`, `&&`, `||` are the usual logic on these truth
 * values. Nesting deeper than 100 levels is refused.
 *
 * Use: aud_rowexpr_parse(); aud_rowexpr_bind() to a CSV header (column names
 * resolved to indices once); aud_rowexpr_eval() per record.
 */
#ifndef AUDIT_ROWEXPR_H
#define AUDIT_ROWEXPR_H

#include <stddef.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_csv;
struct aud_rowexpr;

/**
 * Parse an expression.
 * @param[out] out caller owns; free with aud_rowexpr_free()
 * @return 0, AUD_EINVAL ("bad slice expression 'x' at column 7: expected ...",
 * the column counted in bytes from 1), AUD_ENOMEM
 */
int aud_rowexpr_parse(struct aud_rowexpr **out, const char *text, struct aud_error *err);

/** Free. NULL is allowed. */
void aud_rowexpr_free(struct aud_rowexpr *e);

/** The expression in canonical form (single blanks, strings re-quoted). Borrowed. */
const char *aud_rowexpr_text(const struct aud_rowexpr *e);

/** Number of distinct columns named, and the i-th (in order of first use). Borrowed. */
size_t aud_rowexpr_ncolumns(const struct aud_rowexpr *e);
const char *aud_rowexpr_column(const struct aud_rowexpr *e, size_t i);

/**
 * Resolve the column names against an open CSV reader's header.
 * @return 0, AUD_ENOTFOUND ("slice 'x': no column 'y' in PATH")
 */
int aud_rowexpr_bind(struct aud_rowexpr *e, struct aud_csv *csv, struct aud_error *err);

/** 1 when the current record of csv is in the slice, 0 when not. Bound first. */
int aud_rowexpr_eval(const struct aud_rowexpr *e, struct aud_csv *csv);

#ifdef __cplusplus
}
#endif
#endif
