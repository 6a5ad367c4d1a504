/* test_perturb.c — perturbation specs, column statistics, applying and expanding. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/perturb.h>
#include <audit/rng.h>
#include <audit/robust.h>

#include "runner.h"

static struct aud_batch *
load(const char *text, const enum aud_col_kind *kinds, size_t ncols)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch *b = NULL;

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, &err), 0);
	if (csv == NULL)
		return NULL;
	CHECK_INT_EQ(aud_robust_read(&b, csv, NULL, kinds, ncols, &err), 0);
	aud_csv_free(csv);
	return b;
}

void
test_perturb__parse_kinds(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_perturb *p = NULL, *q = NULL;

	CHECK_INT_EQ(aud_perturb_parse(&p, "gaussian:0.25", &err), 0);
	CHECK_INT_EQ(p->kind, AUD_PERTURB_GAUSSIAN);
	CHECK_INT_EQ(p->has_level, 1);
	CHECK_DBL_EQ(p->level, 0.25);
	CHECK_STR_EQ(p->spec, "gaussian:0.25");
	CHECK_INT_EQ(aud_perturb_is_random(p), 1);
	aud_perturb_free(p);

	CHECK_INT_EQ(aud_perturb_parse(&p, "round:-1", &err), 0);
	CHECK_INT_EQ(p->kind, AUD_PERTURB_ROUND);
	CHECK_DBL_EQ(p->level, -1);
	CHECK_INT_EQ(aud_perturb_is_random(p), 0);
	aud_perturb_free(p);

	CHECK_INT_EQ(aud_perturb_parse(&p, "flip:sex", &err), 0);
	CHECK_INT_EQ(p->kind, AUD_PERTURB_FLIP);
	CHECK_STR_EQ(p->column, "sex");
	aud_perturb_free(p);

	CHECK_INT_EQ(aud_perturb_parse(&p, "grid:age=1,priors_count=2.5", &err), 0);
	CHECK_INT_EQ(p->kind, AUD_PERTURB_GRID);
	CHECK_INT_EQ(p->ngrid, 2);
	CHECK_STR_EQ(p->grid_cols[1], "priors_count");
	CHECK_DBL_EQ(p->grid_d[1], 2.5);
	CHECK_INT_EQ(aud_perturb_max_variants(p, NULL), 3 * 5 - 1);
	aud_perturb_free(p);

	/* level-less, then at a level */
	CHECK_INT_EQ(aud_perturb_parse(&p, "missing", &err), 0);
	CHECK_INT_EQ(p->has_level, 0);
	CHECK_INT_EQ(aud_perturb_at_level(&q, p, 0.5, &err), 0);
	CHECK_STR_EQ(q->spec, "missing:0.5");
	CHECK_DBL_EQ(q->level, 0.5);
	aud_perturb_free(q);
	q = NULL;
	CHECK_INT_EQ(aud_perturb_at_level(&q, p, 1.5, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "probability must be in [0, 1]") != NULL);
	CHECK(q == NULL);
	aud_perturb_free(p);
	CHECK_INT_EQ(aud_perturb_parse(&p, "adversarial:0.3", &err), 0);
	CHECK_INT_EQ(aud_perturb_is_random(p), 1);
	aud_perturb_free(p);
	CHECK_INT_EQ(aud_perturb_parse(&p, "swap:1", &err), 0);
	aud_perturb_free(p);
}

