/* bins.c — bins of a numeric column (bins.h). */
#include <audit/bins.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/cli.h>

/* Everything a parsed set owns, in one place. */
struct storage {
	char *buf;        /* the spec's copy: column name and edge texts point into it */
	double *edges;
	char **text;
};

void
aud_bins_free(struct aud_bins *b)
{
	struct storage *s;

	if (b == NULL)
		return;
	s = b->storage_;
	if (s != NULL) {
		free(s->buf);
		free(s->edges);
		free(s->text);
		free(s);
	}
	free(b);
}

int
aud_bins_parse(struct aud_bins **out, const char *spec, const char *what,
    struct aud_error *err)
{
	const char *eq = strchr(spec, '=');
	struct aud_bins *b = NULL;
	struct storage *s = NULL;
	size_t n = 1, i, nright = 0;
	char *p;
	int rc = 0;

	*out = NULL;
	if (eq == NULL || eq == spec || eq[1] == '\0')
		return AUD_ERROR(err, AUD_EINVAL, "%s: expected COLUMN=EDGE,EDGE,... or "
		    "COLUMN=<=EDGE,<=EDGE,..., got '%s'", what, spec);
	b = calloc(1, sizeof(*b));
	s = calloc(1, sizeof(*s));
	if (b == NULL || s == NULL) {
		free(b);
		free(s);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	b->storage_ = s;
	s->buf = strdup(spec);
	if (s->buf == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (p = s->buf + (eq - spec) + 1; *p != '\0'; p++)
		n += *p == ',';
	s->edges = calloc(n, sizeof(*s->edges));
	s->text = calloc(n, sizeof(*s->text));
	if (s->edges == NULL || s->text == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	s->buf[eq - spec] = '\0';
	p = s->buf + (eq - spec) + 1;
	for (i = 0; i < n; i++) {
		char *c = strchr(p, ',');

		if (c != NULL)
			*c = '\0';
		if (strncmp(p, "<=", 2) == 0) {
			p += 2;
			nright++;
		}
		rc = aud_parse_double(&s->edges[i], p, -1e300, 1e300, what, err);
		if (rc < 0)
			goto done;
		s->text[i] = p;
		if (c != NULL)
			p = c + 1;
	}
	if (nright != 0 && nright != n) {
		rc = AUD_ERROR(err, AUD_EINVAL, "%s: edges of '%s' mix '<=' and plain edges "
		    "(write every edge as <=E for right-closed bins, or none)", what, spec);
		goto done;
	}
	for (i = 1; i < n; i++)
		if (!(s->edges[i] > s->edges[i - 1])) {
			rc = AUD_ERROR(err, AUD_EINVAL, "%s: edges of '%s' must increase strictly",
			    what, spec);
			goto done;
		}
	b->column = s->buf;
	b->nedges = n;
	b->edges = s->edges;
	b->edge_text = (const char *const *)s->text;
	b->right = nright != 0;
done:
	if (rc < 0) {
		aud_bins_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

size_t
aud_bins_count(const struct aud_bins *b)
{
	return b->nedges + 1;
}

size_t
aud_bins_index(const struct aud_bins *b, double x)
{
	size_t lo = 0, hi = b->nedges;

	/* left-closed: the first edge > x; right-closed: the first edge >= x */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (b->right ? b->edges[mid] < x : b->edges[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

char *
aud_bins_label(const struct aud_bins *b, size_t i, int spaced)
{
	const char *lt = b->right ? "<=" : "<";     /* upper bound of bin i */
	const char *gt = b->right ? "<" : "<=";     /* lower bound, as edge OP x */
	const char *up = b->right ? ">" : ">=";     /* the last bin */
	const char *sp = spaced ? " " : "";
	size_t len = strlen(b->column) + 16 +
	    (i > 0 ? strlen(b->edge_text[i - 1]) : 0) +
	    (i < b->nedges ? strlen(b->edge_text[i]) : 0);
	char *s = malloc(len);

	if (s == NULL)
		return NULL;
	if (i == 0)
		snprintf(s, len, "%s%s%s%s%s", b->column, sp, lt, sp, b->edge_text[0]);
	else if (i >= b->nedges)
		snprintf(s, len, "%s%s%s%s%s", b->column, sp, up, sp, b->edge_text[b->nedges - 1]);
	else
		snprintf(s, len, "%s%s%s%s%s%s%s%s%s", b->edge_text[i - 1], sp, gt, sp,
		    b->column, sp, lt, sp, b->edge_text[i]);
	return s;
}

char *
aud_bins_describe(const struct aud_bins *b)
{
	size_t i, len = 0, cap = 0;
	char *out = NULL;

	for (i = 0; i <= b->nedges; i++) {
		char *l = aud_bins_label(b, i, 1), *np;
		size_t ll;

		if (l == NULL) {
			free(out);
			return NULL;
		}
		ll = strlen(l);
		if (len + ll + 3 > cap) {
			cap = (len + ll + 3) * 2;
			np = realloc(out, cap);
			if (np == NULL) {
				free(l);
				free(out);
				return NULL;
			}
			out = np;
		}
		if (i > 0) {
			memcpy(out + len, ", ", 2);
			len += 2;
		}
		memcpy(out + len, l, ll);
		len += ll;
		out[len] = '\0';
		free(l);
	}
	return out;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
aud_bins_medians(double *out, size_t *count, const struct aud_bins *b,
    const double *x, size_t n, struct aud_error *err)
{
	size_t nb = aud_bins_count(b), i, m = 0, k;
	double *v = malloc((n ? n : 1) * sizeof(*v));

	if (v == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		if (!isnan(x[i]))
			v[m++] = x[i];
	qsort(v, m, sizeof(*v), cmp_double);
	/* the sorted values fall in the bins in order: walk them once */
	for (k = 0, i = 0; k < nb; k++) {
		size_t first = i;

		while (i < m && aud_bins_index(b, v[i]) == k)
			i++;
		out[k] = i > first ? v[first + (i - first - 1) / 2] : NAN;
		if (count != NULL)
			count[k] = i - first;
	}
	free(v);
	return 0;
}

const struct aud_bins *
aud_bins_find(const struct aud_bins *const *bins, size_t n, const char *column)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(bins[i]->column, column) == 0)
			return bins[i];
	return NULL;
}
