/*
 * test_synth.c — the planted-bias generator against the process that
 * datasets/README.md documents. The constants below are typed in from the
 * data card, not taken from libaudit/synth.c, so a change to either shows.
 * Statistical checks use 20,000 to 100,000 rows and a tolerance of 4.5 binomial
 * standard errors (a false failure has probability below 1e-5 per check).
 */
#include "runner.h"

#include <audit/csv.h>
#include <audit/synth.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the data card's constants ---- */

static const char *const card_columns[] = {
	"id", "age", "income", "debt_ratio", "credit_years", "employment_years",
	"loan_amount", "num_accounts", "late_payments", "region", "sex", "group",
	"label", "score", "pred",
};
enum { NCOLS = 15, NFEAT = 8 };
static const int card_decimals[NFEAT] = { 0, 1, 3, 1, 1, 1, 0, 0 };
static const double card_intercept = 0.3;
static const double card_coef[NFEAT] = { 0.01, 0.03, -3.0, 0.05, 0.04, -0.04, 0.05, -0.6 };
static const char *const card_groups[3] = { "A", "B", "C" };
static const double card_group_p[3] = { 0.70, 0.22, 0.08 };
static const char *const card_regions[4] = { "north", "south", "east", "west" };
static const double card_home[3][4] = {
	{ 0.5, 0, 0.5, 0 }, { 0, 1, 0, 0 }, { 0, 0, 0, 1 },
};
static const double card_female_p = 0.48;

#define Z_TOL 4.5

/* ---- helpers ---- */

static char *
gen(const struct aud_synth_options *o, int pmml, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct aud_error err = AUD_ERROR_INIT;
	int rc;

	if (f == NULL)
		return NULL;
	rc = pmml ? aud_synth_write_pmml(f, o, &err) : aud_synth_write_csv(f, o, &err);
	fclose(f);
	if (rc != 0) {
		aud_test_fail(__FILE__, __LINE__, "generator failed: %s", err.msg);
		free(buf);
		return NULL;
	}
	return buf;
}

static int
index_of(const char *const *names, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	return -1;
}

/* One parsed row. */
struct prow {
	double x[NFEAT];
	int region, sex, group, label, pred;
	double score;
	char scoretext[40];
};

/* Iterate over the CSV text; calls fn for each row. Returns the number of rows or -1. */
static long
each_row(const char *text, size_t len, void (*fn)(const struct prow *, void *), void *payload)
{
	struct aud_csv *c = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	struct prow r;
	long n = 0;
	int rc;

	if (aud_csv_open_mem(&c, "synth", text, len, NULL, &err) != 0) {
		aud_test_fail(__FILE__, __LINE__, "csv: %s", err.msg);
		return -1;
	}
	while ((rc = aud_csv_next(c, &err)) == 1) {
		size_t fl;
		const char *s;

		for (int j = 0; j < NFEAT; j++)
			if (aud_csv_number(&r.x[j], c, (size_t)j + 1, &err) != 1)
				goto bad;
		s = aud_csv_field(c, 9, &fl);
		r.region = index_of(card_regions, 4, s, fl);
		s = aud_csv_field(c, 10, &fl);
		r.sex = fl == 6 && memcmp(s, "female", 6) == 0 ? 0 : fl == 4 && memcmp(s, "male", 4) == 0 ? 1 : -1;
		s = aud_csv_field(c, 11, &fl);
		r.group = index_of(card_groups, 3, s, fl);
		s = aud_csv_field(c, 12, &fl);
		r.label = fl == 1 && (s[0] == '0' || s[0] == '1') ? s[0] - '0' : -1;
		s = aud_csv_field(c, 14, &fl);
		r.pred = fl == 1 && (s[0] == '0' || s[0] == '1') ? s[0] - '0' : -1;
		s = aud_csv_field(c, 13, &fl);
		if (fl >= sizeof(r.scoretext))
			goto bad;
		memcpy(r.scoretext, s, fl);
		r.scoretext[fl] = '\0';
		if (aud_csv_number(&r.score, c, 13, &err) != 1)
			goto bad;
		n++;
		fn(&r, payload);
	}
	aud_csv_free(c);
	return rc == 0 ? n : -1;
bad:
	aud_test_fail(__FILE__, __LINE__, "row %ld: %s", n + 1, err.msg);
	aud_csv_free(c);
	return -1;
}

static double
sigmoid(double y)
{
	return 1.0 / (1.0 + exp(-y));
}

/* P(region r | group g) and P(group C | region r) as the data card states them. */
static double
card_region_p(int g, int r, double p)
{
	return (1.0 - p) * 0.25 + p * card_home[g][r];
}

static double
card_pi_c(int r, double p)
{
	double joint = 0;

	for (int g = 0; g < 3; g++)
		joint += card_group_p[g] * card_region_p(g, r, p);
	return card_group_p[2] * card_region_p(2, r, p) / joint;
}

static void
check_count(const char *what, double got, double want, double var)
{
	double z = (got - want) / sqrt(var);

	if (!(fabs(z) <= Z_TOL))
		aud_test_fail(__FILE__, __LINE__, "%s: %g, expected %g (z = %.2f)", what, got, want, z);
}

/* ---- determinism ---- */

