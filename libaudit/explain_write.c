/*
 * explain_write.c — an explanation for people: the table view (aligned,
 * Markdown or CSV) of an explanation's results, read from its JSON document
 * (explain.h), so that a saved document prints the same view as the run.
 */
#include <audit/explain.h>

#include <math.h>
#include <string.h>

#include <audit/json.h>
#include <audit/text.h>

/* A number cell: 6 significant digits, "-" when undefined. */
static void
put_num(struct aud_table *t, size_t col, double x)
{
	char buf[AUD_NUMBUF];

	aud_format_sig(buf, x, 6, 0, "-");
	aud_table_set(t, col, "%s", buf);
}

/* An entry's feature name, "" when absent. */
static const char *
feature(const cJSON *it)
{
	const char *s = aud_json_str(it, "feature");

	return s != NULL ? s : "";
}

/* Shapley methods: rank, feature, mean |phi|, mean phi. */
static int
shapley_table(struct aud_table **out, const cJSON *res, struct aud_error *err)
{
	const cJSON *it;
	int rc = aud_table_new(out, 4, err);

	if (rc < 0)
		return rc;
	aud_table_column(*out, 0, "rank", AUD_ALIGN_RIGHT);
	aud_table_column(*out, 1, "feature", AUD_ALIGN_LEFT);
	aud_table_column(*out, 2, "mean_abs", AUD_ALIGN_RIGHT);
	aud_table_column(*out, 3, "mean", AUD_ALIGN_RIGHT);
	cJSON_ArrayForEach(it, aud_json_get(res, "importance")) {
		aud_table_add_row(*out);
		aud_table_set(*out, 0, "%.0f", aud_json_num(it, "rank"));
		aud_table_set(*out, 1, "%s", feature(it));
		put_num(*out, 2, aud_json_num(it, "mean_abs"));
		put_num(*out, 3, aud_json_num(it, "mean"));
	}
	return 0;
}

/* Permutation importance: rank, feature, the metric's mean drop and its interval. */
static int
permutation_table(struct aud_table **out, const cJSON *res, struct aud_error *err)
{
	const char *metric = aud_json_str(res, "metric");
	const cJSON *it;
	double lo, hi;
	int rc;

	if (metric == NULL)
		return AUD_ERROR(err, AUD_EPARSE, "an explanation by permutation names no metric");
	rc = aud_table_new(out, 5, err);
	if (rc < 0)
		return rc;
	aud_table_column(*out, 0, "rank", AUD_ALIGN_RIGHT);
	aud_table_column(*out, 1, "feature", AUD_ALIGN_LEFT);
	aud_table_column(*out, 2, metric, AUD_ALIGN_RIGHT);
	aud_table_column(*out, 3, "ci_low", AUD_ALIGN_RIGHT);
	aud_table_column(*out, 4, "ci_high", AUD_ALIGN_RIGHT);
	cJSON_ArrayForEach(it, aud_json_get(res, "importance")) {
		const cJSON *m = aud_json_get(it, metric);

		aud_json_ci(aud_json_get(m, "ci"), &lo, &hi);
		aud_table_add_row(*out);
		aud_table_set(*out, 0, "%.0f", aud_json_num(it, "rank"));
		aud_table_set(*out, 1, "%s", feature(it));
		put_num(*out, 2, aud_json_num(m, "mean"));
		put_num(*out, 3, lo);
		put_num(*out, 4, hi);
	}
	return 0;
}

/* Partial dependence: one row per grid point of each curve. */
static int
pdp_table(struct aud_table **out, const cJSON *res, struct aud_error *err)
{
	const cJSON *cv, *g;
	int rc = aud_table_new(out, 3, err), i;

	if (rc < 0)
		return rc;
	/* a value is a number or a category: the column stays left-aligned */
	aud_table_column(*out, 0, "feature", AUD_ALIGN_LEFT);
	aud_table_column(*out, 1, "value", AUD_ALIGN_LEFT);
	aud_table_column(*out, 2, "pdp", AUD_ALIGN_RIGHT);
	cJSON_ArrayForEach(cv, aud_json_get(res, "pdp")) {
		const char *name = aud_json_str(cv, "feature");
		const cJSON *pdp = aud_json_get(cv, "pdp");

		i = 0;
		cJSON_ArrayForEach(g, aud_json_get(cv, "grid")) {
			const cJSON *y = cJSON_GetArrayItem(pdp, i++);

			aud_table_add_row(*out);
			aud_table_set(*out, 0, "%s", name != NULL ? name : "");
			if (cJSON_IsString(g))
				aud_table_set(*out, 1, "%s", g->valuestring);
			else
				put_num(*out, 1, cJSON_IsNumber(g) ? g->valuedouble : NAN);
			put_num(*out, 2, cJSON_IsNumber(y) ? y->valuedouble : NAN);
		}
	}
	return 0;
}

int
aud_explain_write_results(FILE *f, const cJSON *results, enum aud_format fmt,
    struct aud_error *err)
{
	const char *method = aud_json_str(results, "method");
	struct aud_table *t = NULL;
	int rc, shap;

	if (method == NULL)
		return AUD_ERROR(err, AUD_EPARSE, "an explanation's results name no method");
	shap = strcmp(method, "permutation") != 0 && strcmp(method, "pdp") != 0;
	if (strcmp(method, "permutation") == 0)
		rc = permutation_table(&t, results, err);
	else if (strcmp(method, "pdp") == 0)
		rc = pdp_table(&t, results, err);
	else
		rc = shapley_table(&t, results, err);
	if (rc < 0)
		goto done;
	rc = aud_table_render(t, f, fmt, NULL, err);
	if (rc < 0)
		goto done;
	if (shap && fmt == AUD_FORMAT_TABLE &&
	    fprintf(f, "base value %.6g, rows %.0f, max additivity error %.3g\n",
	    aud_json_num(results, "base_value"), aud_json_num(results, "explained_rows"),
	    aud_json_num(results, "max_additivity_error")) < 0)
		rc = AUD_ERROR(err, AUD_EOUTPUT, "cannot write the table");
done:
	aud_table_free(t);
	return rc;
}
