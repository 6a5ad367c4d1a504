/*
 * mitigate_job.c — audit-mitigate's thresholds, frontier and reweigh --table
 * as jobs of the runner (job.h): the rules between options, reading the rows
 * into the solver's groups (mitigate.h) or the reweighing cells, the
 * audit.mitigate/1 document, and its table, Markdown and CSV views.
 */
#include <audit/mitigate_job.h>
#include <audit/json.h>
#include <audit/text.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mitigate_rows.h"

const char *const aud_mit_command_names[] = { "thresholds", "apply", "reweigh", "frontier",
	NULL };

struct aud_mit_job {
	struct aud_mit_job_options o;
	double *tolerances;              /* frontier: owned copy */
	size_t ntol;
	struct aud_mit_groups *groups;   /* thresholds, frontier */
	struct aud__mit_cells cells;     /* reweigh --table */
	uint64_t skipped;                /* rows with a missing label, score or group */
	struct aud_mit_solution *sol, *exact;
	struct aud_mit_point *points;
};

int
aud_mit_job_new(struct aud_mit_job **out, const struct aud_mit_job_options *o,
    struct aud_error *err)
{
	struct aud_mit_job *j;
	size_t i;
	int rc;

	*out = NULL;
	if (o->command == AUD_MIT_APPLY)
		return AUD_ERROR(err, AUD_EINVAL, "apply is not a job: it streams rows");
	if (o->label == NULL || o->nprotected == 0)
		return AUD_ERROR(err, AUD_EINVAL, "--label and --protected are required");
	if (o->command != AUD_MIT_REWEIGH && o->score == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--score is required");
	if (!(o->mit.tolerance >= 0.0 && o->mit.tolerance <= 1.0))
		return AUD_ERROR(err, AUD_EINVAL, "--tolerance must be in [0, 1]");
	if (o->tolerances != NULL && o->ntolerances == 0)
		return AUD_ERROR(err, AUD_EINVAL, "--tolerances: no tolerance");
	for (i = 1; o->tolerances != NULL && i < o->ntolerances; i++)
		if (!(o->tolerances[i] > o->tolerances[i - 1]))
			return AUD_ERROR(err, AUD_EINVAL, "--tolerances must be increasing "
			    "(%g after %g)", o->tolerances[i], o->tolerances[i - 1]);
	if (o->command != AUD_MIT_FRONTIER && o->tolerances != NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--tolerances is for frontier");
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	j->o = *o;
	if (o->command == AUD_MIT_FRONTIER) {
		j->ntol = o->tolerances != NULL ? o->ntolerances : AUD_MIT_FRONTIER_STEPS;
		j->tolerances = calloc(j->ntol, sizeof(*j->tolerances));
		j->points = calloc(j->ntol, sizeof(*j->points));
		if (j->tolerances == NULL || j->points == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto fail;
		}
		for (i = 0; i < j->ntol; i++)
			j->tolerances[i] = o->tolerances != NULL ? o->tolerances[i] :
			    (double)i / 100.0;
	}
	rc = o->command == AUD_MIT_REWEIGH ? aud__mit_cells_init(&j->cells, err) :
	    aud_mit_groups_new(&j->groups, err);
	if (rc < 0)
		goto fail;
	*out = j;
	return 0;
fail:
	aud_mit_job_free(j);
	return rc;
}

void
aud_mit_job_free(struct aud_mit_job *j)
{
	if (j == NULL)
		return;
	aud_mit_groups_free(j->groups);
	aud__mit_cells_free(&j->cells);
	aud_mit_solution_free(j->sol);
	aud_mit_solution_free(j->exact);
	free(j->tolerances);
	free(j->points);
	free(j);
}

/* ---- reading ----------------------------------------------------------------- */

/* 1 when the label field is the positive value (as numbers when both are), 0 not, 2 missing. */
static int
is_positive(const struct aud_csv *csv, size_t col, const char *positive)
{
	size_t len;
	const char *s;
	double a, b;

	if (aud_csv_is_na(csv, col))
		return 2;
	s = aud_csv_field(csv, col, &len);
	if (aud_parse_number(&a, s, len) == 1 &&
	    aud_parse_number(&b, positive, strlen(positive)) == 1)
		return a == b;
	return len == strlen(positive) && memcmp(s, positive, len) == 0;
}

static int
job_read(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct aud_mit_job *j = self;
	struct aud__mit_key key;
	size_t ilabel, iscore = 0, len;
	int rc, k, y, has;
	int32_t g, l;
	double score;
	const char *s;

	memset(&key, 0, sizeof(key));
	rc = aud_csv_find(&ilabel, csv, j->o.label, err);
	if (rc == 0 && j->o.command != AUD_MIT_REWEIGH)
		rc = aud_csv_find(&iscore, csv, j->o.score, err);
	if (rc == 0)
		rc = aud__mit_key_init(&key, csv, j->o.protected, j->o.nprotected, err);
	while (rc == 0) {
		rc = aud_csv_next(csv, err);
		if (rc <= 0)
			break;
		rc = 0;
		k = aud__mit_key_read(&key, csv, err);
		if (k < 0) {
			rc = k;
			break;
		}
		if (j->o.command == AUD_MIT_REWEIGH) {
			if (!k || aud_csv_is_na(csv, ilabel)) {
				j->cells.skipped++;
				continue;
			}
			s = aud_csv_field(csv, ilabel, &len);
			rc = aud__mit_cells_add(&g, &l, &j->cells, key.buf, key.len, s, len, err);
			continue;
		}
		has = aud__mit_score(&score, csv, iscore, j->o.score, err);
		if (has < 0) {
			rc = has;
			break;
		}
		y = is_positive(csv, ilabel, j->o.positive);
		if (!k || !has || y == 2) {
			j->skipped++;
			continue;
		}
		rc = aud_mit_groups_add(j->groups, key.buf, score, y, 1.0, err);
		if ((aud_csv_rows(csv) & 0xffff) == 0)
			aud_progress_report(progress, "input", AUD_PROGRESS_BYTES,
			    aud_csv_bytes(csv), aud_csv_size(csv));
	}
	aud__mit_key_free(&key);
	if (rc == 0 && j->o.command != AUD_MIT_REWEIGH && aud_mit_groups_count(j->groups) == 0)
		rc = AUD_ERROR(err, AUD_EPARSE, "%s: no row with a label, a score and a "
		    "protected value", aud_csv_path(csv));
	if (rc == 0 && j->o.command == AUD_MIT_REWEIGH && j->cells.n == 0)
		rc = AUD_ERROR(err, AUD_EPARSE, "%s: no row with a label and a protected value",
		    aud_csv_path(csv));
	return rc < 0 ? rc : 0;
}

static int
job_run(void *self, const struct aud_progress_cb *progress, struct aud_error *err)
{
	struct aud_mit_job *j = self;
	struct aud_mit_options ex = j->o.mit;
	int rc;

	(void)progress;
	if (j->o.command == AUD_MIT_REWEIGH)
		return 0;
	rc = aud_mit_solve(&j->sol, j->groups, &j->o.mit, err);
	if (rc == 0 && j->o.mit.grid > 0) {
		ex.grid = 0;
		rc = aud_mit_solve(&j->exact, j->groups, &ex, err);
	}
	if (rc == 0 && j->o.command == AUD_MIT_FRONTIER)
		rc = aud_mit_frontier(j->points, j->tolerances, j->ntol, j->groups, &j->o.mit,
		    err);
	return rc;
}

/* ---- the document ------------------------------------------------------------ */

#define ADDN(o, k, x) do { if (aud_json_add_number(o, k, x) == NULL) return -1; } while (0)
#define ADDS(o, k, x) do { if (cJSON_AddStringToObject(o, k, x) == NULL) return -1; } while (0)

/* A threshold: a number, or "-inf" / "inf". */
static int
add_threshold(cJSON *o, const char *key, double t)
{
	if (isinf(t))
		return cJSON_AddStringToObject(o, key, t < 0 ? "-inf" : "inf") == NULL ? -1 : 0;
	return cJSON_AddNumberToObject(o, key, t) == NULL ? -1 : 0;
}

static int
put_rates(cJSON *parent, const char *key, const struct aud_mit_rates *r)
{
	cJSON *o = cJSON_AddObjectToObject(parent, key);

	if (o == NULL)
		return -1;
	ADDN(o, "count", r->count);
	ADDN(o, "selection_rate", r->selection_rate);
	ADDN(o, "tpr", r->tpr);
	ADDN(o, "fpr", r->fpr);
	ADDN(o, "accuracy", r->accuracy);
	return 0;
}

/* The largest difference of a rate between groups (groups where it is defined); NaN: none. */
static double
spread(const struct aud_mit_rates *r, size_t n, size_t off)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t i;

	for (i = 0; i < n; i++) {
		double x = *(const double *)((const char *)&r[i] + off);

		if (isnan(x))
			continue;
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
	}
	return hi >= lo ? hi - lo : NAN;
}

/* The whole input's accuracy, balanced accuracy, rates and the groups' differences. */
static int
put_overall(cJSON *parent, const char *key, const struct aud_mit_rates *r, size_t n)
{
	cJSON *o = cJSON_AddObjectToObject(parent, key);
	double count = 0, pos = 0, acc = 0, sel = 0, tp = 0, fp = 0, dtpr, dfpr, tpr, tnr;
	size_t i;

	if (o == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		count += r[i].count;
		pos += r[i].positives;
		acc += r[i].accuracy * r[i].count;
		sel += r[i].selection_rate * r[i].count;
		if (r[i].positives > 0)
			tp += r[i].tpr * r[i].positives;
		if (r[i].count - r[i].positives > 0)
			fp += r[i].fpr * (r[i].count - r[i].positives);
	}
	tpr = pos > 0 ? tp / pos : NAN;
	tnr = count - pos > 0 ? 1.0 - fp / (count - pos) : NAN;
	dtpr = spread(r, n, offsetof(struct aud_mit_rates, tpr));
	dfpr = spread(r, n, offsetof(struct aud_mit_rates, fpr));
	ADDN(o, "count", count);
	ADDN(o, "accuracy", acc / count);
	ADDN(o, "balanced_accuracy", (tpr + tnr) / 2.0);
	ADDN(o, "selection_rate", sel / count);
	ADDN(o, "tpr", tpr);
	ADDN(o, "fpr", 1.0 - tnr);
	ADDN(o, "demographic_parity_difference",
	    spread(r, n, offsetof(struct aud_mit_rates, selection_rate)));
	ADDN(o, "true_positive_rate_difference", dtpr);
	ADDN(o, "false_positive_rate_difference", dfpr);
	ADDN(o, "equalized_odds_difference", isnan(dtpr) ? dfpr : isnan(dfpr) ? dtpr :
	    dtpr > dfpr ? dtpr : dfpr);
	return 0;
}

static int
put_common(cJSON *res, const struct aud_mit_job *j, const char *method)
{
	char prot[1024];
	size_t i, len = 0;

	prot[0] = '\0';
	for (i = 0; i < j->o.nprotected && len < sizeof(prot); i++)
		len += (size_t)snprintf(prot + len, sizeof(prot) - len, "%s%s", i ? "," : "",
		    j->o.protected[i]);
	ADDS(res, "method", method);
	if (j->o.command != AUD_MIT_REWEIGH) {
		ADDS(res, "constraint", aud_mit_constraint_name(j->o.mit.constraint));
		ADDS(res, "objective", aud_mit_objective_name(j->o.mit.objective));
		ADDN(res, "grid", (double)j->o.mit.grid);
		ADDN(res, "tolerance", j->o.mit.tolerance);
	}
	ADDS(res, "label", j->o.label);
	if (j->o.command != AUD_MIT_REWEIGH)
		ADDS(res, "score", j->o.score);
	ADDS(res, "protected", prot);
	return 0;
}

/* A thresholds solution: what `thresholds` writes as results (and frontier as chosen). */
static int
put_solution(cJSON *res, const struct aud_mit_job *j, cJSON *warnings)
{
	size_t n = aud_mit_groups_count(j->groups), i;
	struct aud_mit_rates *before, *after;
	cJSON *arr, *g, *x;
	int rc = -1;

	if (put_common(res, j, "thresholds") < 0)
		return -1;
	ADDN(res, "threshold_before", j->o.threshold);
	ADDN(res, "objective_value", j->sol->objective);
	ADDN(res, "constrained_rate", j->sol->constrained_rate);
	if (j->exact != NULL) {
		x = cJSON_AddObjectToObject(res, "exact");
		if (x == NULL)
			return -1;
		ADDN(x, "objective_value", j->exact->objective);
		ADDN(x, "difference", j->exact->objective - j->sol->objective);
	}
	before = calloc(n + 1, sizeof(*before));
	after = calloc(n + 1, sizeof(*after));
	arr = cJSON_AddArrayToObject(res, "groups");
	if (before == NULL || after == NULL || arr == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		const struct aud_mit_rule *r = &j->sol->rules[i];
		const char *name = aud_mit_groups_name(j->groups, i);

		aud_mit_groups_rates_at(j->groups, i, j->o.threshold, &before[i]);
		aud_mit_groups_rates(j->groups, i, r, &after[i]);
		g = cJSON_CreateObject();
		if (g == NULL || !cJSON_AddItemToArray(arr, g) ||
		    cJSON_AddStringToObject(g, "group", name) == NULL)
			goto done;
		x = cJSON_AddObjectToObject(g, "rule");
		if (x == NULL || aud_json_add_number(x, "p0", r->p0) == NULL ||
		    add_threshold(x, "threshold0", r->threshold0) < 0 ||
		    aud_json_add_number(x, "p1", r->p1) == NULL ||
		    add_threshold(x, "threshold1", r->threshold1) < 0 ||
		    aud_json_add_number(x, "p_ignore", r->p_ignore) == NULL ||
		    aud_json_add_number(x, "prediction_constant", r->prediction_constant) == NULL)
			goto done;
		if (put_rates(g, "before", &before[i]) < 0 || put_rates(g, "after", &after[i]) < 0)
			goto done;
		if (warnings != NULL && (before[i].positives == 0.0 ||
		    before[i].positives == before[i].count)) {
			char msg[256];

			snprintf(msg, sizeof(msg), "group '%.80s' has no %s label: its %s is "
			    "undefined (null)", name, before[i].positives == 0.0 ? "positive" :
			    "negative", before[i].positives == 0.0 ? "TPR" : "FPR");
			if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
				goto done;
		}
	}
	if (put_overall(res, "before", before, n) < 0 || put_overall(res, "after", after, n) < 0)
		goto done;
	rc = 0;
done:
	free(before);
	free(after);
	return rc;
}

static int
put_weights(cJSON *res, const struct aud_mit_job *j, cJSON *warnings)
{
	const struct aud__mit_cells *c = &j->cells;
	cJSON *arr, *w;
	size_t g, y;
	char msg[320];

	if (put_common(res, j, "reweigh") < 0)
		return -1;
	arr = cJSON_AddArrayToObject(res, "weights");
	if (arr == NULL)
		return -1;
	for (g = 0; g < aud_dict_size(c->groups); g++)
		for (y = 0; y < aud_dict_size(c->labels); y++) {
			double n = aud__mit_cells_count(c, g, y);

			w = cJSON_CreateObject();
			if (w == NULL || !cJSON_AddItemToArray(arr, w))
				return -1;
			ADDS(w, "group", aud_dict_str(c->groups, (int32_t)g));
			ADDS(w, "label", aud_dict_str(c->labels, (int32_t)y));
			ADDN(w, "count", n);
			ADDN(w, "weight", aud__mit_cells_weight(c, g, y));
			if (n == 0.0) {
				snprintf(msg, sizeof(msg), "group '%.100s' has no row of label "
				    "'%.100s': its weight is undefined (null)",
				    aud_dict_str(c->groups, (int32_t)g),
				    aud_dict_str(c->labels, (int32_t)y));
				if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
					return -1;
			}
		}
	if (c->skipped > 0) {
		snprintf(msg, sizeof(msg), "%llu rows with a missing label or protected value "
		    "are not counted", (unsigned long long)c->skipped);
		if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
			return -1;
	}
	return 0;
}

static int
put_frontier(cJSON *res, const struct aud_mit_job *j, cJSON *warnings)
{
	cJSON *arr, *p, *chosen;
	size_t i;

	if (put_common(res, j, "frontier") < 0)
		return -1;
	ADDN(res, "threshold_before", j->o.threshold);
	arr = cJSON_AddArrayToObject(res, "points");
	for (i = 0; arr != NULL && i < j->ntol; i++) {
		p = cJSON_CreateObject();
		if (p == NULL || !cJSON_AddItemToArray(arr, p))
			return -1;
		ADDN(p, "tolerance", j->points[i].tolerance);
		ADDN(p, "objective_value", j->points[i].objective);
		ADDN(p, "disparity", j->points[i].disparity);
	}
	chosen = cJSON_AddObjectToObject(res, "chosen");
	if (arr == NULL || chosen == NULL)
		return -1;
	return put_solution(chosen, j, warnings);
}

static int
put_params(cJSON *p, const struct aud_mit_job *j)
{
	cJSON *x;
	size_t i;

	ADDS(p, "command", aud_mit_command_names[j->o.command]);
	ADDS(p, "label", j->o.label);
	if (aud_json_add_strings(p, "protected", j->o.protected, j->o.nprotected) == NULL)
		return -1;
	if (j->o.command == AUD_MIT_REWEIGH)
		return 0;
	ADDS(p, "score", j->o.score);
	ADDS(p, "positive", j->o.positive);
	ADDN(p, "threshold", j->o.threshold);
	ADDS(p, "constraint", aud_mit_constraint_name(j->o.mit.constraint));
	ADDS(p, "objective", aud_mit_objective_name(j->o.mit.objective));
	ADDN(p, "grid", (double)j->o.mit.grid);
	ADDN(p, "tolerance", j->o.mit.tolerance);
	if (j->o.command == AUD_MIT_FRONTIER) {
		x = cJSON_AddArrayToObject(p, "tolerances");
		for (i = 0; x != NULL && i < j->ntol; i++)
			if (!cJSON_AddItemToArray(x, aud_json_number(j->tolerances[i])))
				return -1;
		if (x == NULL)
			return -1;
	}
	return 0;
}

static int
job_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct aud_mit_job *j = self;
	int rc;