void test_synth__same_seed_same_bytes(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	size_t n1, n2, n3;
	char *a, *b, *c;

	o.rows = 3000;
	o.seed = 7;
	a = gen(&o, 0, &n1);
	b = gen(&o, 0, &n2);
	o.seed = 8;
	c = gen(&o, 0, &n3);
	CHECK(a != NULL && b != NULL && c != NULL);
	if (a && b && c) {
		CHECK(n1 == n2 && memcmp(a, b, n1) == 0);
		CHECK(n1 != n3 || memcmp(a, c, n1) != 0);
		/* the header is shared, the first data row already differs */
		CHECK(strncmp(strchr(a, '\n'), strchr(c, '\n'), 40) != 0);
	}
	free(a);
	free(b);
	free(c);
}

/* The first n rows of a longer run are a run of n rows, across block boundaries. */
void test_synth__prefix_across_blocks(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	size_t nshort, nlong;
	char *s, *l;

	o.rows = AUD_SYNTH_BLOCK_ROWS + 10;
	s = gen(&o, 0, &nshort);
	o.rows = 2 * AUD_SYNTH_BLOCK_ROWS + 3;
	l = gen(&o, 0, &nlong);
	CHECK(s != NULL && l != NULL);
	if (s && l) {
		CHECK(nlong > nshort);
		CHECK(memcmp(s, l, nshort) == 0);
	}
	free(s);
	free(l);
}

/* Length of the first n fields of the line at p (no quoted fields in this CSV). */
static size_t
fields_len(const char *p, int n)
{
	const char *q = p;

	while (*q && *q != '\n' && n > 0)
		n -= *q++ == ',';
	return (size_t)(q - p);
}

/* Same seed, different label bias: the features, region, sex and group are the same draws. */
void test_synth__features_do_not_depend_on_bias(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	size_t n1, n2;
	char *a, *b;
	const char *pa, *pb;
	int rows = 0, same = 0;

	o.rows = 500;
	o.label_bias = 0.0;
	a = gen(&o, 0, &n1);
	o.label_bias = 3.0;
	b = gen(&o, 0, &n2);
	CHECK(a != NULL && b != NULL);
	if (a && b) {
		for (pa = a, pb = b; pa && pb && *pa && *pb; rows++) {
			size_t la = fields_len(pa, 12), lb = fields_len(pb, 12);

			same += la == lb && memcmp(pa, pb, la) == 0;
			pa = strchr(pa, '\n');
			pb = strchr(pb, '\n');
			pa = pa ? pa + 1 : NULL;
			pb = pb ? pb + 1 : NULL;
		}
		CHECK_INT_EQ(rows, 501);
		CHECK_INT_EQ(same, 501);
		/* while the labels (and scores) differ */
		CHECK(n1 != n2 || memcmp(a, b, n1) != 0);
	}
	free(a);
	free(b);
}

/* ---- columns and types ---- */

struct typecheck { long rows; long bad; };

static void
typecheck_row(const struct prow *r, void *payload)
{
	struct typecheck *t = payload;
	int ok = 1;

	ok &= r->x[0] >= 21 && r->x[0] <= 75 && r->x[0] == floor(r->x[0]);
	ok &= r->x[1] >= 5.0;
	ok &= r->x[2] >= 0 && r->x[2] <= 1;
	ok &= r->x[3] >= 0 && r->x[3] <= r->x[0] - 18 + 0.05;
	ok &= r->x[4] >= 0 && r->x[4] <= r->x[0] - 18 + 0.05;
	ok &= r->x[5] >= 0.5;
	ok &= r->x[6] >= 0 && r->x[6] == floor(r->x[6]);
	ok &= r->x[7] >= 0 && r->x[7] == floor(r->x[7]);
	ok &= r->region >= 0 && r->sex >= 0 && r->group >= 0;
	ok &= r->label >= 0 && r->pred >= 0;
	ok &= r->score > 0 && r->score < 1;
	t->rows++;
	t->bad += !ok;
}

void test_synth__columns_and_types(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct typecheck t = { 0, 0 };
	size_t n;
	char *text;

	o.rows = 2000;
	o.seed = 3;
	text = gen(&o, 0, &n);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	{
		/* header: exactly the data card's columns, in its order */
		char want[512] = "";

		for (int i = 0; i < NCOLS; i++) {
			strcat(want, card_columns[i]);
			strcat(want, i + 1 < NCOLS ? "," : "\n");
		}
		CHECK(strncmp(text, want, strlen(want)) == 0);
	}
	{
		/* every line: id = line number, 15 fields, numbers with the documented decimals */
		const char *p = strchr(text, '\n') + 1;
		long line = 0, badfmt = 0;

		while (*p) {
			const char *end = strchr(p, '\n');
			const char *f = p;
			int col = 0;

			line++;
			CHECK(end != NULL);
			if (!end)
				break;
			if (strtol(p, NULL, 10) != line)
				badfmt++;
			while (f < end) {
				const char *fe = memchr(f, ',', (size_t)(end - f));
				const char *dot;

				if (fe == NULL)
					fe = end;
				if (col >= 1 && col <= NFEAT) {
					int dec = card_decimals[col - 1];

					dot = memchr(f, '.', (size_t)(fe - f));
					if (dec == 0 ? dot != NULL : (dot == NULL || fe - dot - 1 != dec))
						badfmt++;
				}
				col++;
				f = fe + 1;
			}
			if (col != NCOLS)
				badfmt++;
			p = end + 1;
		}
		CHECK_INT_EQ(line, 2000);
		CHECK_INT_EQ(badfmt, 0);
	}
	CHECK_INT_EQ(each_row(text, n, typecheck_row, &t), 2000);
	CHECK_INT_EQ(t.bad, 0);
	free(text);
}

