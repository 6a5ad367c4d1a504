/*
 * csv.c — the streaming RFC 4180 reader (see csv.h).
 *
 * The input is read in blocks into one buffer; a record is scanned in place
 * with a 256-entry table of special bytes and a NUL sentinel at the end of
 * the valid data. Fields are (pointer, length) pairs into the buffer, so the
 * raw record stays intact; a quoted field with doubled quotes is undone in
 * place only after the raw record was saved. A record that crosses the end
 * of the buffer is moved to the front and scanned again once more data is in.
 */
#define _GNU_SOURCE 1 /* strtod_l */
#include <audit/csv.h>
#include <audit/batch.h>

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
	char *buf;
	size_t cap;           /* allocated, minus 1 for the sentinel */
	size_t len;           /* valid bytes */
	size_t pos;           /* start of the unparsed data */
	const char *mem;      /* in-memory input (copied) */
	size_t mem_len, mem_pos;
	char sep;
	size_t max_record;
	unsigned char special[256];

	/* NA tokens */
	char *na_store;
	const char **na;
	size_t *na_len;
	size_t nna;

	size_t ncols;
	char **names;

	/* current record */
	size_t nf, fcap;
	const char **fptr;
	size_t *flen;
	uint32_t *fcol;
	uint32_t *fline;     /* lines after the record's first */
	unsigned char *fesc; /* field has doubled quotes */
	const char *raw;
	size_t raw_len;
	char *rawcopy;
	size_t rawcopy_cap;

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

static int
fill(struct aud_csv *c, struct aud_error *err)
{
	size_t want, got;
	ssize_t n;

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
	if (c->mem != NULL) {
		got = c->mem_len - c->mem_pos;
		if (got > want)
			got = want;
		memcpy(c->buf + c->len, c->mem + c->mem_pos, got);
		c->mem_pos += got;
		n = (ssize_t)got;
	} else {
		do
			n = read(c->fd, c->buf + c->len, want);
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
	sha256_update(&c->sha, (size_t)n, (const uint8_t *)c->buf + c->len);
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
	GROW(fptr);
	GROW(flen);
	GROW(fcol);
	GROW(fline);
	GROW(fesc);
#undef GROW
	c->fcap = n;
	return 0;
}

/*
 * Scan one record starting at c->pos. Returns 1 (record), 0 (need more
 * data: nothing consumed), 2 (end of input, no record), or an error.
 * `header`: the field count is free (no ragged check).
 */
static int
scan_record(struct aud_csv *c, int header, struct aud_error *err)
{
	char *p = c->buf + c->pos, *end = c->buf + c->len;
	char *rec = p, *line_start = p, *fstart;
	const unsigned char *sp = c->special;
	uint32_t lines = 0;
	int any_esc = 0, rc;
	size_t nf = 0;

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
	for (;;) {
		if (nf == c->fcap && (rc = grow_fields(c, err)) < 0)
			return rc;
		if (!header && nf == c->ncols) {
			return AUD_ERROR(err, AUD_EPARSE,
			    "%s:%llu:%llu: too many fields: expected %zu", c->path,
			    (unsigned long long)(c->line + lines),
			    (unsigned long long)(p - line_start + 1), c->ncols);
		}
		c->fcol[nf] = (uint32_t)(p - line_start + 1);
		c->fline[nf] = lines;
		c->fesc[nf] = 0;
		if (*p == '"') {
			char *q = p + 1;

			fstart = q;
			for (;;) {
				q = memchr(q, '"', (size_t)(end - q));
				if (q == NULL) {
					if (!c->eof)
						return 0;
					return AUD_ERROR(err, AUD_EPARSE,
					    "%s:%llu:%u: unterminated quoted field",
					    c->path, (unsigned long long)(c->line + c->fline[nf]),
					    c->fcol[nf]);
				}
				if (q + 1 == end && !c->eof)
					return 0;
				if (q[1] == '"') {
					c->fesc[nf] = 1;
					any_esc = 1;
					q += 2;
					continue;
				}
				break;
			}
			{
				char *nul = memchr(fstart, '\0', (size_t)(q - fstart));

				if (nul != NULL)
					return AUD_ERROR(err, AUD_EPARSE,
					    "%s:%llu:%u: NUL byte in the input", c->path,
					    (unsigned long long)(c->line + c->fline[nf]),
					    c->fcol[nf]);
			}
			/* count newlines inside the quotes */
			{
				char *r = fstart;

				while ((r = memchr(r, '\n', (size_t)(q - r))) != NULL) {
					lines++;
					line_start = ++r;
				}
			}
			c->fptr[nf] = fstart;
			c->flen[nf] = (size_t)(q - fstart);
			p = q + 1;
			if (p == end) {
				if (!c->eof)
					return 0;
			} else if (*p != c->sep && *p != '\n' && *p != '\r') {
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: unexpected character after a closing quote",
				    c->path, (unsigned long long)(c->line + lines),
				    (unsigned long long)(p - line_start + 1));
			}
		} else {
			fstart = p;
			while (!sp[(unsigned char)*p])
				p++;
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
			if (p == end && !c->eof)
				return 0;
			c->fptr[nf] = fstart;
			c->flen[nf] = (size_t)(p - fstart);
			if (*p == '\r' && p + 1 < end && p[1] != '\n') {
				/* a lone CR is data */
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: carriage return inside an unquoted field",
				    c->path, (unsigned long long)(c->line + lines),
				    (unsigned long long)(p - line_start + 1));
			}
			if (*p == '\r' && p + 1 == end && !c->eof)
				return 0;
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
	if (!header && nf != c->ncols) {
		return AUD_ERROR(err, AUD_EPARSE,
		    "%s:%llu:%llu: expected %zu fields, found %zu", c->path,
		    (unsigned long long)(c->line + lines),
		    (unsigned long long)(c->raw + c->raw_len - line_start + 1),
		    c->ncols, nf);
	}
	c->nf = nf;
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
			src = dst = (char *)c->fptr[i];
			fe = src + c->flen[i];
			while (src < fe) {
				if (*src == '"')
					src++;
				*dst++ = *src++;
			}
			c->flen[i] = (size_t)(dst - c->fptr[i]);
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
		rc = fill(c, err);
		if (rc < 0)
			return rc;
	}
}

