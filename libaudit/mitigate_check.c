/*
 * mitigate_check.c — the check resolver of audit-mitigate's thresholds and
 * frontier results (a frontier's values are those of its chosen point).
 *
 * Paths:
 *   objective_value, exact.objective_value, exact.difference   once
 *   before.KEY, after.KEY    once: the whole input's KEY (accuracy,
 *                            balanced_accuracy, selection_rate, tpr, fpr and
 *                            the groups' differences)
 *   groups.before.RATE, groups.after.RATE   per group (RATE: count,
 *                            selection_rate, tpr, fpr, accuracy); a scope
 *                            names one group
 */
#include <audit/mitigate_job.h>

#include <math.h>
#include <string.h>

#include <audit/check.h>
#include <audit/json.h>

static const char *const overall_keys[] = { "accuracy", "balanced_accuracy", "selection_rate",
	"tpr", "fpr", "demographic_parity_difference", "true_positive_rate_difference",
	"false_positive_rate_difference", "equalized_odds_difference", "count", NULL };
static const char *const rate_keys[] = { "count", "selection_rate", "tpr", "fpr", "accuracy",
	NULL };

static int
in(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static int
is_side(const char *s)
{
	return strcmp(s, "before") == 0 || strcmp(s, "after") == 0;
}

static int
known(const struct aud_expr *e)
{
	size_t d = aud_expr_depth(e);
	const char *p0 = aud_expr_part(e, 0);
	int scoped = aud_expr_scope(e) != NULL;

	if (d == 1)
		return !scoped && strcmp(p0, "objective_value") == 0;
	if (d == 2 && strcmp(p0, "exact") == 0)
		return !scoped && (strcmp(aud_expr_part(e, 1), "objective_value") == 0 ||
		    strcmp(aud_expr_part(e, 1), "difference") == 0);
	if (d == 2 && is_side(p0))
		return !scoped && in(overall_keys, aud_expr_part(e, 1));
	if (d == 3 && strcmp(p0, "groups") == 0)
		return is_side(aud_expr_part(e, 1)) && in(rate_keys, aud_expr_part(e, 2));
	return 0;
}

static int
resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	const char *scope = aud_expr_scope(e), *method = aud_json_str(results, "method");
	const cJSON *sol = results, *g;
	struct aud_check_value v = { NAN, NULL, NULL, NULL, NULL, NULL };
	size_t d = aud_expr_depth(e);
	int matched = 0, rc;

	(void)payload;
	if (method != NULL && strcmp(method, "frontier") == 0)
		sol = aud_json_get(results, "chosen");
	if (d == 1) {
		v.value = aud_json_num(sol, "objective_value");
		return aud_check_emit(sink, &v, err);
	}
	if (d == 2) {
		v.value = aud_json_num(aud_json_get(sol, aud_expr_part(e, 0)), aud_expr_part(e, 1));
		return aud_check_emit(sink, &v, err);
	}
	v.attribute = aud_json_str(results, "protected");
	cJSON_ArrayForEach(g, aud_json_get(sol, "groups")) {
		v.group = aud_json_str(g, "group");
		if (scope != NULL && (v.group == NULL || strcmp(scope, v.group) != 0))
			continue;
		matched = 1;
		v.value = aud_json_num(aud_json_get(g, aud_expr_part(e, 1)), aud_expr_part(e, 2));
		rc = aud_check_emit(sink, &v, err);
		if (rc < 0)
			return rc;
	}
	if (scope != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no group '%s'", aud_expr_text(e),
		    scope);
	return 0;
}

void
aud_mit_check_resolver(struct aud_check_resolver *out)
{
	out->known = known;
	out->resolve = resolve;
	out->reported = NULL;
	out->payload = NULL;
}