void
test_perturb__parse_errors(void)
{
	static const struct { const char *spec, *msg; } bad[] = {
		{ "gauss:0.1", "invalid perturbation 'gauss:0.1': unknown kind 'gauss'" },
		{ "gaussian:abc", "invalid perturbation 'gaussian:abc': 'abc' is not a number" },
		{ "gaussian:", "invalid perturbation 'gaussian:': '' is not a number" },
		{ "gaussian:-1", "the level must be a number >= 0" },
		{ "missing:2", "the probability must be in [0, 1]" },
		{ "swap:-0.1", "the probability must be in [0, 1]" },
		{ "round:1.5", "digits must be a whole number" },
		{ "adversarial:0", "epsilon must be a number > 0" },
		{ "scale:inf", "is not a number" },
		{ "flip", "expected flip:COL" },
		{ "flip:", "expected flip:COL" },
		{ "grid", "expected grid:COL=D" },
		{ "grid:age", "expected COL=D in 'age'" },
		{ "grid:=1", "expected COL=D in '=1'" },
		{ "grid:age=x", "the distance in 'age=x' must be a number >= 0" },
		{ "grid:age=-1", "must be a number >= 0" },
		{ "grid:age=1,age=2", "column 'age' given twice" },
		{ "grid:a=10,b=10,c=10,d=10", "neighbours per row (at most 100000)" },
	};
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_perturb *p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = (struct aud_perturb *)1;
		aud_error_clear(&err);
		CHECK_INT_EQ(aud_perturb_parse(&p, bad[i].spec, &err), AUD_EINVAL);
		CHECK(p == NULL);
		if (strstr(err.msg, bad[i].msg) == NULL)
			aud_test_fail(__FILE__, __LINE__, "'%s': message '%s' lacks '%s'",
			    bad[i].spec, err.msg, bad[i].msg);
	}
}

void
test_perturb__colstats(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load("x,y,c\n1,0.5,a\n2,,b\n4,1.5,a\n5,2,\n", NULL, 0);
	struct aud_colstats *s = NULL;
	struct aud_levels *l = NULL;

	if (b == NULL)
		return;
	CHECK_INT_EQ(aud_colstats_compute(&s, b, &err), 0);
	CHECK_INT_EQ(s->cols[0].count, 4);
	CHECK_DBL_EQ(s->cols[0].mean, 3);
	/* sample sd of 1,2,4,5: sqrt(10/3) */
	CHECK_REL(s->cols[0].sd, sqrt(10.0 / 3.0), 1e-15);
	CHECK_DBL_EQ(s->cols[0].min, 1);
	CHECK_DBL_EQ(s->cols[0].max, 5);
	CHECK_INT_EQ(s->cols[0].is_integer, 1);
	CHECK_INT_EQ(s->cols[0].ndistinct, 4);
	CHECK_DBL_EQ(s->cols[0].distinct[2], 4);
	CHECK_INT_EQ(s->cols[1].count, 3);
	CHECK_INT_EQ(s->cols[1].missing, 1);
	CHECK_INT_EQ(s->cols[1].is_integer, 0);
	CHECK_REL(s->cols[1].sd, sqrt(((0.5 - 4.0 / 3) * (0.5 - 4.0 / 3) +
	    (1.5 - 4.0 / 3) * (1.5 - 4.0 / 3) + (2 - 4.0 / 3) * (2 - 4.0 / 3)) / 2), 1e-15);
	CHECK_INT_EQ(s->cols[2].kind, AUD_COL_CATEGORICAL);
	CHECK_INT_EQ(s->cols[2].count, 3);
	CHECK_INT_EQ(s->cols[2].missing, 1);
	CHECK_INT_EQ(s->cols[2].ncat, 2);
	CHECK_INT_EQ(s->cols[2].cat_count[0], 2);
	CHECK_REL(s->cols[2].cat_cdf[0], 2.0 / 3, 1e-15);
	CHECK_DBL_EQ(s->cols[2].cat_cdf[1], 1);

	CHECK_INT_EQ(aud_levels_new(&l, b, 2, &s->cols[2], &err), 0);
	CHECK_INT_EQ(l->n, 2);
	CHECK_STR_EQ(l->name[0], "a");
	CHECK_INT_EQ(aud_levels_index(l, b, 2, 1), 1);
	CHECK_INT_EQ(aud_levels_index(l, b, 2, 3), -1);
	aud_levels_free(l);
	CHECK_INT_EQ(aud_levels_new(&l, b, 0, &s->cols[0], &err), 0);
	CHECK_INT_EQ(l->n, 4);
	CHECK(l->numeric);
	CHECK_STR_EQ(l->name[3], "5");
	aud_levels_free(l);
	aud_colstats_free(s);
	aud_batch_free(b);
}

