/*
 * fairtask_write.c — the table, Markdown and CSV views of the multi-class and
 * regression fairness documents, written from the document alone (so that
 * audit-report --format prints a saved one the same way).
 *
 * table/md: a title, then per attribute (overall first) the groups' metrics
 * with their intervals, the summaries with theirs, and for multi-class the
 * per-class values of every group. csv: one line per group and metric (per
 * class: metric "recall[CLASS]"), then the summaries (group empty).
 */
#include <string.h>

#include <audit/csv.h>
#include <audit/json.h>

#include "fairtask_impl.h"

static void
num(char *buf, double x, int exact, int have)
{
	if (!have) {
		snprintf(buf, AUD_NUMBUF, "%s", exact ? "" : "-");
		return;
	}
	if (exact)
		aud_format_double(buf, x);
	else
		aud_format_sig(buf, x, 4, 1, NULL);
}

/* A value of o[key] as text ("-" or "" when null or absent). */
static void
cell(struct aud_table *t, size_t col, const cJSON *o, const char *key, int exact)
{
	const cJSON *v = aud_json_get(o, key);
	char buf[AUD_NUMBUF > 32 ? AUD_NUMBUF : 32];

	num(buf, cJSON_IsNumber(v) ? v->valuedouble : 0.0, exact, cJSON_IsNumber(v));
	aud_table_set(t, col, "%s", buf);
}

/* "[lo, hi]" of ci[key], or "-". */
static void
cell_ci(struct aud_table *t, size_t col, const cJSON *ci, const char *key)
{
	const cJSON *a = aud_json_get(ci, key);
	double lo, hi;
	char l[AUD_NUMBUF], h[AUD_NUMBUF];

	aud_json_ci(a, &lo, &hi);
	if (!cJSON_IsArray(a) || !(lo == lo) || !(hi == hi)) {
		aud_table_set(t, col, "-");
		return;
	}
	aud_format_sig(l, lo, 4, 1, NULL);
	aud_format_sig(h, hi, 4, 1, NULL);
	aud_table_set(t, col, "[%s, %s]", l, h);
}

