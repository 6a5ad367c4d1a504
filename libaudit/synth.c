/*
 * synth.c — the planted-bias generators. See include/audit/synth.h
 * and datasets/README.md, which documents every constant of this file.
 *
 * Features are drawn, then rounded to the decimals they are printed with
 * (kept as scaled integers), so the double a reader parses from the CSV is
 * exactly the double the label and the score were computed from. The score
 * is computed in the order a PMML RegressionModel evaluator sums the table
 * (JPMML's RegressionModelEvaluator and libaudit's pmml_eval.c alike): from
 * 0, each NumericPredictor's coefficient times its value in table order, then
 * the matching CategoricalPredictor's coefficient, then the intercept last;
 * then 1 / (1 + exp(-y)). So `audit-predict -m` gives the same doubles.
 */
#include <audit/synth.h>

#include <audit/cli.h>
#include <audit/text.h>
#include <audit/csv.h>
#include <audit/rng.h>

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the documented constants of the credit scenario ---- */

enum { NGROUPS = 3, NREGIONS = 4, NFEATURES = 8 };

static const char *const group_names[NGROUPS] = { "A", "B", "C" };
/* P(group): A majority, B, C a small minority. */
static const double group_prob[NGROUPS] = { 0.70, 0.22, 0.08 };
/* The group whose labels carry the historical bias. */
enum { BIASED_GROUP = 2 };

static const double female_prob = 0.48;

static const char *const region_names[NREGIONS] = { "north", "south", "east", "west" };
/* home(group): where each group lives when the proxy is at full strength. */
static const double region_home[NGROUPS][NREGIONS] = {
	{ 0.5, 0.0, 0.5, 0.0 },   /* A: north and east */
	{ 0.0, 1.0, 0.0, 0.0 },   /* B: south */
	{ 0.0, 0.0, 0.0, 1.0 },   /* C: west */
};

/* Numeric features in CSV and PMML order, with the decimals they are printed with. */
enum { F_AGE, F_INCOME, F_DEBT, F_CREDIT, F_EMPLOY, F_LOAN, F_ACCOUNTS, F_LATE };
static const char *const feature_names[NFEATURES] = {
	"age", "income", "debt_ratio", "credit_years", "employment_years",
	"loan_amount", "num_accounts", "late_payments",
};
static const int feature_decimals[NFEATURES] = { 0, 1, 3, 1, 1, 1, 0, 0 };

/* The true log-odds of repayment: intercept and one coefficient per feature. */
static const double true_intercept = 0.3;
static const double true_coef[NFEATURES] = {
	0.01,    /* age */
	0.03,    /* income, thousands */
	-3.0,    /* debt_ratio */
	0.05,    /* credit_years */
	0.04,    /* employment_years */
	-0.04,   /* loan_amount, thousands */
	0.05,    /* num_accounts */
	-0.6,    /* late_payments */
};

static const double pow10_tab[] = { 1.0, 10.0, 100.0, 1000.0 };

/*
 * Each feature's standard deviation under this process (measured once on two
 * million rows of seed 1 and rounded; the features do not depend on the
 * label bias or the proxy strength): the unit of a numeric --shift.
 */
static const double feature_sd[NFEATURES] = {
	10.6, 23.2, 0.133, 7.3, 5.12, 7.95, 2.31, 0.92,
};

/* The shiftable columns after the features, and their last values (the target). */
enum { S_REGION = NFEATURES, S_SEX, S_GROUP, S_LABEL, S_COUNT };
static const char *const shift_names[S_COUNT] = {
	"age", "income", "debt_ratio", "credit_years", "employment_years",
	"loan_amount", "num_accounts", "late_payments", "region", "sex", "group", "label",
};

/* ---- shifts ---- */

/* The shifts of the options as amounts per column (all 0: none). */
struct shift_plan {
	int64_t dk[NFEATURES];   /* added to the scaled integer of each feature */
	double share[3];         /* region, sex, group: probability of the last value */
	double label;            /* added to the label's log-odds */
	int any;
};

static int
shift_index(const char *name)
{
	for (int i = 0; i < S_COUNT; i++)
		if (strcmp(shift_names[i], name) == 0)
			return i;
	return -1;
}

