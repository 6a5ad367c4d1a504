/*
 * explain_check.c — the check resolver of audit-explain's results.
 *
 * Paths:
 *   max_additivity_error        the largest |base_value + sum(phi) - output|
 *   importance.KEY              per feature: mean_abs, mean, sd, rank, or share
 *                               (its mean_abs over the sum of every feature's)
 *   protected.share             per protected attribute: the share of importance
 *                               of the feature of that name (undefined when the
 *                               attribute is not an explained feature)
 *   proxy.association           per feature and protected attribute: Cramér's V or
 *                               the correlation ratio
 * A scope keeps the values whose feature or attribute it names
 * ("age: importance.rank > 3"); a scope naming neither is an error.
 */
#include <audit/explain.h>

#include <math.h>
#include <string.h>

#include <audit/check.h>
#include <audit/json.h>

static int
is(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static int
known(const struct aud_expr *e)
{
	const char *p0 = aud_expr_part(e, 0), *p1 = aud_expr_part(e, 1);
	size_t d = aud_expr_depth(e);

	if (d == 1)
		return is(p0, "max_additivity_error") && aud_expr_scope(e) == NULL;
	if (d != 2)
		return 0;
	if (is(p0, "importance"))
		return is(p1, "mean_abs") || is(p1, "mean") || is(p1, "sd") ||
		    is(p1, "rank") || is(p1, "share");
	return (is(p0, "protected") && is(p1, "share")) ||
	    (is(p0, "proxy") && is(p1, "association"));
}

/* Sum of every feature's mean_abs. */
static double
total_importance(const cJSON *results)
{
	const cJSON *f;
	double t = 0.0;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(results, "importance"))
		t += aud_json_num(f, "mean_abs");
	return t;
}

static double
share_of(const cJSON *results, const char *feature)
{
	const cJSON *f;
	double t = total_importance(results);

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(results, "importance"))
		if (is(aud_json_str(f, "feature"), feature))
			return t > 0.0 ? aud_json_num(f, "mean_abs") / t : NAN;
	return NAN;
}

/* 1 when the attribute was already seen among the earlier groups or associations. */
static int
seen_before(const cJSON *first, const cJSON *upto, const char *name)
{
	const cJSON *x;

	for (x = first; x != NULL && x != upto; x = x->next)
		if (is(aud_json_str(x, "attribute"), name))
			return 1;
	return 0;
}

static int
resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	const char *scope = aud_expr_scope(e), *p0 = aud_expr_part(e, 0),
	    *p1 = aud_expr_part(e, 1);
	struct aud_check_value v = { NAN, NULL, NULL, NULL, NULL, NULL };
	const cJSON *f, *a, *first;
	int matched = 0, rc;

	(void)payload;
	if (is(p0, "max_additivity_error")) {
		v.value = aud_json_num(results, p0);
		return aud_check_emit(sink, &v, err);
	}
	if (is(p0, "importance")) {
		double t = total_importance(results);

		v.subject_key = "feature";
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(results, "importance")) {
			v.subject = aud_json_str(f, "feature");
			if (scope != NULL && !is(scope, v.subject))
				continue;
			matched = 1;
			v.value = is(p1, "share") ? (t > 0.0 ? aud_json_num(f, "mean_abs") / t : NAN) :
			    aud_json_num(f, p1);
			rc = aud_check_emit(sink, &v, err);
			if (rc < 0)
				return rc;
		}
	} else if (is(p0, "protected")) {
		/* the protected attributes: those of the per-group summary, else the proxy table's */
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(results, "groups");

		if (cJSON_GetArraySize(list) == 0) {
			f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(results, "proxy"), 0);
			list = cJSON_GetObjectItemCaseSensitive(f, "associations");
		}
		first = cJSON_GetArrayItem(list, 0);
		cJSON_ArrayForEach(a, list) {
			v.attribute = aud_json_str(a, "attribute");
			if (v.attribute == NULL || seen_before(first, a, v.attribute) ||
			    (scope != NULL && !is(scope, v.attribute)))
				continue;
			matched = 1;
			v.value = share_of(results, v.attribute);
			rc = aud_check_emit(sink, &v, err);
			if (rc < 0)
				return rc;
		}
	} else {
		v.subject_key = "feature";
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(results, "proxy")) {
			v.subject = aud_json_str(f, "feature");
			cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(f, "associations")) {
				v.attribute = aud_json_str(a, "attribute");
				if (scope != NULL && !is(scope, v.subject) && !is(scope, v.attribute))
					continue;
				matched = 1;
				v.value = aud_json_num(a, "value");
				rc = aud_check_emit(sink, &v, err);
				if (rc < 0)
					return rc;
			}
		}
	}
	if (scope != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no feature or attribute '%s'",
		    aud_expr_text(e), scope);
	return 0;
}

void
aud_explain_check_resolver(struct aud_check_resolver *out)
{
	out->known = known;
	out->resolve = resolve;
	out->reported = NULL;
	out->payload = NULL;
}
