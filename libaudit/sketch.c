/*
 * sketch.c — the Greenwald–Khanna quantile summary (Greenwald and Khanna,
 * "Space-efficient online computation of quantile summaries", SIGMOD 2001).
 *
 * The summary is a sorted list of tuples (v, g, delta): v is a value of the
 * stream, rmin(i) = g_0 + ... + g_i bounds its rank from below and
 * rmax(i) = rmin(i) + delta_i from above. The invariant g_i + delta_i <=
 * floor(2 eps n) makes every answer's rank error at most eps * n.
 *
 * Values are buffered (1 / (2 eps) of them), sorted and merged in one pass;
 * a value that falls between tuples i and i+1 gets g = 1 and delta =
 * g_{i+1} + delta_{i+1} - 1 (the tightest bound its neighbours allow, never
 * above the paper's floor(2 eps n)), a new minimum or maximum delta = 0. After
 * each merge the paper's COMPRESS runs: from the right, a tuple and its
 * descendants (the run of tuples just left of it in lower bands) merge into
 * the right neighbour when the band order allows it and the sum of their g,
 * the neighbour's g and delta stays within floor(2 eps n). The bands make the
 * summary hold at most (11 / (2 eps)) log2(2 eps n) tuples (the paper's
 * theorem); in practice far fewer (docs/data.md states measured sizes).
 * The first tuple (the exact minimum) and the last (the exact maximum) are
 * kept.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <audit/sketch.h>

struct gk_tuple {
	double v;
	uint64_t g;
	uint64_t d;
};

struct aud_sketch {
	double eps;
	uint64_t n;
	double min, max;
	struct gk_tuple *t;     /* the summary, sorted by v */
	size_t nt, tcap;
	unsigned char *band;    /* scratch of COMPRESS, tcap entries */
	double *buf;            /* values not merged yet */
	size_t nbuf, bufcap;
	uint64_t *keys;         /* scratch of the buffer's radix sort, bufcap entries */
};

/* A read-only view: the summary with the buffer merged in. */
struct view {
	const struct gk_tuple *t;
	size_t nt;
	uint64_t n;
	struct gk_tuple *own;   /* allocated when the buffer was not empty */
};

