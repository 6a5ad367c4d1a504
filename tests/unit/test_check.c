/* test_check.c — check sets over hand-built results: statuses, fail-closed
 * undefined values, unknown paths, scopes, policy files, the failure lines
 * and the JUnit XML (parsed back with libxml2). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <audit/check.h>
#include <audit/clicheck.h>
#include <audit/explain.h>
#include <audit/fairness.h>
#include <audit/robust.h>

#include "runner.h"

/* Two perturbations as audit-robust writes them: flip:sex (4 flips of 10,
 * by group F 1 of 5 and M 3 of 5) and gaussian:0.5 (no accuracy: null). */
static const char *const robust_results =
	"{\"baseline\":{\"rows\":10,\"positive_rate\":0.4,\"accuracy\":0.9},"
	"\"perturbations\":["
	"{\"spec\":\"flip:sex\",\"kind\":\"flip\",\"rows\":10,\"flips\":4,\"flip_rate\":0.4,"
	"\"accuracy\":0.5,"
	"\"by_group\":[{\"attribute\":\"sex\",\"groups\":["
	"{\"group\":\"F\",\"rows\":5,\"flips\":1,\"flip_rate\":0.2},"
	"{\"group\":\"M\",\"rows\":5,\"flips\":3,\"flip_rate\":0.6}]}]},"
	"{\"spec\":\"gaussian:0.5\",\"kind\":\"gaussian\",\"rows\":30,\"flips\":3,"
	"\"flip_rate\":0.1,\"accuracy\":null}]}";

static cJSON *
parse(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	if (j == NULL)
		aud_test_fail(__FILE__, __LINE__, "bad test JSON: %s", text);
	return j;
}

static const char *
sget(const cJSON *o, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static double
nget(const cJSON *o, const char *k)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* Run expressions over results with a resolver; returns the checks array. */
static cJSON *
run(const struct aud_check_resolver *r, const char *results_text, const char *const *exprs,
    size_t n, int allow, size_t *nfailed, cJSON *warnings, int *rc_out)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_check_set *s = NULL;
	cJSON *res = parse(results_text), *checks = cJSON_CreateArray();
	size_t i;

	CHECK_INT_EQ(aud_check_set_new(&s, r, &err), 0);
	for (i = 0; i < n; i++)
		CHECK_INT_EQ(aud_check_set_add(s, exprs[i], &err), 0);
	aud_check_set_allow_undefined(s, allow);
	*rc_out = aud_check_set_run(s, res, checks, warnings, nfailed, &err);
	aud_check_set_free(s);
	cJSON_Delete(res);
	return checks;
}

void
test_check__statuses(void)
{
	static const char *const e[] = {
		"flip:sex.flip_rate == 0",          /* 0.4: fail */
		"flip:sex.by_group.flip_rate <= 0.5", /* F 0.2 pass, M 0.6 fail */
		"baseline.accuracy >= 0.9",         /* 0.9: pass */
		"gaussian:0.5.accuracy >= 0.5",     /* null: undefined */
	};
	struct aud_check_resolver r;
	cJSON *w = cJSON_CreateArray(), *c, *x;
	size_t nfailed = 99;
	int rc;

	aud_robust_check_resolver(&r);
	c = run(&r, robust_results, e, 4, 0, &nfailed, w, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_INT_EQ(cJSON_GetArraySize(c), 5);
	/* fail + fail + undefined (fail closed) */
	CHECK_INT_EQ(nfailed, 3);
	x = cJSON_GetArrayItem(c, 0);
	CHECK_STR_EQ(sget(x, "id"), "flip:sex.flip_rate == 0");
	CHECK_STR_EQ(sget(x, "metric"), "flip_rate");
	CHECK_STR_EQ(sget(x, "perturbation"), "flip:sex");
	CHECK_STR_EQ(sget(x, "status"), "fail");
	CHECK_DBL_EQ(nget(x, "value"), 0.4);
	CHECK_DBL_EQ(nget(x, "threshold"), 0);
	CHECK_STR_EQ(sget(x, "op"), "==");
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "requested")));
	x = cJSON_GetArrayItem(c, 1);
	CHECK_STR_EQ(sget(x, "metric"), "by_group.flip_rate");
	CHECK_STR_EQ(sget(x, "attribute"), "sex");
	CHECK_STR_EQ(sget(x, "group"), "F");
	CHECK_STR_EQ(sget(x, "status"), "pass");
	CHECK_DBL_EQ(nget(x, "value"), 0.2);
	x = cJSON_GetArrayItem(c, 2);
	CHECK_STR_EQ(sget(x, "group"), "M");
	CHECK_STR_EQ(sget(x, "status"), "fail");
	x = cJSON_GetArrayItem(c, 3);
	CHECK_STR_EQ(sget(x, "status"), "pass");
	CHECK(sget(x, "perturbation") == NULL);
	x = cJSON_GetArrayItem(c, 4);
	CHECK_STR_EQ(sget(x, "status"), "undefined");
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(x, "value")));
	CHECK_STR_EQ(sget(x, "perturbation"), "gaussian:0.5");
	CHECK(aud_check_entry_fails(x, 0));
	CHECK(!aud_check_entry_fails(x, 1));
	CHECK_INT_EQ(cJSON_GetArraySize(w), 0);
	cJSON_Delete(c);
	cJSON_Delete(w);
}