void
test_perturb__levels_sorted_and_too_many(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load("g,x\nzeta,1\nalpha,2\nmid,3\nalpha,4\nzeta,5\nq,6\nr,7\ns,8\nt,9\nu,10\nv,11\n",
	    NULL, 0);
	struct aud_colstats *s = NULL;
	struct aud_levels *l = NULL;

	if (b == NULL)
		return;
	CHECK_INT_EQ(aud_colstats_compute(&s, b, &err), 0);
	CHECK_INT_EQ(aud_levels_new(&l, b, 0, &s->cols[0], &err), 0);
	CHECK_STR_EQ(l->name[0], "alpha");
	CHECK_STR_EQ(l->name[1], "mid");
	CHECK_STR_EQ(l->name[l->n - 1], "zeta");
	aud_levels_free(l);
	l = NULL;
	CHECK_INT_EQ(s->cols[1].ndistinct, AUD_COLSTAT_DISTINCT + 1);
	CHECK_INT_EQ(aud_levels_new(&l, b, 1, &s->cols[1], &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "column 'x' is numeric with more than 10 distinct values") != NULL);
	aud_colstats_free(s);
	aud_batch_free(b);
}

/* Apply a spec to every column of b (a fresh copy), with seed. */
static struct aud_batch *
applied(const struct aud_batch *b, const char *spec, uint64_t seed, const unsigned char *mask)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *c = NULL;
	struct aud_colstats *s = NULL;
	struct aud_perturb *p = NULL;
	unsigned char all[16];

	memset(all, 1, sizeof(all));
	CHECK_INT_EQ(aud_batch_clone(&c, b, &err), 0);
	CHECK_INT_EQ(aud_colstats_compute(&s, b, &err), 0);
	CHECK_INT_EQ(aud_perturb_parse(&p, spec, &err), 0);
	if (c != NULL && s != NULL && p != NULL)
		CHECK_INT_EQ(aud_perturb_apply(c, p, s, mask ? mask : all, seed, 7, &err), 0);
	aud_perturb_free(p);
	aud_colstats_free(s);
	return c;
}

static struct aud_batch *
ramp(size_t n)
{
	char *text = malloc(n * 40 + 32), *w = text;
	struct aud_batch *b;
	size_t i;

	w += sprintf(w, "x,k,c\n");
	for (i = 0; i < n; i++)
		w += sprintf(w, "%.3f,%zu,%s\n", (double)i / (double)n, i % 7, i % 4 == 0 ? "B" : "A");
	b = load(text, NULL, 0);
	free(text);
	return b;
}

void
test_perturb__gaussian_clamps_keeps_integers_and_is_seeded(void)
{
	struct aud_batch *b = ramp(400), *p1, *p2, *p3, *z;
	size_t i, changed = 0, diff = 0;

	if (b == NULL)
		return;
	p1 = applied(b, "gaussian:3", 1, NULL);
	p2 = applied(b, "gaussian:3", 1, NULL);
	p3 = applied(b, "gaussian:3", 2, NULL);
	z = applied(b, "gaussian:0", 1, NULL);
	for (i = 0; i < b->nrows; i++) {
		double x = p1->cols[0].num[i], k = p1->cols[1].num[i];

		CHECK(x >= 0 && x <= 0.998);
		CHECK(k >= 0 && k <= 6 && k == floor(k));
		changed += x != b->cols[0].num[i];
		CHECK_DBL_EQ(p2->cols[0].num[i], x);   /* same seed, same noise */
		diff += p3->cols[0].num[i] != x;       /* another seed, other noise */
		CHECK_DBL_EQ(z->cols[0].num[i], b->cols[0].num[i]);
		CHECK_INT_EQ(p1->cols[2].code[i], b->cols[2].code[i]);  /* categorical untouched */
	}
	CHECK(changed > 390);
	CHECK(diff > 250);  /* both draws clamp to the same bound now and then */
	aud_batch_free(p1);
	aud_batch_free(p2);
	aud_batch_free(p3);
	aud_batch_free(z);
	aud_batch_free(b);
}

