/*
 * csv.c — the streaming RFC 4180 reader (see csv.h).
 *
 * The input is read in blocks into one buffer; a record is scanned in place
 * with a 256-entry table of special bytes and a NUL sentinel at the end of
 * the valid data. Fields are (pointer, length) pairs into the buffer, so the
 * raw record stays intact; a quoted field with doubled quotes is undone in
 * place only after the raw record was saved. A record that crosses the end
 * of the buffer is moved to the front and, once more data is in, its scan
 * resumes where it stopped (the state is kept as offsets from the record's
 * start, and fields as offsets too), so every byte is scanned once. Bytes
 * with the high bit stop the unquoted-field loop to be checked as UTF-8
 * (ASCII text pays nothing); quoted fields are checked once closed. Latin-1
 * and Windows-1252 inputs are turned into UTF-8 as they are read.
 */
#define _GNU_SOURCE 1 /* strtod_l */
#include <audit/csv.h>
#include <audit/dict.h>
#include "csv_private.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#define BLOCK (1u << 20)
#define DEFAULT_MAX_RECORD ((size_t)64 << 20)

struct aud_csv {
	char *path;
	int fd;
	int owns_fd;
	int eof;              /* no more bytes from fd */
	int done;             /* aud_csv_next returned 0 */
	int pending;          /* the current record (no header: line 1) is not yet returned */
	char *buf;
	size_t cap;           /* allocated, minus 1 for the sentinel */
	size_t len;           /* valid bytes */
	size_t pos;           /* start of the unparsed data */
	const char *mem;      /* in-memory input (copied) */
	size_t mem_len, mem_pos;
	size_t read_max;      /* 0, or the most bytes one read may return (tests) */
	char sep;
	int sep_given;
	int trim;             /* drop the leading spaces of fields */
	int no_header;
	enum aud_csv_encoding encoding;
	char *tbuf;           /* raw bytes before transcoding */
	size_t tcap;
	size_t max_record;
	unsigned char special[256];

	/* NA tokens */
	char *na_store;
	const char **na;
	size_t *na_len;
	size_t nna;
	size_t na_maxlen;
	unsigned char na_first[256]; /* first bytes of the non-empty tokens */
	unsigned char na_last[256];  /* their last bytes */
	uint64_t na_lens;            /* bit min(len, 63) set for each token's length */
	int na_empty;                /* the empty field is a token */

	size_t ncols;
	char **names;
	uint64_t hdr_line;    /* line of the header (or of the first record) */

	/* current record */
	size_t nf, fcap;
	const char *fbase;   /* fields are at fbase + foff[i] */
	size_t *foff;
	size_t *flen;
	uint32_t *fcol;
	uint32_t *fline;     /* lines after the record's first */
	unsigned char *fesc; /* field has doubled quotes */
	const char *raw;
	size_t raw_len;
	char *rawcopy;
	size_t rawcopy_cap;

	/* where the scan of a record cut by the end of the buffer resumes */
	int rs_state;
	size_t rs_p, rs_fstart, rs_line_start, rs_nf;
	uint32_t rs_lines;
	int rs_any_esc;
	uint64_t scanned;    /* bytes passed by the search for field ends */

	uint64_t line;       /* physical line where the next record starts */
	uint64_t rec_line;   /* line of the current record */
	uint64_t rows;
	uint64_t consumed;   /* bytes consumed by parsed records */
	uint64_t size;

	struct sha256_ctx sha;
	int sha_done;
	char sha_hex[65];
};

/* ---- the C locale, for the rare numbers the fast path leaves to strtod ---- */

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void
make_c_locale(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

int
aud_parse_number(double *out, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	uint64_t mant = 0;
	int ndig = 0, nint = 0, nfrac = 0, neg = 0, dropped = 0;
	long exp10 = 0;
	char tmp[128];
	char *tend;
	double v;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end)
		return 0;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	const char *num_start = p;
	while (p < end && *p >= '0' && *p <= '9') {
		if (mant == 0 && *p == '0') {
			/* leading zeros carry no digits */
		} else if (ndig < 19) {
			mant = mant * 10 + (uint64_t)(*p - '0');
			ndig++;
		} else {
			dropped = 1;
			exp10++;
		}
		nint++;
		p++;
	}
	if (p < end && *p == '.') {
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (mant == 0 && *p == '0') {
				exp10--;
			} else if (ndig < 19) {
				mant = mant * 10 + (uint64_t)(*p - '0');
				ndig++;
				exp10--;
			} else {
				dropped = 1;
			}
			nfrac++;
			p++;
		}
	}
	if (nint + nfrac == 0)
		return 0;
	if (p < end && (*p == 'e' || *p == 'E')) {
		long e = 0;
		int eneg = 0, edig = 0;

		p++;
		if (p < end && (*p == '+' || *p == '-')) {
			eneg = *p == '-';
			p++;
		}
		while (p < end && *p >= '0' && *p <= '9') {
			if (e < 100000)
				e = e * 10 + (*p - '0');
			edig++;
			p++;
		}
		if (edig == 0)
			return 0;
		exp10 += eneg ? -e : e;
	}
	if (p != end)
		return 0;
	if (mant == 0) {
		*out = neg ? -0.0 : 0.0;
		return 1;
	}
	if (!dropped && mant <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
		v = (double)mant;
		v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
		*out = neg ? -v : v;
		return 1;
	}
	/* Exact decimal conversion of the rare long or large numbers. */
	if ((size_t)(end - num_start) + 2 > sizeof(tmp))
		return 0;
	tmp[0] = neg ? '-' : '+';
	memcpy(tmp + 1, num_start, (size_t)(end - num_start));
	tmp[1 + (end - num_start)] = '\0';
	pthread_once(&c_locale_once, make_c_locale);
	errno = 0;
	v = c_locale != (locale_t)0 ? strtod_l(tmp, &tend, c_locale) : strtod(tmp, &tend);
	if (*tend != '\0' || !isfinite(v))
		return 0;
	*out = v;
	return 1;
}