static int
shift_check(const struct aud_synth_shift *s, struct aud_error *err)
{
	int i = shift_index(s->column);

	if (i < 0)
		return AUD_ERROR(err, AUD_EINVAL, "--shift: unknown column '%s' (shiftable: age, "
		    "income, debt_ratio, credit_years, employment_years, loan_amount, "
		    "num_accounts, late_payments, region, sex, group, label)", s->column);
	if (i >= S_REGION && i <= S_GROUP) {
		if (!(s->amount >= 0.0 && s->amount <= 1.0))
			return AUD_ERROR(err, AUD_EINVAL, "--shift %s: share '%g' out of range "
			    "[0, 1]", s->column, s->amount);
	} else if (!(s->amount >= -AUD_SYNTH_MAX_SHIFT && s->amount <= AUD_SYNTH_MAX_SHIFT)) {
		return AUD_ERROR(err, AUD_EINVAL, "--shift %s: amount '%g' out of range "
		    "[%g, %g]", s->column, s->amount, -AUD_SYNTH_MAX_SHIFT, AUD_SYNTH_MAX_SHIFT);
	}
	return 0;
}

int
aud_synth_shift_parse(struct aud_synth_shift *out, const char *spec,
    struct aud_error *err)
{
	const char *eq;
	size_t n;
	int rc;

	assert(out != NULL && spec != NULL);
	memset(out, 0, sizeof(*out));
	eq = strchr(spec, '=');
	if (eq == NULL || eq == spec || eq[1] == '\0')
		return AUD_ERROR(err, AUD_EINVAL, "--shift '%s': expected COLUMN=AMOUNT", spec);
	n = (size_t)(eq - spec);
	if (n >= sizeof(out->column))
		return AUD_ERROR(err, AUD_EINVAL, "--shift '%s': unknown column", spec);
	memcpy(out->column, spec, n);
	out->column[n] = '\0';
	rc = aud_parse_double(&out->amount, eq + 1, -1e300, 1e300, "--shift", err);
	return rc < 0 ? rc : shift_check(out, err);
}

static void
shift_plan_init(struct shift_plan *sp, const struct aud_synth_options *o)
{
	memset(sp, 0, sizeof(*sp));
	for (size_t i = 0; i < o->nshifts; i++) {
		const struct aud_synth_shift *s = &o->shifts[i];
		int c = shift_index(s->column);

		if (c < NFEATURES)
			sp->dk[c] = (int64_t)nearbyint(s->amount * feature_sd[c] *
			    pow10_tab[feature_decimals[c]]);
		else if (c == S_LABEL)
			sp->label = s->amount;
		else
			sp->share[c - S_REGION] = s->amount;
		sp->any = 1;
	}
}

/* ---- the slicing exercises: --weak-slice, --error-rate ---- */

/* The index of a categorical value of column c (S_REGION, S_SEX, S_GROUP), or -1. */
static int
cat_value(int c, const char *text)
{
	static const char *const sexes[2] = { "female", "male" };

	for (int i = 0; i < NREGIONS && c == S_REGION; i++)
		if (strcmp(region_names[i], text) == 0)
			return i;
	for (int i = 0; i < 2 && c == S_SEX; i++)
		if (strcmp(sexes[i], text) == 0)
			return i;
	for (int i = 0; i < NGROUPS && c == S_GROUP; i++)
		if (strcmp(group_names[i], text) == 0)
			return i;
	return -1;
}

static int
cond_check(const struct aud_synth_cond *k, struct aud_error *err)
{
	int c = shift_index(k->column);

	if (c < 0 || c == S_LABEL)
		return AUD_ERROR(err, AUD_EINVAL, "--weak-slice: unknown column '%s' (known: age, "
		    "income, debt_ratio, credit_years, employment_years, loan_amount, "
		    "num_accounts, late_payments, region, sex, group)", k->column);
	if (c >= S_REGION) {
		if (strcmp(k->op, "=") != 0)
			return AUD_ERROR(err, AUD_EINVAL, "--weak-slice: column '%s' takes only "
			    "'=' (it is not a number)", k->column);
		if (cat_value(c, k->text) < 0)
			return AUD_ERROR(err, AUD_EINVAL, "--weak-slice: '%s' is not a value of "
			    "column '%s' (%s)", k->text, k->column, c == S_REGION ?
			    "north, south, east, west" : c == S_SEX ? "female, male" : "A, B, C");
	} else if (!isfinite(k->value)) {
		return AUD_ERROR(err, AUD_EINVAL, "--weak-slice: '%s' is not a number (column "
		    "'%s')", k->text, k->column);
	}
	return 0;
}

