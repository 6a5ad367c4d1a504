/*
 * pdf.h — the libharu wrapper (private to libaudit): pages, fonts, text,
 * lines, fills, hatching, bookmarks, document info, saving to memory.
 *
 * pdf.c is the only file of libaudit that calls HPDF_*. libharu reports
 * errors through a handler; ours stores the first error_no/detail_no in the
 * document object (no longjmp). Drawing calls do not return a status: the
 * error is sticky, and aud__pdf_check() turns it into a struct aud_error, as
 * ferror() does for stdio. Calls that create things return an int.
 *
 * Coordinates are PDF points (1/72 inch) with the origin at the bottom left
 * of the page, as in PDF. Text is UTF-8, drawn with an embedded TrueType
 * font (regular or bold).
 */
#ifndef AUDIT_PDF_PRIVATE_H
#define AUDIT_PDF_PRIVATE_H

#include <stddef.h>
#include <time.h>

#include <audit/error.h>

struct aud_pdf;

enum aud__font { AUD__FONT_REGULAR = 0, AUD__FONT_BOLD = 1 };
enum aud__align { AUD__LEFT = 0, AUD__CENTER = 1, AUD__RIGHT = 2 };
enum aud__paint { AUD__STROKE = 1, AUD__FILL = 2, AUD__FILL_STROKE = 3 };
enum aud__marker { AUD__MARK_CIRCLE = 0, AUD__MARK_SQUARE, AUD__MARK_TRIANGLE,
	AUD__MARK_DIAMOND, AUD__MARK_CROSS, AUD__MARK_COUNT };

/** The fonts: each a family found through fontconfig or a TrueType file. */
struct aud__pdf_fonts {
	const char *regular; /**< family name or .ttf/.ttc file */
	const char *bold;    /**< the same; NULL: the bold face of regular's family,
	                          or regular itself when it has none */
};

/** Document information (the /Info dictionary). */
struct aud__pdf_info {
	const char *title;
	const char *author;
	const char *subject;
	const char *keywords;
	const char *creator;
	time_t created;      /**< CreationDate and ModDate (UTC) */
};

/**
 * A new document whose pages are `width` x `height` points, with both fonts
 * found (font.h), loaded and embedded, UTF-8 text, compressed streams, no
 * encryption. A character the main font lacks is drawn with the first
 * installed font that has it, loaded and embedded when first needed.
 * @param[out] out caller owns; free with aud__pdf_free()
 * @return 0, AUD_ENOMEM, AUD_ENOTFOUND (no such font family), AUD_EIO (a
 *         font cannot be read or loaded) or AUD_EINTERNAL
 */
int aud__pdf_new(struct aud_pdf **out, double width, double height,
    const struct aud__pdf_fonts *fonts, struct aud_error *err);
/** Free. NULL is allowed. */
void aud__pdf_free(struct aud_pdf *pdf);

struct aud__svg;
/**
 * A surface of the same interface that writes SVG elements (svg.c) instead
 * of PDF pages: every drawing call below dispatches on the kind; text is
 * measured and placed with the same fonts, so charts come out the same.
 * Pages are only counted; bookmarks do nothing (the HTML's headings have ids).
 * @param[out] out caller owns; free with aud__pdf_free()
 * @return as aud__pdf_new()
 */
int aud__pdf_new_svg(struct aud_pdf **out, double width, double height,
    const struct aud__pdf_fonts *fonts, struct aud_error *err);
/** The SVG surface of such a document, or NULL for a PDF (borrowed). */
struct aud__svg *aud__pdf_svg(struct aud_pdf *pdf);

/** Add a page and make it current. @return 0 or a negative AUD_E* code */
int aud__pdf_add_page(struct aud_pdf *pdf, struct aud_error *err);
/** Number of pages so far. */
int aud__pdf_page_count(const struct aud_pdf *pdf);
double aud__pdf_page_width(const struct aud_pdf *pdf);
double aud__pdf_page_height(const struct aud_pdf *pdf);

/**
 * A bookmark (outline entry) to the current page at height `y`: level 0 is
 * a top-level entry, level 1 a child of the last level-0 entry.
 * @return 0 or a negative AUD_E* code
 */
int aud__pdf_bookmark(struct aud_pdf *pdf, int level, const char *title, double y,
    struct aud_error *err);

/* Text is drawn as it is, with fallback fonts for characters the main font
 * lacks, except characters the report cannot draw faithfully (no installed
 * font has them, right to left, invisible, combining,
 * look-alikes of other characters, outside the Basic Multilingual Plane) and
 * bytes that are not UTF-8: each becomes a placeholder "⟦U+4E2D⟧" or
 * "⟦0xFF⟧", so that two different texts never look the same. Widths are
 * those of the text as drawn. One drawing call draws at most
 * AUD__PDF_MAX_TEXT bytes; bookmarks and document information keep
 * AUD__PDF_MAX_META bytes, then "…". */