void
aud_format_double(char buf[32], double x)
{
	double back;

	if (isnan(x)) {
		buf[0] = '\0';
		return;
	}
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(buf, 32, "%.0f", x);
		if (strcmp(buf, "-0") == 0)
			strcpy(buf, "0");
		return;
	}
	snprintf(buf, 32, "%.15g", x);
	if (aud_parse_number(&back, buf, strlen(buf)) == 1 && back == x)
		return;
	snprintf(buf, 32, "%.16g", x);
	if (aud_parse_number(&back, buf, strlen(buf)) == 1 && back == x)
		return;
	snprintf(buf, 32, "%.17g", x);
}

int
aud_csv_write_field(FILE *f, const char *s, size_t len, char sep)
{
	size_t i;
	int quote = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r') {
			quote = 1;
			break;
		}
	}
	if (!quote)
		return fwrite(s, 1, len, f) == len ? 0 : AUD_EOUTPUT;
	if (putc('"', f) == EOF)
		return AUD_EOUTPUT;
	for (i = 0; i < len; i++) {
		if (s[i] == '"' && putc('"', f) == EOF)
			return AUD_EOUTPUT;
		if (putc(s[i], f) == EOF)
			return AUD_EOUTPUT;
	}
	return putc('"', f) == EOF ? AUD_EOUTPUT : 0;
}

/* ---- reading ---- */

/* Windows-1252's 0x80-0x9F (WHATWG: the five unassigned bytes stay C1 controls). */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

/* Transcode n bytes of Latin-1 or Windows-1252 at src into UTF-8 at dst. */
static size_t
transcode(char *dst, const unsigned char *src, size_t n, enum aud_csv_encoding enc)
{
	char *d = dst;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned cp = src[i];

		if (cp < 0x80) {
			*d++ = (char)cp;
			continue;
		}
		if (enc == AUD_CSV_CP1252 && cp < 0xA0)
			cp = cp1252_c1[cp - 0x80];
		if (cp < 0x800) {
			*d++ = (char)(0xC0 | (cp >> 6));
			*d++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*d++ = (char)(0xE0 | (cp >> 12));
			*d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
			*d++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	return (size_t)(d - dst);
}

/*
 * Length of the UTF-8 sequence at p (its first byte has the high bit): 2-4,
 * 0 when it is invalid (overlong, surrogate, beyond U+10FFFF, bad byte), -1
 * when it is valid so far but cut by `end`.
 */
static int
utf8_len(const char *s, const char *end)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t avail = (size_t)(end - s);
	unsigned char lo = 0x80, hi = 0xBF;
	int n, i;

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		n = 3;
		if (p[0] == 0xE0)
			lo = 0xA0;
		else if (p[0] == 0xED)
			hi = 0x9F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		n = 4;
		if (p[0] == 0xF0)
			lo = 0x90;
		else if (p[0] == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((size_t)i >= avail)
			return -1;
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	return n;
}

static int
utf8_error(struct aud_csv *c, uint64_t line, uint64_t col, const char *at,
    struct aud_error *err)
{
	return AUD_ERROR(err, AUD_EPARSE,
	    "%s:%llu:%llu: invalid UTF-8 (byte 0x%02X): give the encoding with "
	    "--encoding latin1 or cp1252", c->path, (unsigned long long)line,
	    (unsigned long long)col, (unsigned)(unsigned char)*at);
}

static int
fill(struct aud_csv *c, struct aud_error *err)
{
	size_t want, got;
	ssize_t n;
	char *dst;

	if (c->eof)
		return 0;
	/* keep [pos, len); move it to the front */
	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, c->len - c->pos);
		c->len -= c->pos;
		c->pos = 0;
	}
	if (c->cap - c->len < BLOCK / 2) {
		size_t ncap = c->cap * 2;
		char *nb;

		if (c->len >= c->max_record + 4)
			return AUD_ERROR(err, AUD_EPARSE,
			    "%s:%llu:1: record longer than %zu bytes", c->path,
			    (unsigned long long)c->line, c->max_record);
		nb = realloc(c->buf, ncap + 1);
		if (nb == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		c->buf = nb;
		c->cap = ncap;
	}
	want = c->cap - c->len;
	dst = c->buf + c->len;
	if (c->encoding != AUD_CSV_UTF8) {
		/* one input byte gives at most 3 bytes of UTF-8 */
		want /= 3;
		if (c->tcap < want) {
			char *nt = realloc(c->tbuf, want);

			if (nt == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			c->tbuf = nt;
			c->tcap = want;
		}
		dst = c->tbuf;
	}
	if (c->read_max != 0 && want > c->read_max)
		want = c->read_max;
	if (c->mem != NULL) {
		got = c->mem_len - c->mem_pos;
		if (got > want)
			got = want;
		memcpy(dst, c->mem + c->mem_pos, got);
		c->mem_pos += got;
		n = (ssize_t)got;
	} else {
		do
			n = read(c->fd, dst, want);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return AUD_ERROR_ERRNO(err, AUD_EIO, errno, "cannot read '%s': %s",
			    c->path, strerror(errno));
	}
	if (n == 0) {
		c->eof = 1;
		c->buf[c->len] = '\0';
		return 0;
	}
	sha256_update(&c->sha, (size_t)n, (const uint8_t *)dst);
	if (c->encoding != AUD_CSV_UTF8)
		n = (ssize_t)transcode(c->buf + c->len, (const unsigned char *)dst,
		    (size_t)n, c->encoding);
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	return 1;
}

static int
grow_fields(struct aud_csv *c, struct aud_error *err)
{
	size_t n = c->fcap ? c->fcap * 2 : 16;
	void *p;

#define GROW(field) do { p = realloc(c->field, n * sizeof(*c->field)); \
	if (p == NULL) return AUD_ERROR(err, AUD_ENOMEM, "out of memory"); \
	c->field = p; } while (0)
	GROW(foff);
	GROW(flen);
	GROW(fcol);
	GROW(fline);
	GROW(fesc);
#undef GROW
	c->fcap = n;
	return 0;
}