static int
nomem(struct aud_table *t, struct aud_error *err)
{
	aud_table_free(t);
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

/* The groups of an attribute (or overall): n, then each metric with its interval. */
static int
groups_table(FILE *f, enum aud_format fmt, const char *title, const cJSON *groups,
    const cJSON *overall, const char *const *keys, size_t nk, struct aud_error *err)
{
	struct aud_table *t = NULL;
	const cJSON *g;
	size_t k;
	int rc = aud_table_new(&t, 2 + 2 * nk, err);

	if (rc < 0)
		return rc;
	if (aud_table_column(t, 0, "group", AUD_ALIGN_LEFT) < 0 ||
	    aud_table_column(t, 1, "n", AUD_ALIGN_RIGHT) < 0)
		return nomem(t, err);
	for (k = 0; k < nk; k++) {
		char head[64];

		snprintf(head, sizeof(head), "%s CI", keys[k]);
		if (aud_table_column(t, 2 + 2 * k, keys[k], AUD_ALIGN_RIGHT) < 0 ||
		    aud_table_column(t, 3 + 2 * k, head, AUD_ALIGN_RIGHT) < 0)
			return nomem(t, err);
	}
	for (g = overall != NULL ? overall : groups != NULL ? groups->child : NULL; g != NULL;
	    g = overall != NULL ? NULL : g->next) {
		const cJSON *m = overall != NULL ? g : aud_json_get(g, "metrics");

		if (aud_table_add_row(t) < 0)
			return nomem(t, err);
		aud_table_set(t, 0, "%s%s", overall != NULL ? "overall" : aud_json_str(g, "group") ?
		    aud_json_str(g, "group") : "?", aud_json_bool(g, "small") == 1 ? " *" : "");
		cell(t, 1, g, "count", 0);
		for (k = 0; k < nk; k++) {
			cell(t, 2 + 2 * k, m, keys[k], 0);
			cell_ci(t, 3 + 2 * k, aud_json_get(g, "ci"), keys[k]);
		}
	}
	return aud_table_render_section(t, f, fmt, title, err);
}

/* The summaries of an attribute, with their bootstrap intervals. */
static int
summary_table(FILE *f, enum aud_format fmt, const cJSON *a, struct aud_error *err)
{
	struct aud_table *t = NULL;
	const cJSON *s, *sci = aud_json_get(a, "summary_ci");
	char title[300];
	int rc = aud_table_new(&t, 3, err);

	if (rc < 0)
		return rc;
	if (aud_table_column(t, 0, "summary", AUD_ALIGN_LEFT) < 0 ||
	    aud_table_column(t, 1, "value", AUD_ALIGN_RIGHT) < 0 ||
	    aud_table_column(t, 2, "CI", AUD_ALIGN_RIGHT) < 0)
		return nomem(t, err);
	cJSON_ArrayForEach(s, aud_json_get(a, "summary")) {
		if (aud_table_add_row(t) < 0)
			return nomem(t, err);
		if (cJSON_IsObject(s)) {
			/* bounded_group_loss */
			char v[AUD_NUMBUF];

			num(v, aud_json_num(s, "value"), 0, cJSON_IsNumber(aud_json_get(s, "value")));
			aud_table_set(t, 0, "%s (%s loss)", s->string, aud_json_str(s, "loss") ?
			    aud_json_str(s, "loss") : "?");
			aud_table_set(t, 1, "%s", v);
			aud_table_set(t, 2, "group %s", aud_json_str(s, "group") ?
			    aud_json_str(s, "group") : "-");
			continue;
		}
		aud_table_set(t, 0, "%s", s->string);
		cell(t, 1, aud_json_get(a, "summary"), s->string, 0);
		cell_ci(t, 2, sci, s->string);
	}
	snprintf(title, sizeof(title), "Summaries: %s (max - min and min / max over the groups)",
	    aud_json_str(a, "attribute") ? aud_json_str(a, "attribute") : "?");
	return aud_table_render_section(t, f, fmt, title, err);
}

/* Multi-class: per group and class, support, recall, precision, F1, selection rate. */
static int
per_class_table(FILE *f, enum aud_format fmt, const char *title, const cJSON *groups,
    const cJSON *overall, struct aud_error *err)
{
	struct aud_table *t = NULL;
	const cJSON *g, *c;
	size_t k;
	int rc = aud_table_new(&t, 2 + AUD__MC_NPC, err);

	if (rc < 0)
		return rc;
	if (aud_table_column(t, 0, "group", AUD_ALIGN_LEFT) < 0 ||
	    aud_table_column(t, 1, "class", AUD_ALIGN_LEFT) < 0)
		return nomem(t, err);
	for (k = 0; k < AUD__MC_NPC; k++)
		if (aud_table_column(t, 2 + k, aud__mc_pc[k], AUD_ALIGN_RIGHT) < 0)
			return nomem(t, err);
	for (g = overall != NULL ? overall : groups != NULL ? groups->child : NULL; g != NULL;
	    g = overall != NULL ? NULL : g->next)
		cJSON_ArrayForEach(c, aud_json_get(g, "per_class")) {
			if (aud_table_add_row(t) < 0)
				return nomem(t, err);
			aud_table_set(t, 0, "%s", overall != NULL ? "overall" :
			    aud_json_str(g, "group") ? aud_json_str(g, "group") : "?");
			aud_table_set(t, 1, "%s", c->string);
			for (k = 0; k < AUD__MC_NPC; k++)
				cell(t, 2 + k, c, aud__mc_pc[k], 0);
		}
	return aud_table_render_section(t, f, fmt, title, err);
}

/* CSV: one line per group and metric, per class and metric, and per summary. */
static int
write_csv(FILE *f, const cJSON *res, const char *const *keys, size_t nk, int mc,
    struct aud_error *err)
{
	struct aud_table *t = NULL;
	static const char *const head[] = { "attribute", "group", "count", "small", "metric",
		"value", "ci_low", "ci_high", "ratio", "difference" };
	const cJSON *a, *g, *ov = aud_json_get(res, "overall");
	size_t k, i;
	int rc = aud_table_new(&t, 10, err);

	if (rc < 0)
		return rc;
	for (i = 0; i < 10; i++)
		if (aud_table_column(t, i, head[i], AUD_ALIGN_LEFT) < 0)
			return nomem(t, err);
#define ROW(attr, grp, gobj, metric, mobj, key, ciobj, disp) do { \
	double lo_, hi_; \
	char b_[AUD_NUMBUF]; \
	if (aud_table_add_row(t) < 0) \
		return nomem(t, err); \
	aud_table_set(t, 0, "%s", attr); \
	aud_table_set(t, 1, "%s", grp); \
	if (gobj != NULL) { \
		cell(t, 2, gobj, "count", 1); \
		aud_table_set(t, 3, "%s", aud_json_bool(gobj, "small") == 1 ? "true" : "false"); \
	} \
	aud_table_set(t, 4, "%s", metric); \
	cell(t, 5, mobj, key, 1); \
	aud_json_ci(aud_json_get(ciobj, key), &lo_, &hi_); \
	num(b_, lo_, 1, lo_ == lo_); \
	aud_table_set(t, 6, "%s", b_); \
	num(b_, hi_, 1, hi_ == hi_); \
	aud_table_set(t, 7, "%s", b_); \
	if (disp != NULL) { \
		cell(t, 8, aud_json_get(disp, key), "ratio", 1); \
		cell(t, 9, aud_json_get(disp, key), "difference", 1); \
	} \
} while (0)
	for (a = NULL;;) {
		const cJSON *groups = a != NULL ? aud_json_get(a, "groups") : NULL;
		const char *aname = a != NULL ? aud_json_str(a, "attribute") : "overall";
		const cJSON *s;

		for (g = a != NULL ? (groups != NULL ? groups->child : NULL) : ov; g != NULL;
		    g = a != NULL ? g->next : NULL) {
			const char *gname = a != NULL ? aud_json_str(g, "group") : "overall";
			const cJSON *m = a != NULL ? aud_json_get(g, "metrics") : g, *c;
			const cJSON *disp = a != NULL ? aud_json_get(g, "disparity") : NULL;

			for (k = 0; k < nk; k++)
				ROW(aname ? aname : "?", gname ? gname : "?", g, keys[k], m, keys[k],
				    aud_json_get(g, "ci"), disp);
			if (!mc)
				continue;
			cJSON_ArrayForEach(c, aud_json_get(g, "per_class"))
				for (k = 0; k < AUD__MC_NPC; k++) {
					char name[200];

					snprintf(name, sizeof(name), "%s[%s]", aud__mc_pc[k], c->string);
					ROW(aname ? aname : "?", gname ? gname : "?", g, name, c,
					    aud__mc_pc[k], aud_json_get(c, "ci"), (const cJSON *)NULL);
				}
		}
		if (a != NULL) {
			cJSON_ArrayForEach(s, aud_json_get(a, "summary")) {
				if (cJSON_IsObject(s))
					ROW(aname ? aname : "?", "", (const cJSON *)NULL, s->string, s,
					    "value", (const cJSON *)NULL, (const cJSON *)NULL);
				else
					ROW(aname ? aname : "?", "", (const cJSON *)NULL, s->string,
					    aud_json_get(a, "summary"), s->string,
					    aud_json_get(a, "summary_ci"), (const cJSON *)NULL);
			}
			cJSON_ArrayForEach(s, aud_json_get(a, "per_class")) {
				const cJSON *v;

				cJSON_ArrayForEach(v, s) {
					char name[200];

					if (!cJSON_IsNumber(v) && !cJSON_IsNull(v))
						continue;
					snprintf(name, sizeof(name), "%s[%s]", v->string, s->string);
					ROW(aname ? aname : "?", "", (const cJSON *)NULL, name, s,
					    v->string, aud_json_get(s, "ci"), (const cJSON *)NULL);
				}
			}
		}
		a = a == NULL ? (aud_json_get(res, "attributes") != NULL ?
		    aud_json_get(res, "attributes")->child : NULL) : a->next;
		if (a == NULL)
			break;
	}
#undef ROW
	rc = aud_table_render(t, f, AUD_FORMAT_CSV, NULL, err);
	aud_table_free(t);
	return rc;
}

