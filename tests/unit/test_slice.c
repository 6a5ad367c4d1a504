/*
 * test_slice.c — audit-slice's statistics (slice.c): the per-row metric, and
 * a slice against its complement. The reference values were computed once
 * with SciPy 1.10 (/usr/bin/python3) and written here:
 *   rates: k/n; the pooled z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)) by
 *     hand with p = (k1 + k2) / (n1 + n2), p-values from scipy.stats.norm.sf;
 *     Wilson's interval by its formula with z = norm.ppf(0.975);
 *   means: scipy.stats.ttest_ind(a, b, equal_var=False) (two-sided, and
 *     alternative="greater" for the one-sided p-value), the Welch-Satterthwaite
 *     dof by its formula, scipy.stats.t.interval(level, n - 1, loc=mean,
 *     scale=scipy.stats.sem(x)) for the intervals;
 *   log_loss: sklearn.metrics.log_loss([1], [0.0], labels=[0, 1]).
 */
#include <math.h>
#include <string.h>

#include "slice_impl.h"

#include "runner.h"

static const double A[] = { 0.5, 1.25, 2.0, 0.75, 3.5, 1.0, 2.25 };
static const double B[] = { 0.25, 0.5, 1.0, 0.75, 0.5, 1.5, 0.25, 0.0, 1.25 };

static void
sums(struct aud__slice_sum *s, const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		s->n++;
		s->s += x[i];
		s->ss += x[i] * x[i];
	}
}

void
test_slice__names(void)
{
	CHECK_STR_EQ(aud__slice_metric_name(AUD_SLICE_ACCURACY), "accuracy");
	CHECK_STR_EQ(aud__slice_metric_name(AUD_SLICE_MSE), "mse");
	CHECK_STR_EQ(aud_slice_metric_names[AUD_SLICE_LOG_LOSS], "log_loss");
	CHECK(aud_slice_metric_names[AUD_SLICE_MSE + 1] == NULL);
	CHECK(aud__slice_is_rate(AUD_SLICE_FNR) && !aud__slice_is_rate(AUD_SLICE_BRIER));
	CHECK(aud__slice_lower_worse(AUD_SLICE_ACCURACY));
	CHECK(!aud__slice_lower_worse(AUD_SLICE_ERROR_RATE));
}

void
test_slice__rate(void)
{
	/* slice 30 of 40 right, complement 50 of 60 */
	struct aud__slice_sum in = { 40, 30, 30 }, all = { 100, 80, 80 };
	struct aud__slice_cmp c;

	aud__slice_compare(&c, AUD_SLICE_ACCURACY, &in, &all, 0.95);
	CHECK_DBL_EQ(c.metric, 0.75);
	CHECK_REL(c.cmetric, 0.8333333333333334, 1e-15);
	CHECK_REL(c.lo, 0.5980603857923197, 1e-12);
	CHECK_REL(c.hi, 0.858128813609037, 1e-12);
	CHECK_REL(c.clo, 0.7196838683638547, 1e-12);
	CHECK_REL(c.chi, 0.9068682302080855, 1e-12);
	CHECK_REL(c.effect, 0.08333333333333337, 1e-12);
	CHECK_REL(c.statistic, 1.020620726159658, 1e-12);
	CHECK_REL(c.p_two, 0.30743416592739514, 1e-12);
	CHECK_REL(c.p_worse, 0.15371708296369757, 1e-12);
	CHECK(isnan(c.dof));
	/* the same counts as error rates: the same test, the other sign */
	in.s = in.ss = 10;
	all.s = all.ss = 20;
	aud__slice_compare(&c, AUD_SLICE_ERROR_RATE, &in, &all, 0.95);
	CHECK_DBL_EQ(c.metric, 0.25);
	CHECK_REL(c.effect, 0.08333333333333337, 1e-12);
	CHECK_REL(c.statistic, 1.020620726159658, 1e-12);
	CHECK_REL(c.p_worse, 0.15371708296369757, 1e-12);
	/* a better slice: negative statistic, one-sided p-value above 1/2 */
	in.s = in.ss = 2;
	aud__slice_compare(&c, AUD_SLICE_ERROR_RATE, &in, &all, 0.95);
	CHECK(c.effect < 0 && c.statistic < 0 && c.p_worse > 0.5);
	CHECK_REL(c.p_two, 2 * (1 - c.p_worse), 1e-12);
}