void
test_perturb__noise_scale_is_the_sd(void)
{
	/* gaussian:0.001 adds noise of sd 0.001 * sd(x): far from the bounds the
	 * spread of the change matches it within sampling error */
	struct aud_batch *b = ramp(4000), *p;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_colstats *s = NULL;
	double sum2 = 0, sd;
	size_t i, n = 0;

	if (b == NULL)
		return;
	CHECK_INT_EQ(aud_colstats_compute(&s, b, &err), 0);
	p = applied(b, "gaussian:0.001", 3, NULL);
	for (i = 100; i < 3900; i++) {
		double d = p->cols[0].num[i] - b->cols[0].num[i];
		sum2 += d * d;
		n++;
	}
	sd = sqrt(sum2 / (double)n);
	CHECK_REL(sd, 0.001 * s->cols[0].sd, 0.05);
	aud_batch_free(p);
	p = applied(b, "uniform:0.01", 3, NULL);
	for (i = 100; i < 3900; i++)
		CHECK(fabs(p->cols[0].num[i] - b->cols[0].num[i]) <= 0.01 * s->cols[0].sd);
	aud_batch_free(p);
	aud_colstats_free(s);
	aud_batch_free(b);
}

void
test_perturb__rows_use_their_own_streams(void)
{
	/* the same rows perturbed as one batch or as two (first_row set) agree */
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = ramp(50), *whole, *half = NULL;
	struct aud_colstats *s = NULL;
	struct aud_perturb *p = NULL;
	unsigned char all[3] = { 1, 1, 1 };
	size_t i, j;

	if (b == NULL)
		return;
	whole = applied(b, "gaussian:0.5", 9, NULL);
	CHECK_INT_EQ(aud_colstats_compute(&s, b, &err), 0);
	CHECK_INT_EQ(aud_perturb_parse(&p, "gaussian:0.5", &err), 0);
	CHECK_INT_EQ(aud_batch_clone(&half, b, &err), 0);
	/* rows 20..49 as their own batch */
	for (j = 0; j < 3; j++)
		if (half->cols[j].kind == AUD_COL_NUMERIC)
			memmove(half->cols[j].num, half->cols[j].num + 20, 30 * sizeof(double));
		else
			memmove(half->cols[j].code, half->cols[j].code + 20, 30 * sizeof(int32_t));
	half->nrows = 30;
	half->first_row = 20;
	CHECK_INT_EQ(aud_perturb_apply(half, p, s, all, 9, 7, &err), 0);
	for (i = 0; i < 30; i++)
		CHECK_DBL_EQ(half->cols[0].num[i], whole->cols[0].num[i + 20]);
	aud_perturb_free(p);
	aud_colstats_free(s);
	aud_batch_free(half);
	aud_batch_free(whole);
	aud_batch_free(b);
}

