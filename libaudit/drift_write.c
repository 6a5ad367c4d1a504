/*
 * drift_write.c — the table, Markdown and CSV views of an audit.drift/1
 * document, written from the document alone (so that audit-report --format
 * prints a saved one the same way).
 *
 * table/md: a summary line, the columns (prediction and label marked), then
 * the groups and the windows, one line each. csv: one line per compared
 * column of every scope (all, each group, each window) with every statistic.
 */
#include <string.h>

#include <audit/json.h>

#include "data_impl.h"

static const char *const all_stats[] = { "psi", "ks_statistic", "ks_pvalue", "wasserstein",
	"wasserstein_normed", "chisquare_statistic", "chisquare_pvalue", "contingency_statistic",
	"contingency_pvalue", "jensenshannon",
	"z_statistic", "z_pvalue", "missing_reference", "missing_current", "reference_rows",
	"current_rows", NULL };

static void
cell_bool(struct aud_table *t, size_t col, const cJSON *o, const char *key, int exact)
{
	const cJSON *v = aud_json_get(o, key);

	aud_table_set(t, col, "%s", cJSON_IsTrue(v) ? (exact ? "true" : "yes") :
	    cJSON_IsFalse(v) ? (exact ? "false" : "no") : exact ? "" : "-");
}

static void
cell_str(struct aud_table *t, size_t col, const cJSON *o, const char *key, const char *none)
{
	const char *s = aud_json_str(o, key);

	aud_table_set(t, col, "%s", s != NULL ? s : none);
}

