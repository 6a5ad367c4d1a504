/* test_importance.c — metrics, permutation importance and partial dependence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/importance.h>

#include "runner.h"

void
test_importance__metrics_by_hand(void)
{
	static const double s[] = { 0.9, 0.2, 0.6, 0.6, 0.1, 0.75 };
	static const unsigned char y[] = { 1, 0, 1, 0, 0, 1 };
	struct aud_error err = AUD_ERROR_INIT;
	enum aud_metric m;
	double auc;

	/* predictions >= 0.5: 1 0 1 1 0 1 -> 5 right of 6 */
	CHECK_REL(aud_metric_accuracy(s, y, 6, 0.5), 5.0 / 6.0, 1e-15);
	CHECK_REL(aud_metric_accuracy(s, y, 6, 0.7), 5.0 / 6.0, 1e-15);
	/* positives 0.9 0.6 0.75 against negatives 0.2 0.6 0.1: 8 wins and one tie of 9 */
	CHECK_INT_EQ(aud_metric_auc(&auc, s, y, 6, &err), 0);
	CHECK_REL(auc, 8.5 / 9.0, 1e-15);
	CHECK_REL(aud_metric_log_loss(s, y, 6),
	    -(log(0.9) + log(0.8) + log(0.6) + log(0.4) + log(0.9) + log(0.75)) / 6.0, 1e-15);
	/* one class only: undefined */
	CHECK_INT_EQ(aud_metric_auc(&auc, s, y + 1, 1, &err), 0);
	CHECK(isnan(auc));
	/* a probability of 0 for a positive: clipped, finite */
	{
		static const double z[] = { 0.0 };
		static const unsigned char one[] = { 1 };

		CHECK_REL(aud_metric_log_loss(z, one, 1), -log(1e-15), 1e-12);
	}
	CHECK_INT_EQ(aud_metric_parse(&m, "log_loss", &err), 0);
	CHECK_INT_EQ(m, AUD_METRIC_LOG_LOSS);
	CHECK_INT_EQ(aud_metric_parse(&m, "f1", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "unknown metric 'f1' (accuracy, auc, log_loss)");
}

/* A NaN score (a row the model could not score) makes every metric
 * undefined, and must not hang the AUC's tie loop (NaN == NaN is false). */
void
test_importance__metrics_nan_scores(void)
{
	static const double s[] = { 0.9, NAN, 0.6, 0.2 };
	static const double all[] = { NAN, NAN, NAN, NAN };
	static const unsigned char y[] = { 1, 0, 1, 0 };
	struct aud_error err = AUD_ERROR_INIT;
	double auc = 0.0;

	CHECK_INT_EQ(aud_metric_auc(&auc, s, y, 4, &err), 0);
	CHECK(isnan(auc));
	auc = 0.0;
	CHECK_INT_EQ(aud_metric_auc(&auc, all, y, 4, &err), 0);
	CHECK(isnan(auc));
	CHECK(isnan(aud_metric_accuracy(s, y, 4, 0.5)));
	CHECK(isnan(aud_metric_log_loss(all, y, 4)));
	/* without the NaN row the same scores give 1 (both positives above 0.2) */
	{
		static const double ok[] = { 0.9, 0.6, 0.2 };
		static const unsigned char yo[] = { 1, 1, 0 };

		CHECK_INT_EQ(aud_metric_auc(&auc, ok, yo, 3, &err), 0);
		CHECK_REL(auc, 1.0, 1e-15);
	}
}

/* score = sigmoid(3 a - 2 b); c unused */
static int
fn(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	size_t i;

	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++) {
		double z = 3.0 * b->cols[col[0]].num[i] - 2.0 * b->cols[col[1]].num[i];

		score[i] = 1.0 / (1.0 + exp(-z));
		if (margin != NULL)
			margin[i] = z;
	}
	return 0;
}

static const char *const names[] = { "a", "b", "c" };

static struct aud_batch *
data(unsigned char *y, size_t n)
{
	enum aud_col_kind k[3] = { AUD_COL_NUMERIC, AUD_COL_NUMERIC, AUD_COL_NUMERIC };
	struct aud_batch *b = NULL;
	size_t i;

	aud_batch_new(&b, 3, names, k, n, NULL);
	for (i = 0; i < n; i++) {
		b->cols[0].num[i] = sin(1.3 * (double)i);
		b->cols[1].num[i] = cos(0.7 * (double)i);
		b->cols[2].num[i] = (double)(i % 5);
		y[i] = 3.0 * b->cols[0].num[i] - 2.0 * b->cols[1].num[i] + 0.5 * sin(5.0 * (double)i) > 0;
	}
	b->nrows = n;
	return b;
}