void
test_perturb__round_scale_missing_swap(void)
{
	struct aud_batch *b = load("x,c\n0.44,A\n0.6,A\n1.45,A\n1.6,B\n", NULL, 0), *p;
	unsigned char only_c[2] = { 0, 1 };
	size_t i, na;

	if (b == NULL)
		return;
	/* round to 0 digits, then clamped to [0.44, 1.6] */
	p = applied(b, "round:0", 1, NULL);
	CHECK_DBL_EQ(p->cols[0].num[0], 0.44);
	CHECK_DBL_EQ(p->cols[0].num[1], 1);
	CHECK_DBL_EQ(p->cols[0].num[2], 1);
	CHECK_DBL_EQ(p->cols[0].num[3], 1.6);
	aud_batch_free(p);
	p = applied(b, "round:1", 1, NULL);
	CHECK_DBL_EQ(p->cols[0].num[0], 0.44);  /* 0.4 clamped up */
	CHECK_DBL_EQ(p->cols[0].num[2], 1.5);   /* round(14.5) / 10 */
	aud_batch_free(p);
	/* scale: x * 2 clamped to the maximum 1.6 */
	p = applied(b, "scale:2", 1, NULL);
	CHECK_DBL_EQ(p->cols[0].num[0], 0.88);
	CHECK_DBL_EQ(p->cols[0].num[1], 1.2);
	CHECK_DBL_EQ(p->cols[0].num[2], 1.6);
	aud_batch_free(p);
	/* missing:1 empties every column; missing:0 none; a mask protects a column */
	p = applied(b, "missing:1", 1, NULL);
	for (i = 0; i < 4; i++) {
		CHECK(isnan(p->cols[0].num[i]));
		CHECK_INT_EQ(p->cols[1].code[i], -1);
	}
	aud_batch_free(p);
	p = applied(b, "missing:0", 1, NULL);
	for (i = 0; i < 4; i++)
		CHECK_DBL_EQ(p->cols[0].num[i], b->cols[0].num[i]);
	aud_batch_free(p);
	p = applied(b, "missing:1", 1, only_c);
	for (i = 0, na = 0; i < 4; i++) {
		CHECK_DBL_EQ(p->cols[0].num[i], b->cols[0].num[i]);
		na += p->cols[1].code[i] == -1;
	}
	CHECK_INT_EQ(na, 4);
	aud_batch_free(p);
	/* swap:0 changes nothing; swap never touches numbers */
	p = applied(b, "swap:0", 1, NULL);
	for (i = 0; i < 4; i++)
		CHECK_INT_EQ(p->cols[1].code[i], b->cols[1].code[i]);
	aud_batch_free(p);
	aud_batch_free(b);
}

void
test_perturb__swap_draws_from_the_marginal(void)
{
	/* c is B in 1 row of 4: after swap:1 about a quarter are B */
	struct aud_batch *b = ramp(4000), *p;
	size_t i, nb = 0;
	int32_t cb;

	if (b == NULL)
		return;
	p = applied(b, "swap:1", 5, NULL);
	cb = aud_dict_find(b->cols[2].dict, "B", 1);
	for (i = 0; i < 4000; i++) {
		nb += p->cols[2].code[i] == cb;
		CHECK_DBL_EQ(p->cols[0].num[i], b->cols[0].num[i]);
	}
	/* binomial(4000, 0.25): sd 27.4; 4 sd */
	CHECK(nb > 1000 - 110 && nb < 1000 + 110);
	aud_batch_free(p);
	aud_batch_free(b);
}

void
test_perturb__apply_refuses_expanding_kinds(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = ramp(4);
	struct aud_colstats *s = NULL;
	struct aud_perturb *p = NULL;
	unsigned char all[3] = { 1, 1, 1 };

	if (b == NULL)
		return;
	CHECK_INT_EQ(aud_colstats_compute(&s, b, &err), 0);
	CHECK_INT_EQ(aud_perturb_parse(&p, "flip:c", &err), 0);
	CHECK_INT_EQ(aud_perturb_apply(b, p, s, all, 1, 0, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "'flip:c' is not elementwise") != NULL);
	aud_perturb_free(p);
	CHECK_INT_EQ(aud_perturb_parse(&p, "gaussian", &err), 0);
	CHECK_INT_EQ(aud_perturb_apply(b, p, s, all, 1, 0, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "needs a level") != NULL);
	aud_perturb_free(p);
	aud_colstats_free(s);
	aud_batch_free(b);
}