static int
nomem(struct aud_table *t, struct aud_error *err)
{
	aud_table_free(t);
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

/* One row of the columns table for people. */
static int
person_row(struct aud_table *t, const cJSON *c, const char *role)
{
	char name[300];

	if (aud_table_add_row(t) < 0)
		return -1;
	snprintf(name, sizeof(name), "%s%s", aud_json_str(c, "column") ? aud_json_str(c, "column") :
	    "?", role);
	aud_table_set(t, 0, "%s", name);
	cell_str(t, 1, c, "kind", "-");
	cell_str(t, 2, c, "test", "-");
	aud_json_cell_num(t, 3, c, "value", 0);
	aud_json_cell_num(t, 4, c, "threshold", 0);
	cell_bool(t, 5, c, "drift", 0);
	aud_json_cell_num(t, 6, c, "psi", 0);
	aud_json_cell_num(t, 7, c, "missing_reference", 0);
	aud_json_cell_num(t, 8, c, "missing_current", 0);
	return 0;
}

static int
write_columns(FILE *f, const cJSON *res, enum aud_format format, struct aud_error *err)
{
	static const char *const heads[] = { "column", "kind", "test", "value", "threshold",
		"drift", "psi", "missing_ref", "missing_cur" };
	struct aud_table *t;
	const cJSON *c;
	size_t k;
	int rc;

	rc = aud_table_new(&t, 9, err);
	if (rc < 0)
		return rc;
	for (k = 0; k < 9; k++)
		aud_table_column(t, k, heads[k], k < 3 || k == 5 ? AUD_ALIGN_LEFT :
		    AUD_ALIGN_RIGHT);
	cJSON_ArrayForEach(c, aud_json_get(res, "columns"))
		if (person_row(t, c, "") < 0)
			return nomem(t, err);
	if ((c = aud_json_get(res, "prediction")) != NULL && person_row(t, c, " (prediction)") < 0)
		return nomem(t, err);
	if ((c = aud_json_get(res, "label")) != NULL && person_row(t, c, " (label)") < 0)
		return nomem(t, err);
	return aud_table_render_section(t, f,
	    format, "Columns (value: the deciding statistic; p-values drift "
	    "below the threshold, distances at or above it)", err);
}

/* The groups or the windows: one line each. */
static int
write_scopes(FILE *f, const cJSON *arr, const char *key, enum aud_format format,
    struct aud_error *err)
{
	struct aud_table *t;
	const cJSON *s;
	int rc;

	if (cJSON_GetArraySize(arr) == 0)
		return 0;
	rc = aud_table_new(&t, 8, err);
	if (rc < 0)
		return rc;
	aud_table_column(t, 0, key, AUD_ALIGN_LEFT);
	aud_table_column(t, 1, "rows", AUD_ALIGN_RIGHT);
	aud_table_column(t, 2, "tested", AUD_ALIGN_RIGHT);
	aud_table_column(t, 3, "drifted", AUD_ALIGN_RIGHT);
	aud_table_column(t, 4, "drift_share", AUD_ALIGN_RIGHT);
	aud_table_column(t, 5, "dataset_drift", AUD_ALIGN_LEFT);
	aud_table_column(t, 6, "prediction_drift", AUD_ALIGN_LEFT);
	aud_table_column(t, 7, "label_drift", AUD_ALIGN_LEFT);
	cJSON_ArrayForEach(s, arr) {
		if (aud_table_add_row(t) < 0)
			return nomem(t, err);
		cell_str(t, 0, s, key, "?");
		aud_json_cell_num(t, 1, s, "rows", 0);
		aud_json_cell_num(t, 2, s, "tested", 0);
		aud_json_cell_num(t, 3, s, "drifted", 0);
		aud_json_cell_num(t, 4, s, "drift_share", 0);
		cell_bool(t, 5, s, "dataset_drift", 0);
		cell_bool(t, 6, aud_json_get(s, "prediction"), "drift", 0);
		cell_bool(t, 7, aud_json_get(s, "label"), "drift", 0);
	}
	return aud_table_render_section(t, f,
	    format, strcmp(key, "group") == 0 ? "Per group (each group of both "
	    "files against each other)" : "Per window (each window against the whole reference)",
	    err);
}

static void
write_summary(FILE *f, const cJSON *doc, const cJSON *res)
{
	const cJSON *p = aud_json_get(doc, "params");
	char share[AUD_NUMBUF];
	const cJSON *dd = aud_json_get(res, "dataset_drift");

	aud_format_sig(share, aud_json_num(res, "drift_share"), 4, 0, "undefined");
	fprintf(f, "%s against %s: %g of %g tested columns drift (share %s): dataset drift %s "
	    "(at a share of %g)\n", aud_json_str(aud_json_get(doc, "input"), "path") ?
	    aud_json_str(aud_json_get(doc, "input"), "path") : "the input",
	    aud_json_str(p, "reference") ? aud_json_str(p, "reference") : "the reference",
	    aud_json_num(res, "drifted"), aud_json_num(res, "tested"), share,
	    cJSON_IsTrue(dd) ? "yes" : cJSON_IsFalse(dd) ? "no" : "undefined",
	    aud_json_num(p, "share"));
}

/* csv: one line per column of one scope. */
static int
csv_rows(struct aud_table *t, const cJSON *scope, const char *kind, const char *name)
{
	static const char *const roles[] = { "columns", "prediction", "label" };
	const cJSON *c, *list;
	size_t r, k;

	for (r = 0; r < 3; r++) {
		list = aud_json_get(scope, roles[r]);
		for (c = r == 0 ? (list != NULL ? list->child : NULL) : list; c != NULL;
		    c = r == 0 ? c->next : NULL) {
			if (aud_table_add_row(t) < 0)
				return -1;
			aud_table_set(t, 0, "%s", kind);
			aud_table_set(t, 1, "%s", name);
			cell_str(t, 2, c, "column", "");
			aud_table_set(t, 3, "%s", r == 0 ? "feature" : roles[r]);
			cell_str(t, 4, c, "kind", "");
			cell_str(t, 5, c, "test", "");
			aud_json_cell_num(t, 6, c, "value", 1);
			aud_json_cell_num(t, 7, c, "threshold", 1);
			cell_bool(t, 8, c, "drift", 1);
			for (k = 0; all_stats[k] != NULL; k++)
				aud_json_cell_num(t, 9 + k, c, all_stats[k], 1);
		}
	}
	return 0;
}

static int
write_csv(FILE *f, const cJSON *res, struct aud_error *err)
{
	static const char *const heads[] = { "scope", "scope_value", "column", "role", "kind",
		"test", "value", "threshold", "drift" };
	struct aud_table *t;
	const cJSON *s;
	size_t k, n = 9;
	int rc;

	for (k = 0; all_stats[k] != NULL; k++)
		n++;
	rc = aud_table_new(&t, n, err);
	if (rc < 0)
		return rc;
	for (k = 0; k < 9; k++)
		aud_table_column(t, k, heads[k], AUD_ALIGN_LEFT);
	for (k = 0; all_stats[k] != NULL; k++)
		aud_table_column(t, 9 + k, all_stats[k], AUD_ALIGN_RIGHT);
	if (csv_rows(t, res, "all", "") < 0)
		return nomem(t, err);
	cJSON_ArrayForEach(s, aud_json_get(res, "groups"))
		if (csv_rows(t, s, "group", aud_json_str(s, "group") ? aud_json_str(s, "group") :
		    "") < 0)
			return nomem(t, err);
	cJSON_ArrayForEach(s, aud_json_get(res, "windows"))
		if (csv_rows(t, s, "window", aud_json_str(s, "window") ?
		    aud_json_str(s, "window") : "") < 0)
			return nomem(t, err);
	return aud_table_render_section(t, f,
	    AUD_FORMAT_CSV, NULL, err);
}

int
aud__drift_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	const cJSON *res = aud_json_get(doc, "results");
	int rc;

	if (format == AUD_FORMAT_CSV)
		return write_csv(f, res, err);
	write_summary(f, doc, res);
	rc = write_columns(f, res, format, err);
	if (rc == 0)
		rc = write_scopes(f, aud_json_get(res, "groups"), "group", format, err);
	if (rc == 0)
		rc = write_scopes(f, aud_json_get(res, "windows"), "window", format, err);
	return rc;
}
