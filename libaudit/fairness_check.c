/* fairness_check.c — the check resolver of audit-fair's results and the built-in checks. */
#include <audit/fairness.h>

#include <math.h>
#include <string.h>

#include <audit/json.h>

#include "check_impl.h"
#include "fairness_impl.h"

/* ---- checks ---- */

static int
is_rate_key(const char *s)
{
	int k = aud__metric_index(s);

	return k >= 0 && k < AUD__NRATE;
}

int
aud_fairness_expr_validate(const struct aud_expr *e, struct aud_error *err)
{
	size_t d = aud_expr_depth(e);
	const char *p0 = aud_expr_part(e, 0), *p1 = aud_expr_part(e, 1),
	    *p2 = aud_expr_part(e, 2);
	int ok = 0;

	if (d == 1)
		ok = aud__summary_index(p0) >= 0;
	else if (d == 3 && strcmp(p0, "disparity") == 0)
		ok = is_rate_key(p1) && (strcmp(p2, "ratio") == 0 || strcmp(p2, "difference") == 0);
	else if (d == 2 && (strcmp(p0, "metrics") == 0 || strcmp(p0, "overall") == 0))
		ok = aud__metric_index(p1) >= 0 || (strcmp(p0, "overall") == 0 && strcmp(p1, "count") == 0);
	else if (d == 3 && strcmp(p0, "tests") == 0)
		ok = (strcmp(p1, "selection_rate") == 0 || strcmp(p1, "tpr") == 0 ||
		    strcmp(p1, "fpr") == 0) &&
		    (strcmp(p2, "p_value") == 0 || strcmp(p2, "statistic") == 0);
	if (!ok)
		return AUD_ERROR(err, AUD_EPARSE,
		    "unknown metric '%s' in check '%s' (a summary such as "
		    "demographic_parity_ratio, disparity.METRIC.ratio|difference, "
		    "metrics.METRIC, overall.METRIC, tests.selection_rate|tpr|fpr.p_value)",
		    aud_expr_path(e), aud_expr_text(e));
	return 0;
}

static double
json_num(const cJSON *o, const char *key)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static int
add_check(cJSON *checks, const char *id, const char *metric, double value,
    const char *op, double threshold, const char *status, const char *attribute,
    const char *group, int requested, const char *convention)
{
	cJSON *c = cJSON_CreateObject();

	if (c == NULL || !cJSON_AddItemToArray(checks, c)) {
		cJSON_Delete(c);
		return -1;
	}
	if (cJSON_AddStringToObject(c, "id", id) == NULL ||
	    cJSON_AddStringToObject(c, "metric", metric) == NULL ||
	    aud_json_add_number(c, "value", value) == NULL ||
	    cJSON_AddStringToObject(c, "op", op) == NULL ||
	    aud_json_add_number(c, "threshold", threshold) == NULL ||
	    cJSON_AddStringToObject(c, "status", status) == NULL)
		return -1;
	if (attribute != NULL && cJSON_AddStringToObject(c, "attribute", attribute) == NULL)
		return -1;
	if (group != NULL && cJSON_AddStringToObject(c, "group", group) == NULL)
		return -1;
	if (convention != NULL && cJSON_AddStringToObject(c, "convention", convention) == NULL)
		return -1;
	if (cJSON_AddBoolToObject(c, "requested", requested) == NULL)
		return -1;
	return 0;
}

/* One expression on one attribute (or overall): its values go to the sink. */
static int
resolve_one(const struct aud_expr *e, const cJSON *res, const cJSON *attr,
    struct aud_check_sink *sink, struct aud_error *err)
{
	const char *p0 = aud_expr_part(e, 0);
	const char *aname = attr ?
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attr, "attribute")) : NULL;
	const cJSON *groups = attr ? cJSON_GetObjectItemCaseSensitive(attr, "groups") : NULL;
	const cJSON *g;
	const char *ref = attr ?
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attr, "reference")) : NULL;
	struct aud_check_value v = { NAN, NULL, NULL, NULL, NULL, NULL };
	int rc;

	v.attribute = aname;
	if (strcmp(p0, "disparity") == 0 || strcmp(p0, "metrics") == 0) {
		cJSON_ArrayForEach(g, groups) {
			const cJSON *o;

			v.group = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "group"));
			if (strcmp(p0, "disparity") == 0) {
				if (ref != NULL && v.group != NULL && strcmp(ref, v.group) == 0)
					continue; /* the reference against itself */
				o = cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetObjectItemCaseSensitive(g, "disparity"),
				    aud_expr_part(e, 1));
				v.value = json_num(o, aud_expr_part(e, 2));
			} else {
				o = cJSON_GetObjectItemCaseSensitive(g, "metrics");
				v.value = json_num(o, aud_expr_part(e, 1));
			}
			rc = aud_check_emit(sink, &v, err);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	if (strcmp(p0, "overall") == 0)
		v.value = json_num(cJSON_GetObjectItemCaseSensitive(res, "overall"),
		    aud_expr_part(e, 1));
	else if (strcmp(p0, "tests") == 0)
		v.value = json_num(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(attr, "tests"),
		    aud_expr_part(e, 1)), aud_expr_part(e, 2));
	else {
		const cJSON *sv = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(attr, "summary"), p0);

		/* a summary is a number, or an object with its "value" (bounded_group_loss) */
		v.value = cJSON_IsObject(sv) ? json_num(sv, "value") : cJSON_IsNumber(sv) ?
		    sv->valuedouble : NAN;
	}
	return aud_check_emit(sink, &v, err);
}

