/* robust_write.c — robustness results for people: table, Markdown, CSV (robust.h). */
#include <audit/robust.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/json.h>
#include <audit/text.h>

#define NCOLS 14
#define CI_LO 7   /* the CI's halves: one column "[lo, hi]" in tables */
#define CI_HI 8

static const char *const heads[NCOLS] = {
	"perturbation", "test", "slice", "rows", "unscored", "flips", "flip_rate", "ci_low",
	"ci_high", "mean_abs_score_change", "max_abs_score_change", "accuracy", "accuracy_drop",
	"note"
};
static const char *const short_heads[NCOLS] = {
	"perturbation", "test", "slice", "rows", "unscored", "flips", "flip_rate", "95% CI", "",
	"mean_abs_change", "max_abs_change", "accuracy", "acc_drop", "note"
};

struct grid {
	char **cell;   /* nrows * NCOLS */
	size_t nrows, cap;
	int oom;
};

static void
put_row(struct grid *g, char *cells[NCOLS])
{
	size_t j;

	if (g->nrows == g->cap) {
		size_t ncap = g->cap ? 2 * g->cap : 32;
		char **p = realloc(g->cell, ncap * NCOLS * sizeof(*p));

		if (p == NULL) {
			g->oom = 1;
			for (j = 0; j < NCOLS; j++)
				free(cells[j]);
			return;
		}
		g->cell = p;
		g->cap = ncap;
	}
	for (j = 0; j < NCOLS; j++) {
		if (cells[j] == NULL)
			g->oom = 1;
		g->cell[g->nrows * NCOLS + j] = cells[j];
	}
	g->nrows++;
}

/* A number for people (%.4g) or exactly (csv); "" when null or absent. */
static char *
num(const cJSON *obj, const char *key, int exact)
{
	const cJSON *v = aud_json_get(obj, key);
	char buf[AUD_NUMBUF];

	if (!cJSON_IsNumber(v))
		return strdup(cJSON_IsNull(v) && !exact ? "-" : "");
	if (exact)
		aud_format_double(buf, v->valuedouble);
	else
		aud_format_sig(buf, v->valuedouble, 4, 1, NULL);
	return strdup(buf);
}

static char *
ci_part(const cJSON *obj, int i, int exact)
{
	const cJSON *ci = aud_json_get(
	    aud_json_get(obj, "ci"), "flip_rate");
	const cJSON *v = cJSON_GetArrayItem(ci, i);
	char buf[40];

	if (!cJSON_IsNumber(v))
		return strdup("");
	if (exact)
		aud_format_double(buf, v->valuedouble);
	else
		snprintf(buf, sizeof(buf), i == 0 ? "[%.3g," : "%.3g]", v->valuedouble);
	return strdup(buf);
}

static char *
note(const cJSON *obj, int exact)
{
	const cJSON *rc = aud_json_get(obj, "robust_and_correct");
	const cJSON *mr = aud_json_get(obj, "median_flip_radius");
	char buf[160], a[40], b[40];

	if (cJSON_IsNumber(rc)) {
		const cJSON *r1 = aud_json_get(obj, "robust_and_correct_rate");
		const cJSON *r2 = aud_json_get(obj, "robust_among_correct");

		if (exact) {
			aud_format_double(a, cJSON_IsNumber(r1) ? r1->valuedouble : NAN);
			aud_format_double(b, cJSON_IsNumber(r2) ? r2->valuedouble : NAN);
		} else {
			snprintf(a, sizeof(a), cJSON_IsNumber(r1) ? "%.4g" : "-",
			    cJSON_IsNumber(r1) ? r1->valuedouble : 0);
			snprintf(b, sizeof(b), cJSON_IsNumber(r2) ? "%.4g" : "-",
			    cJSON_IsNumber(r2) ? r2->valuedouble : 0);
		}
		snprintf(buf, sizeof(buf), "robust_and_correct %.0f (%s of rows, %s of correct)",
		    rc->valuedouble, a, b);
		return strdup(buf);
	}
	if (mr != NULL) {
		if (!cJSON_IsNumber(mr))
			return strdup("median flip radius: none flipped");
		if (exact)
			aud_format_double(a, mr->valuedouble);
		else
			snprintf(a, sizeof(a), "%.4g", mr->valuedouble);
		snprintf(buf, sizeof(buf), "median flip radius %s sd", a);
		return strdup(buf);
	}
	return strdup("");
}

/* One line: the perturbation, the test's name ("anti-classification"), the slice. */
static void
slice_row(struct grid *g, const char *spec, const char *test, const char *slice,
    const cJSON *obj, int exact)
{
	char *c[NCOLS];

	c[0] = strdup(spec);
	c[1] = strdup(test);
	c[2] = strdup(slice);
	c[3] = num(obj, "rows", exact);
	c[4] = num(obj, "unscored", exact);
	c[5] = num(obj, "flips", exact);
	c[6] = num(obj, "flip_rate", exact);
	c[7] = ci_part(obj, 0, exact);
	c[8] = ci_part(obj, 1, exact);
	c[9] = num(obj, "mean_abs_score_change", exact);
	c[10] = num(obj, "max_abs_score_change", exact);
	c[11] = num(obj, "accuracy", exact);
	c[12] = num(obj, "accuracy_drop", exact);
	c[13] = note(obj, exact);
	put_row(g, c);
}