void
test_check__allow_undefined(void)
{
	static const char *const e[] = { "gaussian:0.5.accuracy >= 0.5", "flip_rate < 0.5" };
	struct aud_check_resolver r;
	cJSON *w = cJSON_CreateArray(), *c;
	size_t nfailed = 99;
	int rc;

	aud_robust_check_resolver(&r);
	c = run(&r, robust_results, e, 2, 1, &nfailed, w, &rc);
	CHECK_INT_EQ(rc, 0);
	/* undefined allowed; flip_rate 0.4 and 0.1 (every perturbation) pass */
	CHECK_INT_EQ(nfailed, 0);
	CHECK_INT_EQ(cJSON_GetArraySize(c), 3);
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 0), "status"), "undefined");
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 2), "perturbation"), "gaussian:0.5");
	CHECK_INT_EQ(cJSON_GetArraySize(w), 1);
	CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetArrayItem(w, 0)),
	    "check 'gaussian:0.5.accuracy >= 0.5': undefined for perturbation gaussian:0.5 "
	    "(allowed by --allow-undefined, not counted as failed)");
	cJSON_Delete(c);
	cJSON_Delete(w);
}

void
test_check__unknown_path(void)
{
	static const char *const bad[] = {
		"foo >= 1", "sex.flip_rate == 0", "flip:baseline.accuracy > 0", "importance.rank < 2",
	};
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_check_resolver r[3];
	struct aud_check_set *s = NULL;
	enum aud_four_fifths ff = AUD_FOUR_FIFTHS_EEOC;
	size_t i;

	aud_robust_check_resolver(&r[0]);
	aud_explain_check_resolver(&r[1]);
	aud_fairness_check_resolver(&r[2], &ff);
	for (i = 0; i < 3; i++) {
		CHECK_INT_EQ(aud_check_set_new(&s, &r[i], &err), 0);
		/* the same words whatever the module */
		CHECK_INT_EQ(aud_check_set_add(s, "foo >= 1", &err), AUD_EPARSE);
		CHECK_STR_EQ(err.msg, "unknown path 'foo' in check 'foo >= 1'");
		CHECK_INT_EQ(aud_check_set_size(s), 0);
		aud_check_set_free(s);
	}
	CHECK_INT_EQ(aud_check_set_new(&s, &r[0], &err), 0);
	for (i = 1; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT_EQ(aud_check_set_add(s, bad[i], &err), AUD_EPARSE);
	CHECK_INT_EQ(aud_check_set_add(s, "flip_rate >", &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "bad check expression") != NULL);
	CHECK_INT_EQ(aud_check_set_add(s, "flip:sex.by_group.flip_rate == 0", &err), 0);
	CHECK_INT_EQ(aud_check_set_size(s), 1);
	aud_check_set_free(s);
}

void
test_check__scope(void)
{
	static const char *const kind[] = { "gaussian: flip_rate < 0.2" };
	static const char *const spec[] = { "flip:sex: flips <= 4" };
	static const char *const none[] = { "uniform:0.5.flip_rate < 1" };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_check_resolver r;
	struct aud_check_set *s = NULL;
	cJSON *c, *res, *checks;
	size_t nfailed;
	int rc;

	aud_robust_check_resolver(&r);
	/* a scope alone names a kind ... */
	c = run(&r, robust_results, kind, 1, 0, &nfailed, NULL, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_INT_EQ(cJSON_GetArraySize(c), 1);
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 0), "perturbation"), "gaussian:0.5");
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 0), "id"), "gaussian: flip_rate < 0.2");
	CHECK_INT_EQ(nfailed, 0);
	cJSON_Delete(c);
	/* ... or a whole spec */
	c = run(&r, robust_results, spec, 1, 0, &nfailed, NULL, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_INT_EQ(cJSON_GetArraySize(c), 1);
	CHECK_DBL_EQ(nget(cJSON_GetArrayItem(c, 0), "value"), 4);
	cJSON_Delete(c);
	/* a perturbation that did not run */
	CHECK_INT_EQ(aud_check_set_new(&s, &r, &err), 0);
	CHECK_INT_EQ(aud_check_set_add(s, none[0], &err), 0);
	res = parse(robust_results);
	checks = cJSON_CreateArray();
	CHECK_INT_EQ(aud_check_set_run(s, res, checks, NULL, &nfailed, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "check 'uniform:0.5.flip_rate < 1': no perturbation 'uniform:0.5'");
	cJSON_Delete(checks);
	cJSON_Delete(res);
	aud_check_set_free(s);
}

/* Importance 1 and 3: shares 1/4 and 3/4; the protected attribute 'b' is
 * the second feature (share 0.75), 'sex' is no feature (undefined). */
void
test_check__explain(void)
{
	static const char *const results =
		"{\"max_additivity_error\":1e-12,"
		"\"importance\":[{\"feature\":\"b\",\"rank\":1,\"mean_abs\":3,\"mean\":-1},"
		"{\"feature\":\"a\",\"rank\":2,\"mean_abs\":1,\"mean\":0.5}],"
		"\"groups\":[{\"attribute\":\"b\",\"groups\":[]},{\"attribute\":\"sex\",\"groups\":[]}],"
		"\"proxy\":[{\"feature\":\"a\",\"associations\":[{\"attribute\":\"sex\",\"value\":0.7}]}]}";
	static const char *const e[] = {
		"importance.share > 0.5", "b: protected.share < 0.5", "protected.share < 0.5",
		"sex: proxy.association < 0.5", "a: importance.rank == 2",
		"max_additivity_error <= 1e-9",
	};
	struct aud_check_resolver r;
	cJSON *c;
	size_t nfailed;
	int rc;

	aud_explain_check_resolver(&r);
	c = run(&r, results, e, 6, 0, &nfailed, NULL, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_INT_EQ(cJSON_GetArraySize(c), 8);
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 0), "feature"), "b");
	CHECK_DBL_EQ(nget(cJSON_GetArrayItem(c, 0), "value"), 0.75);
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 0), "status"), "pass");
	CHECK_DBL_EQ(nget(cJSON_GetArrayItem(c, 1), "value"), 0.25);
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 1), "status"), "fail");
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 2), "attribute"), "b");
	CHECK_DBL_EQ(nget(cJSON_GetArrayItem(c, 2), "value"), 0.75);
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 3), "attribute"), "b");
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 4), "attribute"), "sex");
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 4), "status"), "undefined");
	CHECK_DBL_EQ(nget(cJSON_GetArrayItem(c, 5), "value"), 0.7);
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 5), "feature"), "a");
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 6), "status"), "pass");
	CHECK_STR_EQ(sget(cJSON_GetArrayItem(c, 7), "status"), "pass");
	/* share of a 0.25 fails, b protected 0.75 fails twice, sex undefined, 0.7 fails */
	CHECK_INT_EQ(nfailed, 5);
	cJSON_Delete(c);
}