void test_synth__zero_rows_is_header_only(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	size_t n;
	char *text;

	o.rows = 0;
	text = gen(&o, 0, &n);
	CHECK(text != NULL);
	if (text) {
		CHECK_STR_EQ(text, "id,age,income,debt_ratio,credit_years,employment_years,"
		    "loan_amount,num_accounts,late_payments,region,sex,group,label,score,pred\n");
	}
	free(text);
}

/* ---- proportions ---- */

struct counts {
	double n, female;
	double group[3];
	double region[3][4];
	/* label bias: per group, observed labels, expected, variance */
	double bias;
	double obs[3], expect[3], var[3], expect_nobias[3];
};

static void
count_row(const struct prow *r, void *payload)
{
	struct counts *c = payload;
	double eta = card_intercept, p, p0;

	c->n++;
	c->female += r->sex == 0;
	if (r->group < 0 || r->region < 0)
		return;
	c->group[r->group]++;
	c->region[r->group][r->region]++;
	for (int j = 0; j < NFEAT; j++)
		eta += card_coef[j] * r->x[j];
	p0 = sigmoid(eta);
	p = r->group == 2 ? sigmoid(eta - c->bias) : p0;
	c->obs[r->group] += r->label;
	c->expect[r->group] += p;
	c->var[r->group] += p * (1 - p);
	c->expect_nobias[r->group] += p0;
}

static int
count_rows(struct counts *c, const struct aud_synth_options *o)
{
	size_t n;
	char *text = gen(o, 0, &n);
	long rows;

	memset(c, 0, sizeof(*c));
	c->bias = o->label_bias;
	if (text == NULL)
		return -1;
	rows = each_row(text, n, count_row, c);
	free(text);
	return rows == (long)o->rows ? 0 : -1;
}

void test_synth__group_and_sex_proportions(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct counts c;

	o.rows = 100000;
	o.seed = 11;
	CHECK(count_rows(&c, &o) == 0);
	check_count("female", c.female, c.n * card_female_p, c.n * card_female_p * (1 - card_female_p));
	for (int g = 0; g < 3; g++) {
		double p = card_group_p[g];

		check_count(card_groups[g], c.group[g], c.n * p, c.n * p * (1 - p));
		/* region given group: the mixture of uniform and the group's home */
		for (int r = 0; r < 4; r++) {
			double q = card_region_p(g, r, o.proxy_strength);

			if (q == 0.0)
				CHECK(c.region[g][r] == 0);
			else
				check_count(card_regions[r], c.region[g][r], c.group[g] * q,
				    c.group[g] * q * (1 - q) + 1e-300);
		}
	}
	/* the minority is small: under 10% of rows */
	CHECK(c.group[2] < 0.1 * c.n);
}

/*
 * The recorded label of row i is 1 with probability sigmoid(eta_i - B [group C]),
 * eta_i from the documented coefficients and the printed features. Checked per
 * group for three biases; for B > 0 the unbiased expectation must be far off
 * (the check has the power to see the bias).
 */
void test_synth__label_bias_as_documented(void)
{
	static const double biases[] = { 0.0, 1.5, 3.0 };

	for (size_t k = 0; k < sizeof(biases) / sizeof(biases[0]); k++) {
		struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
		struct counts c;

		o.rows = 100000;
		o.seed = 5;
		o.label_bias = biases[k];
		CHECK(count_rows(&c, &o) == 0);
		for (int g = 0; g < 3; g++)
			check_count(card_groups[g], c.obs[g], c.expect[g], c.var[g]);
		if (biases[k] > 0) {
			double z = (c.obs[2] - c.expect_nobias[2]) / sqrt(c.var[2]);

			CHECK(z < -10);
		} else {
			CHECK(c.expect[2] == c.expect_nobias[2]);
		}
		/* groups A and B carry no bias: their base rates agree */
		{
			double ra = c.obs[0] / c.group[0], rb = c.obs[1] / c.group[1];
			double se = sqrt(ra * (1 - ra) / c.group[0] + rb * (1 - rb) / c.group[1]);

			CHECK(fabs(ra - rb) <= Z_TOL * se);
		}
	}
}

/*
 * Each feature against the distribution the data card states, given the
 * features it depends on: per row the documented conditional mean and
 * variance are summed and compared with the observed sum (4.5 standard
 * errors); the log-normal and logistic-normal ones by the mean and standard
 * deviation of their normal part.
 */
struct moments {
	double n;
	double obs[8], expect[8], var[8];    /* per check: sums */
	double z1[3], z2[3];                 /* normal parts: sum, sum of squares */
	double age2;                         /* sum of (age - 40)^2 */
	double cross[2];                     /* zloan * zinc, zinc * (age - 40) */
};

enum { M_AGE, M_CREDIT, M_EMPLOY, M_ACCOUNTS, M_LATE };