static void
set_special(struct aud_csv *c)
{
	memset(c->special, 0, sizeof(c->special));
	c->special[(unsigned char)c->sep] = 1;
	c->special['\n'] = 1;
	c->special['\r'] = 1;
	c->special['"'] = 1;
	c->special[0] = 1;
}

static char
detect_sep(const char *p, const char *end)
{
	static const char cands[] = { ',', ';', '\t', '|' };
	size_t counts[4] = { 0, 0, 0, 0 }, i, best = 0;
	int inq = 0;

	for (; p < end; p++) {
		if (*p == '"')
			inq = !inq;
		else if (!inq && (*p == '\n' || *p == '\r'))
			break;
		else if (!inq)
			for (i = 0; i < 4; i++)
				if (*p == cands[i])
					counts[i]++;
	}
	for (i = 1; i < 4; i++)
		if (counts[i] > counts[best])
			best = i;
	return cands[best];
}

static int
parse_na(struct aud_csv *c, const char *spec, struct aud_error *err)
{
	size_t n = 1, i, k;
	const char *s;
	char *p;

	if (spec == NULL)
		spec = ",NA,NaN,null,?";
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
	return 0;
}

/*
 * Column names from the header record; a repeated name gets pandas' suffix:
 * the k-th repeat of `x` becomes `x.k` (skipping names already taken).
 */
static int
name_columns(struct aud_csv *c, int no_header, struct aud_error *err)
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

		if (no_header) {
			snprintf(num, sizeof(num), "%zu", i + 1);
			base = num;
			blen = strlen(num);
		} else {
			base = c->fptr[i];
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

static int
read_header(struct aud_csv *c, const struct aud_csv_options *o, struct aud_error *err)
{
	int rc;

	/* need at least the first line (or everything) to detect the separator */
	for (;;) {
		if (memchr(c->buf, '\n', c->len) != NULL || c->eof)
			break;
		rc = fill(c, err);
		if (rc < 0)
			return rc;
	}
	if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0) {
		c->pos = 3;
		c->consumed = 3;
	}
	c->sep = o->sep != 0 ? o->sep : detect_sep(c->buf + c->pos, c->buf + c->len);
	set_special(c);
	if (c->pos == c->len && c->eof)
		return AUD_ERROR(err, AUD_EPARSE, "%s:1:1: empty input: no header line",
		    c->path);
	rc = next_record(c, 1, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return AUD_ERROR(err, AUD_EPARSE, "%s:1:1: empty input: no header line",
		    c->path);
	c->ncols = c->nf;
	c->names = calloc(c->ncols, sizeof(*c->names));
	if (c->names == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = name_columns(c, o->no_header, err);
	if (rc < 0)
		return rc;
	if (o->no_header) {
		/* the first line is data: scan it again as a record */
		c->pos = 0;
		c->consumed = 0;
		c->line = 1;
		if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0) {
			c->pos = 3;
			c->consumed = 3;
		}
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
	free(c->fptr);
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
aud_csv_find(size_t *out, const struct aud_csv *c, const char *name,
    struct aud_error *err)
{
	size_t i, used;
	char list[256];

	for (i = 0; i < c->ncols; i++) {
		if (strcmp(c->names[i], name) == 0) {
			*out = i;
			return 0;
		}
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
	return AUD_ERROR(err, AUD_ENOTFOUND, "%s:1: unknown column '%s' (columns: %s)",
	    c->path, name, list);
}

int
aud_csv_next(struct aud_csv *c, struct aud_error *err)
{
	int rc;

	if (c->done || c->sha_done)
		return 0;
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
	return c->fptr[i];
}

int
aud_csv_is_na(const struct aud_csv *c, size_t i)
{
	size_t k, len = c->flen[i];
	const char *s = c->fptr[i];

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
	const char *s = c->fptr[i];

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
