/*
 * slice.c — audit-slice's statistics (slice_impl.h): the metrics' names and
 * kinds, the value of the metric on one row, and the comparison of a slice
 * with its complement (Wilson or Student t intervals; the pooled
 * two-proportion z-test or Welch's t-test).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <audit/stats.h>

#include "slice_impl.h"

const char *const aud_slice_metric_names[] = {
	"accuracy", "error_rate", "fpr", "fnr", "log_loss", "brier", "mae", "mse", NULL
};

int
aud__slice_is_rate(enum aud_slice_metric m)
{
	return m == AUD_SLICE_ACCURACY || m == AUD_SLICE_ERROR_RATE || m == AUD_SLICE_FPR ||
	    m == AUD_SLICE_FNR;
}

int
aud__slice_lower_worse(enum aud_slice_metric m)
{
	return m == AUD_SLICE_ACCURACY;
}

const char *
aud__slice_metric_name(enum aud_slice_metric m)
{
	return (unsigned)m <= (unsigned)AUD_SLICE_MSE ? aud_slice_metric_names[m] : "?";
}

/* Equal as texts, or as numbers when both are numbers ("1" and "1.0"). */
int
aud__slice_same(const char *a, size_t al, const char *b, size_t bl)
{
	double x, y;

	if (al == bl && memcmp(a, b, al) == 0)
		return 1;
	return aud_parse_number(&x, a, al) && aud_parse_number(&y, b, bl) && x == y;
}

int
aud__slice_value(double *out, enum aud_slice_metric m, const struct aud__slice_row *r)
{
	double p, y, d;
	int pos_label, pos_pred;

	*out = NAN;
	switch (m) {
	case AUD_SLICE_ACCURACY:
	case AUD_SLICE_ERROR_RATE:
		d = aud__slice_same(r->label, r->label_len, r->pred, r->pred_len);
		*out = m == AUD_SLICE_ACCURACY ? d : 1.0 - d;
		return 1;
	case AUD_SLICE_FPR:
	case AUD_SLICE_FNR:
		pos_label = aud__slice_same(r->label, r->label_len, r->positive,
		    strlen(r->positive));
		pos_pred = aud__slice_same(r->pred, r->pred_len, r->positive, strlen(r->positive));
		if (m == AUD_SLICE_FPR ? pos_label : !pos_label)
			return 0;
		*out = m == AUD_SLICE_FPR ? pos_pred : !pos_pred;
		return 1;
	case AUD_SLICE_LOG_LOSS:
	case AUD_SLICE_BRIER:
		y = aud__slice_same(r->label, r->label_len, r->positive, strlen(r->positive));
		if (m == AUD_SLICE_BRIER) {
			*out = (r->score - y) * (r->score - y);
			return 1;
		}
		/* scikit-learn's clipping to [eps, 1 - eps], eps of a double */
		p = r->score;
		if (p < AUD__SLICE_EPS)
			p = AUD__SLICE_EPS;
		if (p > 1.0 - AUD__SLICE_EPS)
			p = 1.0 - AUD__SLICE_EPS;
		*out = y == 1.0 ? -log(p) : -log1p(-p);
		return 1;
	case AUD_SLICE_MAE:
		*out = fabs(r->pred_num - r->label_num);
		return 1;
	default:
		d = r->pred_num - r->label_num;
		*out = d * d;
		return 1;
	}
}

/* Mean and the Student t or Wilson interval of one sample; NaN when empty. */
static void
one_sample(double *m, double *lo, double *hi, int rate, double n, double s, double ss,
    double level, double *var)
{
	double h;

	*m = *lo = *hi = *var = NAN;
	if (n <= 0)
		return;
	*m = s / n;
	if (rate) {
		aud_stats_wilson(s, n, aud_stats_z(level), lo, hi);
		return;
	}
	if (n < 2)
		return;
	*var = (ss - s * s / n) / (n - 1);
	if (*var < 0)
		*var = 0;
	h = aud_stats_t_half(sqrt(*var), (size_t)n, level);
	*lo = *m - h;
	*hi = *m + h;
}

void
aud__slice_compare(struct aud__slice_cmp *out, enum aud_slice_metric m,
    const struct aud__slice_sum *in, const struct aud__slice_sum *all, double level)
{
	int rate = aud__slice_is_rate(m);
	double n1 = (double)in->n, n2 = (double)(all->n - in->n);
	double v1, v2, se, p, a, b, dof;

	one_sample(&out->metric, &out->lo, &out->hi, rate, n1, in->s, in->ss, level, &v1);
	one_sample(&out->cmetric, &out->clo, &out->chi, rate, n2, all->s - in->s,
	    all->ss - in->ss, level, &v2);
	out->effect = aud__slice_lower_worse(m) ? out->cmetric - out->metric :
	    out->metric - out->cmetric;
	out->statistic = out->p_two = out->p_worse = out->dof = NAN;
	if (n1 <= 0 || n2 <= 0)
		return;
	if (rate) {
		p = all->s / (n1 + n2);
		se = sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
	} else {
		if (n1 < 2 || n2 < 2)
			return;
		a = v1 / n1;
		b = v2 / n2;
		se = sqrt(a + b);
	}
	if (!(se > 0)) {
		/* no spread at all: equal means show no difference, unequal ones a sure one */
		if (out->effect == 0) {
			out->p_two = out->p_worse = 1;
		} else {
			out->statistic = out->effect > 0 ? INFINITY : -INFINITY;
			out->p_two = 0;
			out->p_worse = out->effect > 0 ? 0 : 1;
		}
		return;
	}
	out->statistic = out->effect / se;
	if (rate) {
		out->p_two = 2 * gsl_cdf_ugaussian_Q(fabs(out->statistic));
		out->p_worse = gsl_cdf_ugaussian_Q(out->statistic);
		return;
	}
	/* Welch–Satterthwaite */
	dof = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
	out->dof = dof;
	out->p_two = 2 * gsl_cdf_tdist_Q(fabs(out->statistic), dof);
	out->p_worse = gsl_cdf_tdist_Q(out->statistic, dof);
}
