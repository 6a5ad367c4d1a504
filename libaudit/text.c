/* text.c — output formats, numbers and times as text, the table type (text.h). */
#include <audit/text.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/csv.h>

int
aud_parse_format(enum aud_format *out, const char *s, struct aud_error *err)
{
	if (strcmp(s, "json") == 0)
		*out = AUD_FORMAT_JSON;
	else if (strcmp(s, "table") == 0)
		*out = AUD_FORMAT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = AUD_FORMAT_CSV;
	else if (strcmp(s, "md") == 0)
		*out = AUD_FORMAT_MD;
	else
		return AUD_ERROR(err, AUD_EINVAL,
		    "--format: '%s' is not one of json, table, csv, md", s);
	return 0;
}

enum aud_format
aud_default_format(const char *out_path)
{
	if ((out_path == NULL || strcmp(out_path, "-") == 0) && isatty(1))
		return AUD_FORMAT_TABLE;
	return AUD_FORMAT_JSON;
}

void
aud_format_time(char buf[21], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
aud_format_fixed(char buf[AUD_NUMBUF], double x, int decimals, const char *nan_text)
{
	if (isnan(x))
		snprintf(buf, AUD_NUMBUF, "%s", nan_text != NULL ? nan_text : "n/a");
	else
		snprintf(buf, AUD_NUMBUF, "%.*f", decimals, x);
}

void
aud_format_sig(char buf[AUD_NUMBUF], double x, int digits, int whole, const char *nan_text)
{
	if (isnan(x))
		snprintf(buf, AUD_NUMBUF, "%s", nan_text != NULL ? nan_text : "n/a");
	else if (whole && x == floor(x) && fabs(x) < 1e15)
		snprintf(buf, AUD_NUMBUF, "%.0f", x);
	else
		snprintf(buf, AUD_NUMBUF, "%.*g", digits, x);
}

/* ---- display width ---- */

/* Decode one UTF-8 character; @return its length (0: not valid UTF-8 there). */
static size_t
utf8_decode(uint32_t *cp, const unsigned char *s)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int
char_width(uint32_t c)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x0610, 0x061a },
		{ 0x064b, 0x065f }, { 0x0e31, 0x0e31 }, { 0x0e34, 0x0e3a }, { 0x1ab0, 0x1aff },
		{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
		{ 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
		{ 0xfe30, 0xfe4f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
	};
	size_t i;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return 0;
	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

size_t
aud_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, n;
	uint32_t c;

	while (*p != '\0') {
		n = utf8_decode(&c, p);
		if (n == 0) {
			w++;
			p++;
			continue;
		}
		w += (size_t)char_width(c);
		p += n;
	}
	return w;
}

/* ---- the table ---- */

struct aud_table {
	size_t ncols, nrows, cap;   /* cap: rows allocated, header included */
	char **cell;                /* (nrows + 1) * ncols; NULL: empty */
	enum aud_align *align;
	int oom;                    /* a cell could not be stored */
};

int
aud_table_new(struct aud_table **out, size_t ncols, struct aud_error *err)
{
	struct aud_table *t;

	*out = NULL;
	if (ncols == 0)
		return AUD_ERROR(err, AUD_EINVAL, "a table needs at least one column");
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	t->ncols = ncols;
	t->cap = 8;
	t->cell = calloc(t->cap * ncols, sizeof(*t->cell));
	t->align = calloc(ncols, sizeof(*t->align));
	if (t->cell == NULL || t->align == NULL) {
		aud_table_free(t);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	*out = t;
	return 0;
}

void
aud_table_free(struct aud_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	if (t->cell != NULL)
		for (i = 0; i < (t->nrows + 1) * t->ncols; i++)
			free(t->cell[i]);
	free(t->cell);
	free(t->align);
	free(t);
}

size_t
aud_table_ncols(const struct aud_table *t)
{
	return t->ncols;
}

size_t
aud_table_nrows(const struct aud_table *t)
{
	return t->nrows;
}

static int
store(struct aud_table *t, size_t row, size_t col, char *s)
{
	if (s == NULL) {
		t->oom = 1;
		return AUD_ENOMEM;
	}
	free(t->cell[row * t->ncols + col]);
	t->cell[row * t->ncols + col] = s;
	return 0;
}

int
aud_table_column(struct aud_table *t, size_t col, const char *head, enum aud_align align)
{
	if (col >= t->ncols)
		return AUD_EINVAL;
	t->align[col] = align;
	return store(t, 0, col, strdup(head));
}

int
aud_table_add_row(struct aud_table *t)
{
	if (t->nrows + 1 == t->cap) {
		size_t ncap = 2 * t->cap;
		char **c = realloc(t->cell, ncap * t->ncols * sizeof(*c));

		if (c == NULL) {
			t->oom = 1;
			return AUD_ENOMEM;
		}
		memset(c + t->cap * t->ncols, 0, (ncap - t->cap) * t->ncols * sizeof(*c));
		t->cell = c;
		t->cap = ncap;
	}
	t->nrows++;
	return 0;
}

int
aud_table_set(struct aud_table *t, size_t col, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	if (col >= t->ncols || t->nrows == 0)
		return AUD_EINVAL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return store(t, t->nrows, col, NULL);
	s = malloc((size_t)n + 1);
	if (s != NULL) {
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return store(t, t->nrows, col, s);
}

const char *
aud_table_cell(const struct aud_table *t, size_t row, size_t col)
{
	const char *s;

	if (row > t->nrows || col >= t->ncols)
		return "";
	s = t->cell[row * t->ncols + col];
	return s != NULL ? s : "";
}

static int
put_padding(FILE *f, size_t n)
{
	for (; n > 0; n--)
		if (putc(' ', f) == EOF)
			return -1;
	return 0;
}

static int
render_aligned(const struct aud_table *t, FILE *f, const struct aud_table_options *o)
{
	const char *indent = o != NULL && o->indent != NULL ? o->indent : "";
	size_t *w = calloc(t->ncols, sizeof(*w)), r, c, i, last;
	int bad = 0;

	if (w == NULL)
		return AUD_ENOMEM;
	for (r = 0; r <= t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t l = aud_text_width(aud_table_cell(t, r, c));

			if (l > w[c])
				w[c] = l;
		}
	for (r = 0; r <= t->nrows; r++) {
		/* the last column with text: nothing is written past it, not even blanks */
		last = t->ncols;
		for (c = 0; c < t->ncols; c++)
			if (aud_table_cell(t, r, c)[0] != '\0')
				last = c;
		if (last < t->ncols)
			bad |= fputs(indent, f) == EOF;
		for (c = 0; last < t->ncols && c <= last; c++) {
			const char *s = aud_table_cell(t, r, c);
			size_t pad = w[c] - aud_text_width(s);

			if (c > 0)
				bad |= fputs("  ", f) == EOF;
			if (t->align[c] == AUD_ALIGN_RIGHT)
				bad |= put_padding(f, pad) < 0;
			bad |= fputs(s, f) == EOF;
			if (t->align[c] == AUD_ALIGN_LEFT && c < last)
				bad |= put_padding(f, pad) < 0;
		}
		bad |= putc('\n', f) == EOF;
		if (r == 0 && o != NULL && o->rule) {
			bad |= fputs(indent, f) == EOF;
			for (c = 0; c < t->ncols; c++) {
				if (c > 0)
					bad |= fputs("  ", f) == EOF;
				for (i = 0; i < w[c]; i++)
					bad |= putc('-', f) == EOF;
			}
			bad |= putc('\n', f) == EOF;
		}
	}
	free(w);
	return bad ? AUD_EOUTPUT : 0;
}

/* A Markdown cell: `|`, `\` and `*` escaped, a line break written as <br>. */
static int
md_cell(FILE *f, const char *s)
{
	int bad = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n') {
			if (*s == '\r' && s[1] == '\n')
				s++;
			bad |= fputs("<br>", f) == EOF;
			continue;
		}
		if (*s == '|' || *s == '\\' || *s == '*')
			bad |= putc('\\', f) == EOF;
		bad |= putc(*s, f) == EOF;
	}
	return bad ? -1 : 0;
}

static int
render_md(const struct aud_table *t, FILE *f)
{
	size_t r, c;
	int bad = 0;

	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			bad |= fputs("| ", f) == EOF;
			bad |= md_cell(f, aud_table_cell(t, r, c)) < 0;
			bad |= putc(' ', f) == EOF;
		}
		bad |= fputs("|\n", f) == EOF;
		if (r == 0) {
			for (c = 0; c < t->ncols; c++)
				bad |= fputs(t->align[c] == AUD_ALIGN_RIGHT ? "| ---: " : "| --- ",
				    f) == EOF;
			bad |= fputs("|\n", f) == EOF;
		}
	}
	return bad ? AUD_EOUTPUT : 0;
}