#define AUD__PDF_MAX_TEXT 16384
#define AUD__PDF_MAX_META 1000

/**
 * How many texts were drawn with a placeholder; *first (may be NULL) gets
 * the first of them as given, or NULL, and *ph (may be NULL) its first
 * placeholder (both borrowed; valid until pdf is freed).
 */
size_t aud__pdf_marked(const struct aud_pdf *pdf, const char **first, const char **ph);

/** Width in points of the UTF-8 string s (len bytes) as drawn. */
double aud__pdf_text_width_n(struct aud_pdf *pdf, enum aud__font font, double size,
    const char *s, size_t len);
/** Width in points of the NUL-terminated UTF-8 string s. */
double aud__pdf_text_width(struct aud_pdf *pdf, enum aud__font font, double size,
    const char *s);

/** One line of wrapped text: bytes [start, start+len) of the input. */
struct aud__line { size_t start, len; };

/**
 * Break s into lines no wider than `width` (greedy, at spaces; explicit
 * '\n' breaks; a word wider than a line is cut between UTF-8 characters).
 * Fills at most `max` lines (lines may be NULL to count only).
 * @return the number of lines the text needs (at least 1)
 */
size_t aud__pdf_wrap(struct aud_pdf *pdf, enum aud__font font, double size,
    const char *s, double width, struct aud__line *lines, size_t max);

/** Draw text with its baseline at y; x is its left, centre or right per `align`. */
void aud__pdf_text(struct aud_pdf *pdf, enum aud__font font, double size,
    double x, double y, enum aud__align align, const char *s);
/**
 * Draw the report's own mark (short, drawable text such as "⟦#2⟧") as it
 * is, without placeholders: data drawn through aud__pdf_text() can never
 * look like it, since its brackets become placeholders there.
 */
void aud__pdf_text_mark(struct aud_pdf *pdf, enum aud__font font, double size,
    double x, double y, const char *s);
/** Width in points of such a mark. */
double aud__pdf_mark_width(struct aud_pdf *pdf, enum aud__font font, double size,
    const char *s);
/** The same for len bytes of s. */
void aud__pdf_text_n(struct aud_pdf *pdf, enum aud__font font, double size,
    double x, double y, enum aud__align align, const char *s, size_t len);

/** Fill and stroke grey levels (0 black, 1 white), line width, dash pattern. */
void aud__pdf_fill_grey(struct aud_pdf *pdf, double g);
void aud__pdf_stroke_grey(struct aud_pdf *pdf, double g);
/** Fill and stroke colours as 0xRRGGBB (the report's palette is chart.h's AUD__C_*). */
void aud__pdf_fill_rgb(struct aud_pdf *pdf, unsigned rgb);
void aud__pdf_stroke_rgb(struct aud_pdf *pdf, unsigned rgb);
void aud__pdf_line_width(struct aud_pdf *pdf, double w);
/** Dash pattern of n lengths in points (n = 0: solid line). n <= 8. */
void aud__pdf_dash(struct aud_pdf *pdf, const unsigned *pattern, unsigned n);

void aud__pdf_line(struct aud_pdf *pdf, double x0, double y0, double x1, double y1);
void aud__pdf_polyline(struct aud_pdf *pdf, const double *xs, const double *ys, size_t n);
void aud__pdf_rect(struct aud_pdf *pdf, double x, double y, double w, double h,
    enum aud__paint paint);
/** Diagonal hatching (lines `spacing` apart) clipped to the rectangle. */
void aud__pdf_hatch(struct aud_pdf *pdf, double x, double y, double w, double h,
    double spacing);
/** A marker of `size` points centred at (x, y), stroked and filled with the fill grey. */
void aud__pdf_marker(struct aud_pdf *pdf, enum aud__marker m, double x, double y,
    double size);

/**
 * The first libharu error, if any, as an AUD_E* code with a message.
 * @return 0 or a negative AUD_E* code
 */
int aud__pdf_check(const struct aud_pdf *pdf, struct aud_error *err);

/**
 * Write "`footer`   page I of N" at the bottom of every page, set the
 * document information, and save the whole document to memory.
 * @param[out] out caller owns; free with free()
 * @return 0 or a negative AUD_E* code
 */
int aud__pdf_finish(unsigned char **out, size_t *len, struct aud_pdf *pdf,
    const struct aud__pdf_info *info, const char *footer, struct aud_error *err);

#endif
