/*
 * robust_job.c — audit-robust's rules and its analysis as the job runner
 * drives it (job.h): the plan of perturbations over --levels, the columns
 * checked and read, what a command model receives, params and results.
 */
#include <audit/robust.h>
#include <audit/bins.h>
#include <audit/cli.h>
#include <audit/csv.h>
#include <audit/hash.h>
#include <audit/job.h>
#include <audit/json.h>
#include <audit/xgb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- The plan ------------------------------------------------------------------ */

void
aud_robust_plan_free(struct aud_robust_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nspecs; i++)
		free(p->specs[i]);
	free(p->specs);
	for (i = 0; i < p->nparsed; i++)
		aud_perturb_free(p->parsed[i]);
	free(p->parsed);
	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].sweep != NULL)
			aud_perturb_free((struct aud_perturb *)p->steps[i].p);
	free(p->steps);
	for (i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	free(p->levels);
	free(p);
}

static int
push_str(char ***v, size_t *n, const char *s, struct aud_error *err)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (nv == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	*v = nv;
	nv[*n] = strdup(s);
	if (nv[*n] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	(*n)++;
	return 0;
}

/* Check every level against a level-less spec (the level's message is the spec's). */
static int
check_levels(const struct aud_perturb *p, const double *levels, size_t n,
    struct aud_error *err)
{
	struct aud_perturb *lp = NULL;
	size_t k;
	int rc;

	for (k = 0; k < n; k++) {
		rc = aud_perturb_at_level(&lp, p, levels[k], err);
		aud_perturb_free(lp);
		lp = NULL;
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
is_swept(const struct aud_perturb *p)
{
	return aud_perturb_kind_has_level(p->kind) && !p->has_level;
}

/* The steps: a swept spec once per level, any other once. */
static int
plan_steps(struct aud_robust_plan *pl, struct aud_error *err)
{
	size_t i, k, n = 0;
	int rc;

	for (i = 0; i < pl->nparsed; i++)
		n += is_swept(pl->parsed[i]) ? pl->nlevels : 1;
	pl->steps = calloc(n + 1, sizeof(*pl->steps));
	if (pl->steps == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < pl->nparsed; i++) {
		const struct aud_perturb *p = pl->parsed[i];

		if (!is_swept(p)) {
			pl->steps[pl->nsteps].p = p;
			pl->steps[pl->nsteps++].sweep = NULL;
			continue;
		}
		for (k = 0; k < pl->nlevels; k++) {
			struct aud_perturb *lp = NULL;

			rc = aud_perturb_at_level(&lp, p, pl->levels[k], err);
			if (rc < 0)
				return rc;
			pl->steps[pl->nsteps].p = lp;
			pl->steps[pl->nsteps++].sweep = p->spec;
		}
	}
	return 0;
}

/* Parse the specs; a level-less one needs levels, and each level must suit it. */
static int
plan_parse(struct aud_robust_plan *pl, size_t *sweeps, struct aud_error *err)
{
	size_t i;
	int rc;

	pl->parsed = calloc(pl->nspecs + 1, sizeof(*pl->parsed));
	if (pl->parsed == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < pl->nspecs; i++) {
		rc = aud_perturb_parse(&pl->parsed[i], pl->specs[i], err);
		if (rc < 0)
			return rc;
		pl->nparsed = i + 1;
		if (!is_swept(pl->parsed[i]))
			continue;
		(*sweeps)++;
		if (pl->levels == NULL)
			return AUD_ERROR(err, AUD_EINVAL,
			    "perturbation '%s' needs a level (%s:LEVEL) or --levels",
			    pl->specs[i], pl->specs[i]);
		rc = check_levels(pl->parsed[i], pl->levels, pl->nlevels, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* No level-less spec: the levels replace the level of each spec whose kind takes one. */
static int
plan_replace(struct aud_robust_plan *pl, struct aud_error *err)
{
	size_t i, sweeps = 0;
	int rc;

	for (i = 0; i < pl->nparsed; i++) {
		struct aud_perturb *lp = NULL;
		char msg[300];

		if (!aud_perturb_kind_has_level(pl->parsed[i]->kind))
			continue;
		rc = aud_perturb_parse(&lp, aud_perturb_kind_name(pl->parsed[i]->kind), err);
		if (rc < 0)
			return rc;
		snprintf(msg, sizeof(msg), "--levels replaces the level of '%s'",
		    pl->parsed[i]->spec);
		aud_perturb_free(pl->parsed[i]);
		pl->parsed[i] = lp;
		rc = push_str(&pl->notes, &pl->nnotes, msg, err);
		if (rc < 0)
			return rc;
		sweeps++;
		rc = check_levels(lp, pl->levels, pl->nlevels, err);
		if (rc < 0)
			return rc;
	}
	if (sweeps == 0)
		return AUD_ERROR(err, AUD_EINVAL,
		    "--levels needs a perturbation that takes a level (e.g. --perturb gaussian)");
	return 0;
}

int
aud_robust_plan_new(struct aud_robust_plan **out, const char *const *specs,
    size_t nspecs, const double *levels, size_t nlevels, struct aud_error *err)
{
	struct aud_robust_plan *pl;
	size_t i, sweeps = 0;
	int rc = 0;

	*out = NULL;
	pl = calloc(1, sizeof(*pl));
	if (pl == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (levels != NULL) {
		pl->levels = calloc(nlevels + 1, sizeof(*pl->levels));
		if (pl->levels == NULL)
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		else if (nlevels > 0)
			memcpy(pl->levels, levels, nlevels * sizeof(*levels));
		pl->nlevels = nlevels;
	}
	for (i = 0; rc == 0 && i < nspecs; i++)
		rc = push_str(&pl->specs, &pl->nspecs, specs[i], err);
	if (rc == 0 && nspecs == 0)
		rc = push_str(&pl->specs, &pl->nspecs, levels != NULL ? "gaussian" : "gaussian:0.1",
		    err);
	if (rc == 0)
		rc = plan_parse(pl, &sweeps, err);
	if (rc == 0 && levels != NULL && sweeps == 0)
		rc = plan_replace(pl, err);
	if (rc == 0)
		rc = plan_steps(pl, err);
	if (rc < 0) {
		aud_robust_plan_free(pl);
		return rc;
	}
	*out = pl;
	return 0;
}

/* ---- Columns ----------------------------------------------------------------- */

static int
listed(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

void
aud_robust_column_kinds(enum aud_col_kind *kinds, const char *const *names,
    size_t ncols, const struct aud_model *model, const struct aud_robust_options *o)
{
	const char *positive = o->positive != NULL ? o->positive : "1";
	size_t i;
	double dv;

	for (i = 0; i < ncols; i++) {
		const char *nm = names[i];
		long f = model != NULL ? aud_model_find_feature(model, nm) : -1;

		kinds[i] = AUD_COL_AUTO;
		if (aud_bins_find(o->bins, o->nbins, nm) != NULL)
			kinds[i] = AUD_COL_NUMERIC;  /* binned: its values are numbers */
		else if (f >= 0)
			kinds[i] = aud_model_feature(model, (size_t)f)->kind;
		else if (o->label != NULL && strcmp(nm, o->label) == 0)
			/* as audit-fair: a numeric positive value compares numbers, else text */
			kinds[i] = aud_parse_number(&dv, positive, strlen(positive)) == 1 ?
			    AUD_COL_NUMERIC : AUD_COL_CATEGORICAL;
		else if (listed(nm, o->protected_cols, o->nprotected))
			kinds[i] = AUD_COL_CATEGORICAL;
	}
}

int
aud_robust_perturbed_columns(unsigned char *mask, const struct aud_batch *data,
    const struct aud_model *model, const struct aud_robust_options *o,
    struct aud_error *err)
{
	size_t i;

	if (data->ncols > 0)
		memset(mask, 0, data->ncols);
	if (o->features != NULL) {
		for (i = 0; i < o->nfeatures; i++) {
			long c = aud_batch_find(data, o->features[i]);

			if (c < 0)
				return AUD_ERROR(err, AUD_ENOTFOUND, "unknown column '%s' (--features)",
				    o->features[i]);
			mask[c] = 1;
		}
	} else {
		for (i = 0; i < aud_model_nfeatures(model); i++) {
			const struct aud_feature *f = aud_model_feature(model, i);
			/* the model usually reads the columns in the input's order: try that first
			 * (a look-up per feature would be quadratic in a wide input) */
			long c = i < data->ncols && strcmp(data->cols[i].name, f->name) == 0 ?
			    (long)i : aud_batch_find(data, f->name);

			if (c < 0)
				return aud_xgb_column_hint(model, AUD_ERROR(err, AUD_ENOTFOUND,
				    "the model's feature '%s' is not a column of the input", f->name),
				    err);
			mask[c] = 1;
		}
	}
	for (i = 0; i < data->ncols; i++) {
		const char *nm = data->cols[i].name;

		if ((o->label != NULL && strcmp(nm, o->label) == 0) ||
		    listed(nm, o->freeze, o->nfreeze) ||
		    listed(nm, o->protected_cols, o->nprotected))
			mask[i] = 0;
	}
	return 0;
}

int
aud_robust_command_columns(const char ***names, enum aud_col_kind **kinds, size_t *n,
    const struct aud_batch *data, const char *const *columns, size_t ncolumns,
    struct aud_error *err)
{
	size_t i, m = ncolumns > 0 ? ncolumns : data->ncols;

	*names = NULL;
	*kinds = NULL;
	*n = 0;
	*names = calloc(m + 1, sizeof(**names));
	*kinds = calloc(m + 1, sizeof(**kinds));
	if (*names == NULL || *kinds == NULL) {
		free(*names);
		free(*kinds);
		*names = NULL;
		*kinds = NULL;
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < m; i++) {
		const char *nm = ncolumns > 0 ? columns[i] : data->cols[i].name;
		/* usually the input's order: no look-up (quadratic in a wide input) */
		long c = i < data->ncols && strcmp(data->cols[i].name, nm) == 0 ? (long)i :
		    aud_batch_find(data, nm);

		if (c < 0) {
			free(*names);
			free(*kinds);
			*names = NULL;
			*kinds = NULL;
			return AUD_ERROR(err, AUD_ENOTFOUND, "unknown column '%s' (--model-columns)",
			    nm);
		}
		(*names)[i] = nm;
		(*kinds)[i] = data->cols[c].kind;
	}
	*n = m;
	return 0;
}

/* ---- The job ----------------------------------------------------------------- */

/* The note names at most this many features (a file can be wide). */
#define NOTE_FEATURES 20

struct aud_robust_job {
	const struct aud_robust_job_options *o;
	struct aud_robust_options ro;       /* resolved */
	struct aud_bins **bins;
	size_t nbins;
	struct aud_robust_plan *plan;
	struct aud_model *model;
	struct aud_batch *data;
	struct aud_robust *run;
	char *note;
};

void
aud_robust_job_free(struct aud_robust_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	aud_robust_free(j->run);
	aud_model_free(j->model);
	aud_batch_free(j->data);
	aud_robust_plan_free(j->plan);
	for (i = 0; i < j->nbins; i++)
		aud_bins_free(j->bins[i]);
	free(j->bins);
	free(j->note);
	free(j);
}

const struct aud_robust_plan *
aud_robust_job_plan(const struct aud_robust_job *j)
{
	return j->plan;
}

/* Parse --bins: once per column. */
static int
job_bins(struct aud_robust_job *j, struct aud_error *err)
{
	const struct aud_strlist *b = &j->o->bins;
	size_t i;
	int rc;

	j->bins = calloc(b->n + 1, sizeof(*j->bins));
	if (j->bins == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (; j->nbins < b->n; j->nbins++) {
		rc = aud_bins_parse(&j->bins[j->nbins], b->v[j->nbins], "--bins", err);
		if (rc < 0)
			return rc;
		for (i = 0; i < j->nbins; i++)
			if (strcmp(j->bins[i]->column, j->bins[j->nbins]->column) == 0) {
				j->nbins++;
				return AUD_ERROR(err, AUD_EINVAL, "--bins given twice for '%s'",
				    j->bins[i]->column);
			}
	}
	return 0;
}

static int
job_plan(struct aud_robust_job *j, struct aud_error *err)
{
	double *levels = NULL;
	size_t nlevels = 0;
	int rc;

	if (j->o->levels != NULL) {
		rc = aud_parse_numbers(&levels, &nlevels, j->o->levels, -1e300, 1e300, "--levels",
		    err);
		if (rc < 0)
			return rc;
	}
	rc = aud_robust_plan_new(&j->plan, (const char *const *)j->o->specs.v, j->o->specs.n,
	    levels, nlevels, err);
	free(levels);
	return rc;
}

/* The rules between options that need no data. */
static int
job_rules(const struct aud_robust_job *j, struct aud_error *err)
{
	const struct aud_robust_job_options *o = j->o;
	const struct aud_robust_plan *pl = j->plan;
	size_t i, k;

	/* a feature the command does not receive could not change its decision */
	for (i = 0; o->model.columns.n > 0 && i < o->features.n; i++)
		if (!listed(o->features.v[i], (const char *const *)o->model.columns.v,
		    o->model.columns.n))
			return AUD_ERROR(err, AUD_EINVAL, "--features: '%s' is not one of the "
			    "--model-columns, so the command would never see it perturbed",
			    o->features.v[i]);
	/* every --bins names a protected or flipped column */
	for (k = 0; k < j->nbins; k++) {
		const char *col = j->bins[k]->column;
		int used = listed(col, (const char *const *)o->protected.v, o->protected.n);

		for (i = 0; i < pl->nparsed && !used; i++)
			used = pl->parsed[i]->kind == AUD_PERTURB_FLIP &&
			    strcmp(pl->parsed[i]->column, col) == 0;
		if (!used)
			return AUD_ERROR(err, AUD_EINVAL, "--bins names '%s', which is neither a "
			    "protected column nor flipped (--counterfactual)", col);
	}
	return 0;
}

/* The run's options from the job's. */
static void
job_resolve(struct aud_robust_job *j)
{
	const struct aud_robust_job_options *o = j->o;
	struct aud_robust_options *ro = &j->ro;

	*ro = o->run;
	ro->positive = o->model.positive != NULL ? o->model.positive : "1";
	ro->protected_cols = (const char *const *)o->protected.v;
	ro->nprotected = o->protected.n;
	ro->features = o->features.n > 0 ? (const char *const *)o->features.v : NULL;
	ro->nfeatures = o->features.n;
	ro->freeze = (const char *const *)o->freeze.v;
	ro->nfreeze = o->freeze.n;
	ro->bins = (const struct aud_bins *const *)j->bins;
	ro->nbins = j->nbins;
	ro->by_feature = !o->no_by_feature;
	ro->threads = o->model.threads != 0 ? o->model.threads : aud_cli_default_threads();
	ro->batch_rows = o->model.batch_size;
	if (ro->batch_rows == 0)
		ro->batch_rows = o->model.command != NULL ? 100000 : 4096;
	ro->progress.fn = NULL;
	ro->progress.payload = NULL;
}

int
aud_robust_job_new(struct aud_robust_job **out, const struct aud_robust_job_options *o,
    struct aud_error *err)
{
	struct aud_robust_job *j;
	int rc;

	*out = NULL;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	j->o = o;
	rc = job_bins(j, err);
	if (rc == 0 && (o->model.pmml == NULL) == (o->model.command == NULL))
		rc = AUD_ERROR(err, AUD_EINVAL, "give exactly one of -m MODEL and --model-cmd CMD");
	if (rc == 0 && o->model.pmml != NULL && o->model.columns.n > 0)
		rc = AUD_ERROR(err, AUD_EINVAL, "--model-columns is for --model-cmd "
		    "(a PMML model reads its own input fields)");
	if (rc == 0 && o->model.pmml != NULL && o->model.protocol >= 0)
		rc = AUD_ERROR(err, AUD_EINVAL, "--model-protocol is for --model-cmd "
		    "(a model file is read by the tool itself)");
	if (rc == 0)
		rc = job_plan(j, err);
	if (rc == 0)
		rc = job_rules(j, err);
	if (rc < 0) {
		aud_robust_job_free(j);
		return rc;
	}
	job_resolve(j);
	*out = j;
	return 0;
}

int
aud_robust_job_columns(const char ***out, size_t *n, const struct aud_robust_job *j,
    struct aud_error *err)
{
	const struct aud_robust_job_options *o = j->o;
	const struct aud_strlist *ls[4] = { &o->protected, &o->features, &o->freeze,
	    &o->model.columns };
	const struct aud_robust_plan *pl = j->plan;
	const char **v;
	size_t m = 1, i, k;

	*out = NULL;
	*n = 0;
	for (k = 0; k < 4; k++)
		m += ls[k]->n;
	for (i = 0; i < pl->nparsed; i++)
		m += 1 + pl->parsed[i]->ngrid;
	v = calloc(m, sizeof(*v));
	if (v == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	m = 0;
	if (o->run.label != NULL)
		v[m++] = o->run.label;
	for (k = 0; k < 4; k++)
		for (i = 0; i < ls[k]->n; i++)
			v[m++] = ls[k]->v[i];
	for (i = 0; i < pl->nparsed; i++) {
		if (pl->parsed[i]->kind == AUD_PERTURB_FLIP)
			v[m++] = pl->parsed[i]->column;
		for (k = 0; k < pl->parsed[i]->ngrid; k++)
			v[m++] = pl->parsed[i]->grid_cols[k];
	}
	*out = v;
	*n = m;
	return 0;
}

/* Every column named must exist (messages with the file and its columns). */
static int
read_check_columns(struct aud_robust_job *j, struct aud_csv *csv, struct aud_error *err)
{
	const char **names = NULL;
	size_t n, i, col;
	int rc;

	rc = aud_robust_job_columns(&names, &n, j, err);
	for (i = 0; rc == 0 && i < n; i++)
		rc = aud_csv_find(&col, csv, names[i], err);
	free(names);
	return rc;
}

static void
model_options(struct aud_model_open_options *mo, const struct aud_robust_job *j)
{
	mo->positive = j->o->model.positive;
	mo->batch_size = j->ro.batch_rows;
	mo->timeout = j->o->model.timeout;
	mo->protocol = j->o->model.command != NULL ? j->o->model.protocol : -1;
	mo->on_child = aud_cli_model_child;
}

/* Read the rows with the kinds the model and the options give them. */
static int
read_rows(struct aud_robust_job *j, struct aud_csv *csv, struct aud_error *err)
{
	size_t ncols = aud_csv_ncols(csv), i;
	const char **names = calloc(ncols + 1, sizeof(*names));
	enum aud_col_kind *kinds = calloc(ncols + 1, sizeof(*kinds));
	int rc;

	if (names == NULL || kinds == NULL) {
		free(names);
		free(kinds);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < ncols; i++)
		names[i] = aud_csv_colname(csv, i);
	aud_robust_column_kinds(kinds, names, ncols, j->model, &j->ro);
	rc = aud_robust_read(&j->data, csv, NULL, kinds, ncols, err);
	free(names);
	free(kinds);
	return rc;
}

/* A command model receives the --model-columns (not what is perturbed: --features). */
static int
open_command(struct aud_robust_job *j, struct aud_error *err)
{
	struct aud_model_open_options mo = AUD_MODEL_OPEN_OPTIONS_INIT;
	const char **names = NULL;
	enum aud_col_kind *kinds = NULL;
	size_t n = 0;
	int rc;

	rc = aud_robust_command_columns(&names, &kinds, &n, j->data,
	    (const char *const *)j->o->model.columns.v, j->o->model.columns.n, err);
	if (rc < 0)
		return rc;
	model_options(&mo, j);
	mo.columns = names;
	mo.kinds = kinds;
	mo.ncolumns = n;
	rc = aud_model_open(&j->model, NULL, j->o->model.command, &mo, err);
	free(names);
	free(kinds);
	return rc;
}

/* "2 features perturbed: age, priors" */
static int
make_note(struct aud_robust_job *j, struct aud_error *err)
{
	size_t k, i, len = 64;
	const char *const *fn = aud_robust_features(j->run, &k);
	char *s;
	int n;

	for (i = 0; i < k && i < NOTE_FEATURES; i++)
		len += strlen(fn[i]) + 2;
	s = malloc(len);
	if (s == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	n = snprintf(s, len, "%zu feature%s perturbed%s", k, k == 1 ? "" : "s", k > 0 ? ":" : "");
	for (i = 0; i < k && i < NOTE_FEATURES; i++)
		n += snprintf(s + n, len - (size_t)n, "%s %s", i > 0 ? "," : "", fn[i]);
	if (k > NOTE_FEATURES)
		snprintf(s + n, len - (size_t)n, ", ... (%zu more)", k - NOTE_FEATURES);
	j->note = s;
	return 0;
}

static int
job_read(void *self, struct aud_csv *csv, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct aud_robust_job *j = self;
	const struct aud_robust_plan *pl = j->plan;
	size_t i;
	int rc;

	rc = read_check_columns(j, csv, err);
	if (rc == 0 && j->o->model.pmml != NULL) {
		struct aud_model_open_options mo = AUD_MODEL_OPEN_OPTIONS_INIT;

		model_options(&mo, j);
		rc = aud_model_open(&j->model, j->o->model.pmml, NULL, &mo, err);
	}
	if (rc == 0)
		rc = read_rows(j, csv, err);
	if (rc == 0 && j->o->model.command != NULL)
		rc = open_command(j, err);
	if (rc < 0)
		return rc;
	if (progress != NULL)
		j->ro.progress = *progress;
	rc = aud_robust_new(&j->run, j->model, j->data, &j->ro, err);
	/* a swept spec's levels were checked by the plan */
	for (i = 0; rc == 0 && i < pl->nsteps; i++)
		if (pl->steps[i].sweep == NULL)
			rc = aud_robust_check(j->run, pl->steps[i].p, err);
	if (rc == 0)
		rc = make_note(j, err);
	return rc;
}

static int
job_run(void *self, const struct aud_progress_cb *progress, struct aud_error *err)
{
	struct aud_robust_job *j = self;
	const struct aud_robust_plan *pl = j->plan;
	size_t i;
	int rc = 0;

	(void)progress;    /* the run reports through the callback it was given at read */
	for (i = 0; rc == 0 && i < pl->nsteps; i++)
		rc = aud_robust_run(j->run, pl->steps[i].p, pl->steps[i].sweep, err);
	return rc;
}

const char *
aud_robust_job_note(void *self)
{
	const struct aud_robust_job *j = self;

	return j->note;
}

int
aud_robust_job_input_info(void *self, cJSON *input, struct aud_error *err)
{
	const struct aud_robust_job *j = self;
	const char *path = j->o->model.pmml;
	cJSON *mo = cJSON_AddObjectToObject(input, "model");
	char sha[65];
	int rc;

	if (mo == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (path != NULL) {
		rc = aud_file_sha256(sha, path, err);
		if (rc < 0)
			return rc;
		if (cJSON_AddStringToObject(mo, "path", path) == NULL ||
		    cJSON_AddStringToObject(mo, "sha256", sha) == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		return 0;
	}
	if (cJSON_AddNullToObject(mo, "path") == NULL ||
	    cJSON_AddNullToObject(mo, "sha256") == NULL ||
	    cJSON_AddStringToObject(mo, "command", j->o->model.command) == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}

static int
add_strings(cJSON *p, const char *key, const char *const *v, size_t n)
{
	return aud_json_add_strings(p, key, v, n) != NULL ? 0 : -1;
}

/* The bins' edges and the side each column's bins are closed on. */
static int
put_bins(cJSON *p, const struct aud_robust_job *j)
{
	cJSON *bo;
	size_t i, k;

	if (j->nbins == 0)
		return 0;
	bo = cJSON_AddObjectToObject(p, "bins");
	for (k = 0; bo != NULL && k < j->nbins; k++) {
		cJSON *ea = cJSON_AddArrayToObject(bo, j->bins[k]->column);

		for (i = 0; ea != NULL && i < j->bins[k]->nedges; i++)
			if (!cJSON_AddItemToArray(ea, aud_json_number(j->bins[k]->edges[i])))
				return -1;
		if (ea == NULL)
			return -1;
	}
	if (bo == NULL)
		return -1;
	bo = cJSON_AddObjectToObject(p, "bins_closed");
	for (k = 0; bo != NULL && k < j->nbins; k++)
		if (cJSON_AddStringToObject(bo, j->bins[k]->column,
		    j->bins[k]->right ? "right" : "left") == NULL)
			return -1;
	return bo == NULL ? -1 : 0;
}

static int
put_params(cJSON *p, const struct aud_robust_job *j)
{
	const struct aud_robust_job_options *o = j->o;
	const struct aud_robust_options *ro = &j->ro;
	const struct aud_robust_plan *pl = j->plan;
	const char *const *fn;
	size_t k, nf;

	if ((o->model.pmml != NULL ? cJSON_AddStringToObject(p, "model", o->model.pmml) :
	    cJSON_AddStringToObject(p, "model_cmd", o->model.command)) == NULL ||
	    (o->model.command != NULL && cJSON_AddStringToObject(p, "model_protocol",
	    aud_modelcmd_protocol_names[o->model.protocol >= 0 ? o->model.protocol : 0]) == NULL) ||
	    cJSON_AddStringToObject(p, "model_kind", aud_model_describe(j->model)) == NULL ||
	    (ro->label != NULL && cJSON_AddStringToObject(p, "label", ro->label) == NULL) ||
	    cJSON_AddStringToObject(p, "positive", ro->positive) == NULL ||
	    add_strings(p, "protected", ro->protected_cols, ro->nprotected) < 0 ||
	    add_strings(p, "perturb", (const char *const *)pl->specs, pl->nspecs) < 0)
		return -1;
	if (pl->levels != NULL) {
		cJSON *la = cJSON_AddArrayToObject(p, "levels");

		for (k = 0; la != NULL && k < pl->nlevels; k++)
			if (!cJSON_AddItemToArray(la, aud_json_number(pl->levels[k])))
				return -1;
		if (la == NULL)
			return -1;
	}
	/* the columns perturbed, given or chosen */
	fn = aud_robust_features(j->run, &nf);
	if (add_strings(p, "features", fn, nf) < 0 ||
	    (o->model.columns.n > 0 && add_strings(p, "model_columns",
	    (const char *const *)o->model.columns.v, o->model.columns.n) < 0) ||
	    put_bins(p, j) < 0 ||
	    add_strings(p, "freeze", ro->freeze, ro->nfreeze) < 0 ||
	    cJSON_AddNumberToObject(p, "repeats", (double)ro->repeats) == NULL ||
	    cJSON_AddNumberToObject(p, "threshold", ro->threshold) == NULL ||
	    cJSON_AddNumberToObject(p, "seed", (double)ro->seed) == NULL ||
	    cJSON_AddNumberToObject(p, "ci", ro->ci_level) == NULL ||
	    cJSON_AddBoolToObject(p, "by_feature", ro->by_feature) == NULL ||
	    cJSON_AddBoolToObject(p, "unbounded", ro->unbounded) == NULL ||
	    cJSON_AddNumberToObject(p, "restarts", ro->adv_restarts) == NULL ||
	    cJSON_AddNumberToObject(p, "steps", ro->adv_steps) == NULL)
		return -1;
	return 0;
}

static int
job_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct aud_robust_job *j = self;
	const char *const *rw;
	cJSON *res = NULL, *item;
	size_t i, n;
	int rc;

	if (put_params(params, j) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = aud_robust_results(&res, j->run, err);
	if (rc < 0)
		return rc;
	/* the results' members move into the envelope's results */
	for (item = res->child; item != NULL; item = res->child) {
		cJSON_DetachItemViaPointer(res, item);
		if (!cJSON_AddItemToObject(results, item->string, item)) {
			cJSON_Delete(item);
			cJSON_Delete(res);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
	}
	cJSON_Delete(res);
	for (i = 0; i < j->plan->nnotes; i++)
		if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(j->plan->notes[i])))
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rw = aud_robust_warnings(j->run, &n);
	for (i = 0; i < n; i++)
		if (!cJSON_AddItemToArray(warnings, cJSON_CreateString(rw[i])))
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}

static int
job_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	return aud_robust_write(f, cJSON_GetObjectItemCaseSensitive(doc, "results"), format,
	    err);
}

static void
job_checks(void *self, struct aud_check_resolver *out)
{
	(void)self;
	aud_robust_check_resolver(out);
}

const struct aud_job_ops aud_robust_job_ops = {
	"audit.robustness/1",
	job_read,
	job_run,
	job_document,
	job_checks,
	job_write,
	0, NULL, NULL, NULL
};