static double
phi_cdf(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

static void
moments_row(const struct prow *r, void *payload)
{
	struct moments *m = payload;
	double age = r->x[0], c = age - 18, mu = 6.0, e;
	double zinc = log(r->x[1]) - log(42.0) - 0.012 * (age - 40);
	double zdebt = log(r->x[2] / (1 - r->x[2])) + 1.0;
	double zloan = log(r->x[5]) - log(12.0) - 0.4 * log(r->x[1] / 42.0);

	m->n++;
	m->obs[M_AGE] += age;
	/* credit_years = (age - 18) * triangular(0, 1): mean c/2, variance c^2/24 */
	m->obs[M_CREDIT] += r->x[3];
	m->expect[M_CREDIT] += c / 2;
	m->var[M_CREDIT] += c * c / 24 + 0.01 / 12;   /* + rounding to 0.1 */
	/* employment_years = min(c, Exp(mean 6)) */
	e = mu * (1 - exp(-c / mu));
	m->obs[M_EMPLOY] += r->x[4];
	m->expect[M_EMPLOY] += e;
	m->var[M_EMPLOY] += 2 * mu * mu * (1 - exp(-c / mu) * (1 + c / mu)) - e * e + 0.01 / 12;
	/* num_accounts ~ Poisson(1 + 0.2 credit_years), late_payments ~ Poisson(0.2 + 2 debt_ratio) */
	m->obs[M_ACCOUNTS] += r->x[6];
	m->expect[M_ACCOUNTS] += 1 + 0.2 * r->x[3];
	m->var[M_ACCOUNTS] += 1 + 0.2 * r->x[3];
	m->obs[M_LATE] += r->x[7];
	m->expect[M_LATE] += 0.2 + 2 * r->x[2];
	m->var[M_LATE] += 0.2 + 2 * r->x[2];
	m->z1[0] += zinc;
	m->z2[0] += zinc * zinc;
	m->z1[1] += zdebt;
	m->z2[1] += zdebt * zdebt;
	m->z1[2] += zloan;
	m->z2[2] += zloan * zloan;
	m->age2 += (age - 40) * (age - 40);
	m->cross[0] += zloan * zinc;
	m->cross[1] += zinc * (age - 40);
}

void test_synth__feature_distributions(void)
{
	static const char *const names[] = { "age", "credit_years", "employment_years",
		"num_accounts", "late_payments" };
	static const char *const znames[] = { "log income", "logit debt_ratio", "log loan_amount" };
	static const double zsd[] = { 0.45, 0.7, 0.5 };
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct moments m;
	double mean = 0, sq = 0, c2 = 0, c4 = 0;
	size_t n;
	char *text;

	o.rows = 100000;
	o.seed = 17;
	text = gen(&o, 0, &n);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	memset(&m, 0, sizeof(m));
	CHECK_INT_EQ(each_row(text, n, moments_row, &m), 100000);
	free(text);
	/* age: round(N(40, 11)) clamped to [21, 75]; its exact law by the normal CDF */
	for (int k = 21; k <= 75; k++) {
		double lo = k == 21 ? 0.0 : phi_cdf((k - 0.5 - 40) / 11.0);
		double hi = k == 75 ? 1.0 : phi_cdf((k + 0.5 - 40) / 11.0);

		mean += k * (hi - lo);
		sq += (double)k * k * (hi - lo);
		c2 += pow(k - 40, 2) * (hi - lo);
		c4 += pow(k - 40, 4) * (hi - lo);
	}
	m.expect[M_AGE] = m.n * mean;
	m.var[M_AGE] = m.n * (sq - mean * mean);
	for (int i = 0; i < 5; i++)
		check_count(names[i], m.obs[i], m.expect[i], m.var[i]);
	/* the spread of age: the sum of (a - 40)^2 has mean n E[(a-40)^2], variance n Var((a-40)^2) */
	check_count("age spread", m.age2, m.n * c2, m.n * (c4 - c2 * c2));
	/* the normal parts are independent of each other and of age */
	if (!(fabs(m.cross[0] / m.n) <= Z_TOL * 0.45 * 0.5 / sqrt(m.n)))
		aud_test_fail(__FILE__, __LINE__, "log loan_amount depends on income other than documented");
	if (!(fabs(m.cross[1] / m.n) <= Z_TOL * 0.45 * 11 / sqrt(m.n)))
		aud_test_fail(__FILE__, __LINE__, "log income depends on age other than documented");
	for (int i = 0; i < 3; i++) {
		double zm = m.z1[i] / m.n;
		double sd = sqrt(m.z2[i] / m.n - zm * zm);

		/* mean 0 within 4.5 SE; sd within 4.5 SE of a normal's sample sd (1/sqrt(2n)) */
		if (!(fabs(zm) <= Z_TOL * zsd[i] / sqrt(m.n)))
			aud_test_fail(__FILE__, __LINE__, "%s: mean %g, want 0", znames[i], zm);
		if (!(fabs(sd / zsd[i] - 1) <= Z_TOL / sqrt(2 * m.n) + 0.002))
			aud_test_fail(__FILE__, __LINE__, "%s: sd %g, want %g", znames[i], sd, zsd[i]);
	}
}

/*
 * A logistic regression of label on the eight features and group dummies,
 * fitted by Newton's method, recovers the documented coefficients and -B for
 * group C (the model is well specified): what the data card tells students.
 * Each estimate within 4.5 standard errors from the inverse Fisher information.
 */
enum { NP = 1 + NFEAT + 2 };   /* intercept, features, [group B], [group C] */

struct fit {
	double beta[NP];
	double h[NP][NP], g[NP];
};

static void
fit_row(const struct prow *r, void *payload)
{
	struct fit *f = payload;
	double x[NP], eta = 0, p, w;

	x[0] = 1;
	for (int j = 0; j < NFEAT; j++)
		x[1 + j] = r->x[j];
	x[NP - 2] = r->group == 1;
	x[NP - 1] = r->group == 2;
	for (int i = 0; i < NP; i++)
		eta += f->beta[i] * x[i];
	p = sigmoid(eta);
	w = p * (1 - p);
	for (int i = 0; i < NP; i++) {
		f->g[i] += (r->label - p) * x[i];
		for (int j = 0; j < NP; j++)
			f->h[i][j] += w * x[i] * x[j];
	}
}

/* Solve a x = b in place (Gauss-Jordan with partial pivoting); b becomes x. */
static int
solve(double a[NP][NP], double *b)
{
	for (int c = 0; c < NP; c++) {
		int piv = c;

		for (int i = c + 1; i < NP; i++)
			if (fabs(a[i][c]) > fabs(a[piv][c]))
				piv = i;
		if (a[piv][c] == 0)
			return -1;
		for (int j = 0; j < NP; j++) {
			double t = a[c][j];

			a[c][j] = a[piv][j];
			a[piv][j] = t;
		}
		{
			double t = b[c];

			b[c] = b[piv];
			b[piv] = t;
		}
		for (int i = 0; i < NP; i++) {
			double m;

			if (i == c)
				continue;
			m = a[i][c] / a[c][c];
			for (int j = c; j < NP; j++)
				a[i][j] -= m * a[c][j];
			b[i] -= m * b[c];
		}
	}
	for (int i = 0; i < NP; i++)
		b[i] /= a[i][i];
	return 0;
}

void test_synth__logistic_fit_recovers_the_planted_coefficients(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	static struct fit f;
	double want[NP], h[NP][NP];
	size_t n;
	char *text;

	o.rows = 50000;
	o.seed = 21;
	text = gen(&o, 0, &n);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	memset(&f, 0, sizeof(f));
	for (int it = 0; it < 8; it++) {
		double step[NP];

		memset(f.h, 0, sizeof(f.h));
		memset(f.g, 0, sizeof(f.g));
		CHECK_INT_EQ(each_row(text, n, fit_row, &f), 50000);
		memcpy(step, f.g, sizeof(step));
		memcpy(h, f.h, sizeof(h));
		CHECK(solve(h, step) == 0);
		for (int i = 0; i < NP; i++)
			f.beta[i] += step[i];
	}
	free(text);
	want[0] = card_intercept;
	for (int j = 0; j < NFEAT; j++)
		want[1 + j] = card_coef[j];
	want[NP - 2] = 0.0;
	want[NP - 1] = -o.label_bias;
	/* standard errors: the diagonal of the inverse information, at the estimate */
	memset(f.h, 0, sizeof(f.h));
	memset(f.g, 0, sizeof(f.g));
	text = gen(&o, 0, &n);
	if (text == NULL)
		return;
	each_row(text, n, fit_row, &f);
	free(text);
	for (int i = 0; i < NP; i++) {
		double e[NP] = { 0 }, se;

		memcpy(h, f.h, sizeof(h));
		e[i] = 1;
		CHECK(solve(h, e) == 0);
		se = sqrt(e[i]);
		if (!(fabs(f.beta[i] - want[i]) <= Z_TOL * se))
			aud_test_fail(__FILE__, __LINE__, "coefficient %d: %g, want %g (se %g)",
			    i, f.beta[i], want[i], se);
	}
	/* and the fit has the power to tell B from 0 */
	CHECK(f.beta[NP - 1] < -1.0);
}

/* ---- the proxy ---- */

static double
cramers_v(double t[3][4])
{
	double n = 0, row[3] = { 0 }, col[4] = { 0 }, chi2 = 0;

	for (int g = 0; g < 3; g++)
		for (int r = 0; r < 4; r++) {
			row[g] += t[g][r];
			col[r] += t[g][r];
			n += t[g][r];
		}
	for (int g = 0; g < 3; g++)
		for (int r = 0; r < 4; r++) {
			double e = row[g] * col[r] / n;

			chi2 += (t[g][r] - e) * (t[g][r] - e) / e;
		}
	return sqrt(chi2 / (n * 2));
}

void test_synth__proxy_association_grows_with_strength(void)
{
	static const double ps[] = { 0.0, 0.25, 0.5, 0.75, 1.0 };
	double prev = -1;

	for (size_t k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
		struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
		struct counts c;
		double v;

		o.rows = 20000;
		o.seed = 9;
		o.proxy_strength = ps[k];
		CHECK(count_rows(&c, &o) == 0);
		v = cramers_v(c.region);
		CHECK(v > prev);
		if (ps[k] == 0.0)
			CHECK(v < 0.05);   /* independence: E[V] is about sqrt(6 / 40000) = 0.012 */
		if (ps[k] == 1.0)
			CHECK_REL(v, 1.0, 1e-12);   /* each region holds one group only */
		prev = v;
	}
}

/* ---- the planted model ---- */

struct pmml_model {
	double intercept;
	char num_name[NFEAT][32];
	double num_coef[NFEAT];
	int nnum;
	double region_coef[4];
	int nregion;
};

/* The value of attribute `name` in the element starting at p (up to '>'). */
static int
attr(const char *p, const char *name, char *out, size_t outsz)
{
	const char *end = strchr(p, '>');
	char key[64];
	const char *a;
	size_t n;

	snprintf(key, sizeof(key), " %s=\"", name);
	a = strstr(p, key);
	if (a == NULL || end == NULL || a > end)
		return -1;
	a += strlen(key);
	if (strchr(a, '"') == NULL)
		return -1;
	n = (size_t)(strchr(a, '"') - a);
	if (n >= outsz)
		return -1;
	memcpy(out, a, n);
	out[n] = '\0';
	return 0;
}

static int
parse_pmml(struct pmml_model *m, const char *text)
{
	const char *p = strstr(text, "<RegressionTable targetCategory=\"1\"");
	const char *end;
	char buf[64];

	memset(m, 0, sizeof(*m));
	if (p == NULL || attr(p, "intercept", buf, sizeof(buf)) != 0)
		return -1;
	m->intercept = strtod(buf, NULL);
	end = strstr(p, "</RegressionTable>");
	for (const char *q = strstr(p, "<NumericPredictor"); q && q < end;
	    q = strstr(q + 1, "<NumericPredictor")) {
		char expo[16];

		if (m->nnum == NFEAT || attr(q, "name", m->num_name[m->nnum], 32) != 0 ||
		    attr(q, "coefficient", buf, sizeof(buf)) != 0 ||
		    attr(q, "exponent", expo, sizeof(expo)) != 0 || strcmp(expo, "1") != 0)
			return -1;
		m->num_coef[m->nnum++] = strtod(buf, NULL);
	}
	for (const char *q = strstr(p, "<CategoricalPredictor"); q && q < end;
	    q = strstr(q + 1, "<CategoricalPredictor")) {
		char val[32];
		int r;

		if (attr(q, "name", buf, sizeof(buf)) != 0 || strcmp(buf, "region") != 0 ||
		    attr(q, "value", val, sizeof(val)) != 0 ||
		    attr(q, "coefficient", buf, sizeof(buf)) != 0)
			return -1;
		r = index_of(card_regions, 4, val, strlen(val));
		if (r < 0)
			return -1;
		m->region_coef[r] = strtod(buf, NULL);
		m->nregion++;
	}
	return 0;
}

struct scorecheck {
	const struct pmml_model *m;
	int order[NFEAT];     /* PMML predictor k reads CSV feature order[k] */
	long rows, inexact, badpred, badtext;
};

static void
score_row(const struct prow *r, void *payload)
{
	struct scorecheck *s = payload;
	double y = 0.0, p;
	char back[40];

	/*
	 * As JPMML's RegressionModelEvaluator sums a RegressionTable: from 0, each
	 * NumericPredictor's coef * x in table order, the matching
	 * CategoricalPredictor's coef, the intercept last.
	 */
	for (int k = 0; k < s->m->nnum; k++)
		y += s->m->num_coef[k] * r->x[s->order[k]];
	y += s->m->region_coef[r->region];
	y += s->m->intercept;
	p = 1.0 / (1.0 + exp(-y));
	s->rows++;
	s->inexact += !(p == r->score);
	s->badpred += r->pred != (r->score >= 0.5);
	/* the printed text parses back to the exact double (checked above) and is no longer than %.17g */
	snprintf(back, sizeof(back), "%.17g", r->score);
	s->badtext += strlen(r->scoretext) > strlen(back);
}

static void
check_planted(double bias, double proxy, uint64_t seed)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct pmml_model m;
	struct scorecheck s;
	size_t n, np;
	char *csv, *pmml;

	o.rows = 5000;
	o.seed = seed;
	o.label_bias = bias;
	o.proxy_strength = proxy;
	csv = gen(&o, 0, &n);
	pmml = gen(&o, 1, &np);
	CHECK(csv != NULL && pmml != NULL);
	if (!csv || !pmml)
		goto done;
	CHECK(parse_pmml(&m, pmml) == 0);
	CHECK_INT_EQ(m.nnum, NFEAT);
	CHECK_INT_EQ(m.nregion, 4);
	/* the model reads neither protected attribute */
	CHECK(strstr(pmml, "\"sex\"") == NULL);
	CHECK(strstr(pmml, "\"group\"") == NULL);
	CHECK(strstr(pmml, "version=\"4.4\"") != NULL);
	CHECK(strstr(pmml, "normalizationMethod=\"logit\"") != NULL);
	CHECK(strstr(pmml, "feature=\"probability\" value=\"1\"") != NULL);
	/* its coefficients: the documented true ones, and -B * P(C | region) */
	CHECK_DBL_EQ(m.intercept, card_intercept);
	memset(&s, 0, sizeof(s));
	s.m = &m;
	for (int k = 0; k < m.nnum; k++) {
		s.order[k] = index_of(card_columns + 1, NFEAT, m.num_name[k], strlen(m.num_name[k]));
		CHECK(s.order[k] >= 0);
		if (s.order[k] < 0)
			goto done;
		CHECK_DBL_EQ(m.num_coef[k], card_coef[s.order[k]]);
	}
	for (int r = 0; r < 4; r++)
		CHECK_REL(m.region_coef[r], -bias * card_pi_c(r, proxy), 1e-15);
	CHECK_INT_EQ(each_row(csv, n, score_row, &s), 5000);
	CHECK_INT_EQ(s.inexact, 0);
	CHECK_INT_EQ(s.badpred, 0);
	CHECK_INT_EQ(s.badtext, 0);
done:
	free(csv);
	free(pmml);
}