void
test_slice__welch(void)
{
	struct aud__slice_sum in = { 0, 0, 0 }, all = { 0, 0, 0 };
	struct aud__slice_cmp c;

	sums(&in, A, 7);
	sums(&all, A, 7);
	sums(&all, B, 9);
	aud__slice_compare(&c, AUD_SLICE_MAE, &in, &all, 0.95);
	CHECK_REL(c.metric, 1.6071428571428572, 1e-14);
	CHECK_REL(c.cmetric, 0.6666666666666666, 1e-14);
	CHECK_REL(c.effect, 1.6071428571428572 - 0.6666666666666666, 1e-13);
	CHECK_REL(c.statistic, 2.1860269050043177, 1e-12);
	CHECK_REL(c.dof, 8.116201606456277, 1e-12);
	CHECK_REL(c.p_two, 0.059817873267533954, 1e-11);
	CHECK_REL(c.p_worse, 0.029908936633766977, 1e-11);
	/* GSL's t quantile (gsl_cdf_tdist_Pinv) is good to about 1e-9 */
	CHECK_REL(c.lo, 0.6366317115673508, 1e-8);
	CHECK_REL(c.hi, 2.5776540027183636, 1e-8);
	CHECK_REL(c.clo, 0.28233264416110493, 1e-8);
	CHECK_REL(c.chi, 1.0510006891722283, 1e-8);
	aud__slice_compare(&c, AUD_SLICE_LOG_LOSS, &in, &all, 0.90);
	CHECK_REL(c.lo, 0.8364252193517754, 1e-8);
	CHECK_REL(c.hi, 2.377860494933939, 1e-8);
	/* the slice and the complement swapped: the statistic changes sign */
	memset(&in, 0, sizeof(in));
	sums(&in, B, 9);
	aud__slice_compare(&c, AUD_SLICE_MSE, &in, &all, 0.95);
	CHECK_REL(c.statistic, -2.1860269050043177, 1e-12);
	CHECK_REL(c.p_two, 0.059817873267533954, 1e-11);
	CHECK_REL(c.p_worse, 1 - 0.029908936633766977, 1e-12);
}

void
test_slice__degenerate(void)
{
	struct aud__slice_sum in = { 0, 0, 0 }, all = { 10, 7, 7 }, one = { 1, 2, 4 };
	struct aud__slice_cmp c;

	/* an empty slice: no metric, no effect, no test; the complement is everything */
	aud__slice_compare(&c, AUD_SLICE_ACCURACY, &in, &all, 0.95);
	CHECK(isnan(c.metric) && isnan(c.lo) && isnan(c.effect) && isnan(c.p_two));
	CHECK_DBL_EQ(c.cmetric, 0.7);
	/* the whole sample: no complement */
	aud__slice_compare(&c, AUD_SLICE_ACCURACY, &all, &all, 0.95);
	CHECK_DBL_EQ(c.metric, 0.7);
	CHECK(c.lo < 0.7 && c.hi > 0.7);
	CHECK(isnan(c.cmetric) && isnan(c.effect) && isnan(c.statistic) && isnan(c.p_worse));
	/* every row right on both sides: no spread, no difference */
	in.n = 4, in.s = in.ss = 4;
	all.s = all.ss = 10;
	aud__slice_compare(&c, AUD_SLICE_ACCURACY, &in, &all, 0.95);
	CHECK_DBL_EQ(c.effect, 0);
	CHECK(isnan(c.statistic));
	CHECK_DBL_EQ(c.p_two, 1);
	CHECK_DBL_EQ(c.p_worse, 1);
	/* means without spread that differ: a sure difference */
	in.n = 2, in.s = 4, in.ss = 8;           /* 2, 2 */
	all.n = 5, all.s = 7, all.ss = 11;       /* 2, 2, 1, 1, 1 */
	aud__slice_compare(&c, AUD_SLICE_MAE, &in, &all, 0.95);
	CHECK_DBL_EQ(c.effect, 1);
	CHECK(isinf(c.statistic) && c.statistic > 0);
	CHECK_DBL_EQ(c.p_two, 0);
	CHECK_DBL_EQ(c.p_worse, 0);
	/* one value: a mean but no interval, no Welch test */
	all.n = 5, all.s = 10, all.ss = 30;
	aud__slice_compare(&c, AUD_SLICE_MAE, &one, &all, 0.95);
	CHECK_DBL_EQ(c.metric, 2);
	CHECK(isnan(c.lo) && isnan(c.statistic) && isnan(c.p_two));
	CHECK_DBL_EQ(c.effect, 0);
}