int
aud_fairtask_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	const cJSON *res = aud_json_get(doc, "results"), *a, *ov = aud_json_get(res, "overall");
	const char *task = aud_json_str(res, "task");
	enum aud_fairtask_kind kind;
	const char *const *keys;
	size_t nk;
	int rc, mc;
	char title[400];

	if (task == NULL || (strcmp(task, "multiclass") != 0 && strcmp(task, "regression") != 0) ||
	    !cJSON_IsObject(ov))
		return AUD_ERROR(err, AUD_EPARSE, "not a multi-class or regression fairness document");
	mc = strcmp(task, "multiclass") == 0;
	kind = mc ? AUD_FAIRTASK_MULTICLASS : AUD_FAIRTASK_REGRESSION;
	keys = aud__task_metrics(kind, &nk);
	if (format == AUD_FORMAT_CSV)
		return write_csv(f, res, keys, nk, mc, err);
	{
		const cJSON *in = aud_json_get(doc, "input"), *p = aud_json_get(doc, "params");
		char classes[200];
		const cJSON *c;
		size_t len = 0;

		classes[0] = '\0';
		cJSON_ArrayForEach(c, aud_json_get(res, "classes"))
			if (cJSON_IsString(c) && len < sizeof(classes))
				len += (size_t)snprintf(classes + len, sizeof(classes) - len, "%s'%s'",
				    len ? ", " : "", c->valuestring);
		snprintf(title, sizeof(title), "audit-fair --task %s: %s (%.0f rows)", task,
		    aud_json_str(in, "path") ? aud_json_str(in, "path") : "the input",
		    aud_json_num(ov, "count"));
		if (fprintf(f, format == AUD_FORMAT_MD ? "## %s\n\n" : "%s\n", title) < 0 ||
		    fprintf(f, "%slabel '%s', prediction '%s'%s%s; intervals at %g%% (bootstrap: "
		    "%.0f replicates, seed %.0f)\n", format == AUD_FORMAT_MD ? "" : "  ",
		    aud_json_str(p, "label") ? aud_json_str(p, "label") : "?",
		    aud_json_str(p, "pred") ? aud_json_str(p, "pred") : "?",
		    mc ? "; classes " : "", classes, 100.0 * aud_json_num(p, "ci"),
		    aud_json_num(p, "bootstrap"), aud_json_num(p, "seed")) < 0)
			return AUD_ERROR(err, AUD_EOUTPUT, "cannot write the output");
	}
	rc = groups_table(f, format, "Overall", NULL, ov, keys, nk, err);
	if (rc == 0 && mc)
		rc = per_class_table(f, format, "Overall per class", NULL, ov, err);
	cJSON_ArrayForEach(a, aud_json_get(res, "attributes")) {
		const char *aname = aud_json_str(a, "attribute");

		if (rc < 0)
			break;
		snprintf(title, sizeof(title), "Attribute: %s (reference group: %s)",
		    aname ? aname : "?", aud_json_str(a, "reference") ?
		    aud_json_str(a, "reference") : "-");
		rc = groups_table(f, format, title, aud_json_get(a, "groups"), NULL, keys, nk, err);
		if (rc == 0)
			rc = summary_table(f, format, a, err);
		if (rc == 0 && mc) {
			snprintf(title, sizeof(title), "Per class: %s", aname ? aname : "?");
			rc = per_class_table(f, format, title, aud_json_get(a, "groups"), NULL, err);
		}
	}
	if (rc == 0 && fprintf(f, "%s* fewer rows than --min-group-size: uncertain\n",
	    format == AUD_FORMAT_MD ? "\n" : "  ") < 0)
		return AUD_ERROR(err, AUD_EOUTPUT, "cannot write the output");
	return rc;
}