void test_synth__score_is_the_pmml_logistic_regression(void)
{
	check_planted(1.5, 0.8, 42);
	check_planted(0.0, 0.0, 1);
	check_planted(0.7, 0.3, 2);
	check_planted(10.0, 1.0, 3);
}

void test_synth__no_negative_zero_in_pmml(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	size_t n;
	char *pmml;

	o.label_bias = 0.0;
	pmml = gen(&o, 1, &n);
	CHECK(pmml != NULL);
	if (pmml) {
		CHECK(strstr(pmml, "\"-0\"") == NULL);
		CHECK(strstr(pmml, "value=\"west\" coefficient=\"0\"") != NULL);
	}
	free(pmml);
}

/* The west coefficient grows in magnitude with the proxy strength. */
void test_synth__planted_proxy_coefficient_grows(void)
{
	double prev = 1;

	for (double p = 0.0; p <= 1.0; p += 0.25) {
		struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
		struct pmml_model m;
		size_t n;
		char *pmml;

		o.proxy_strength = p;
		pmml = gen(&o, 1, &n);
		CHECK(pmml != NULL && parse_pmml(&m, pmml) == 0);
		if (pmml) {
			CHECK(m.region_coef[3] < prev);
			prev = m.region_coef[3];
		}
		free(pmml);
	}
	CHECK_REL(prev, -1.5, 1e-15);   /* P = 1: west holds only group C */
}

