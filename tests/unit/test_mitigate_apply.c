/* test_mitigate_apply.c — audit-mitigate's rows: policies, draws, apply, reweigh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/csv.h>
#include <audit/mitigate_job.h>
#include <audit/rng.h>

#include "mitigate_rows.h"
#include "runner.h"

/* Write `text` to a new temporary file; its path in path[] (unlink it after). */
static int
write_temp(char path[32], const char *text)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/mitpolXXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int
read_policy(struct aud_mit_policy **p, const char *text, struct aud_error *err)
{
	char path[32];
	int rc;

	if (write_temp(path, text) < 0)
		return -1;
	rc = aud_mit_policy_read(p, path, err);
	unlink(path);
	return rc;
}

#define RULE_A "{ \"p0\": 1, \"threshold0\": 0.3, \"p1\": 0, \"threshold1\": \"inf\", " \
	"\"p_ignore\": 0, \"prediction_constant\": 0 }"
#define RULE_B "{ \"p0\": 0.5, \"threshold0\": 0.6, \"p1\": 0.5, \"threshold1\": \"-inf\", " \
	"\"p_ignore\": 0.2, \"prediction_constant\": 0.25 }"
#define POLICY(groups) "{ \"schema\": \"audit.mitigate/1\", \"results\": { \"method\": " \
	"\"thresholds\", \"score\": \"s\", \"protected\": \"g,h\", \"groups\": [" groups "] } }"

void
test_mitigate_apply__policy_reads_rules_and_infinities(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_policy *p = NULL;
	const struct aud_mit_rule *r;

	CHECK_INT_EQ(read_policy(&p, POLICY("{ \"group\": \"a & x\", \"rule\": " RULE_A " }, "
	    "{ \"group\": \"b & y\", \"rule\": " RULE_B " }"), &err), 0);
	if (p == NULL)
		return;
	CHECK_INT_EQ(aud_mit_policy_nprotected(p), 2);
	CHECK_STR_EQ(aud_mit_policy_protected(p, 0), "g");
	CHECK_STR_EQ(aud_mit_policy_protected(p, 1), "h");
	CHECK_STR_EQ(aud_mit_policy_score(p), "s");
	r = aud_mit_policy_rule(p, "a & x", 5);
	CHECK(r != NULL && r->threshold1 == INFINITY && r->p0 == 1.0 && r->threshold0 == 0.3);
	r = aud_mit_policy_rule(p, "b & y", 5);
	CHECK(r != NULL && r->threshold1 == -INFINITY && r->p_ignore == 0.2);
	CHECK(aud_mit_policy_rule(p, "c", 1) == NULL);
	CHECK(aud_mit_policy_rule(p, "a & xx", 6) == NULL);
	/* b at score 0.5: 0.2 * 0.25 + 0.8 * (0.5 * [0.5 > 0.6] + 0.5 * [0.5 > -inf]) = 0.45 */
	if (r != NULL)
		CHECK_DBL_EQ(aud_mit_rule_prob(r, 0.5), 0.2 * 0.25 + 0.8 * 0.5);
	aud_mit_policy_free(p);
}

void
test_mitigate_apply__policy_refusals(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_policy *p = NULL;

	CHECK_INT_EQ(read_policy(&p, "{ \"schema\": \"audit.fairness/1\" }", &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "not a policy: schema 'audit.fairness/1'") != NULL);
	CHECK(p == NULL);
	CHECK_INT_EQ(read_policy(&p, "{ \"schema\": \"audit.mitigate/1\", \"results\": "
	    "{ \"method\": \"reweigh\" } }", &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "method 'reweigh' has no rules to apply") != NULL);
	CHECK_INT_EQ(read_policy(&p, POLICY(""), &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "non-empty 'groups'") != NULL);
	CHECK_INT_EQ(read_policy(&p, POLICY("{ \"group\": \"a\", \"rule\": " RULE_A " }, "
	    "{ \"group\": \"a\", \"rule\": " RULE_A " }"), &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "group 'a' appears twice") != NULL);
	CHECK_INT_EQ(read_policy(&p, POLICY("{ \"group\": \"a\", \"rule\": { \"p0\": 0.5, "
	    "\"threshold0\": 0.1, \"p1\": 0.4, \"threshold1\": 0.2, \"p_ignore\": 0, "
	    "\"prediction_constant\": 0 } }"), &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "bad 'p0 + p1 (not 1)'") != NULL);
	CHECK_INT_EQ(read_policy(&p, POLICY("{ \"group\": \"a\", \"rule\": { \"p0\": 1, "
	    "\"threshold0\": \"+inf\", \"p1\": 0, \"threshold1\": 0.2, \"p_ignore\": 0, "
	    "\"prediction_constant\": 0 } }"), &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "bad 'threshold0'") != NULL);
	CHECK_INT_EQ(aud_mit_policy_read(&p, "/nonexistent/policy.json", &err), AUD_EIO);
	CHECK(p == NULL);
}