static void
build(struct grid *g, const cJSON *results, int exact)
{
	const cJSON *e, *a, *gr, *f, *t;
	char slice[512];

	cJSON_ArrayForEach(e, aud_json_get(results, "perturbations")) {
		const char *spec = aud_json_str(e, "spec");
		const char *test = aud_json_str(e, "name");

		if (spec == NULL)
			continue;
		if (test == NULL)
			test = "";
		slice_row(g, spec, test, "all", e, exact);
		cJSON_ArrayForEach(a, aud_json_get(e, "by_group")) {
			const char *an = aud_json_str(a, "attribute");

			cJSON_ArrayForEach(gr, aud_json_get(a, "groups")) {
				const char *bl = aud_json_str(gr, "label");

				if (bl != NULL)  /* a bin: its label names the attribute ("age < 25") */
					snprintf(slice, sizeof(slice), "%s", bl);
				else
					snprintf(slice, sizeof(slice), "%s=%s", an ? an : "",
					    aud_json_str(gr, "group"));
				slice_row(g, spec, test, slice, gr, exact);
			}
		}
		cJSON_ArrayForEach(t, aud_json_get(e, "transitions")) {
			const char *an = aud_json_str(e, "attribute");

			const char *fl = aud_json_str(t, "from_label");
			const char *tl = aud_json_str(t, "to_label");

			/* bins: their labels name the attribute ("age < 25 -> age >= 45") */
			if (tl != NULL)
				snprintf(slice, sizeof(slice), "%s -> %s", fl != NULL ? fl :
				    aud_json_str(t, "from"), tl);
			else
				snprintf(slice, sizeof(slice), "%s: %s -> %s", an ? an : "",
				    aud_json_str(t, "from"),
				    aud_json_str(t, "to"));
			slice_row(g, spec, test, slice, t, exact);
		}
		cJSON_ArrayForEach(f, aud_json_get(e, "by_feature")) {
			snprintf(slice, sizeof(slice), "feature %s",
			    aud_json_str(f, "feature"));
			slice_row(g, spec, test, slice, f, exact);
		}
	}
}

/*
 * The grid as a table: every column in csv; for people the CI's two halves
 * print as one column "[lo, hi]". Texts left, numbers right.
 */
static int
to_table(struct aud_table **out, const struct grid *g, int csv, struct aud_error *err)
{
	struct aud_table *t = NULL;
	size_t i, j, c;
	int rc;

	rc = aud_table_new(&t, csv ? NCOLS : NCOLS - 1, err);
	if (rc < 0)
		return rc;
	for (j = 0, c = 0; j < NCOLS; j++) {
		if (!csv && j == CI_HI)
			continue;
		aud_table_column(t, c++, csv ? heads[j] : short_heads[j],
		    j < 3 || j == NCOLS - 1 ? AUD_ALIGN_LEFT : AUD_ALIGN_RIGHT);
	}
	for (i = 0; i < g->nrows; i++) {
		char *const *cell = g->cell + i * NCOLS;

		aud_table_add_row(t);
		for (j = 0, c = 0; j < NCOLS; j++) {
			if (!csv && j == CI_HI)
				continue;
			if (!csv && j == CI_LO && cell[CI_LO][0] != '\0')
				aud_table_set(t, c++, "%s %s", cell[CI_LO], cell[CI_HI]);
			else
				aud_table_set(t, c++, "%s", cell[j]);
		}
	}
	*out = t;
	return 0;
}

int
aud_robust_write(FILE *f, const cJSON *results, enum aud_format format,
    struct aud_error *err)
{
	struct grid g;
	struct aud_table *t = NULL;
	const cJSON *b = aud_json_get(results, "baseline");
	char *rows = num(b, "rows", 0), *pr = num(b, "positive_rate", 0);
	char *acc = num(b, "accuracy", 0);
	size_t i;
	int rc = 0;

	memset(&g, 0, sizeof(g));
	build(&g, results, format == AUD_FORMAT_CSV);
	if (g.oom || rows == NULL || pr == NULL || acc == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = to_table(&t, &g, format == AUD_FORMAT_CSV, err);
	if (rc < 0)
		goto done;
	if (format == AUD_FORMAT_CSV) {
		rc = aud_table_render(t, f, format, NULL, err);
		goto done;
	}
	if (format == AUD_FORMAT_MD)
		fprintf(f, "**Baseline:** %s rows, positive rate %s%s%s\n\n", rows, pr,
		    acc[0] ? ", accuracy " : "", acc);
	else
		fprintf(f, "baseline: %s rows, positive rate %s%s%s\n\n", rows, pr,
		    acc[0] ? ", accuracy " : "", acc);
	rc = aud_table_render(t, f, format, NULL, err);
	if (rc < 0)
		goto done;
	if (ferror(f))
		rc = AUD_ERROR(err, AUD_EOUTPUT, "cannot write the table");
done:
	aud_table_free(t);
	for (i = 0; i < g.nrows * NCOLS; i++)
		free(g.cell[i]);
	free(g.cell);
	free(rows);
	free(pr);
	free(acc);
	return rc;
}