	rc = put_params(params, j);
	if (rc == 0 && j->o.command == AUD_MIT_REWEIGH)
		rc = put_weights(results, j, warnings);
	else if (rc == 0 && j->o.command == AUD_MIT_FRONTIER)
		rc = put_frontier(results, j, warnings);
	else if (rc == 0)
		rc = put_solution(results, j, warnings);
	if (rc == 0 && j->skipped > 0) {
		char msg[160];

		snprintf(msg, sizeof(msg), "%llu rows with a missing label, score or protected "
		    "value are not counted", (unsigned long long)j->skipped);
		if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(msg)))
			rc = -1;
	}
	return rc < 0 ? AUD_ERROR(err, AUD_ENOMEM, "out of memory") : 0;
}

/* ---- the text views ------------------------------------------------------------ */

/* A number of a document for people (4 significant digits) or exactly (csv); "-" for null. */
static void
cell_num(struct aud_table *t, size_t col, const cJSON *o, const char *key, int exact)
{
	const cJSON *v = aud_json_get(o, key);
	char buf[AUD_NUMBUF];

	if (cJSON_IsString(v)) {
		aud_table_set(t, col, "%s", v->valuestring);
		return;
	}
	if (!cJSON_IsNumber(v)) {
		aud_table_set(t, col, "%s", exact ? "" : "-");
		return;
	}
	if (exact)
		aud_format_double(buf, v->valuedouble);
	else
		aud_format_sig(buf, v->valuedouble, 4, 1, NULL);
	aud_table_set(t, col, "%s", buf);
}

