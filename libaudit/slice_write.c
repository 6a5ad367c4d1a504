/*
 * slice_write.c — the table, Markdown and CSV views of an audit.slice/1
 * document, from the document alone (so that audit-report --format prints a
 * saved one the same way).
 *
 * table/md: a summary line (the metric overall with its interval, rows read
 * and skipped; with discovery the candidates tested, significant and
 * reported), then one line per slice. csv: one line per slice with every
 * member, numbers exact.
 */
#include <math.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/json.h>
#include <audit/slice.h>

/* The interval [lo, hi] for people, or its two ends exactly (csv). */
static void
cell_ci(struct aud_table *t, size_t col, const cJSON *o, const char *key, int exact)
{
	const cJSON *a = aud_json_get(o, key);
	char lo[AUD_NUMBUF], hi[AUD_NUMBUF];
	double l = NAN, h = NAN;

	aud_json_ci(a, &l, &h);
	if (exact) {
		aud_format_double(lo, l);
		aud_format_double(hi, h);
		aud_table_set(t, col, "%s", lo);
		aud_table_set(t, col + 1, "%s", hi);
		return;
	}
	if (l != l || h != h) {
		aud_table_set(t, col, "-");
		return;
	}
	aud_format_sig(lo, l, 4, 1, NULL);
	aud_format_sig(hi, h, 4, 1, NULL);
	aud_table_set(t, col, "[%s, %s]", lo, hi);
}

static const char *
slice_name(const cJSON *s)
{
	const char *n = aud_json_str(s, "name");

	if (n == NULL)
		n = aud_json_str(s, "description");
	return n != NULL ? n : "?";
}

static int
nomem(struct aud_table *t, struct aud_error *err)
{
	aud_table_free(t);
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

static void
write_summary(FILE *f, const cJSON *res)
{
	const cJSON *o = aud_json_get(res, "overall"), *d = aud_json_get(res, "discovery");
	const char *metric = aud_json_str(res, "metric"), *worse = aud_json_str(res, "worse");
	char m[AUD_NUMBUF], lo[AUD_NUMBUF], hi[AUD_NUMBUF];
	double l = NAN, h = NAN;

	aud_format_sig(m, aud_json_num(o, "metric"), 4, 1, "undefined");
	aud_json_ci(aud_json_get(o, "ci"), &l, &h);
	aud_format_sig(lo, l, 4, 1, "-");
	aud_format_sig(hi, h, 4, 1, "-");
	fprintf(f, "%s (%s is worse) over %.0f eligible rows: %s [%s, %s]; %.0f rows read, "
	    "%.0f skipped\n", metric != NULL ? metric : "?", worse != NULL ? worse : "?",
	    aud_json_num(o, "size"), m, lo, hi, aud_json_num(res, "rows"),
	    aud_json_num(res, "skipped"));
	if (d != NULL)
		fprintf(f, "discovery: %.0f candidate slices tested, %.0f significant, "
		    "%.0f reported\n", aud_json_num(d, "candidates"),
		    aud_json_num(d, "significant"), aud_json_num(d, "reported"));
}

static int
write_people(FILE *f, const cJSON *res, enum aud_format format, struct aud_error *err)
{
	static const char *const heads[] = { "slice", "size", "metric", "ci", "rest_size",
		"rest_metric", "rest_ci", "effect", "statistic", "p_value", "q_value" };
	const cJSON *s, *slices = aud_json_get(res, "slices");
	int disc = aud_json_get(res, "discovery") != NULL;
	size_t k, n = disc ? 11 : 10;
	struct aud_table *t;
	char title[200];
	int rc;

	write_summary(f, res);
	rc = aud_table_new(&t, n, err);
	if (rc < 0)
		return rc;
	for (k = 0; k < n; k++)
		aud_table_column(t, k, heads[k], k == 0 ? AUD_ALIGN_LEFT : AUD_ALIGN_RIGHT);
	cJSON_ArrayForEach(s, slices) {
		if (aud_table_add_row(t) < 0)
			return nomem(t, err);
		aud_table_set(t, 0, "%s", slice_name(s));
		aud_json_cell_num(t, 1, s, "size", 0);
		aud_json_cell_num(t, 2, s, "metric", 0);
		cell_ci(t, 3, s, "ci", 0);
		aud_json_cell_num(t, 4, s, "complement_size", 0);
		aud_json_cell_num(t, 5, s, "complement_metric", 0);
		cell_ci(t, 6, s, "complement_ci", 0);
		aud_json_cell_num(t, 7, s, "effect", 0);
		aud_json_cell_num(t, 8, s, "statistic", 0);
		aud_json_cell_num(t, 9, s, "p_value", 0);
		if (disc)
			aud_json_cell_num(t, 10, s, "q_value", 0);
	}
	snprintf(title, sizeof(title), "%s (each against the rest; effect > 0: the slice is "
	    "worse; %s)", disc ? "Discovered slices, worst first" : "Slices",
	    disc ? "one-sided p-values, Benjamini-Hochberg q-values" : "two-sided p-values");
	return aud_table_render_section(t, f, format, title, err);
}

static int
write_csv(FILE *f, const cJSON *res, struct aud_error *err)
{
	static const char *const heads[] = { "slice", "expression", "size", "metric", "ci_low",
		"ci_high", "complement_size", "complement_metric", "complement_ci_low",
		"complement_ci_high", "effect", "test", "statistic", "p_value", "q_value",
		"degree" };
	const size_t n = sizeof(heads) / sizeof(heads[0]);
	struct aud_table *t;
	const cJSON *s;
	const char *x;
	size_t k;
	int rc;

	rc = aud_table_new(&t, n, err);
	if (rc < 0)
		return rc;
	for (k = 0; k < n; k++)
		aud_table_column(t, k, heads[k], AUD_ALIGN_LEFT);
	cJSON_ArrayForEach(s, aud_json_get(res, "slices")) {
		if (aud_table_add_row(t) < 0)
			return nomem(t, err);
		aud_table_set(t, 0, "%s", slice_name(s));
		x = aud_json_str(s, "expression");
		aud_table_set(t, 1, "%s", x != NULL ? x : "");
		aud_json_cell_num(t, 2, s, "size", 1);
		aud_json_cell_num(t, 3, s, "metric", 1);
		cell_ci(t, 4, s, "ci", 1);
		aud_json_cell_num(t, 6, s, "complement_size", 1);
		aud_json_cell_num(t, 7, s, "complement_metric", 1);
		cell_ci(t, 8, s, "complement_ci", 1);
		aud_json_cell_num(t, 10, s, "effect", 1);
		x = aud_json_str(s, "test");
		aud_table_set(t, 11, "%s", x != NULL ? x : "");
		aud_json_cell_num(t, 12, s, "statistic", 1);
		aud_json_cell_num(t, 13, s, "p_value", 1);
		aud_json_cell_num(t, 14, s, "q_value", 1);
		aud_json_cell_num(t, 15, s, "degree", 1);
	}
	return aud_table_render_section(t, f, AUD_FORMAT_CSV, NULL, err);
}

int
aud_slice_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	const char *schema = aud_json_str(doc, "schema");
	const cJSON *res = aud_json_get(doc, "results");

	if (schema == NULL || strcmp(schema, "audit.slice/1") != 0)
		return AUD_ERROR(err, AUD_EPARSE, "not an audit-slice document (schema '%s')",
		    schema != NULL ? schema : "none");
	if (format == AUD_FORMAT_CSV)
		return write_csv(f, res, err);
	return write_people(f, res, format, err);
}