void
test_mitigate_apply__draws_are_per_row_and_follow_the_probability(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_rule sure = { 1, -INFINITY, 0, 0, 0, 0 }, never = { 1, INFINITY, 0, 0, 0, 0 };
	struct aud_mit_rule mix = { 0.3, -INFINITY, 0.7, INFINITY, 0, 0 };
	struct aud_rng *rng = NULL, *fresh = NULL;
	double p;
	unsigned long ones = 0, i, n = 20000;
	int d1, d2;

	CHECK_INT_EQ(aud_rng_new(&rng, 1, 0, &err), 0);
	if (rng == NULL)
		return;
	CHECK_INT_EQ(aud_mit_decide(&p, &sure, 0.4, rng, 42, 0), 1);
	CHECK_DBL_EQ(p, 1.0);
	CHECK_INT_EQ(aud_mit_decide(&p, &never, 0.4, rng, 42, 0), 0);
	CHECK_DBL_EQ(p, 0.0);
	/* the decision of row 17 is u < p for the first uniform of stream (42, 17) */
	CHECK_INT_EQ(aud_rng_new(&fresh, 42, 17, &err), 0);
	if (fresh != NULL) {
		double u = aud_rng_uniform(fresh);

		CHECK_INT_EQ(aud_mit_decide(&p, &mix, 0.5, rng, 42, 17), u < 0.3);
	}
	/* whatever was drawn before, the same (seed, row) gives the same decision */
	d1 = aud_mit_decide(&p, &mix, 0.5, rng, 7, 123);
	(void)aud_rng_uniform(rng);
	d2 = aud_mit_decide(&p, &mix, 0.5, rng, 7, 123);
	CHECK_INT_EQ(d1, d2);
	for (i = 0; i < n; i++)
		ones += (unsigned long)aud_mit_decide(&p, &mix, 0.5, rng, 42, i);
	CHECK_DBL_EQ(p, 0.3);
	/* 5 standard deviations of a binomial(20000, 0.3) frequency: 5 sqrt(0.21 / 20000) */
	CHECK(fabs((double)ones / (double)n - 0.3) <= 5.0 * sqrt(0.21 / (double)n));
	aud_rng_free(fresh);
	aud_rng_free(rng);
}

void
test_mitigate_apply__cells_closed_form(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud__mit_cells c;
	static const char *const rows[][2] = { { "a", "1" }, { "a", "1" }, { "a", "1" }, { "a", "0" },
		{ "b", "0" }, { "b", "0" }, { "c", "1" }, { "c", "0" } };
	int32_t g, y;
	size_t i;

	CHECK_INT_EQ(aud__mit_cells_init(&c, &err), 0);
	for (i = 0; i < 8; i++)
		CHECK_INT_EQ(aud__mit_cells_add(&g, &y, &c, rows[i][0], 1, rows[i][1], 1, &err), 0);
	/* codes in order of appearance: groups a b c, labels 1 0 */
	CHECK_DBL_EQ(aud__mit_cells_weight(&c, 0, 0), 4.0 * 4.0 / (8.0 * 3.0));
	CHECK_DBL_EQ(aud__mit_cells_weight(&c, 0, 1), 2.0);
	CHECK_DBL_EQ(aud__mit_cells_weight(&c, 1, 1), 0.5);
	CHECK(isnan(aud__mit_cells_weight(&c, 1, 0)));
	CHECK_DBL_EQ(aud__mit_cells_weight(&c, 2, 0), 1.0);
	CHECK_DBL_EQ(aud__mit_cells_count(&c, 1, 0), 0.0);
	/* growing past the first capacities keeps the counts */
	for (i = 0; i < 40; i++) {
		char name[8];

		snprintf(name, sizeof(name), "g%zu", i);
		CHECK_INT_EQ(aud__mit_cells_add(&g, &y, &c, name, strlen(name), "2", 1, &err), 0);
	}
	CHECK_DBL_EQ(aud__mit_cells_count(&c, 0, 0), 3.0);
	CHECK_DBL_EQ(aud__mit_cells_count(&c, 2, 1), 1.0);
	CHECK_DBL_EQ(aud__mit_cells_count(&c, 42, 2), 1.0);
	aud__mit_cells_free(&c);
}