/*
 * The resolver of every audit-fair document (the binary, multi-class and
 * regression tasks share the layout): a scope names an attribute; overall
 * paths take none.
 */
int
aud__fair_resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(results, "attributes"), *a;
	const char *scope = aud_expr_scope(e);
	int matched = 0, rc;

	(void)payload;
	if (strcmp(aud_expr_part(e, 0), "overall") == 0) {
		if (scope != NULL)
			return AUD_ERROR(err, AUD_EINVAL,
			    "check '%s': overall metrics take no attribute", aud_expr_text(e));
		return resolve_one(e, results, NULL, sink, err);
	}
	cJSON_ArrayForEach(a, attrs) {
		const char *aname = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(a, "attribute"));

		if (scope != NULL && (aname == NULL || strcmp(scope, aname) != 0))
			continue;
		matched = 1;
		rc = resolve_one(e, results, a, sink, err);
		if (rc < 0)
			return rc;
	}
	if (scope != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no attribute '%s'",
		    aud_expr_text(e), scope);
	return 0;
}

static int
known(const struct aud_expr *e)
{
	return aud_fairness_expr_validate(e, NULL) == 0;
}

static int
four_fifths(const cJSON *attr, enum aud_four_fifths rule, cJSON *checks,
    struct aud_error *err)
{
	const char *aname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attr, "attribute"));
	const char *ref = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attr, "reference"));
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(attr, "groups"), *g;
	const char *gmin = NULL, *gmax = NULL;
	double mn = INFINITY, mx = -INFINITY, v;
	const char *st;

	cJSON_ArrayForEach(g, groups) {
		const char *gname = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "group"));

		if (rule == AUD_FOUR_FIFTHS_EEOC)
			v = json_num(cJSON_GetObjectItemCaseSensitive(g, "metrics"), "favorable_rate");
		else {
			if (ref != NULL && gname != NULL && strcmp(ref, gname) == 0)
				continue;
			v = json_num(cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(g, "disparity"), "favorable_rate"),
			    "ratio");
		}
		if (isnan(v))
			continue;
		if (v < mn) {
			mn = v;
			gmin = gname;
		}
		if (v > mx) {
			mx = v;
			gmax = gname;
		}
	}
	if (rule == AUD_FOUR_FIFTHS_EEOC) {
		v = gmin != NULL && mx > 0.0 ? mn / mx : NAN;
		st = isnan(v) ? "undefined" : v >= 0.8 ? "pass" : "fail";
		if (add_check(checks, "four_fifths_rule", "favorable_rate_ratio_to_highest", v,
		    ">=", 0.8, st, aname, gmin, 0, "eeoc") < 0)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		return 0;
	}
	v = gmin != NULL ? mn : NAN;
	st = isnan(v) ? "undefined" : v >= 0.8 ? "pass" : "fail";
	if (add_check(checks, "four_fifths_rule", "disparity.favorable_rate.ratio", v,
	    ">=", 0.8, st, aname, gmin, 0, "band") < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	v = gmax != NULL ? mx : NAN;
	st = isnan(v) ? "undefined" : v <= 1.25 ? "pass" : "fail";
	if (add_check(checks, "four_fifths_rule", "disparity.favorable_rate.ratio", v,
	    "<=", 1.25, st, aname, gmax, 0, "band") < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}

/* The four-fifths rule of every attribute, reported without being requested. */
static int
reported(const cJSON *results, cJSON *checks, const void *payload, struct aud_error *err)
{
	const cJSON *a;
	int rc;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(results, "attributes")) {
		rc = four_fifths(a, *(const enum aud_four_fifths *)payload, checks, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void
aud_fairness_check_resolver(struct aud_check_resolver *out, const enum aud_four_fifths *rule)
{
	out->known = known;
	out->resolve = aud__fair_resolve;
	out->reported = reported;
	out->payload = rule;
}

int
aud_fairness_check(const cJSON *results, struct aud_expr *const *exprs,
    size_t nexprs, enum aud_four_fifths rule, cJSON *checks, cJSON *warnings,
    size_t *nfailed, struct aud_error *err)
{
	struct aud_check_resolver r;
	size_t i;
	int rc;

	aud_fairness_check_resolver(&r, &rule);
	*nfailed = 0;
	for (i = 0; i < nexprs; i++) {
		rc = aud_fairness_expr_validate(exprs[i], err);
		if (rc < 0)
			return rc;
	}
	return aud__check_run_exprs(&r, exprs, nexprs, 0, results, checks, warnings,
	    nfailed, err);
}