void
test_check__fairness_scope(void)
{
	static const char *const results =
		"{\"overall\":{\"accuracy\":0.75},\"attributes\":["
		"{\"attribute\":\"sex\",\"reference\":\"m\",\"summary\":{\"demographic_parity_ratio\":0.5},"
		"\"groups\":[{\"group\":\"m\",\"metrics\":{\"favorable_rate\":0.5}},"
		"{\"group\":\"f\",\"metrics\":{\"favorable_rate\":0.25}}]},"
		"{\"attribute\":\"age\",\"reference\":\"old\",\"summary\":{\"demographic_parity_ratio\":0.9},"
		"\"groups\":[]}]}";
	static const char *const e[] = { "age:demographic_parity_ratio >= 0.8" };
	enum aud_four_fifths ff = AUD_FOUR_FIFTHS_EEOC;
	struct aud_check_resolver r;
	cJSON *c, *x;
	size_t nfailed;
	int rc;

	aud_fairness_check_resolver(&r, &ff);
	c = run(&r, results, e, 1, 0, &nfailed, NULL, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_INT_EQ(nfailed, 0);
	/* the requested one (age only), then the reported four-fifths entry of
	 * sex (0.25 / 0.5 = 0.5: not met, not counted) and of age (no groups) */
	CHECK_INT_EQ(cJSON_GetArraySize(c), 3);
	x = cJSON_GetArrayItem(c, 0);
	CHECK_STR_EQ(sget(x, "id"), "age:demographic_parity_ratio >= 0.8");
	CHECK_STR_EQ(sget(x, "attribute"), "age");
	CHECK_DBL_EQ(nget(x, "value"), 0.9);
	x = cJSON_GetArrayItem(c, 1);
	CHECK_STR_EQ(sget(x, "id"), "four_fifths_rule");
	CHECK_DBL_EQ(nget(x, "value"), 0.5);
	CHECK_STR_EQ(sget(x, "status"), "fail");
	CHECK(!aud_check_entry_fails(x, 0));
	cJSON_Delete(c);
}

static char *
write_tmp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	strcpy(path, "/tmp/test_check_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

void
test_check__policy(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_check_resolver r;
	struct aud_check_set *s = NULL;
	char *p;

	aud_robust_check_resolver(&r);
	CHECK_INT_EQ(aud_check_set_new(&s, &r, &err), 0);
	p = write_tmp("[\"flip:sex.flip_rate == 0\", \"baseline.accuracy >= 0.8\"]");
	CHECK(p != NULL);
	CHECK_INT_EQ(aud_check_set_add_policy(s, p, &err), 0);
	CHECK_INT_EQ(aud_check_set_size(s), 2);
	CHECK_STR_EQ(aud_expr_text(aud_check_set_expr(s, 0)), "flip:sex.flip_rate == 0");
	unlink(p);
	p = write_tmp("[\"flip_rate < 1\", \"nope > 1\"]");
	CHECK_INT_EQ(aud_check_set_add_policy(s, p, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, ": entry 2: unknown path 'nope' in check 'nope > 1'") != NULL);
	/* nothing of a refused policy is kept */
	CHECK_INT_EQ(aud_check_set_size(s), 2);
	unlink(p);
	aud_check_set_free(s);
}

static size_t
count(xmlNode *n, const char *name)
{
	size_t k = 0;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			k++;
		k += count(n->children, name);
	}
	return k;
}

static int
attr_is(xmlNode *n, const char *name, const char *want)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	int ok = v != NULL && strcmp((const char *)v, want) == 0;

	xmlFree(v);
	return ok;
}