/* Checks of a closed quoted field [s, e): no NUL, valid UTF-8; counts its newlines. */
static int
check_quoted(struct aud_csv *c, const char *s, const char *e, uint32_t *lines,
    char **line_start, struct aud_error *err)
{
	const char *r;
	uint64_t line0 = c->line + *lines;

	if (memchr(s, '\0', (size_t)(e - s)) != NULL)
		return 1;
	if (c->special[0x80]) {
		for (r = s; r < e; r++) {
			if ((unsigned char)*r >= 0x80) {
				int n = utf8_len(r, e);

				if (n <= 0) {
					const char *ls = *line_start;
					const char *t;
					uint64_t l = line0;

					for (t = s; t < r; t++)
						if (*t == '\n') {
							l++;
							ls = t + 1;
						}
					return utf8_error(c, l, (uint64_t)(r - ls + 1), r, err);
				}
				r += n - 1;
			}
		}
	}
	r = s;
	while ((r = memchr(r, '\n', (size_t)(e - r))) != NULL) {
		(*lines)++;
		*line_start = (char *)++r;
	}
	return 0;
}

enum { RS_NONE, RS_FIELD, RS_UNQUOTED, RS_QUOTED };

/*
 * Scan one record starting at c->pos. Returns 1 (record), 0 (need more
 * data: nothing consumed, the scan state saved to resume), 2 (end of input,
 * no record), or an error. `header`: the field count is free (no ragged
 * check).
 */