/* ---- errors ---- */

void test_synth__invalid_options(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_synth_validate(&o, &err), 0);
	o.scenario = "hiring";
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "unknown scenario 'hiring' (known: credit, sentiment)");
	CHECK_INT_EQ(aud_synth_write_csv(stdout, &o, &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_synth_write_pmml(stdout, &o, &err), AUD_EINVAL);
	o.scenario = "credit";
	o.label_bias = -0.5;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "label bias '-0.5' out of range [0, 10]");
	o.label_bias = NAN;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	o.label_bias = 1;
	o.proxy_strength = 1.5;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "proxy strength '1.5' out of range [0, 1]");
	o.proxy_strength = 1;
	o.rows = (uint64_t)AUD_SYNTH_MAX_ROWS + 1;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "rows '1000000000001' out of range [0, 1000000000000]");
}

void test_synth__write_errors(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	FILE *f = fopen("/dev/null", "r");   /* not open for writing */

	CHECK(f != NULL);
	if (f == NULL)
		return;
	o.rows = 100;
	CHECK_INT_EQ(aud_synth_write_csv(f, &o, &err), AUD_EOUTPUT);
	CHECK(strncmp(err.msg, "cannot write the dataset", 24) == 0);
	clearerr(f);
	CHECK_INT_EQ(aud_synth_write_pmml(f, &o, &err), AUD_EOUTPUT);
	CHECK(strncmp(err.msg, "cannot write the model", 22) == 0);
	fclose(f);
}