void
test_perturb__expand_flip_and_grid(void)
{
	/* rows: (sex, age, priors); ranges age [17, 30], priors [0, 5] */
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = load("sex,age,priors\nM,19,0\nF,30,5\nM,17,2\n,20,1\n", NULL, 0);
	struct aud_batch *d = NULL;
	struct aud_colstats *s = NULL;
	struct aud_levels *l = NULL;
	struct aud_perturb *p = NULL;
	size_t row_of[64], value_of[64], cols[2], k;

	if (b == NULL)
		return;
	CHECK_INT_EQ(aud_colstats_compute(&s, b, &err), 0);
	CHECK_INT_EQ(aud_levels_new(&l, b, 0, &s->cols[0], &err), 0);
	CHECK_INT_EQ(aud_batch_clone(&d, b, &err), 0);
	CHECK_INT_EQ(aud_batch_reserve(d, 64, &err), 0);
	CHECK_INT_EQ(aud_perturb_parse(&p, "flip:sex", &err), 0);
	cols[0] = 0;
	CHECK_INT_EQ(aud_perturb_max_variants(p, l), 2);
	CHECK_INT_EQ(aud_perturb_expand(d, row_of, value_of, b, 0, 4, p, cols, s, l, &err), 0);
	/* M->F, F->M, M->F, missing -> F and M */
	CHECK_INT_EQ(d->nrows, 5);
	CHECK_STR_EQ(aud_dict_str(d->cols[0].dict, d->cols[0].code[0]), "F");
	CHECK_STR_EQ(aud_dict_str(d->cols[0].dict, d->cols[0].code[1]), "M");
	CHECK_INT_EQ(row_of[3], 3);
	CHECK_INT_EQ(row_of[4], 3);
	CHECK_INT_EQ(value_of[4], 1);
	CHECK_DBL_EQ(d->cols[1].num[2], 17);
	aud_perturb_free(p);

	CHECK_INT_EQ(aud_perturb_parse(&p, "grid:age=1,priors=1", &err), 0);
	cols[0] = 1;
	cols[1] = 2;
	CHECK_INT_EQ(aud_perturb_expand(d, row_of, value_of, b, 0, 4, p, cols, s, NULL, &err), 0);
	/* row 0: ages 18..20 x priors 0..1 = 6 - 1; row 1: 29..30 x 4..5 = 4 - 1
	 * (31 and 6 clamp onto 30 and 5); row 2: 17..18 x 1..3 = 6 - 1;
	 * row 3: 19..21 x 0..2 = 9 - 1 */
	{
		size_t per[4] = { 0, 0, 0, 0 };

		for (k = 0; k < d->nrows; k++) {
			per[row_of[k]]++;
			CHECK(d->cols[1].num[k] >= 17 && d->cols[1].num[k] <= 30);
			CHECK(d->cols[2].num[k] >= 0 && d->cols[2].num[k] <= 5);
			CHECK(!(d->cols[1].num[k] == b->cols[1].num[row_of[k]] &&
			    d->cols[2].num[k] == b->cols[2].num[row_of[k]]));
			CHECK(fabs(d->cols[1].num[k] - b->cols[1].num[row_of[k]]) <= 1);
		}
		CHECK_INT_EQ(per[0], 5);
		CHECK_INT_EQ(per[1], 3);
		CHECK_INT_EQ(per[2], 5);
		CHECK_INT_EQ(per[3], 8);
		CHECK_INT_EQ(d->nrows, 21);
	}
	aud_perturb_free(p);
	aud_levels_free(l);
	aud_colstats_free(s);
	aud_batch_free(d);
	aud_batch_free(b);
}

void
test_perturb__levels_share_random_numbers(void)
{
	/* with the same seed and streams, gaussian:0.2 moves each value exactly
	 * twice as far as gaussian:0.1 (away from the bounds), and missing:0.2
	 * empties a subset of what missing:0.5 empties: smooth --levels curves */
	struct aud_batch *b = ramp(400), *g1, *g2, *m1, *m2;
	size_t i, n1 = 0, n2 = 0;

	if (b == NULL)
		return;
	g1 = applied(b, "gaussian:0.1", 4, NULL);
	g2 = applied(b, "gaussian:0.2", 4, NULL);
	m1 = applied(b, "missing:0.2", 4, NULL);
	m2 = applied(b, "missing:0.5", 4, NULL);
	for (i = 100; i < 300; i++)
		CHECK_REL(g2->cols[0].num[i] - b->cols[0].num[i],
		    2 * (g1->cols[0].num[i] - b->cols[0].num[i]), 1e-9);
	for (i = 0; i < 400; i++) {
		n1 += isnan(m1->cols[0].num[i]);
		n2 += isnan(m2->cols[0].num[i]);
		CHECK(!isnan(m1->cols[0].num[i]) || isnan(m2->cols[0].num[i]));
	}
	CHECK(n1 > 40 && n1 < 120);
	CHECK(n2 > 160 && n2 < 240);
	aud_batch_free(g1);
	aud_batch_free(g2);
	aud_batch_free(m1);
	aud_batch_free(m2);
	aud_batch_free(b);
}

