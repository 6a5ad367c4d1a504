/*
 * robust_check.c — the check resolver of audit-robust's results.
 *
 * Paths, METRIC one of flip_rate, flips, rows, unscored,
 * mean_abs_score_change, max_abs_score_change, accuracy, accuracy_drop:
 *   METRIC                  each perturbation's value
 *   by_group.METRIC         each perturbation's value per protected group
 *   baseline.KEY            rows, positives, positive_rate, correct, accuracy
 * A scope picks perturbations: "flip:sex.flip_rate" (scope "flip", the path
 * "sex.flip_rate") is the perturbation whose spec is "flip:sex"; the parts
 * before the metric continue the spec ("gaussian:0.5.flip_rate" is
 * "gaussian:0.5"); a scope alone names a spec ("flip:sex: flip_rate") or a
 * kind ("gaussian: flip_rate", every level of the sweep).
 */
#include <audit/robust.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/check.h>
#include <audit/json.h>

static const char *const metrics[] = {
	"flip_rate", "flips", "rows", "unscored", "mean_abs_score_change",
	"max_abs_score_change", "accuracy", "accuracy_drop", NULL
};

static const char *const baseline_keys[] = {
	"rows", "positives", "positive_rate", "correct", "accuracy", NULL
};

static int
in(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* Parts before the metric (the spec's continuation); -1 when not a robustness path. */
static long
prefix_parts(const struct aud_expr *e, int *by_group)
{
	size_t d = aud_expr_depth(e);

	*by_group = 0;
	if (!in(metrics, aud_expr_part(e, d - 1)))
		return -1;
	if (d >= 2 && strcmp(aud_expr_part(e, d - 2), "by_group") == 0) {
		*by_group = 1;
		return (long)d - 2;
	}
	return (long)d - 1;
}

static int
known(const struct aud_expr *e)
{
	int by_group;
	long np;

	if (strcmp(aud_expr_part(e, 0), "baseline") == 0)
		return aud_expr_depth(e) == 2 && aud_expr_scope(e) == NULL &&
		    in(baseline_keys, aud_expr_part(e, 1));
	np = prefix_parts(e, &by_group);
	return np == 0 || (np > 0 && aud_expr_scope(e) != NULL);
}

static int
resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	const char *scope = aud_expr_scope(e), *metric;
	const cJSON *p, *a, *g;
	struct aud_check_value v = { NAN, NULL, NULL, "perturbation", NULL, NULL };
	char name[512];
	size_t i, used;
	int by_group, matched = 0, rc;
	long np;

	(void)payload;
	if (strcmp(aud_expr_part(e, 0), "baseline") == 0) {
		v.subject_key = NULL;
		v.value = aud_json_num(cJSON_GetObjectItemCaseSensitive(results, "baseline"),
		    aud_expr_part(e, 1));
		return aud_check_emit(sink, &v, err);
	}
	np = prefix_parts(e, &by_group);
	metric = aud_expr_part(e, aud_expr_depth(e) - 1);
	/* the path less the spec's continuation: "flip_rate", "by_group.flip_rate" */
	v.metric = aud_expr_path(e) + strlen(aud_expr_path(e)) - strlen(metric) -
	    (by_group ? strlen("by_group.") : 0);
	name[0] = '\0';
	if (scope != NULL) {
		snprintf(name, sizeof(name), "%s", scope);
		for (i = 0; i < (size_t)np; i++) {
			used = strlen(name);
			snprintf(name + used, sizeof(name) - used, "%s%s", i == 0 ? ":" : ".",
			    aud_expr_part(e, i));
		}
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(results, "perturbations")) {
		const char *spec = aud_json_str(p, "spec"), *kind = aud_json_str(p, "kind");

		if (scope != NULL && !(spec != NULL && strcmp(spec, name) == 0) &&
		    !(np == 0 && kind != NULL && strcmp(kind, scope) == 0))
			continue;
		matched = 1;
		v.subject = spec != NULL ? spec : "?";
		if (!by_group) {
			v.value = aud_json_num(p, metric);
			rc = aud_check_emit(sink, &v, err);
			if (rc < 0)
				return rc;
			continue;
		}
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(p, "by_group")) {
			v.attribute = aud_json_str(a, "attribute");
			cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(a, "groups")) {
				v.group = aud_json_str(g, "group");
				v.value = aud_json_num(g, metric);
				rc = aud_check_emit(sink, &v, err);
				if (rc < 0)
					return rc;
			}
		}
		v.attribute = v.group = NULL;
	}
	if (scope != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no perturbation '%s'",
		    aud_expr_text(e), name);
	return 0;
}

void
aud_robust_check_resolver(struct aud_check_resolver *out)
{
	out->known = known;
	out->resolve = resolve;
	out->reported = NULL;
	out->payload = NULL;
}