static int
scan_record(struct aud_csv *c, int header, struct aud_error *err)
{
	char *p, *end = c->buf + c->len;
	char *rec, *line_start, *fstart, *q;
	const unsigned char *sp = c->special;
	uint32_t lines = 0;
	int any_esc = 0, rc, state;
	size_t nf = 0;
	char *scan_base;        /* where this call began to scan: c->scanned counts from here */

	if (c->rs_state != RS_NONE) {
		rec = c->buf + c->pos;
		p = rec + c->rs_p;
		fstart = rec + c->rs_fstart;
		line_start = rec + c->rs_line_start;
		lines = c->rs_lines;
		any_esc = c->rs_any_esc;
		nf = c->rs_nf;
		state = c->rs_state;
		c->rs_state = RS_NONE;
		scan_base = p;
		if (state == RS_UNQUOTED)
			goto unquoted;
		if (state == RS_QUOTED) {
			q = p;
			goto quoted;
		}
		goto field;
	}
	p = c->buf + c->pos;
	rec = line_start = p;
	/* skip empty lines */
	for (;;) {
		if (p == end)
			return c->eof ? 2 : 0;
		if (*p == '\n') {
			p++;
			c->line++;
			c->pos = (size_t)(p - c->buf);
			c->consumed++;
			rec = line_start = p;
			continue;
		}
		if (*p == '\r') {
			if (p + 1 == end && !c->eof)
				return 0;
			if (p + 1 < end && p[1] == '\n') {
				p += 2;
				c->line++;
				c->pos = (size_t)(p - c->buf);
				c->consumed += 2;
				rec = line_start = p;
				continue;
			}
		}
		break;
	}
#define SUSPEND(st) do { \
		c->rs_state = (st); c->rs_p = (size_t)(p - rec); \
		c->rs_fstart = (size_t)(fstart - rec); \
		c->rs_line_start = (size_t)(line_start - rec); c->rs_lines = lines; \
		c->rs_any_esc = any_esc; c->rs_nf = nf; \
		c->scanned += (uint64_t)(p - scan_base); \
		return 0; } while (0)
	fstart = scan_base = p;
	for (;;) {
field:
		if (nf == c->fcap && (rc = grow_fields(c, err)) < 0)
			return rc;
		if (!header && nf == c->ncols) {
			return AUD_ERROR(err, AUD_EPARSE,
			    "%s:%llu:%llu: too many fields: expected %zu", c->path,
			    (unsigned long long)(c->line + lines),
			    (unsigned long long)(p - line_start + 1), c->ncols);
		}
		if (c->trim)
			while (*p == ' ')
				p++;
		c->fcol[nf] = (uint32_t)(p - line_start + 1);
		c->fline[nf] = lines;
		c->fesc[nf] = 0;
		if (*p == '"') {
			fstart = q = p + 1;
quoted:
			for (;;) {
				char *hit = memchr(q, '"', (size_t)(end - q));

				if (hit == NULL) {
					if (!c->eof) {
						p = end;
						SUSPEND(RS_QUOTED);
					}
					return AUD_ERROR(err, AUD_EPARSE,
					    "%s:%llu:%u: unterminated quoted field",
					    c->path, (unsigned long long)(c->line + c->fline[nf]),
					    c->fcol[nf]);
				}
				q = hit;
				if (q + 1 == end && !c->eof) {
					p = q;
					SUSPEND(RS_QUOTED);
				}
				if (q[1] == '"') {
					c->fesc[nf] = 1;
					any_esc = 1;
					q += 2;
					continue;
				}
				/* a CR after the quote: its LF must be in too */
				if (q[1] == '\r' && q + 2 == end && !c->eof) {
					p = q;
					SUSPEND(RS_QUOTED);
				}
				break;
			}
			rc = check_quoted(c, fstart, q, &lines, &line_start, err);
			if (rc < 0)
				return rc;
			if (rc == 1)
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%u: NUL byte in the input", c->path,
				    (unsigned long long)(c->line + c->fline[nf]),
				    c->fcol[nf]);
			c->foff[nf] = (size_t)(fstart - rec);
			c->flen[nf] = (size_t)(q - fstart);
			p = q + 1;
			if (p != end && *p != c->sep && *p != '\n' && *p != '\r') {
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: unexpected character after a closing quote",
				    c->path, (unsigned long long)(c->line + lines),
				    (unsigned long long)(p - line_start + 1));
			}
		} else {
			fstart = p;
unquoted:
			for (;;) {
				int n;

				while (!sp[(unsigned char)*p])
					p++;
				if ((unsigned char)*p < 0x80)
					break;
				n = utf8_len(p, end);
				if (n > 0) {
					p += n;
					continue;
				}
				if (n < 0 && !c->eof)
					SUSPEND(RS_UNQUOTED);
				return utf8_error(c, c->line + lines,
				    (uint64_t)(p - line_start + 1), p, err);
			}
			if (*p == '"')
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: quote inside an unquoted field",
				    c->path, (unsigned long long)(c->line + lines),
				    (unsigned long long)(p - line_start + 1));
			if (*p == '\0' && p != end)
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: NUL byte in the input", c->path,
				    (unsigned long long)(c->line + lines),
				    (unsigned long long)(p - line_start + 1));
			if (p == end && !c->eof) {
				/* an empty start: the next byte may open a quoted field */
				if (p == fstart)
					SUSPEND(RS_FIELD);
				SUSPEND(RS_UNQUOTED);
			}
			if (*p == '\r' && p + 1 < end && p[1] != '\n') {
				/* a lone CR is data */
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: carriage return inside an unquoted field",
				    c->path, (unsigned long long)(c->line + lines),
				    (unsigned long long)(p - line_start + 1));
			}
			if (*p == '\r' && p + 1 == end && !c->eof)
				SUSPEND(RS_UNQUOTED);
			c->foff[nf] = (size_t)(fstart - rec);
			c->flen[nf] = (size_t)(p - fstart);
		}
		nf++;
		if (p < end && *p == c->sep) {
			p++;
			continue;
		}
		/* end of record: newline, CRLF, or end of input */
		c->raw = rec;
		c->raw_len = (size_t)(p - rec);
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		break;
	}