static int
render_csv(const struct aud_table *t, FILE *f)
{
	size_t r, c;
	int bad = 0;

	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = aud_table_cell(t, r, c);

			if (c > 0)
				bad |= putc(',', f) == EOF;
			bad |= aud_csv_write_field(f, s, strlen(s), ',') < 0;
		}
		bad |= putc('\n', f) == EOF;
	}
	return bad ? AUD_EOUTPUT : 0;
}

int
aud_table_render(const struct aud_table *t, FILE *f, enum aud_format format,
    const struct aud_table_options *opts, struct aud_error *err)
{
	int rc;

	if (t->oom)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	switch (format) {
	case AUD_FORMAT_TABLE:
		rc = render_aligned(t, f, opts);
		break;
	case AUD_FORMAT_MD:
		rc = render_md(t, f);
		break;
	case AUD_FORMAT_CSV:
		rc = render_csv(t, f);
		break;
	default:
		return AUD_ERROR(err, AUD_EINVAL, "a table has no json form");
	}
	if (rc == AUD_ENOMEM)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (rc < 0 || ferror(f))
		return AUD_ERROR(err, AUD_EOUTPUT, "cannot write the table");
	return 0;
}

int
aud_table_render_section(struct aud_table *t, FILE *f, enum aud_format format,
    const char *title, struct aud_error *err)
{
	struct aud_table_options to = AUD_TABLE_OPTIONS_INIT;
	int rc;

	if (title != NULL && format != AUD_FORMAT_CSV)
		fprintf(f, format == AUD_FORMAT_MD ? "\n### %s\n\n" : "\n%s\n", title);
	to.rule = format == AUD_FORMAT_TABLE;
	rc = aud_table_render(t, f, format, &to, err);
	aud_table_free(t);
	return rc;
}