/* ---- progress ---- */

struct progress_log { int calls; uint64_t last; int monotone; int labelled; uint64_t total; };

static void
on_progress(const char *label, enum aud_progress_unit unit, uint64_t done, uint64_t total,
    void *payload)
{
	struct progress_log *l = payload;

	l->calls++;
	if (strcmp(label, "generate") != 0 || unit != AUD_PROGRESS_ROWS)
		l->labelled = 0;
	l->total = total;
	if (done < l->last)
		l->monotone = 0;
	l->last = done;
}

void test_synth__progress_callback(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct progress_log l = { 0, 0, 1, 1, 0 };
	FILE *f = fopen("/dev/null", "w");

	CHECK(f != NULL);
	if (f == NULL)
		return;
	o.rows = 2 * AUD_SYNTH_BLOCK_ROWS + 1;
	o.progress.fn = on_progress;
	o.progress.payload = &l;
	CHECK_INT_EQ(aud_synth_write_csv(f, &o, NULL), 0);
	CHECK_INT_EQ(l.calls, 3);   /* after each full block, then at the end */
	CHECK(l.last == o.rows);
	CHECK(l.monotone);
	CHECK(l.labelled);          /* one stable label, in rows */
	CHECK(l.total == o.rows);
	fclose(f);
}

void test_synth__shift_parse(void)
{
	struct aud_synth_shift s;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_synth_shift_parse(&s, "income=-0.25", &err), 0);
	CHECK_STR_EQ(s.column, "income");
	CHECK_DBL_EQ(s.amount, -0.25);
	CHECK_INT_EQ(aud_synth_shift_parse(&s, "group=1", &err), 0);
	CHECK_INT_EQ(aud_synth_shift_parse(&s, "group=1.01", &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "group") != NULL);
	CHECK_INT_EQ(aud_synth_shift_parse(&s, "label=-10", &err), 0);
	CHECK_INT_EQ(aud_synth_shift_parse(&s, "label=10.5", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_synth_shift_parse(&s, "pred=1", &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "'pred'") != NULL);
	CHECK_INT_EQ(aud_synth_shift_parse(&s, "=1", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_synth_shift_parse(&s, "age=", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_synth_shift_parse(&s, "age=nan", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_synth_shift_parse(&s,
	    "a_column_name_longer_than_the_buffer_holds=1", &err), AUD_EINVAL);
}

/* A numeric shift moves each value by round(X * sd, decimals): income 0.5 * 23.2 = 11.6. */
void test_synth__shift_rows(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct aud_synth_shift sh[1];
	struct aud_error err = AUD_ERROR_INIT;
	size_t n0, n1;
	char *a, *b, *pa, *pb;
	int lines = 0;

	o.rows = 50;
	a = gen(&o, 0, &n0);
	CHECK_INT_EQ(aud_synth_shift_parse(&sh[0], "income=0.5", &err), 0);
	o.shifts = sh;
	o.nshifts = 1;
	b = gen(&o, 0, &n1);
	if (a == NULL || b == NULL)
		goto done;
	pa = strchr(a, '\n') + 1;
	pb = strchr(b, '\n') + 1;
	while (*pa != '\0' && *pb != '\0') {
		/* id, age, income */
		char *ea = strchr(strchr(pa, ',') + 1, ','), *eb = strchr(strchr(pb, ',') + 1, ',');

		CHECK_REL(strtod(eb + 1, NULL) - strtod(ea + 1, NULL), 11.6, 1e-9);
		pa = strchr(pa, '\n') + 1;
		pb = strchr(pb, '\n') + 1;
		lines++;
	}
	CHECK_INT_EQ(lines, 50);
	o.months = 2;
	o.shift_from = 3;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	o.shift_from = 2;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), 0);
	o.nshifts = 0;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "--shift-from needs --shift") != NULL);
