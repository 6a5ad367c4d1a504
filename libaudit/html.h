/*
 * html.h — the HTML report (private to libaudit): a growing byte buffer with
 * a sticky out-of-memory flag, HTML escaping that always yields valid UTF-8,
 * and the document (head, inline CSS, table of contents, body) that the
 * report's drawing context writes in HTML mode. svg.c writes its elements
 * into the same kind of buffer.
 *
 * The document is self-contained: no script, no external resource; the same
 * calls give the same bytes.
 */
#ifndef AUDIT_HTML_PRIVATE_H
#define AUDIT_HTML_PRIVATE_H

#include <stddef.h>

#include <audit/error.h>

/** A growing buffer; an allocation failure is remembered in `oom`. */
struct aud__hbuf {
	char *s;
	size_t len, cap;
	int oom;
};
#define AUD__HBUF_INIT { NULL, 0, 0, 0 }

void aud__hbuf_release(struct aud__hbuf *b);
void aud__hbuf_add(struct aud__hbuf *b, const char *s, size_t n);
void aud__hbuf_puts(struct aud__hbuf *b, const char *s);
void aud__hbuf_printf(struct aud__hbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** A number with at most 2 decimals, trailing zeros dropped ("12.5", "-3"). */
void aud__hbuf_num(struct aud__hbuf *b, double v);

/**
 * Append len bytes of UTF-8 text escaped for HTML text and attribute values
 * (& < > " '). A byte that is not UTF-8 becomes "⟦0xFF⟧", a control
 * character (other than tab) "⟦U+0001⟧", the placeholder's own brackets
 * "⟦U+27E6⟧"/"⟦U+27E7⟧", so that the output is valid UTF-8 and two
 * different texts never look the same. Flags: AUD__ESC_NEWLINES, '\n'
 * becomes <br>; AUD__ESC_DRAWN, the text is already as pdf.h draws it (its
 * placeholders made), so the brackets are kept.
 */
#define AUD__ESC_NEWLINES 1
#define AUD__ESC_DRAWN 2
void aud__html_escape(struct aud__hbuf *b, const char *s, size_t len, int flags);

struct aud__html;

/** A new document. @param[out] out caller owns; free with aud__html_free() */
int aud__html_new(struct aud__html **out, struct aud_error *err);
void aud__html_free(struct aud__html *h);

/** The body so far: section writers append to it (borrowed). */
struct aud__hbuf *aud__html_body(struct aud__html *h);

/**
 * A heading of level 0, 1 or 2 (<h1>, <h2>, <h3>) with a stable id
 * ("s1", "s2", ...); levels 0 and 1 go into the table of contents.
 */
void aud__html_heading(struct aud__html *h, int level, const char *text);
/** Close an open bullet list (before anything that is not a bullet). */
void aud__html_end_list(struct aud__html *h);
/** One bullet: opens the list when needed; `mark` (the report's own text,
 * not escaped, or NULL) follows on a line of its own, in bold. */
void aud__html_bullet(struct aud__html *h, const char *text, const char *mark);

/**
 * The whole document: doctype, head (title, inline CSS naming `font` first),
 * the table of contents, the body and `footer`.
 * @param[out] out caller owns; free with free()
 * @return 0 or AUD_ENOMEM
 */
int aud__html_finish(unsigned char **out, size_t *len, struct aud__html *h,
    const char *title, const char *font, const char *footer, struct aud_error *err);

#endif
