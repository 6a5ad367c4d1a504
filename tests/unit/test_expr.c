/* test_expr.c — check expressions and policy files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/expr.h>

#include "runner.h"

void
test_expr__parse(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_expr *e = NULL;

	CHECK_INT_EQ(aud_expr_parse(&e, "demographic_parity_ratio>=0.8", &err), 0);
	CHECK_STR_EQ(aud_expr_path(e), "demographic_parity_ratio");
	CHECK(aud_expr_scope(e) == NULL);
	CHECK_INT_EQ(aud_expr_op(e), AUD_EXPR_GE);
	CHECK_DBL_EQ(aud_expr_threshold(e), 0.8);
	CHECK_STR_EQ(aud_expr_text(e), "demographic_parity_ratio >= 0.8");
	CHECK_INT_EQ(aud_expr_depth(e), 1);
	aud_expr_free(e);
	CHECK_INT_EQ(aud_expr_parse(&e, "  race & sex :  disparity.fpr.ratio <= 1.25 ", &err), 0);
	CHECK_STR_EQ(aud_expr_scope(e), "race & sex");
	CHECK_STR_EQ(aud_expr_path(e), "disparity.fpr.ratio");
	CHECK_INT_EQ(aud_expr_depth(e), 3);
	CHECK_STR_EQ(aud_expr_part(e, 0), "disparity");
	CHECK_STR_EQ(aud_expr_part(e, 1), "fpr");
	CHECK_STR_EQ(aud_expr_part(e, 2), "ratio");
	CHECK(aud_expr_part(e, 3) == NULL);
	CHECK_INT_EQ(aud_expr_op(e), AUD_EXPR_LE);
	CHECK_STR_EQ(aud_expr_text(e), "race & sex: disparity.fpr.ratio <= 1.25");
	aud_expr_free(e);
	CHECK_INT_EQ(aud_expr_parse(&e, "equalized_odds_difference<1e-1", &err), 0);
	CHECK_INT_EQ(aud_expr_op(e), AUD_EXPR_LT);
	CHECK_DBL_EQ(aud_expr_threshold(e), 0.1);
	aud_expr_free(e);
	CHECK_INT_EQ(aud_expr_parse(&e, "overall.accuracy != -2", &err), 0);
	CHECK_INT_EQ(aud_expr_op(e), AUD_EXPR_NE);
	CHECK_DBL_EQ(aud_expr_threshold(e), -2);
	aud_expr_free(e);
	CHECK_INT_EQ(aud_expr_parse(&e, "a==1", &err), 0);
	CHECK_INT_EQ(aud_expr_op(e), AUD_EXPR_EQ);
	aud_expr_free(e);
	CHECK_INT_EQ(aud_expr_parse(&e, "a>1", &err), 0);
	CHECK_INT_EQ(aud_expr_op(e), AUD_EXPR_GT);
	aud_expr_free(e);
}

void
test_expr__errors(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "", "bad check expression '': empty" },
		{ "   ", "bad check expression '   ': empty" },
		{ "demographic_parity_ratio", "expected one of <, <=, >, >=, ==, != at column 25" },
		{ "demographic_parity_ratio >=", "expected a number after '>='" },
		{ "demographic_parity_ratio >= 0.8x", "expected a number after '>='" },
		{ "demographic_parity_ratio >= nan", "expected a number after '>='" },
		{ ">= 0.8", "expected a metric name at column 1" },
		{ "1abc >= 0.8", "expected a metric name at column 1" },
		{ "disparity..ratio < 1", "expected a metric name at column 11" },
		{ ": tpr < 1", "empty attribute before ':'" },
		{ "a.b.c.d.e.f.g.h.i < 1", "too many parts" },
		{ "tpr = 1", "expected one of <, <=, >, >=, ==, != at column 5" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aud_error err = AUD_ERROR_INIT;
		struct aud_expr *e = (struct aud_expr *)&err; /* must be reset to NULL */

		CHECK_INT_EQ(aud_expr_parse(&e, bad[i].text, &err), AUD_EPARSE);
		CHECK(e == NULL);
		if (strstr(err.msg, bad[i].msg) == NULL)
			aud_test_fail(__FILE__, __LINE__, "'%s': message '%s' lacks '%s'",
			    bad[i].text, err.msg, bad[i].msg);
	}
}

void
test_expr__holds(void)
{
	CHECK(aud_expr_holds(AUD_EXPR_GE, 0.8, 0.8));
	CHECK(!aud_expr_holds(AUD_EXPR_GT, 0.8, 0.8));
	CHECK(aud_expr_holds(AUD_EXPR_LT, 0.1, 0.2));
	CHECK(aud_expr_holds(AUD_EXPR_LE, 0.2, 0.2));
	CHECK(aud_expr_holds(AUD_EXPR_EQ, 1, 1));
	CHECK(aud_expr_holds(AUD_EXPR_NE, 1, 2));
	CHECK(!aud_expr_holds(AUD_EXPR_NE, NAN, 2));
	CHECK(!aud_expr_holds(AUD_EXPR_GE, NAN, 0.8));
	CHECK_STR_EQ(aud_expr_op_str(AUD_EXPR_LE), "<=");
}

static char *
write_tmp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	strcpy(path, "/tmp/test_expr_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

void
test_expr__policy(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_expr **list = NULL;
	size_t n = 99;
	char *p;

	p = write_tmp("[\"demographic_parity_ratio>=0.8\", \"sex: disparity.fpr.ratio<=1.25\"]");
	CHECK(p != NULL);
	CHECK_INT_EQ(aud_expr_policy_read(&list, &n, p, &err), 0);
	CHECK_INT_EQ(n, 2);
	CHECK_STR_EQ(aud_expr_text(list[1]), "sex: disparity.fpr.ratio <= 1.25");
	aud_expr_list_free(list, n);
	unlink(p);

	p = write_tmp("[]");
	CHECK_INT_EQ(aud_expr_policy_read(&list, &n, p, &err), 0);
	CHECK_INT_EQ(n, 0);
	aud_expr_list_free(list, n);
	unlink(p);

	p = write_tmp("{\"checks\": []}");
	CHECK_INT_EQ(aud_expr_policy_read(&list, &n, p, &err), AUD_EPARSE);
	CHECK(list == NULL && n == 0);
	CHECK(strstr(err.msg, "a policy must be a JSON array") != NULL);
	unlink(p);

	p = write_tmp("[\"tpr>=0.5\", 3]");
	CHECK_INT_EQ(aud_expr_policy_read(&list, &n, p, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "entry 2: a check expression must be a string") != NULL);
	unlink(p);

	p = write_tmp("[\"tpr>=0.5\", \"tpr>=\"]");
	CHECK_INT_EQ(aud_expr_policy_read(&list, &n, p, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "entry 2: bad check expression 'tpr>=': expected a number") != NULL);
	unlink(p);

	p = write_tmp("[\"tpr>=0.5\",");
	CHECK_INT_EQ(aud_expr_policy_read(&list, &n, p, &err), AUD_EPARSE);
	unlink(p);

	CHECK_INT_EQ(aud_expr_policy_read(&list, &n, "/nonexistent/policy.json", &err), AUD_EIO);
	CHECK(strstr(err.msg, "/nonexistent/policy.json") != NULL);
}