done:
	free(a);
	free(b);
}

/* --weak-slice: the conditions and the rate, and each malformed form. */
void
test_synth__weak_slice_parse(void)
{
	struct aud_synth_weak w;
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	static const char *const bad[] = {
		"age<30", ":0.3", "age<30:", "x=1:0.3", "region<3:0.3", "region=up:0.3",
		"age<abc:0.2", "age<30:1.5", "=3:0.1", "age30:0.1", "label=1:0.1", "age<30,:0.1",
		"a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9:0.1",
	};

	CHECK_INT_EQ(aud_synth_weak_parse(&w, "region=west,age<30,income>=12.5:0.35", &err), 0);
	CHECK_INT_EQ(w.nconds, 3);
	CHECK_DBL_EQ(w.rate, 0.35);
	CHECK_STR_EQ(w.cond[0].column, "region");
	CHECK_STR_EQ(w.cond[0].op, "=");
	CHECK_STR_EQ(w.cond[0].text, "west");
	CHECK_STR_EQ(w.cond[1].column, "age");
	CHECK_STR_EQ(w.cond[1].op, "<");
	CHECK_DBL_EQ(w.cond[1].value, 30.0);
	CHECK_STR_EQ(w.cond[2].op, ">=");
	CHECK_DBL_EQ(w.cond[2].value, 12.5);
	CHECK_INT_EQ(aud_synth_weak_parse(&w, "num_accounts<=2,debt_ratio>0.5:1", &err), 0);
	CHECK_STR_EQ(w.cond[0].op, "<=");
	CHECK_STR_EQ(w.cond[1].op, ">");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = aud_synth_weak_parse(&w, bad[i], &err);

		if (rc != AUD_EINVAL)
			aud_test_fail(__FILE__, __LINE__, "'%s': rc %d, want AUD_EINVAL", bad[i], rc);
	}
	o.error_rate = 1.5;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	o.error_rate = 0.0;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), 0);
}

/* The sentiment scenario: its header, the words column against the text's
 * words counted here, the hashtags column against the text's '#', the same
 * bytes for the same seed with a shorter run a prefix of a longer one (across
 * a block), and the options it refuses. */
void
test_synth__sentiment(void)
{
	struct aud_synth_options o = AUD_SYNTH_OPTIONS_INIT;
	struct aud_synth_shift sh = { "income", 1.0 };
	struct aud_error err = AUD_ERROR_INIT;
	char *a, *b, *line, *save = NULL;
	size_t la = 0, lb = 0, rows = 0, bad = 0;

	o.scenario = "sentiment";
	o.rows = AUD_SYNTH_BLOCK_ROWS + 10;
	o.seed = 3;
	a = gen(&o, 0, &la);
	o.rows = AUD_SYNTH_BLOCK_ROWS + 5;
	b = gen(&o, 0, &lb);
	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return;
	}
	CHECK(lb < la && memcmp(a, b, lb) == 0);
	{
		static const char hdr[] = "id,source,text,words,hashtags,label,model_a,model_b,"
		    "retweets,retweets_pred\n";

		CHECK(strncmp(a, hdr, sizeof(hdr) - 1) == 0);
	}
	for (line = strtok_r(a, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *f[10], *p = line;
		unsigned words = 1, tags = 0;
		int k;

		if (rows++ == 0)
			continue;
		for (k = 0; k < 10 && p != NULL; k++) {
			f[k] = p;
			p = strchr(p, ',');
			if (p != NULL)
				*p++ = '\0';
		}
		if (k != 10 || p != NULL) {
			bad++;
			continue;
		}
		for (const char *c = f[2]; *c != '\0'; c++) {
			words += *c == ' ';
			tags += *c == '#';
		}
		bad += (unsigned)atoi(f[3]) != words || (unsigned)atoi(f[4]) != tags ||
		    strtoull(f[0], NULL, 10) != rows - 1;
	}
	CHECK_INT_EQ((long long)rows, (long long)AUD_SYNTH_BLOCK_ROWS + 11);
	CHECK_INT_EQ((long long)bad, 0);
	free(a);
	free(b);

	o.rows = 10;
	CHECK_INT_EQ(aud_synth_write_pmml(stdout, &o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--model-out: the sentiment scenario has no planted model to write "
	    "(its models' predictions are columns)");
	o.shifts = &sh;
	o.nshifts = 1;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--shift: the sentiment scenario has no drift exercises (credit has)");
	o.nshifts = 0;
	o.months = 2;
	CHECK_INT_EQ(aud_synth_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--months: the sentiment scenario has no drift exercises (credit has)");
}