void
test_check__junit(void)
{
	static const char *const e[] = {
		"flip:sex.flip_rate == 0", "flip:sex.by_group.flip_rate <= 0.5",
		"baseline.accuracy >= 0.9", "gaussian:0.5.accuracy >= 0.5",
	};
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_check_resolver r;
	cJSON *c, *extra;
	size_t nfailed, len;
	char *text = NULL;
	FILE *f;
	xmlDoc *doc;
	xmlNode *root, *suite;
	int rc, allow;

	aud_robust_check_resolver(&r);
	c = run(&r, robust_results, e, 4, 0, &nfailed, NULL, &rc);
	/* an entry only reported is no test case */
	extra = cJSON_Parse("{\"id\":\"four_fifths_rule\",\"status\":\"fail\",\"requested\":false}");
	cJSON_AddItemToArray(c, extra);
	for (allow = 0; allow <= 1; allow++) {
		f = open_memstream(&text, &len);
		CHECK_INT_EQ(aud_check_junit_write(c, "audit-robust", allow, f, &err), 0);
		fclose(f);
		doc = xmlReadMemory(text, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
		CHECK(doc != NULL);
		if (doc == NULL) {
			free(text);
			break;
		}
		root = xmlDocGetRootElement(doc);
		CHECK_STR_EQ((const char *)root->name, "testsuites");
		suite = root->children;
		while (suite != NULL && suite->type != XML_ELEMENT_NODE)
			suite = suite->next;
		CHECK(suite != NULL && attr_is(suite, "name", "audit-robust"));
		CHECK(suite != NULL && attr_is(suite, "tests", "5"));
		CHECK_INT_EQ(count(root, "testcase"), 5);
		/* flip 0.4 != 0, group M 0.6 > 0.5, and the undefined one unless allowed */
		CHECK_INT_EQ(count(root, "failure"), allow ? 2 : 3);
		CHECK_INT_EQ(count(root, "skipped"), allow ? 1 : 0);
		CHECK(suite != NULL && attr_is(suite, "failures", allow ? "2" : "3"));
		CHECK(suite != NULL && attr_is(suite, "skipped", allow ? "1" : "0"));
		/* '<' and '&' in names are escaped by the writer and read back intact */
		CHECK(strstr(text, "flip:sex.by_group.flip_rate &lt;= 0.5 [perturbation flip:sex, sex / M]") != NULL);
		xmlFreeDoc(doc);
		free(text);
		text = NULL;
	}
	cJSON_Delete(c);
}

void
test_check__failure_lines(void)
{
	static const char *const e[] = {
		"flip:sex.flip_rate == 0", "flip:sex.by_group.flip_rate <= 0.5",
		"baseline.accuracy >= 0.95", "gaussian:0.5.accuracy >= 0.5",
	};
	struct aud_check_resolver r;
	cJSON *c;
	size_t nfailed, len;
	char *text = NULL;
	FILE *f;
	int rc;

	aud_robust_check_resolver(&r);
	c = run(&r, robust_results, e, 4, 0, &nfailed, NULL, &rc);
	f = open_memstream(&text, &len);
	CHECK_INT_EQ(aud_cli_checks_print_failures(f, "audit-robust", c, 0), 4);
	fclose(f);
	CHECK_STR_EQ(text,
	    "audit-robust: check failed: flip:sex.flip_rate == 0 (perturbation flip:sex, value 0.4)\n"
	    "audit-robust: check failed: flip:sex.by_group.flip_rate <= 0.5 (perturbation flip:sex, sex / M, value 0.6)\n"
	    "audit-robust: check failed: baseline.accuracy >= 0.95 (value 0.9)\n"
	    "audit-robust: check failed: gaussian:0.5.accuracy >= 0.5 (perturbation gaussian:0.5, value undefined)\n");
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	CHECK_INT_EQ(aud_cli_checks_print_failures(f, "audit-robust", c, 1), 3);
	fclose(f);
	free(text);
	cJSON_Delete(c);
}

void
test_check__expr_forms(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_expr *e = NULL;

	CHECK_INT_EQ(aud_expr_parse(&e, "gaussian:0.5.flip_rate==0", &err), 0);
	CHECK_STR_EQ(aud_expr_scope(e), "gaussian");
	CHECK_INT_EQ(aud_expr_depth(e), 3);
	CHECK_STR_EQ(aud_expr_part(e, 0), "0");
	CHECK_STR_EQ(aud_expr_part(e, 1), "5");
	CHECK_STR_EQ(aud_expr_text(e), "gaussian:0.5.flip_rate == 0");
	aud_expr_free(e);
	CHECK_INT_EQ(aud_expr_parse(&e, "race: tpr > 1", &err), 0);
	CHECK_STR_EQ(aud_expr_text(e), "race: tpr > 1");
	aud_expr_free(e);
	/* the first part still starts with a letter */
	CHECK_INT_EQ(aud_expr_parse(&e, "0.5 > 1", &err), AUD_EPARSE);
	CHECK(e == NULL);
}