void
test_perturb__levels_over_bins(void)
{
	/* ages 30 24 18 44 22 25 20 NA: bins age<25 | 25<=age<45 | age>=45;
	 * [18 20 22 24] -> 20, [25 30 44] -> 30, the last bin holds no value */
	static const char text[] = "age,s\n30,a\n24,b\n18,c\n44,d\n22,e\n25,f\n20,g\nNA,h\n";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_bins *bins = NULL;
	struct aud_levels *l = NULL;
	struct aud_batch *b = load(text, NULL, 0), *dst = NULL;
	const char *names[] = { "age", "s" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_CATEGORICAL };
	struct aud_perturb *p = NULL;
	size_t row_of[16], value_of[16], k;
	const size_t cols[] = { 0 };

	CHECK_INT_EQ(aud_bins_parse(&bins, "age=25,45", "--bins", &err), 0);
	if (b == NULL || bins == NULL)
		goto done;
	CHECK_INT_EQ(aud_levels_new_bins(&l, b, 1, bins, &err), AUD_EINVAL);  /* categorical */
	CHECK(l == NULL);
	CHECK_INT_EQ(aud_levels_new_bins(&l, b, 0, bins, &err), 0);
	if (l == NULL)
		goto done;
	CHECK_INT_EQ(l->n, 2);
	CHECK_STR_EQ(l->name[0], "age<25");
	CHECK_STR_EQ(l->name[1], "25<=age<45");
	CHECK_DBL_EQ(l->num[0], 20);
	CHECK_DBL_EQ(l->num[1], 30);
	CHECK_INT_EQ(aud_levels_index(l, b, 0, 0), 1);   /* 30 */
	CHECK_INT_EQ(aud_levels_index(l, b, 0, 1), 0);   /* 24 */
	CHECK_INT_EQ(aud_levels_index(l, b, 0, 5), 1);   /* 25: the edge is in the bin above */
	CHECK_INT_EQ(aud_levels_index(l, b, 0, 7), -1);  /* missing */
	/* a flip moves each row to the other bin's representative; missing gets both */
	CHECK_INT_EQ(aud_perturb_parse(&p, "flip:age", &err), 0);
	CHECK_INT_EQ(aud_batch_new(&dst, 2, names, kinds, 16, &err), 0);
	if (p == NULL || dst == NULL)
		goto done;
	CHECK_INT_EQ(aud_perturb_max_variants(p, l), 2);
	CHECK_INT_EQ(aud_perturb_expand(dst, row_of, value_of, b, 0, 8, p, cols, NULL, l, &err), 0);
	CHECK_INT_EQ(dst->nrows, 9);
	for (k = 0; k < 7; k++) {
		CHECK_INT_EQ(row_of[k], k);
		CHECK_DBL_EQ(dst->cols[0].num[k], k == 0 || k == 3 || k == 5 ? 20 : 30);
	}
	CHECK_INT_EQ(row_of[7], 7);
	CHECK_DBL_EQ(dst->cols[0].num[7], 20);
	CHECK_DBL_EQ(dst->cols[0].num[8], 30);
done:
	aud_batch_free(dst);
	aud_perturb_free(p);
	aud_levels_free(l);
	aud_bins_free(bins);
	aud_batch_free(b);
}