static double
value(enum aud_slice_metric m, const char *label, const char *pred, double score, int *elig)
{
	struct aud__slice_row r;
	double v;

	memset(&r, 0, sizeof(r));
	r.label = label;
	r.label_len = strlen(label);
	r.pred = pred;
	r.pred_len = strlen(pred);
	r.score = score;
	r.positive = "1";
	aud_parse_number(&r.label_num, label, strlen(label));
	aud_parse_number(&r.pred_num, pred, strlen(pred));
	*elig = aud__slice_value(&v, m, &r);
	return v;
}

void
test_slice__row(void)
{
	int e;

	CHECK_DBL_EQ(value(AUD_SLICE_ACCURACY, "positive", "positive", 0, &e), 1);
	CHECK_INT_EQ(e, 1);
	CHECK_DBL_EQ(value(AUD_SLICE_ACCURACY, "positive", "neutral", 0, &e), 0);
	/* equal as numbers */
	CHECK_DBL_EQ(value(AUD_SLICE_ACCURACY, "1", "1.0", 0, &e), 1);
	CHECK_DBL_EQ(value(AUD_SLICE_ERROR_RATE, "1", "1.0", 0, &e), 0);
	CHECK_DBL_EQ(value(AUD_SLICE_ERROR_RATE, "a", "b", 0, &e), 1);
	/* fpr: only negatives are eligible */
	value(AUD_SLICE_FPR, "1", "1", 0, &e);
	CHECK_INT_EQ(e, 0);
	CHECK_DBL_EQ(value(AUD_SLICE_FPR, "0", "1", 0, &e), 1);
	CHECK_INT_EQ(e, 1);
	CHECK_DBL_EQ(value(AUD_SLICE_FPR, "0", "0", 0, &e), 0);
	/* fnr: only positives */
	value(AUD_SLICE_FNR, "0", "1", 0, &e);
	CHECK_INT_EQ(e, 0);
	CHECK_DBL_EQ(value(AUD_SLICE_FNR, "1.0", "0", 0, &e), 1);
	CHECK_INT_EQ(e, 1);
	CHECK_DBL_EQ(value(AUD_SLICE_FNR, "1", "1", 0, &e), 0);
	/* log loss: -log p of the true label, p clipped as scikit-learn clips it */
	CHECK_REL(value(AUD_SLICE_LOG_LOSS, "1", "1", 0.8, &e), -log(0.8), 1e-15);
	CHECK_REL(value(AUD_SLICE_LOG_LOSS, "0", "1", 0.8, &e), -log(0.2), 1e-14);
	CHECK_REL(value(AUD_SLICE_LOG_LOSS, "1", "0", 0.0, &e), 36.04365338911715, 1e-15);
	CHECK_REL(value(AUD_SLICE_LOG_LOSS, "0", "1", 1.0, &e), 36.04365338911715, 1e-6);
	CHECK_REL(value(AUD_SLICE_BRIER, "1", "1", 0.8, &e), 0.04, 1e-14);
	CHECK_REL(value(AUD_SLICE_BRIER, "0", "1", 0.8, &e), 0.64, 1e-15);
	CHECK_DBL_EQ(value(AUD_SLICE_MAE, "2.5", "4", 0, &e), 1.5);
	CHECK_DBL_EQ(value(AUD_SLICE_MAE, "4", "2.5", 0, &e), 1.5);
	CHECK_DBL_EQ(value(AUD_SLICE_MSE, "4", "2.5", 0, &e), 2.25);
	CHECK(aud__slice_same("abc", 3, "abc", 3) && !aud__slice_same("abc", 3, "abd", 3));
	CHECK(aud__slice_same("2", 1, "2e0", 3) && !aud__slice_same("2", 1, "2x", 2));
}