void
test_importance__permutation(void)
{
	struct aud_model *m = NULL;
	unsigned char y[60];
	struct aud_batch *b = data(y, 60);
	struct aud_perm_options o = AUD_PERM_OPTIONS_INIT;
	struct aud_perm_result r, r2;
	size_t k;

	CHECK_INT_EQ(aud_model_from_fn(&m, 3, names, NULL, AUD_TASK_CLASSIFICATION, "1", 1, fn,
	    NULL, NULL), 0);
	o.repeats = 6;
	CHECK_INT_EQ(aud_permutation_importance(&r, m, b, y, &o, NULL), 0);
	for (k = 0; k < AUD_NMETRICS; k++) {
		CHECK_DBL_EQ(r.mean[2 * AUD_NMETRICS + k], 0.0);       /* c unused */
		CHECK_DBL_EQ(r.sd[2 * AUD_NMETRICS + k], 0.0);
		CHECK(r.lo[0 * AUD_NMETRICS + k] <= r.mean[k] && r.mean[k] <= r.hi[k]);
	}
	/* a matters more than b (coefficient 3 against 2, similar spreads) */
	CHECK(r.mean[0 * AUD_NMETRICS + AUD_METRIC_AUC] > r.mean[1 * AUD_NMETRICS + AUD_METRIC_AUC]);
	CHECK(r.mean[0 * AUD_NMETRICS + AUD_METRIC_LOG_LOSS] > 0.0);
	/* the interval: mean +- t(0.975, 5) sd / sqrt(6) */
	CHECK_REL(r.hi[0] - r.mean[0], 2.570581835636314 * r.sd[0] / sqrt(6.0), 1e-12);
	/* threads change nothing */
	o.threads = 3;
	CHECK_INT_EQ(aud_permutation_importance(&r2, m, b, y, &o, NULL), 0);
	CHECK(memcmp(r.drops, r2.drops, 3 * 6 * AUD_NMETRICS * sizeof(double)) == 0);
	aud_perm_result_release(&r2);
	/* one repeat: no interval */
	o.repeats = 1;
	CHECK_INT_EQ(aud_permutation_importance(&r2, m, b, y, &o, NULL), 0);
	CHECK(isnan(r2.lo[0]) && isnan(r2.sd[0]));
	aud_perm_result_release(&r2);
	aud_perm_result_release(&r);
	aud_batch_free(b);
	aud_model_free(m);
}

void
test_importance__pdp(void)
{
	struct aud_model *m = NULL;
	unsigned char y[60];
	struct aud_batch *b = data(y, 60);
	struct aud_pdp_options o = AUD_PDP_OPTIONS_INIT;
	struct aud_pdp_curve c;
	struct aud_error err = AUD_ERROR_INIT;
	size_t i, g;

	CHECK_INT_EQ(aud_model_from_fn(&m, 3, names, NULL, AUD_TASK_CLASSIFICATION, "1", 1, fn,
	    NULL, NULL), 0);
	/* c has 5 distinct values (0..4) <= 20: the grid is those values */
	o.output = AUD_OUTPUT_MARGIN;
	CHECK_INT_EQ(aud_pdp_compute(&c, m, b, 2, &o, NULL), 0);
	CHECK_INT_EQ(c.ngrid, 5);
	for (g = 0; g < 5; g++)
		CHECK_DBL_EQ(c.grid[g], (double)g);
	/* unused: flat */
	for (g = 1; g < 5; g++)
		CHECK_DBL_EQ(c.pdp[g], c.pdp[0]);
	aud_pdp_curve_release(&c);
	/* a: the margin's slope is 3, every ICE curve too */
	o.grid = 4;
	CHECK_INT_EQ(aud_pdp_compute(&c, m, b, 0, &o, NULL), 0);
	CHECK_INT_EQ(c.ngrid, 4);
	for (i = 0; i < 60; i++)
		CHECK_REL(c.ice[i * 4 + 3] - c.ice[i * 4 + 0], 3.0 * (c.grid[3] - c.grid[0]), 1e-12);
	CHECK_REL(c.pdp[1] - c.pdp[0], 3.0 * (c.grid[1] - c.grid[0]), 1e-12);
	aud_pdp_curve_release(&c);
	/* a column of missing values has no grid */
	for (i = 0; i < 60; i++)
		b->cols[1].num[i] = NAN;
	CHECK_INT_EQ(aud_pdp_compute(&c, m, b, 1, &o, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "pdp: feature 'b' has no value among the explained rows");
	aud_batch_free(b);
	aud_model_free(m);
}