static char warned[512];

static void
note_warning(const char *msg, void *payload)
{
	(void)payload;
	snprintf(warned, sizeof(warned), "%s", msg);
}

/* Run a writer over an in-memory CSV; the output in *out (caller frees). */
static int
run_rows(char **out, const char *csv_text, const struct aud_mit_policy *p,
    struct aud_error *err)
{
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	struct aud_mit_apply_options ao = AUD_MIT_APPLY_OPTIONS_INIT;
	static const char *const prot[] = { "g" };
	struct aud_csv *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	int rc;

	if (f == NULL)
		return -1;
	rc = aud_csv_open_mem(&csv, "in.csv", csv_text, strlen(csv_text), &co, err);
	if (rc == 0 && p != NULL)
		rc = aud_mit_apply_write(f, csv, p, &ao, NULL, err);
	else if (rc == 0)
		rc = aud_mit_reweigh_write(f, csv, "y", prot, 1, note_warning, NULL, NULL, err);
	fclose(f);
	aud_csv_free(csv);
	return rc;
}

void
test_mitigate_apply__reweigh_rows(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	char *out = NULL;

	warned[0] = '\0';
	CHECK_INT_EQ(run_rows(&out, "g;y;n\na;1;\"p;q\"\na;0;x\nb;0;\nNA;1;z\nb;0;w\n", NULL,
	    &err), 0);
	/* n = 4 counted rows (NA skipped): w(a,1) = 2*1/(4*1) = 0.5, w(a,0) = 2*3/(4*1) = 1.5,
	 * w(b,0) = 2*3/(4*2) = 0.75; (b,1) is empty */
	if (out != NULL)
		CHECK_STR_EQ(out, "g;y;n;weight\na;1;\"p;q\";0.5\na;0;x;1.5\nb;0;;0.75\nNA;1;z;\n"
		    "b;0;w;0.75\n");
	CHECK_STR_EQ(warned, "1 rows with a missing label or protected value get no weight "
	    "(an empty field)");
	free(out);
}

void
test_mitigate_apply__apply_rows_and_errors(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_mit_policy *p = NULL;
	char *out = NULL;

	CHECK_INT_EQ(read_policy(&p, "{ \"schema\": \"audit.mitigate/1\", \"results\": "
	    "{ \"method\": \"thresholds\", \"score\": \"s\", \"protected\": \"g\", \"groups\": ["
	    "{ \"group\": \"a\", \"rule\": " RULE_A " }, { \"group\": \"b\", \"rule\": " RULE_B
	    " }] } }", &err), 0);
	if (p == NULL)
		return;
	/* a: 1 above 0.3; b: 0.05 + 0.8 * (0.5 [s > 0.6] + 0.5) */
	CHECK_INT_EQ(run_rows(&out, "g,s\na,0.9\na,0.1\nb,0.7\nb,0.5\nb,\n", p, &err), 0);
	if (out != NULL) {
		const char *l3 = strstr(out, "\nb,0.7,"), *l4 = strstr(out, "\nb,0.5,");

		CHECK(strncmp(out, "g,s,pred_mitigated,p_mitigated\na,0.9,1,1\na,0.1,0,0\n", 51) == 0);
		CHECK(l3 != NULL && l4 != NULL && strstr(out, "\nb,,,\n") != NULL);
		if (l3 != NULL && l4 != NULL) {
			CHECK(l3[7] == '0' || l3[7] == '1');
			CHECK_REL(strtod(l3 + 9, NULL), 0.85, 1e-15);
			CHECK_REL(strtod(l4 + 9, NULL), 0.45, 1e-15);
		}
	}
	free(out);
	out = NULL;
	CHECK_INT_EQ(run_rows(&out, "g,s\na,0.9\nc,0.1\n", p, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "in.csv:3:1: group 'c' is not in the policy");
	free(out);
	out = NULL;
	CHECK_INT_EQ(run_rows(&out, "g,s\na,0.9\nb,-0.1\n", p, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "in.csv:3:3: score '-0.1' in column 's' is outside [0, 1]");
	free(out);
	out = NULL;
	CHECK_INT_EQ(run_rows(&out, "g,score\na,0.9\n", p, &err), AUD_ENOTFOUND);
	free(out);
	aud_mit_policy_free(p);
}