int
aud_sketch_new(struct aud_sketch **out, double eps, struct aud_error *err)
{
	struct aud_sketch *s;
	double b;

	assert(out != NULL);
	*out = NULL;
	if (!(eps > 0 && eps < 0.5))
		return AUD_ERROR(err, AUD_EINVAL, "sketch error bound '%g' is not in (0, 0.5)",
		    eps);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	s->eps = eps;
	s->min = NAN;
	s->max = NAN;
	b = floor(1.0 / (2.0 * eps));
	s->bufcap = b < 1 ? 1 : (b > 1 << 20 ? (size_t)1 << 20 : (size_t)b);
	s->buf = malloc(s->bufcap * sizeof(*s->buf));
	s->keys = malloc(s->bufcap * sizeof(*s->keys));
	if (s->buf == NULL || s->keys == NULL) {
		free(s->buf);
		free(s->keys);
		free(s);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	*out = s;
	return 0;
}

void
aud_sketch_free(struct aud_sketch *s)
{
	if (s == NULL)
		return;
	free(s->t);
	free(s->band);
	free(s->buf);
	free(s->keys);
	free(s);
}

/* Sort doubles (no NaN) ascending: quicksort, median of three, insertion sort below 16. */
static void
sort_doubles(double *v, size_t n)
{
	while (n > 16) {
		double a = v[0], b = v[n / 2], c = v[n - 1], pivot;
		size_t i = 0, j = n - 1;

		pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		for (;;) {
			double t;

			while (v[i] < pivot)
				i++;
			while (pivot < v[j])
				j--;
			if (i >= j)
				break;
			t = v[i];
			v[i] = v[j];
			v[j] = t;
			i++;
			j--;
		}
		/* v[0..j] <= pivot <= v[j+1..n): recurse into the smaller part */
		if (j + 1 < n - j - 1) {
			sort_doubles(v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_doubles(v + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	{
		size_t i;

		for (i = 1; i < n; i++) {
			double x = v[i];
			size_t k = i;

			while (k > 0 && x < v[k - 1]) {
				v[k] = v[k - 1];
				k--;
			}
			v[k] = x;
		}
	}
}

/*
 * Sort doubles (no NaN) ascending by an LSD radix sort of their bits: 8-bit
 * digits (the buffer is short: 256 counters a pass), a pass skipped when
 * every value has the same digit there (small integers, a few decimals),
 * keys in tmp (n entries) and in v's own storage (allocated: its effective
 * type follows the stores). Below 64 values, sort_doubles(). -0 sorts
 * before +0 (they compare equal).
 */
static void
radix_doubles(double *v, size_t n, uint64_t *tmp)
{
	uint32_t count[8][256];
	uint64_t *from = (uint64_t *)(void *)v, *to = tmp, *sw;
	size_t i;
	int pass;

	if (n < 64) {
		sort_doubles(v, n);
		return;
	}
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++) {
		double d = v[i];
		uint64_t b;

		memcpy(&b, &d, sizeof(b));
		b = (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
		from[i] = b;
		for (pass = 0; pass < 8; pass++)
			count[pass][(b >> (8 * pass)) & 0xff]++;
	}
	for (pass = 0; pass < 8; pass++) {
		int shift = 8 * pass;
		uint32_t sum = 0, c;
		unsigned x;

		if (count[pass][(from[0] >> shift) & 0xff] == n)
			continue;
		for (x = 0; x < 256; x++) {
			c = count[pass][x];
			count[pass][x] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			to[count[pass][(from[i] >> shift) & 0xff]++] = from[i];
		sw = from;
		from = to;
		to = sw;
	}
	for (i = 0; i < n; i++) {
		uint64_t b = from[i];
		double d;

		b = (b >> 63) ? b & ~(UINT64_C(1) << 63) : ~b;
		memcpy(&d, &b, sizeof(d));
		v[i] = d;
	}
}

/*
 * Merge the sorted values vals[0..nv) into the sorted tuples t[0..nt)
 * (t has room for nt + nv), from the back so that no scratch is needed.
 * A value goes after every tuple whose value is <= it.
 */
static void
merge_values(struct gk_tuple *t, size_t nt, const double *vals, size_t nv)
{
	size_t i = nt, j = nv, k = nt + nv;
	/* the g + delta of the nearest original tuple to the right */
	uint64_t right_gd = 0;
	int have_right = 0;

	while (j > 0) {
		if (i > 0 && t[i - 1].v > vals[j - 1]) {
			t[--k] = t[--i];
			right_gd = t[k].g + t[k].d;
			have_right = 1;
		} else {
			struct gk_tuple x;

			x.v = vals[--j];
			x.g = 1;
			/* a new maximum, or a new minimum (no tuple left of it): exact */
			if (!have_right || i == 0)
				x.d = 0;
			else
				x.d = right_gd - 1;
			t[--k] = x;
		}
	}
	/* t[0..i) is in place already */
}

/*
 * The paper's bands under p = floor(2 eps n): band 0 is delta = p; band a
 * (a >= 1) holds p - 2^a - (p mod 2^a) < delta <= p - 2^(a-1) - (p mod 2^(a-1)).
 * thr[a] is that upper end; the thresholds fall as a grows.
 */
static size_t
band_thresholds(int64_t thr[66], uint64_t p)
{
	size_t a;

	for (a = 1; a < 65; a++) {
		uint64_t pa = (uint64_t)1 << (a - 1);

		thr[a] = (int64_t)p - (int64_t)pa - (int64_t)(p % pa);
		if (thr[a] < 0)
			break;
	}
	return a; /* thr[1 .. a] are set, thr[a] < 0 or a == 65 */
}

/*
 * The largest a with d <= thr[a] (thr falls with a; thr[1] = p - 1 >= d),
 * without a search: with x = p - d, d <= thr[a] means 2^(a-1) + (p mod
 * 2^(a-1)) <= x, false once 2^(a-1) > x and true for a - 1 when 2^(a-1) <=
 * x (then 2^(a-2) + (p mod 2^(a-2)) < 2^(a-1)). So with a0 the largest a
 * with 2^(a-1) <= x, the band is a0 or a0 - 1; thr[a0] >= 0 as 2^(a0-1) <= p.
 */
static unsigned char
band_of(uint64_t d, uint64_t p, const int64_t *thr)
{
	uint64_t x;
	size_t a0;

	if (d >= p)
		return 0;
	x = p - d;
#if defined(__GNUC__)
	a0 = (size_t)(64 - __builtin_clzll(x));
#else
	for (a0 = 0; x != 0; x >>= 1)
		a0++;
#endif
	return (unsigned char)((int64_t)d <= thr[a0] ? a0 : a0 - 1);
}

/*
 * Within a run of tuples of one value, the inner ones merge into the last:
 * the first keeps the bounds on the count below the value, the last those on
 * the count up to it, and no query needs the ones between (cdf() asks at
 * the first tuple above x and quantile() takes a run as one candidate).
 * Heavily tied columns keep two tuples per distinct value.
 */
static void
collapse_runs(struct aud_sketch *s)
{
	size_t i = 0, w = 0;
	struct gk_tuple *t = s->t;

	while (i < s->nt) {
		size_t j = i;
		uint64_t inner = 0;

		while (j + 1 < s->nt && t[j + 1].v == t[i].v)
			j++;
		t[w++] = t[i];
		if (j > i) {
			size_t k;

			for (k = i + 1; k < j; k++)
				inner += t[k].g;
			t[w] = t[j];
			t[w].g += inner;
			w++;
		}
		i = j + 1;
	}
	s->nt = w;
}

static void
compress(struct aud_sketch *s)
{
	uint64_t p = (uint64_t)floor(2.0 * s->eps * (double)s->n);
	size_t i, right, w;
	struct gk_tuple *t = s->t;
	unsigned char *band = s->band;
	int64_t thr[66];

	collapse_runs(s);
	if (s->nt < 3)
		return;
	(void)band_thresholds(thr, p);
	for (i = 0; i < s->nt; i++)
		band[i] = band_of(t[i].d, p, thr);
	/* removed tuples get band 255 (no real band reaches it) */
	right = s->nt - 1;
	i = s->nt - 2;
	while (i >= 1) {
		if (band[i] <= band[right]) {
			size_t start = i;
			uint64_t gstar = t[i].g;

			while (start - 1 >= 1 && band[start - 1] < band[i]) {
				start--;
				gstar += t[start].g;
			}
			if (gstar + t[right].g + t[right].d <= p) {
				size_t k;

				t[right].g += gstar;
				for (k = start; k <= i; k++)
					band[k] = 255;
				i = start - 1;
				continue;
			}
		}
		right = i;
		i--;
	}
	for (i = 0, w = 0; i < s->nt; i++)
		if (band[i] != 255)
			t[w++] = t[i];
	s->nt = w;
}

static int
grow(struct aud_sketch *s, size_t need)
{
	size_t cap;
	struct gk_tuple *t;
	unsigned char *b;

	if (need <= s->tcap)
		return 0;
	/* an eighth more than needed: the summary's size levels off */
	cap = need + need / 8 + 64;
	t = realloc(s->t, cap * sizeof(*t));
	if (t == NULL)
		return AUD_ENOMEM;
	s->t = t;
	b = realloc(s->band, cap);
	if (b == NULL)
		return AUD_ENOMEM;
	s->band = b;
	s->tcap = cap;
	return 0;
}

static int
flush(struct aud_sketch *s)
{
	if (s->nbuf == 0)
		return 0;
	if (grow(s, s->nt + s->nbuf) < 0)
		return AUD_ENOMEM;
	radix_doubles(s->buf, s->nbuf, s->keys);
	merge_values(s->t, s->nt, s->buf, s->nbuf);
	s->nt += s->nbuf;
	s->nbuf = 0;
	compress(s);
	return 0;
}

int
aud_sketch_add(struct aud_sketch *s, double x, struct aud_error *err)
{
	assert(s != NULL);
	if (isnan(x))
		return AUD_ERROR(err, AUD_EINVAL,
		    "the sketch refuses NaN (count missing values apart)");
	if (s->nbuf == s->bufcap && flush(s) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	s->buf[s->nbuf++] = x;
	if (s->n == 0 || x < s->min)
		s->min = x;
	if (s->n == 0 || x > s->max)
		s->max = x;
	s->n++;
	/*
	 * Merged as soon as the buffer is full, so that queries need no copy.
	 * Should that fail, the value is buffered already and the next add
	 * retries (and reports the failure before taking its value).
	 */
	if (s->nbuf == s->bufcap)
		(void)flush(s);
	return 0;
}

uint64_t
aud_sketch_count(const struct aud_sketch *s)
{
	return s->n;
}

double
aud_sketch_eps(const struct aud_sketch *s)
{
	return s->eps;
}

size_t
aud_sketch_bytes(const struct aud_sketch *s)
{
	return sizeof(*s) + s->tcap * (sizeof(*s->t) + sizeof(*s->band))
	    + s->bufcap * (sizeof(*s->buf) + sizeof(*s->keys));
}

double
aud_sketch_min(const struct aud_sketch *s)
{
	return s->n ? s->min : NAN;
}

double
aud_sketch_max(const struct aud_sketch *s)
{
	return s->n ? s->max : NAN;
}

/* The summary with the buffered values merged in, without changing s. */
static int
view_open(struct view *v, const struct aud_sketch *s)
{
	double *vals;

	v->own = NULL;
	v->t = s->t;
	v->nt = s->nt;
	v->n = s->n;
	if (s->nbuf == 0)
		return 0;
	v->own = malloc((s->nt + s->nbuf) * sizeof(*v->own));
	vals = malloc(s->nbuf * sizeof(*vals));
	if (v->own == NULL || vals == NULL) {
		free(v->own);
		free(vals);
		v->own = NULL;
		return AUD_ENOMEM;
	}
	if (s->nt > 0)
		memcpy(v->own, s->t, s->nt * sizeof(*v->own));
	memcpy(vals, s->buf, s->nbuf * sizeof(*vals));
	sort_doubles(vals, s->nbuf);
	merge_values(v->own, s->nt, vals, s->nbuf);
	free(vals);
	v->t = v->own;
	v->nt = s->nt + s->nbuf;
	return 0;
}

static void
view_close(struct view *v)
{
	free(v->own);
	v->own = NULL;
}

/*
 * Estimated count of values <= x: between rmin of the last tuple <= x and
 * rmax of the next one minus 1, the midpoint (exact below the minimum and
 * from the maximum up). *pos is a search hint, advanced monotonically by
 * callers that ask in increasing x.
 */
static double
view_count_le(const struct view *v, double x, size_t *pos, uint64_t *rmin_at)
{
	size_t i = *pos;
	uint64_t rmin = *rmin_at;

	while (i < v->nt && v->t[i].v <= x) {
		rmin += v->t[i].g;
		i++;
	}
	*pos = i;
	*rmin_at = rmin;
	if (i == 0)
		return 0;
	if (i == v->nt)
		return (double)v->n;
	/* tuples 0..i-1 are <= x: count in [rmin, rmin + g_i + d_i - 1] */
	return (double)rmin + ((double)v->t[i].g + (double)v->t[i].d - 1) / 2.0;
}

double
aud_sketch_cdf(const struct aud_sketch *s, double x)
{
	struct view v;
	size_t pos = 0;
	uint64_t rmin = 0;
	double c;

	if (s->n == 0 || isnan(x))
		return NAN;
	if (view_open(&v, s) < 0)
		return NAN;
	c = view_count_le(&v, x, &pos, &rmin) / (double)v.n;
	view_close(&v);
	return c;
}

double
aud_sketch_quantile(const struct aud_sketch *s, double q)
{
	struct view v;
	double r, best_err = INFINITY, ans = NAN;
	uint64_t rmin = 0;
	size_t i;

	if (s->n == 0 || !(q >= 0 && q <= 1))
		return NAN;
	if (view_open(&v, s) < 0)
		return NAN;
	r = ceil(q * (double)v.n);
	if (r < 1)
		r = 1;
	/*
	 * The candidate that strays least from r: a run of tuples of one value
	 * v answers r when rmax(first) - eps n <= r <= rmin(last) + eps n, since
	 * v's ranks (ties share them) reach from rank(first) to rank(last).
	 */
	i = 0;
	while (i < v.nt) {
		size_t j = i;
		uint64_t rmin_first, rmin_last;
		double e;

		rmin += v.t[i].g;
		rmin_first = rmin;
		while (j + 1 < v.nt && v.t[j + 1].v == v.t[i].v) {
			j++;
			rmin += v.t[j].g;
		}
		rmin_last = rmin;
		e = fmax((double)(rmin_first + v.t[i].d) - r, r - (double)rmin_last);
		if (e < best_err) {
			best_err = e;
			ans = v.t[i].v;
		}
		if ((double)rmin_first > r)
			break;
		i = j + 1;
	}
	view_close(&v);
	return ans;
}

/* The merged distinct tuple values of two views, walked in order. */
static double
next_value(const struct view *a, size_t *ia, const struct view *b, size_t *ib)
{
	double x;

	if (*ia < a->nt && (*ib >= b->nt || a->t[*ia].v <= b->t[*ib].v))
		x = a->t[*ia].v;
	else
		x = b->t[*ib].v;
	while (*ia < a->nt && a->t[*ia].v <= x)
		(*ia)++;
	while (*ib < b->nt && b->t[*ib].v <= x)
		(*ib)++;
	return x;
}

double
aud_sketch_ks(const struct aud_sketch *a, const struct aud_sketch *b)
{
	struct view va, vb;
	size_t ia = 0, ib = 0, pa = 0, pb = 0;
	uint64_t ra = 0, rb = 0;
	double d = 0;

	if (a->n == 0 || b->n == 0)
		return NAN;
	if (view_open(&va, a) < 0)
		return NAN;
	if (view_open(&vb, b) < 0) {
		view_close(&va);
		return NAN;
	}
	/* the estimated CDFs change only at tuple values */
	while (ia < va.nt || ib < vb.nt) {
		double x = next_value(&va, &ia, &vb, &ib);
		double fa = view_count_le(&va, x, &pa, &ra) / (double)va.n;
		double fb = view_count_le(&vb, x, &pb, &rb) / (double)vb.n;

		if (fabs(fa - fb) > d)
			d = fabs(fa - fb);
	}
	view_close(&va);
	view_close(&vb);
	return d;
}

double
aud_sketch_wasserstein(const struct aud_sketch *a, const struct aud_sketch *b)
{
	struct view va, vb;
	size_t ia = 0, ib = 0, pa = 0, pb = 0;
	uint64_t ra = 0, rb = 0;
	double w = 0, prev = 0, diff = 0;
	int first = 1;

	if (a->n == 0 || b->n == 0)
		return NAN;
	if (view_open(&va, a) < 0)
		return NAN;
	if (view_open(&vb, b) < 0) {
		view_close(&va);
		return NAN;
	}
	/* the area between the estimated CDFs, constant between tuple values */
	while (ia < va.nt || ib < vb.nt) {
		double x = next_value(&va, &ia, &vb, &ib);

		if (!first)
			w += diff * (x - prev);
		first = 0;
		diff = fabs(view_count_le(&va, x, &pa, &ra) / (double)va.n
		    - view_count_le(&vb, x, &pb, &rb) / (double)vb.n);
		prev = x;
	}
	view_close(&va);
	view_close(&vb);
	return w;
}