#undef SUSPEND
	if (!header && nf != c->ncols) {
		return AUD_ERROR(err, AUD_EPARSE,
		    "%s:%llu:%llu: expected %zu fields, found %zu", c->path,
		    (unsigned long long)(c->line + lines),
		    (unsigned long long)(c->raw + c->raw_len - line_start + 1),
		    c->ncols, nf);
	}
	c->scanned += (uint64_t)(p - scan_base);
	c->nf = nf;
	c->fbase = rec;
	c->rec_line = c->line;
	c->line += lines + 1;
	c->consumed += (uint64_t)(p - (c->buf + c->pos));
	c->pos = (size_t)(p - c->buf);
	if (any_esc) {
		size_t i;

		if (c->rawcopy_cap < c->raw_len + 1) {
			char *nr = realloc(c->rawcopy, c->raw_len + 1);

			if (nr == NULL)
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			c->rawcopy = nr;
			c->rawcopy_cap = c->raw_len + 1;
		}
		memcpy(c->rawcopy, c->raw, c->raw_len);
		c->raw = c->rawcopy;
		for (i = 0; i < nf; i++) {
			char *src, *dst, *fe;

			if (!c->fesc[i])
				continue;
			src = dst = rec + c->foff[i];
			fe = src + c->flen[i];
			while (src < fe) {
				if (*src == '"')
					src++;
				*dst++ = *src++;
			}
			c->flen[i] = (size_t)(dst - (rec + c->foff[i]));
		}
	}
	return 1;
}

static int
next_record(struct aud_csv *c, int header, struct aud_error *err)
{
	int rc;

	for (;;) {
		rc = scan_record(c, header, err);
		if (rc < 0 || rc == 1)
			return rc;
		if (rc == 2)
			return 0;
		/* the partial record alone is over the limit: no need to read on */
		if (c->len - c->pos > c->max_record + 2)
			return AUD_ERROR(err, AUD_EPARSE,
			    "%s:%llu:1: record longer than %zu bytes", c->path,
			    (unsigned long long)c->line, c->max_record);
		rc = fill(c, err);
		if (rc < 0)
			return rc;
	}
}

static void
set_special(struct aud_csv *c)
{
	memset(c->special, 0, sizeof(c->special));
	/* bytes with the high bit start UTF-8 sequences to check */
	if (c->encoding == AUD_CSV_UTF8)
		memset(c->special + 0x80, 1, 0x80);
	c->special[(unsigned char)c->sep] = 1;
	c->special['\n'] = 1;
	c->special['\r'] = 1;
	c->special['"'] = 1;
	c->special[0] = 1;
}

static const char sep_cands[] = { ',', ';', '\t', '|', ' ' };

/*
 * The separator of the first line [p, end): the most frequent of comma,
 * semicolon, tab and pipe outside quotes; a space when none of them occurs
 * and a space does; else a comma.
 */
static char
detect_sep(const char *p, const char *end)
{
	size_t counts[5] = { 0, 0, 0, 0, 0 }, i, best = 0;
	int inq = 0;

	for (; p < end; p++) {
		if (*p == '"')
			inq = !inq;
		else if (!inq && (*p == '\n' || *p == '\r'))
			break;
		else if (!inq)
			for (i = 0; i < 5; i++)
				if (*p == sep_cands[i])
					counts[i]++;
	}
	for (i = 1; i < 4; i++)
		if (counts[i] > counts[best])
			best = i;
	if (counts[best] == 0 && counts[4] > 0)
		return ' ';
	return sep_cands[best];
}

/* 1 when the first line [p, end) has a separator and each is followed by a space. */
static int
detect_trim(const char *p, const char *end, char sep)
{
	size_t nsep = 0;
	int inq = 0;

	if (sep == ' ')
		return 0;
	for (; p < end; p++) {
		if (*p == '"')
			inq = !inq;
		else if (!inq && (*p == '\n' || *p == '\r'))
			break;
		else if (!inq && *p == sep) {
			if (p + 1 >= end || p[1] != ' ')
				return 0;
			nsep++;
		}
	}
	return nsep > 0;
}

void
aud_csv_char_name(char buf[8], char ch)
{
	unsigned char u = (unsigned char)ch;

	if (ch == '\t')
		strcpy(buf, "'\\t'");
	else if (ch == '\n')
		strcpy(buf, "'\\n'");
	else if (ch == '\r')
		strcpy(buf, "'\\r'");
	else if (u >= 0x20 && u < 0x7F)
		snprintf(buf, 8, "'%c'", ch);
	else
		snprintf(buf, 8, "'\\x%02X'", u);
}