static int
weak_check(const struct aud_synth_weak *w, struct aud_error *err)
{
	if (w->nconds == 0 || w->nconds > AUD_SYNTH_MAX_CONDS)
		return AUD_ERROR(err, AUD_EINVAL, "--weak-slice: 1 to %d conditions",
		    AUD_SYNTH_MAX_CONDS);
	if (!(w->rate >= 0.0 && w->rate <= 1.0))
		return AUD_ERROR(err, AUD_EINVAL, "--weak-slice: rate '%g' out of range [0, 1]",
		    w->rate);
	for (size_t i = 0; i < w->nconds; i++) {
		int rc = cond_check(&w->cond[i], err);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* One condition "COL OP VALUE" of n bytes at s. */
static int
cond_parse(struct aud_synth_cond *k, const char *spec, const char *s, size_t n,
    struct aud_error *err)
{
	static const char *const ops[] = { "<=", ">=", "=", "<", ">" };
	size_t at = 0, len = 0, vlen;
	int op = -1;

	for (at = 0; at < n && op < 0; at++)
		for (int i = 0; i < 5 && op < 0; i++) {
			len = strlen(ops[i]);
			if (at + len <= n && memcmp(s + at, ops[i], len) == 0)
				op = i;
		}
	if (op < 0 || at == 1)
		return AUD_ERROR(err, AUD_EINVAL, "--weak-slice '%s': expected COL=VALUE, "
		    "COL<NUM or COL>=NUM in '%.*s'", spec, (int)n, s);
	at--;
	vlen = n - at - len;
	if (at >= sizeof(k->column) || vlen == 0 || vlen >= sizeof(k->text))
		return AUD_ERROR(err, AUD_EINVAL, "--weak-slice '%s': bad condition '%.*s'",
		    spec, (int)n, s);
	memcpy(k->column, s, at);
	k->column[at] = '\0';
	strcpy(k->op, ops[op]);
	memcpy(k->text, s + at + len, vlen);
	k->text[vlen] = '\0';
	if (aud_parse_number(&k->value, k->text, vlen) != 1)
		k->value = NAN;
	return 0;
}

int
aud_synth_weak_parse(struct aud_synth_weak *out, const char *spec,
    struct aud_error *err)
{
	const char *colon, *p;
	int rc;

	assert(out != NULL && spec != NULL);
	memset(out, 0, sizeof(*out));
	colon = strrchr(spec, ':');
	if (colon == NULL || colon == spec || colon[1] == '\0' || colon[-1] == ',')
		return AUD_ERROR(err, AUD_EINVAL, "--weak-slice '%s': expected "
		    "COND[,COND...]:RATE", spec);
	rc = aud_parse_double(&out->rate, colon + 1, 0.0, 1.0, "--weak-slice", err);
	if (rc < 0)
		return rc;
	for (p = spec; p < colon;) {
		const char *e = memchr(p, ',', (size_t)(colon - p));

		if (e == NULL)
			e = colon;
		if (out->nconds == AUD_SYNTH_MAX_CONDS)
			return AUD_ERROR(err, AUD_EINVAL, "--weak-slice '%s': more than %d "
			    "conditions", spec, AUD_SYNTH_MAX_CONDS);
		rc = cond_parse(&out->cond[out->nconds++], spec, p, (size_t)(e - p), err);
		if (rc < 0)
			return rc;
		p = e + 1;
	}
	return weak_check(out, err);
}

/* The conditions resolved to column indices. */
struct weak_plan {
	int col[AUD_SYNTH_MAX_CONDS];
	int op[AUD_SYNTH_MAX_CONDS];       /* 0 =, 1 <, 2 <=, 3 >, 4 >= */
	double value[AUD_SYNTH_MAX_CONDS]; /* the number, or the category's index */
	size_t n;
	double rate;
};

static void
weak_plan_init(struct weak_plan *wp, const struct aud_synth_weak *w)
{
	static const char *const ops[] = { "=", "<", "<=", ">", ">=" };

	memset(wp, 0, sizeof(*wp));
	if (w == NULL)
		return;
	wp->n = w->nconds;
	wp->rate = w->rate;
	for (size_t i = 0; i < w->nconds; i++) {
		wp->col[i] = shift_index(w->cond[i].column);
		for (int o = 0; o < 5; o++)
			if (strcmp(ops[o], w->cond[i].op) == 0)
				wp->op[i] = o;
		wp->value[i] = wp->col[i] >= S_REGION ?
		    (double)cat_value(wp->col[i], w->cond[i].text) : w->cond[i].value;
	}
}

/* ---- the model implied by the options ---- */

struct credit_model {
	double region_prob[NGROUPS][NREGIONS];   /* P(region | group) */
	double region_cum[NGROUPS][NREGIONS];    /* cumulative, last = 1 */
	double delta[NREGIONS];                  /* planted region coefficients */
};

static void
credit_model_init(struct credit_model *m, const struct aud_synth_options *o)
{
	double p = o->proxy_strength;

	for (int g = 0; g < NGROUPS; g++) {
		double c = 0.0;

		for (int r = 0; r < NREGIONS; r++) {
			m->region_prob[g][r] = (1.0 - p) * (1.0 / NREGIONS) + p * region_home[g][r];
			c += m->region_prob[g][r];
			m->region_cum[g][r] = c;
		}
		m->region_cum[g][NREGIONS - 1] = 1.0;
	}
	for (int r = 0; r < NREGIONS; r++) {
		double joint = 0.0, pi;

		for (int g = 0; g < NGROUPS; g++)
			joint += group_prob[g] * m->region_prob[g][r];
		/* every region has positive probability: uniform part, or a home */
		pi = group_prob[BIASED_GROUP] * m->region_prob[BIASED_GROUP][r] / joint;
		/* 0.0 - x, not -x: no "-0" in the PMML when B = 0 */
		m->delta[r] = 0.0 - o->label_bias * pi;
	}
}

/* ---- options ---- */

int
aud_synth_validate(const struct aud_synth_options *opts, struct aud_error *err)
{
	assert(opts != NULL);
	if (opts->scenario == NULL || (strcmp(opts->scenario, "credit") != 0 &&
	    strcmp(opts->scenario, "sentiment") != 0))
		return AUD_ERROR(err, AUD_EINVAL, "unknown scenario '%s' (known: credit, "
		    "sentiment)", opts->scenario ? opts->scenario : "");
	if (strcmp(opts->scenario, "sentiment") == 0 && (opts->nshifts > 0 || opts->months > 0))
		return AUD_ERROR(err, AUD_EINVAL, "--%s: the sentiment scenario has no drift "
		    "exercises (credit has)", opts->nshifts > 0 ? "shift" : "months");
	if (opts->rows > (uint64_t)AUD_SYNTH_MAX_ROWS)
		return AUD_ERROR(err, AUD_EINVAL, "rows '%llu' out of range [0, %lld]",
		    (unsigned long long)opts->rows, (long long)AUD_SYNTH_MAX_ROWS);
	if (!(opts->label_bias >= 0.0 && opts->label_bias <= AUD_SYNTH_MAX_LABEL_BIAS))
		return AUD_ERROR(err, AUD_EINVAL, "label bias '%g' out of range [0, %g]",
		    opts->label_bias, AUD_SYNTH_MAX_LABEL_BIAS);
	if (!(opts->proxy_strength >= 0.0 && opts->proxy_strength <= 1.0))
		return AUD_ERROR(err, AUD_EINVAL, "proxy strength '%g' out of range [0, 1]",
		    opts->proxy_strength);
	if (opts->nshifts > AUD_SYNTH_MAX_SHIFTS)
		return AUD_ERROR(err, AUD_EINVAL, "--shift: more than %d columns",
		    AUD_SYNTH_MAX_SHIFTS);
	for (size_t i = 0; i < opts->nshifts; i++) {
		int rc = shift_check(&opts->shifts[i], err);

		if (rc < 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(opts->shifts[j].column, opts->shifts[i].column) == 0)
				return AUD_ERROR(err, AUD_EINVAL, "--shift: column '%s' given "
				    "twice", opts->shifts[i].column);
	}
	if (opts->months > AUD_SYNTH_MAX_MONTHS)
		return AUD_ERROR(err, AUD_EINVAL, "months '%u' out of range [0, %d]",
		    opts->months, AUD_SYNTH_MAX_MONTHS);
	if (opts->shift_from > 0 && opts->months == 0)
		return AUD_ERROR(err, AUD_EINVAL, "--shift-from needs --months");
	if (opts->shift_from > opts->months)
		return AUD_ERROR(err, AUD_EINVAL, "--shift-from '%u' is after the last month "
		    "(%u)", opts->shift_from, opts->months);
	if (opts->shift_from > 0 && opts->nshifts == 0)
		return AUD_ERROR(err, AUD_EINVAL, "--shift-from needs --shift");
	if (opts->error_rate > 1.0 || isnan(opts->error_rate))
		return AUD_ERROR(err, AUD_EINVAL, "error rate '%g' out of range [0, 1]",
		    opts->error_rate);
	if (opts->weak != NULL)
		return weak_check(opts->weak, err);
	return 0;
}

/* ---- random draws ---- */

/* Index of the first cumulative probability above u. */
static int
pick(const double *cum, int n, double u)
{
	for (int i = 0; i < n - 1; i++)
		if (u < cum[i])
			return i;
	return n - 1;
}

/* Poisson by inversion: one uniform per draw (lambda here is at most ~13). */
static unsigned
poisson(struct aud_rng *r, double lambda)
{
	double u = aud_rng_uniform(r);
	double p = exp(-lambda);
	double cdf = p;
	unsigned k = 0;

	while (u >= cdf && k < 1000) {
		k++;
		p *= lambda / k;
		cdf += p;
	}
	return k;
}

static double
logistic(double y)
{
	return 1.0 / (1.0 + exp(-y));
}

/* Round x >= 0 to `dec` decimals, as a scaled integer. */
static int64_t
scaled(double x, int dec)
{
	return (int64_t)nearbyint(x * pow10_tab[dec]);
}

/* ---- fast, locale-free formatting into a buffer ---- */

static char *
put_uint(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* k / 10^dec with exactly dec decimals (a shift can make k negative). */
static char *
put_fixed(char *p, int64_t k, int dec)
{
	uint64_t scale = (uint64_t)pow10_tab[dec];
	uint64_t u;

	if (k < 0) {
		*p++ = '-';
		u = (uint64_t)0 - (uint64_t)k;
	} else {
		u = (uint64_t)k;
	}

	p = put_uint(p, u / scale);
	if (dec > 0) {
		uint64_t frac = u % scale;

		*p++ = '.';
		for (int i = dec - 1; i >= 0; i--) {
			uint64_t d = (uint64_t)pow10_tab[i];

			*p++ = (char)('0' + (frac / d) % 10);
		}
	}
	return p;
}

static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* ---- one row ---- */

struct row {
	int64_t k[NFEATURES];   /* scaled integer values */
	double x[NFEATURES];    /* k / 10^dec: the doubles a reader parses */
	int sex;                /* 0 female, 1 male */
	int group;
	int region;
	int label;
	double score;
	int pred;
};

/* Whether a categorical shift of probability `share` moves this row (draws from rs). */
static int
moved(struct aud_rng *rs, double share)
{
	return share > 0.0 && aud_rng_uniform(rs) < share;
}

/* One row; sp is NULL when no shift applies to it (rs: the shifts' stream). */
static void
draw_row(struct row *w, struct aud_rng *r, const struct credit_model *m,
    const struct aud_synth_options *o, const struct shift_plan *sp, struct aud_rng *rs)
{
	double z, v, lin, eta, y;
	int age;

	w->sex = aud_rng_uniform(r) < female_prob ? 0 : 1;
	if (sp != NULL && moved(rs, sp->share[S_SEX - S_REGION]))
		w->sex = 1;
	{
		double u = aud_rng_uniform(r), c = 0.0;

		w->group = NGROUPS - 1;
		for (int g = 0; g < NGROUPS - 1; g++) {
			c += group_prob[g];
			if (u < c) {
				w->group = g;
				break;
			}
		}
	}
	if (sp != NULL && moved(rs, sp->share[S_GROUP - S_REGION]))
		w->group = NGROUPS - 1;
	w->region = pick(m->region_cum[w->group], NREGIONS, aud_rng_uniform(r));
	if (sp != NULL && moved(rs, sp->share[S_REGION - S_REGION]))
		w->region = NREGIONS - 1;

	/* age: N(40, 11) rounded to whole years, clamped to [21, 75] */
	v = nearbyint(40.0 + aud_rng_gaussian(r, 11.0));
	age = v < 21.0 ? 21 : v > 75.0 ? 75 : (int)v;
	w->k[F_AGE] = age;

	/* income (thousands a year): log-normal, rising with age, at least 5.0 */
	z = aud_rng_gaussian(r, 1.0);
	v = exp(log(42.0) + 0.012 * (age - 40) + 0.45 * z);
	w->k[F_INCOME] = v < 5.0 ? 50 : scaled(v, 1);

	/* debt ratio: logistic-normal, 3 decimals */
	z = aud_rng_gaussian(r, 1.0);
	w->k[F_DEBT] = scaled(logistic(-1.0 + 0.7 * z), 3);

	/* years of credit history: (age - 18) times a triangular fraction on [0, 1] */
	v = (age - 18) * 0.5 * (aud_rng_uniform(r) + aud_rng_uniform(r));
	w->k[F_CREDIT] = scaled(v, 1);

	/* years with the current employer: exponential, mean 6, at most age - 18 */
	v = -6.0 * log(aud_rng_uniform_pos(r));
	if (v > age - 18)
		v = age - 18;
	w->k[F_EMPLOY] = scaled(v, 1);

	/* loan amount (thousands): log-normal, rising with income, at least 0.5 */
	z = aud_rng_gaussian(r, 1.0);
	v = exp(log(12.0) + 0.4 * log((double)w->k[F_INCOME] / 10.0 / 42.0) + 0.5 * z);
	w->k[F_LOAN] = v < 0.5 ? 5 : scaled(v, 1);

	for (int j = 0; j < F_ACCOUNTS; j++)
		w->x[j] = (double)w->k[j] / pow10_tab[feature_decimals[j]];
	w->x[F_AGE] = (double)age;

	/* open accounts: Poisson(1 + 0.2 credit_years) */
	w->k[F_ACCOUNTS] = poisson(r, 1.0 + 0.2 * w->x[F_CREDIT]);
	w->x[F_ACCOUNTS] = (double)w->k[F_ACCOUNTS];
	/* late payments in two years: Poisson(0.2 + 2 debt_ratio) */
	w->k[F_LATE] = poisson(r, 0.2 + 2.0 * w->x[F_DEBT]);
	w->x[F_LATE] = (double)w->k[F_LATE];

	/* numeric shifts: after every feature is drawn, before label and score */
	if (sp != NULL)
		for (int j = 0; j < NFEATURES; j++)
			if (sp->dk[j] != 0) {
				w->k[j] += sp->dk[j];
				w->x[j] = (double)w->k[j] / pow10_tab[feature_decimals[j]];
			}

	/* the features' part of the log-odds, summed in PMML table order */
	lin = 0.0;
	for (int j = 0; j < NFEATURES; j++)
		lin += true_coef[j] * w->x[j];

	/* the recorded label: the true log-odds, group C's lowered by the label bias */
	eta = lin + true_intercept;
	y = w->group == BIASED_GROUP ? eta - o->label_bias : eta;
	if (sp != NULL)
		y += sp->label;
	w->label = aud_rng_uniform(r) < logistic(y) ? 1 : 0;

	/* the planted model: the same sum, the region's coefficient, the intercept last */
	w->score = logistic((lin + m->delta[w->region]) + true_intercept);
	w->pred = w->score >= 0.5;
}

/* Whether row w meets every condition of the weak slice. */
static int
in_weak(const struct row *w, const struct weak_plan *wp)
{
	for (size_t i = 0; i < wp->n; i++) {
		int c = wp->col[i];
		double x = c == S_REGION ? w->region : c == S_SEX ? w->sex :
		    c == S_GROUP ? w->group : w->x[c];
		double v = wp->value[i];
		int ok;

		switch (wp->op[i]) {
		case 1: ok = x < v; break;
		case 2: ok = x <= v; break;
		case 3: ok = x > v; break;
		case 4: ok = x >= v; break;
		default: ok = x == v; break;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* The slicing exercises: pred from the label (re: the error stream), then the weak slice. */
static void
replace_pred(struct row *w, const struct aud_synth_options *o, const struct weak_plan *wp,
    struct aud_rng *re, struct aud_rng *rw)
{
	if (o->error_rate >= 0.0)
		w->pred = aud_rng_uniform(re) < o->error_rate ? 1 - w->label : w->label;
	if (wp->n > 0 && in_weak(w, wp) && aud_rng_uniform(rw) < wp->rate)
		w->pred = 1 - w->pred;
}

/* month is 0-based from 2025-01, or -1 for no month column. */
static char *
format_row(char *p, uint64_t id, long month, const struct row *w)
{
	char num[32];

	p = put_uint(p, id);
	if (month >= 0) {
		*p++ = ',';
		p = put_uint(p, 2025 + (uint64_t)month / 12);
		*p++ = '-';
		*p++ = (char)('0' + (month % 12 + 1) / 10);
		*p++ = (char)('0' + (month % 12 + 1) % 10);
	}
	for (int j = 0; j < NFEATURES; j++) {
		*p++ = ',';
		p = put_fixed(p, w->k[j], feature_decimals[j]);
	}
	*p++ = ',';
	p = put_str(p, region_names[w->region]);
	*p++ = ',';
	p = put_str(p, w->sex == 0 ? "female" : "male");
	*p++ = ',';
	p = put_str(p, group_names[w->group]);
	*p++ = ',';
	*p++ = (char)('0' + w->label);
	*p++ = ',';
	aud_format_double(num, w->score);
	p = put_str(p, num);
	*p++ = ',';
	*p++ = w->pred ? '1' : '0';
	*p++ = '\n';
	return p;
}

/* ---- CSV ---- */

enum { OUTBUF = 1 << 16, MAXROW = 512 };

static int
flush_buf(FILE *f, const char *buf, size_t n, struct aud_error *err)
{
	if (n > 0 && fwrite(buf, 1, n, f) != n)
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, errno, "cannot write the dataset: %s",
		    strerror(errno ? errno : EIO));
	return 0;
}

int
aud_synth_write_csv(FILE *f, const struct aud_synth_options *opts,
    struct aud_error *err)
{
	struct credit_model m;
	struct shift_plan sp;
	struct weak_plan wp;
	struct aud_rng *r = NULL, *rs = NULL, *re = NULL, *rw = NULL;
	struct row w;
	char *buf = NULL, *p;
	int rc;

	assert(f != NULL);
	rc = aud_synth_validate(opts, err);
	if (rc < 0)
		goto done;
	if (strcmp(opts->scenario, "sentiment") == 0) {
		rc = aud_synth_write_sentiment_csv(f, opts, err);
		goto done;
	}
	credit_model_init(&m, opts);
	shift_plan_init(&sp, opts);
	weak_plan_init(&wp, opts->weak);
	rc = aud_rng_new(&r, opts->seed, 0, err);
	if (rc == 0)
		rc = aud_rng_new(&rs, opts->seed, AUD_SYNTH_SHIFT_STREAM, err);
	if (rc == 0)
		rc = aud_rng_new(&re, opts->seed, AUD_SYNTH_ERROR_STREAM, err);
	if (rc == 0)
		rc = aud_rng_new(&rw, opts->seed, AUD_SYNTH_WEAK_STREAM, err);
	if (rc < 0)
		goto done;
	buf = malloc(OUTBUF);
	if (buf == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}

	p = buf;
	p = put_str(p, opts->months > 0 ? "id,month" : "id");
	for (int j = 0; j < NFEATURES; j++) {
		*p++ = ',';
		p = put_str(p, feature_names[j]);
	}
	p = put_str(p, ",region,sex,group,label,score,pred\n");

	for (uint64_t i = 0; i < opts->rows; i++) {
		long month = -1;
		int shifted = sp.any;

		if (i % AUD_SYNTH_BLOCK_ROWS == 0) {
			if (i > 0)
				aud_progress_report(&opts->progress, "generate",
				    AUD_PROGRESS_ROWS, i, opts->rows);
			aud_rng_reseed(r, opts->seed, i / AUD_SYNTH_BLOCK_ROWS);
			aud_rng_reseed(rs, opts->seed,
			    AUD_SYNTH_SHIFT_STREAM + i / AUD_SYNTH_BLOCK_ROWS);
			aud_rng_reseed(re, opts->seed,
			    AUD_SYNTH_ERROR_STREAM + i / AUD_SYNTH_BLOCK_ROWS);
			aud_rng_reseed(rw, opts->seed,
			    AUD_SYNTH_WEAK_STREAM + i / AUD_SYNTH_BLOCK_ROWS);
		}
		if (opts->months > 0) {
			/* i * months < 1e12 * 600 fits 64 bits */
			month = (long)(i * opts->months / opts->rows);
			if (opts->shift_from > 0 && month + 1 < (long)opts->shift_from)
				shifted = 0;
		}
		draw_row(&w, r, &m, opts, shifted ? &sp : NULL, rs);
		replace_pred(&w, opts, &wp, re, rw);
		if ((size_t)(p - buf) > OUTBUF - MAXROW) {
			rc = flush_buf(f, buf, (size_t)(p - buf), err);
			if (rc < 0)
				goto done;
			p = buf;
		}
		p = format_row(p, i + 1, month, &w);
	}
	rc = flush_buf(f, buf, (size_t)(p - buf), err);
	if (rc < 0)
		goto done;
	if (ferror(f)) {
		rc = AUD_ERROR(err, AUD_EOUTPUT, "cannot write the dataset");
		goto done;
	}
	aud_progress_report(&opts->progress, "generate", AUD_PROGRESS_ROWS, opts->rows,
	    opts->rows);
done:
	free(buf);
	aud_rng_free(r);
	aud_rng_free(rs);
	aud_rng_free(re);
	aud_rng_free(rw);
	return rc;
}

/* ---- PMML ---- */

int
aud_synth_write_pmml(FILE *f, const struct aud_synth_options *opts,
    struct aud_error *err)
{
	struct credit_model m;
	int rc;

	assert(f != NULL);
	rc = aud_synth_validate(opts, err);
	if (rc < 0)
		return rc;
	if (strcmp(opts->scenario, "sentiment") == 0)
		return AUD_ERROR(err, AUD_EINVAL, "--model-out: the sentiment scenario has no "
		    "planted model to write (its models' predictions are columns)");
	credit_model_init(&m, opts);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n"
	    "  <Header description=\"rai-audit planted credit model (scenario credit, "
	    "label_bias %g, proxy_strength %g): the true log-odds of repayment plus "
	    "region coefficients -label_bias * P(group = C | region)\">\n"
	    "    <Application name=\"audit-synth\" version=\"%s\"/>\n"
	    "  </Header>\n", opts->label_bias, opts->proxy_strength, AUD_VERSION);

	fprintf(f, "  <DataDictionary numberOfFields=\"%d\">\n", NFEATURES + 2);
	for (int j = 0; j < NFEATURES; j++)
		fprintf(f, "    <DataField name=\"%s\" optype=\"continuous\" dataType=\"%s\"/>\n",
		    feature_names[j], feature_decimals[j] == 0 ? "integer" : "double");
	fprintf(f, "    <DataField name=\"region\" optype=\"categorical\" dataType=\"string\">\n");
	for (int r = 0; r < NREGIONS; r++)
		fprintf(f, "      <Value value=\"%s\"/>\n", region_names[r]);
	fprintf(f, "    </DataField>\n"
	    "    <DataField name=\"label\" optype=\"categorical\" dataType=\"integer\">\n"
	    "      <Value value=\"0\"/>\n"
	    "      <Value value=\"1\"/>\n"
	    "    </DataField>\n"
	    "  </DataDictionary>\n");

	fprintf(f, "  <RegressionModel modelName=\"planted-credit\" functionName=\"classification\" "
	    "normalizationMethod=\"logit\">\n"
	    "    <MiningSchema>\n");
	for (int j = 0; j < NFEATURES; j++)
		fprintf(f, "      <MiningField name=\"%s\"/>\n", feature_names[j]);
	fprintf(f, "      <MiningField name=\"region\"/>\n"
	    "      <MiningField name=\"label\" usageType=\"target\"/>\n"
	    "    </MiningSchema>\n"
	    "    <Output>\n"
	    "      <OutputField name=\"probability(0)\" optype=\"continuous\" dataType=\"double\" "
	    "feature=\"probability\" value=\"0\"/>\n"
	    "      <OutputField name=\"probability(1)\" optype=\"continuous\" dataType=\"double\" "
	    "feature=\"probability\" value=\"1\"/>\n"
	    "    </Output>\n");

	fprintf(f, "    <RegressionTable targetCategory=\"1\" intercept=\"%.17g\">\n", true_intercept);
	for (int j = 0; j < NFEATURES; j++)
		fprintf(f, "      <NumericPredictor name=\"%s\" exponent=\"1\" coefficient=\"%.17g\"/>\n",
		    feature_names[j], true_coef[j]);
	for (int r = 0; r < NREGIONS; r++)
		fprintf(f, "      <CategoricalPredictor name=\"region\" value=\"%s\" coefficient=\"%.17g\"/>\n",
		    region_names[r], m.delta[r]);
	fprintf(f, "    </RegressionTable>\n"
	    "    <RegressionTable targetCategory=\"0\" intercept=\"0\"/>\n"
	    "  </RegressionModel>\n"
	    "</PMML>\n");

	if (ferror(f))
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, errno, "cannot write the model: %s",
		    strerror(errno ? errno : EIO));
	return 0;
}