static const char *const rule_keys[] = { "threshold0", "p0", "threshold1", "p1", "p_ignore",
	"prediction_constant" };
static const char *const rate_keys[] = { "selection_rate", "tpr", "fpr", "accuracy" };
static const char *const rate_short[] = { "sel", "tpr", "fpr", "acc" };

/*
 * One row per group: the rule (rules != 0), each rate before and after
 * (rates != 0), or both (csv: one table).
 */
static int
write_groups(FILE *f, const cJSON *sol, enum aud_format format, int rules, int rates,
    struct aud_error *err)
{
	struct aud_table *t;
	const cJSON *g;
	size_t c, k, ncols = 2 + (rules ? 6 : 0) + (rates ? 8 : 0), at;
	int rc, exact = format == AUD_FORMAT_CSV;
	char head[64];

	rc = aud_table_new(&t, ncols, err);
	if (rc < 0)
		return rc;
	aud_table_column(t, 0, "group", AUD_ALIGN_LEFT);
	aud_table_column(t, 1, "count", AUD_ALIGN_RIGHT);
	at = 2;
	for (k = 0; rules && k < 6; k++)
		aud_table_column(t, at++, rule_keys[k], AUD_ALIGN_RIGHT);
	for (k = 0; rates && k < 4; k++) {
		snprintf(head, sizeof(head), "%s_before", exact ? rate_keys[k] : rate_short[k]);
		aud_table_column(t, at++, head, AUD_ALIGN_RIGHT);
		snprintf(head, sizeof(head), "%s_after", exact ? rate_keys[k] : rate_short[k]);
		aud_table_column(t, at++, head, AUD_ALIGN_RIGHT);
	}
	cJSON_ArrayForEach(g, aud_json_get(sol, "groups")) {
		const cJSON *rule = aud_json_get(g, "rule");

		if (aud_table_add_row(t) < 0) {
			aud_table_free(t);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		aud_table_set(t, 0, "%s", aud_json_str(g, "group"));
		cell_num(t, 1, aud_json_get(g, "before"), "count", 1);
		at = 2;
		for (k = 0; rules && k < 6; k++)
			cell_num(t, at++, rule, rule_keys[k], exact);
		for (c = 0; rates && c < 4; c++) {
			cell_num(t, at++, aud_json_get(g, "before"), rate_keys[c], exact);
			cell_num(t, at++, aud_json_get(g, "after"), rate_keys[c], exact);
		}
	}
	return aud_table_render_section(t, f,
	    format, exact ? NULL : rules ? "Rules: decide score > threshold0 "
	    "with probability p0, score > threshold1 with p1" : "Groups, before and after", err);
}

static const char *const overall_keys[] = { "accuracy", "balanced_accuracy", "selection_rate",
	"tpr", "fpr", "demographic_parity_difference", "true_positive_rate_difference",
	"false_positive_rate_difference", "equalized_odds_difference" };

static int
write_overall(FILE *f, const cJSON *sol, enum aud_format format, struct aud_error *err)
{
	struct aud_table *t;
	size_t k;
	int rc;

	rc = aud_table_new(&t, 3, err);
	if (rc < 0)
		return rc;
	aud_table_column(t, 0, "metric", AUD_ALIGN_LEFT);
	aud_table_column(t, 1, "before", AUD_ALIGN_RIGHT);
	aud_table_column(t, 2, "after", AUD_ALIGN_RIGHT);
	for (k = 0; k < sizeof(overall_keys) / sizeof(overall_keys[0]); k++) {
		if (aud_table_add_row(t) < 0) {
			aud_table_free(t);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		aud_table_set(t, 0, "%s", overall_keys[k]);
		cell_num(t, 1, aud_json_get(sol, "before"), overall_keys[k], 0);
		cell_num(t, 2, aud_json_get(sol, "after"), overall_keys[k], 0);
	}
	return aud_table_render_section(t, f,
	    format, "Overall, before and after", err);
}

static void
write_summary(FILE *f, const cJSON *sol, enum aud_format format)
{
	char a[AUD_NUMBUF], b[AUD_NUMBUF], d[AUD_NUMBUF];
	const cJSON *ex = aud_json_get(sol, "exact");

	aud_format_sig(a, aud_json_num(sol, "objective_value"), 6, 1, "-");
	(void)format;
	fprintf(f, "%s: %s under %s (tolerance %g, grid %g, before: score >= %g): "
	    "objective %s", aud_json_str(sol, "method"), aud_json_str(sol, "objective"), aud_json_str(sol, "constraint"),
	    aud_json_num(sol, "tolerance"), aud_json_num(sol, "grid"),
	    aud_json_num(sol, "threshold_before"), a);
	if (ex != NULL) {
		aud_format_sig(b, aud_json_num(ex, "objective_value"), 6, 1, "-");
		aud_format_sig(d, aud_json_num(ex, "difference"), 3, 0, "-");
		fprintf(f, "; exact optimum %s (%s more)", b, d);
	}
	fputs("\n", f);
}

static int
write_solution(FILE *f, const cJSON *sol, enum aud_format format, struct aud_error *err)
{
	int rc;

	if (format == AUD_FORMAT_CSV)
		return write_groups(f, sol, format, 1, 1, err);
	write_summary(f, sol, format);
	rc = write_groups(f, sol, format, 1, 0, err);
	if (rc == 0)
		rc = write_groups(f, sol, format, 0, 1, err);
	if (rc == 0)
		rc = write_overall(f, sol, format, err);
	return rc;
}

static int
write_weights(FILE *f, const cJSON *res, enum aud_format format, struct aud_error *err)
{
	struct aud_table *t;
	const cJSON *w;
	int rc, exact = format == AUD_FORMAT_CSV;

	rc = aud_table_new(&t, 4, err);
	if (rc < 0)
		return rc;
	aud_table_column(t, 0, "group", AUD_ALIGN_LEFT);
	aud_table_column(t, 1, "label", AUD_ALIGN_LEFT);
	aud_table_column(t, 2, "count", AUD_ALIGN_RIGHT);
	aud_table_column(t, 3, "weight", AUD_ALIGN_RIGHT);
	cJSON_ArrayForEach(w, aud_json_get(res, "weights")) {
		if (aud_table_add_row(t) < 0) {
			aud_table_free(t);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		aud_table_set(t, 0, "%s", aud_json_str(w, "group"));
		aud_table_set(t, 1, "%s", aud_json_str(w, "label"));
		cell_num(t, 2, w, "count", 1);
		cell_num(t, 3, w, "weight", exact);
	}
	return aud_table_render_section(t, f,
	    format, NULL, err);
}

static int
write_points(FILE *f, const cJSON *res, enum aud_format format, struct aud_error *err)
{
	struct aud_table *t;
	const cJSON *p;
	double chosen = aud_json_num(res, "tolerance");
	int rc, exact = format == AUD_FORMAT_CSV;

	rc = aud_table_new(&t, 4, err);
	if (rc < 0)
		return rc;
	aud_table_column(t, 0, "tolerance", AUD_ALIGN_RIGHT);
	aud_table_column(t, 1, "objective_value", AUD_ALIGN_RIGHT);
	aud_table_column(t, 2, "disparity", AUD_ALIGN_RIGHT);
	aud_table_column(t, 3, "chosen", AUD_ALIGN_LEFT);
	cJSON_ArrayForEach(p, aud_json_get(res, "points")) {
		if (aud_table_add_row(t) < 0) {
			aud_table_free(t);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		cell_num(t, 0, p, "tolerance", exact);
		cell_num(t, 1, p, "objective_value", exact);
		cell_num(t, 2, p, "disparity", exact);
		aud_table_set(t, 3, "%s", aud_json_num(p, "tolerance") == chosen ? "yes" : "");
	}
	return aud_table_render_section(t, f,
	    format, format == AUD_FORMAT_CSV ? NULL :
	    "Frontier: the exact optimum at each tolerance", err);
}

int
aud_mit_write_results(FILE *f, const cJSON *results, enum aud_format format,
    struct aud_error *err)
{
	const char *method = aud_json_str(results, "method");
	int rc;

	if (method != NULL && strcmp(method, "reweigh") == 0)
		return write_weights(f, results, format, err);
	if (method != NULL && strcmp(method, "frontier") == 0) {
		rc = write_points(f, results, format, err);
		if (rc == 0 && format != AUD_FORMAT_CSV) {
			fputs("\nChosen point: ", f);
			rc = write_solution(f, aud_json_get(results, "chosen"), format, err);
		}
		return rc;
	}
	return write_solution(f, results, format, err);
}

static void
job_checks(void *self, struct aud_check_resolver *out)
{
	(void)self;
	aud_mit_check_resolver(out);
}

static int
job_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	return aud_mit_write_results(f, aud_json_get(doc, "results"), format, err);
}

const struct aud_job_ops aud_mit_job_ops = {
	"audit.mitigate/1",
	job_read,
	job_run,
	job_document,
	job_checks,
	job_write,
	0, NULL, NULL, NULL
};