static int
parse_na(struct aud_csv *c, const char *spec, struct aud_error *err)
{
	size_t n = 1, i, k;
	const char *s;
	char *p;

	if (spec == NULL)
		spec = AUD_CSV_NA_DEFAULT;
	for (s = spec; *s; s++)
		if (*s == ',')
			n++;
	c->na_store = strdup(spec);
	c->na = calloc(n, sizeof(*c->na));
	c->na_len = calloc(n, sizeof(*c->na_len));
	if (c->na_store == NULL || c->na == NULL || c->na_len == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	p = c->na_store;
	for (i = 0, k = 0; k < n; k++) {
		char *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		c->na[i] = p;
		c->na_len[i] = strlen(p);
		i++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	c->nna = i;
	for (k = 0; k < c->nna; k++) {
		if (c->na_len[k] == 0)
			c->na_empty = 1;
		else {
			c->na_first[(unsigned char)c->na[k][0]] = 1;
			c->na_last[(unsigned char)c->na[k][c->na_len[k] - 1]] = 1;
		}
		c->na_lens |= UINT64_C(1) << (c->na_len[k] < 63 ? c->na_len[k] : 63);
		if (c->na_len[k] > c->na_maxlen)
			c->na_maxlen = c->na_len[k];
	}
	return 0;
}

/*
 * Column names from the header record; a repeated name gets pandas' suffix:
 * the k-th repeat of `x` becomes `x.k` (skipping names already taken).
 */
static int
name_columns(struct aud_csv *c, int no_header, const char *given,
    struct aud_error *err)
{
	struct aud_dict *seen = NULL;
	uint32_t *next = NULL;   /* per dictionary code: the next suffix to try */
	size_t i, nnext = 0;
	int32_t code;
	int rc = 0;

	rc = aud_dict_new(&seen, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < c->ncols; i++) {
		char num[32];
		const char *base;
		size_t blen;
		uint32_t k;

		if (given != NULL) {
			const char *comma = strchr(given, ',');

			base = given;
			blen = comma != NULL ? (size_t)(comma - given) : strlen(given);
			given = comma != NULL ? comma + 1 : given + blen;
		} else if (no_header) {
			snprintf(num, sizeof(num), "%zu", i + 1);
			base = num;
			blen = strlen(num);
		} else {
			base = c->fbase + c->foff[i];
			blen = c->flen[i];
		}
		c->names[i] = malloc(blen + 16);
		if (c->names[i] == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		memcpy(c->names[i], base, blen);
		c->names[i][blen] = '\0';
		code = aud_dict_find(seen, base, blen);
		if (code >= 0) {
			int32_t base_code = code;

			for (k = next[base_code];; k++) {
				snprintf(c->names[i] + blen, 16, ".%u", (unsigned)k);
				if (aud_dict_find(seen, c->names[i], strlen(c->names[i])) < 0)
					break;
			}
			next[base_code] = k + 1;
		}
		rc = aud_dict_intern(&code, seen, c->names[i], strlen(c->names[i]), err);
		if (rc < 0)
			goto done;
		if ((size_t)code >= nnext) {
			size_t nn = nnext ? nnext * 2 : 64;
			uint32_t *p;

			while (nn <= (size_t)code)
				nn *= 2;
			p = realloc(next, nn * sizeof(*p));
			if (p == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			memset(p + nnext, 0, (nn - nnext) * sizeof(*p));
			next = p;
			nnext = nn;
		}
		next[code] = 1;
	}
done:
	free(next);
	aud_dict_free(seen);
	return rc;
}

/* Number of names in a comma-separated list. */
static size_t
count_names(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		if (*s == ',')
			n++;
	return n;
}

static int
read_header(struct aud_csv *c, const struct aud_csv_options *o, struct aud_error *err)
{
	size_t searched = 0, nnames;
	unsigned long skip = o->skip_lines;
	char *nl;
	int rc;

	if (c->len == 0 && !c->eof) {
		rc = fill(c, err);
		if (rc < 0)
			return rc;
	}
	if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0) {
		c->pos = 3;
		c->consumed = 3;
	}
	/*
	 * Skip `skip` lines, then make sure the first line (or everything) is in
	 * the buffer to detect the separator. `searched` counts bytes after pos
	 * already searched for a newline, so a long line is searched once.
	 */
	for (;;) {
		nl = memchr(c->buf + c->pos + searched, '\n', c->len - c->pos - searched);
		if (nl != NULL && skip > 0) {
			size_t n = (size_t)(nl + 1 - (c->buf + c->pos));

			c->pos += n;
			c->consumed += n;
			c->line++;
			skip--;
			searched = 0;
			continue;
		}
		if (nl != NULL || c->eof)
			break;
		searched = c->len - c->pos;
		rc = fill(c, err);
		if (rc < 0)
			return rc;
	}
	c->hdr_line = c->line;
	if (skip > 0 || (c->pos == c->len && c->eof))
		return AUD_ERROR(err, AUD_EPARSE, "%s:%llu:1: empty input: no header line",
		    c->path, (unsigned long long)c->line);
	c->sep_given = o->sep != 0;
	c->sep = o->sep != 0 ? o->sep : detect_sep(c->buf + c->pos, c->buf + c->len);
	if (o->trim == AUD_CSV_TRIM_ALWAYS)
		c->trim = c->sep != ' ';
	else if (o->trim == AUD_CSV_TRIM_AUTO)
		c->trim = detect_trim(c->buf + c->pos, c->buf + c->len, c->sep);
	set_special(c);
	rc = next_record(c, 1, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return AUD_ERROR(err, AUD_EPARSE, "%s:%llu:1: empty input: no header line",
		    c->path, (unsigned long long)c->hdr_line);
	c->hdr_line = c->rec_line;
	c->ncols = c->nf;
	if (o->names != NULL && (nnames = count_names(o->names)) != c->ncols) {
		uint64_t col = nnames < c->ncols ? c->fcol[nnames] :
		    (uint64_t)c->raw_len + 1;

		return AUD_ERROR(err, AUD_EPARSE,
		    "%s:%llu:%llu: %zu column name%s given for %zu fields", c->path,
		    (unsigned long long)(c->rec_line + (nnames < c->ncols ? c->fline[nnames] : 0)),
		    (unsigned long long)col, nnames, nnames == 1 ? "" : "s", c->ncols);
	}
	c->names = calloc(c->ncols, sizeof(*c->names));
	if (c->names == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = name_columns(c, o->no_header, o->names, err);
	if (rc < 0)
		return rc;
	c->no_header = o->no_header;
	/* the first line is data: aud_csv_next returns it first */
	if (o->no_header)
		c->pending = 1;
	if (c->trim && o->trim == AUD_CSV_TRIM_AUTO && o->notice != NULL) {
		char msg[512];
		char sepname[8];

		aud_csv_char_name(sepname, c->sep);
		snprintf(msg, sizeof(msg), "%s: every separator %s of line %llu is followed "
		    "by a space: leading spaces of fields are dropped (--no-trim keeps them)",
		    c->path, sepname, (unsigned long long)c->hdr_line);
		o->notice(msg, o->notice_payload);
	}
	return 0;
}

static int
csv_init(struct aud_csv **out, struct aud_csv *c, const struct aud_csv_options *opts,
    struct aud_error *err)
{
	struct aud_csv_options def = AUD_CSV_OPTIONS_INIT;
	int rc;

	if (opts == NULL)
		opts = &def;
	c->max_record = opts->max_record ? opts->max_record : DEFAULT_MAX_RECORD;
	c->cap = BLOCK;
	c->buf = malloc(c->cap + 1);
	if (c->buf == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto fail;
	}
	c->buf[0] = '\0';
	c->line = 1;
	c->encoding = opts->encoding;
	sha256_init(&c->sha);
	rc = parse_na(c, opts->na, err);
	if (rc < 0)
		goto fail;
	rc = read_header(c, opts, err);
	if (rc < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	aud_csv_free(c);
	return rc;
}

int
aud_csv_open(struct aud_csv **out, const char *path,
    const struct aud_csv_options *opts, struct aud_error *err)
{
	struct aud_csv *c;
	struct stat st;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	c->fd = -1;
	if (path == NULL || strcmp(path, "-") == 0) {
		c->path = strdup("-");
		c->fd = 0;
	} else {
		c->path = strdup(path);
		c->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (c->fd < 0) {
			int e = errno;

			aud_csv_free(c);
			return AUD_ERROR_ERRNO(err, AUD_EIO, e, "cannot open '%s': %s",
			    path, strerror(e));
		}
		c->owns_fd = 1;
	}
	if (c->path == NULL) {
		aud_csv_free(c);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	if (fstat(c->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			aud_csv_free(c);
			return AUD_ERROR(err, AUD_EIO, "cannot read '%s': %s", path,
			    strerror(EISDIR));
		}
		if (S_ISREG(st.st_mode))
			c->size = (uint64_t)st.st_size;
	}
	return csv_init(out, c, opts, err);
}

int
aud_csv_open_mem(struct aud_csv **out, const char *name, const char *data,
    size_t len, const struct aud_csv_options *opts, struct aud_error *err)
{
	return aud__csv_open_mem_reads(out, name, data, len, 0, opts, err);
}

int
aud__csv_open_mem_reads(struct aud_csv **out, const char *name, const char *data,
    size_t len, size_t read_max, const struct aud_csv_options *opts,
    struct aud_error *err)
{
	struct aud_csv *c;
	char *copy;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	c->fd = -1;
	c->path = strdup(name != NULL ? name : "<memory>");
	copy = malloc(len + 1);
	if (c->path == NULL || copy == NULL) {
		free(copy);
		aud_csv_free(c);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	memcpy(copy, data, len);
	c->mem = copy;
	c->mem_len = len;
	c->read_max = read_max;
	c->size = len;
	return csv_init(out, c, opts, err);
}

void
aud_csv_free(struct aud_csv *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->owns_fd && c->fd >= 0)
		close(c->fd);
	for (i = 0; c->names != NULL && i < c->ncols; i++)
		free(c->names[i]);
	free(c->names);
	free(c->path);
	free(c->buf);
	free((char *)c->mem);
	free(c->na_store);
	free(c->na);
	free(c->na_len);
	free(c->tbuf);
	free(c->foff);
	free(c->flen);
	free(c->fcol);
	free(c->fline);
	free(c->fesc);
	free(c->rawcopy);
	free(c);
}

size_t
aud_csv_ncols(const struct aud_csv *c)
{
	return c->ncols;
}

const char *
aud_csv_colname(const struct aud_csv *c, size_t i)
{
	return i < c->ncols ? c->names[i] : NULL;
}

char
aud_csv_sep(const struct aud_csv *c)
{
	return c->sep;
}

const char *
aud_csv_path(const struct aud_csv *c)
{
	return c->path;
}

int
aud_csv_unknown_column(const struct aud_csv *c, const char *name,
    struct aud_error *err)
{
	size_t i, used;
	char list[256], sepname[8];

	if (c->ncols == 1) {
		aud_csv_char_name(sepname, c->sep);
		if (c->sep_given)
			return AUD_ERROR(err, AUD_ENOTFOUND,
			    "%s:%llu: unknown column '%s' (columns: %.60s; a single column "
			    "with the separator %s: give the right one with -d)",
			    c->path, (unsigned long long)c->hdr_line, name, c->names[0],
			    sepname);
		return AUD_ERROR(err, AUD_ENOTFOUND,
		    "%s:%llu: unknown column '%s' (columns: %.60s; a single column: "
		    "separators tried ',' ';' '\\t' '|' ' ', give another with -d)",
		    c->path, (unsigned long long)c->hdr_line, name, c->names[0]);
	}
	list[0] = '\0';
	used = 0;
	for (i = 0; i < c->ncols && used + 4 < sizeof(list); i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s",
		    i ? ", " : "", c->names[i]);

		if (n < 0 || (size_t)n >= sizeof(list) - used) {
			strcpy(list + sizeof(list) - 5, "...");
			break;
		}
		used += (size_t)n;
	}
	return AUD_ERROR(err, AUD_ENOTFOUND, "%s:%llu: unknown column '%s' (columns: %s)",
	    c->path, (unsigned long long)c->hdr_line, name, list);
}

int
aud_csv_find(size_t *out, const struct aud_csv *c, const char *name,
    struct aud_error *err)
{
	size_t i;

	for (i = 0; i < c->ncols; i++) {
		if (strcmp(c->names[i], name) == 0) {
			*out = i;
			return 0;
		}
	}
	return aud_csv_unknown_column(c, name, err);
}

int
aud_csv_trimmed(const struct aud_csv *c)
{
	return c->trim;
}

uint64_t
aud__csv_scanned(const struct aud_csv *c)
{
	return c->scanned;
}

void
aud__csv_set_read_max(struct aud_csv *c, size_t n)
{
	c->read_max = n;
}

int
aud_csv_next(struct aud_csv *c, struct aud_error *err)
{
	int rc;

	if (c->done || c->sha_done)
		return 0;
	if (c->pending) {
		c->pending = 0;
		c->rows++;
		return 1;
	}
	rc = next_record(c, 0, err);
	if (rc == 1)
		c->rows++;
	else if (rc == 0)
		c->done = 1;
	return rc;
}

const char *
aud_csv_field(const struct aud_csv *c, size_t i, size_t *len)
{
	*len = c->flen[i];
	return c->fbase + c->foff[i];
}

int
aud_csv_is_na(const struct aud_csv *c, size_t i)
{
	size_t k, len = c->flen[i];
	const char *s = c->fbase + c->foff[i];

	/* most fields are ruled out by their length, first or last byte */
	if (len == 0)
		return c->na_empty;
	if (len > c->na_maxlen || !(c->na_lens >> (len < 63 ? len : 63) & 1) ||
	    !c->na_first[(unsigned char)s[0]] || !c->na_last[(unsigned char)s[len - 1]])
		return 0;
	for (k = 0; k < c->nna; k++)
		if (c->na_len[k] == len && memcmp(c->na[k], s, len) == 0)
			return 1;
	return 0;
}

int
aud_csv_number(double *out, const struct aud_csv *c, size_t i,
    struct aud_error *err)
{
	size_t len = c->flen[i];
	const char *s = c->fbase + c->foff[i];

	if (aud_parse_number(out, s, len) == 1)
		return 1;
	if (aud_csv_is_na(c, i)) {
		*out = NAN;
		return 0;
	}
	return AUD_ERROR(err, AUD_EPARSE,
	    "%s:%llu:%u: non-numeric value '%.*s' in column '%s'", c->path,
	    (unsigned long long)(c->rec_line + c->fline[i]), c->fcol[i],
	    (int)(len > 40 ? 40 : len), s, c->names[i]);
}

const char *
aud_csv_raw(const struct aud_csv *c, size_t *len)
{
	*len = c->raw_len;
	return c->raw;
}

uint64_t
aud_csv_line(const struct aud_csv *c)
{
	return c->rec_line;
}

uint64_t
aud_csv_column(const struct aud_csv *c, size_t i)
{
	return c->fcol[i];
}

uint64_t
aud_csv_rows(const struct aud_csv *c)
{
	return c->rows;
}

uint64_t
aud_csv_bytes(const struct aud_csv *c)
{
	return c->consumed;
}

uint64_t
aud_csv_size(const struct aud_csv *c)
{
	return c->size;
}

int
aud_csv_sha256(struct aud_csv *c, char buf[65], struct aud_error *err)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];
	int rc, i;

	if (!c->sha_done) {
		while (!c->eof) {
			c->pos = c->len; /* drop parsed data: only hashing now */
			rc = fill(c, err);
			if (rc < 0)
				return rc;
		}
		sha256_digest(&c->sha, sizeof(d), d);
		for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
			c->sha_hex[2 * i] = hex[d[i] >> 4];
			c->sha_hex[2 * i + 1] = hex[d[i] & 15];
		}
		c->sha_hex[64] = '\0';
		c->sha_done = 1;
	}
	memcpy(buf, c->sha_hex, 65);
	return 0;
}
