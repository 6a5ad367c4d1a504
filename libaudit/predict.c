/*
 * predict.c — score a CSV with a model, streaming (see predict.h).
 */
#include <audit/predict.h>
#include <audit/batch.h>
#include <audit/mitigate_job.h>
#include <audit/pmml.h>
#include <audit/xgb.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int
aud_predict_validate(const struct aud_predict_options *opts, struct aud_error *err)
{
	if ((opts->pmml == NULL) == (opts->command == NULL))
		return AUD_ERROR(err, AUD_EINVAL,
		    "give exactly one of -m MODEL and --model-cmd CMD");
	if (opts->model.protocol >= 0 && opts->command == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "--model-protocol is for --model-cmd "
		    "(a model file is read by the tool itself)");
	if (opts->columns != NULL && opts->command == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "%s goes with --model-cmd",
		    opts->columns_option != NULL ? opts->columns_option : "--model-columns");
	if (opts->policy != NULL && opts->all_outputs)
		return AUD_ERROR(err, AUD_EINVAL, "--postprocess and --all-outputs do not go "
		    "together (a policy acts on the score)");
	if (opts->score_col == NULL || opts->score_col[0] == '\0' ||
	    opts->pred_col == NULL || opts->pred_col[0] == '\0')
		return AUD_ERROR(err, AUD_EINVAL, "column names must not be empty");
	return 0;
}

int
aud_predict_model_open(struct aud_model **out, struct aud_csv *csv,
    const struct aud_predict_options *opts, struct aud_error *err)
{
	struct aud_model_open_options mo = opts->model;
	const char **cols = NULL;
	enum aud_col_kind *kinds = NULL;
	size_t n, i, k;
	int rc;

	*out = NULL;
	if (opts->command == NULL) {
		rc = aud_model_open(out, opts->pmml, NULL, &mo, err);
		goto check;
	}
	n = opts->columns != NULL ? opts->ncolumns : aud_csv_ncols(csv);
	cols = calloc(n + 1, sizeof(*cols));
	kinds = calloc(n + 1, sizeof(*kinds));
	if (cols == NULL || kinds == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (opts->columns != NULL) {
			rc = aud_csv_find(&k, csv, opts->columns[i], err);
			if (rc < 0)
				goto done;
		} else {
			k = i;
		}
		cols[i] = aud_csv_colname(csv, k);
		/* sent as the text stands in the input */
		kinds[i] = AUD_COL_CATEGORICAL;
	}
	mo.columns = cols;
	mo.kinds = kinds;
	mo.ncolumns = n;
	rc = aud_model_open(out, NULL, opts->command, &mo, err);
check:
	if (rc == 0 && opts->all_outputs && !aud_pmml_is_pmml(*out)) {
		aud_model_free(*out);
		*out = NULL;
		rc = AUD_ERROR(err, AUD_EINVAL, "--all-outputs needs a PMML model");
	}
done:
	free(cols);
	free(kinds);
	return rc;
}

static int
is_classifier(const struct aud_model *m)
{
	return aud_model_task(m) == AUD_TASK_CLASSIFICATION;
}

int
aud_predict_name_clash(const struct aud_csv *csv, const struct aud_model *m,
    const struct aud_predict_options *opts)
{
	size_t k;

	if (opts->all_outputs)
		return 0;
	return aud_csv_find(&k, csv, opts->score_col, NULL) == 0 ||
	    (is_classifier(m) && aud_csv_find(&k, csv, opts->pred_col, NULL) == 0);
}

/* A number as the output shows it: empty when missing; float32 models in float32's digits. */
static void
write_num(FILE *f, double x, int is_float)
{
	char buf[32];
	int p;

	if (isnan(x))
		return;
	if (is_float) {
		/* the shortest text that reads back to the same float32 */
		for (p = 6; p <= 9; p++) {
			snprintf(buf, sizeof(buf), "%.*g", p, x);
			if ((float)strtod(buf, NULL) == (float)x)
				break;
		}
	} else {
		aud_format_double(buf, x);
	}
	fputs(buf, f);
}

static void
write_name(FILE *f, const char *name, char sep, int first)
{
	if (!first)
		fputc(sep, f);
	aud_csv_write_field(f, name, strlen(name), sep);
}

static void
write_header(FILE *f, const struct aud_model *m, const struct aud_csv *csv,
    const struct aud_predict_options *opts)
{
	char sep = aud_csv_sep(csv);
	size_t i;

	for (i = 0; i < aud_csv_ncols(csv); i++)
		write_name(f, aud_csv_colname(csv, i), sep, i == 0);
	if (opts->all_outputs) {
		for (i = 0; i < aud_pmml_noutputs(m); i++)
			write_name(f, aud_pmml_output_name(m, i), sep, 0);
	} else {
		write_name(f, opts->score_col, sep, 0);
		if (is_classifier(m))
			write_name(f, opts->pred_col, sep, 0);
		if (opts->policy != NULL) {
			write_name(f, "pred_mitigated", sep, 0);
			write_name(f, "p_mitigated", sep, 0);
		}
	}
	fputc('\n', f);
}

/*
 * The model names a bad row as "row N: ..." (1-based, over the whole input);
 * say where it is instead: "PATH:LINE: ...".
 */
static void
locate(struct aud_error *err, struct aud_csv *csv, struct aud_batch_reader *br,
    const struct aud_batch *b)
{
	unsigned long long row;
	int used = 0;
	char rest[sizeof(err->msg)];

	if (err == NULL)
		return;
	if (sscanf(err->msg, "row %llu: %n", &row, &used) != 1 || used == 0 ||
	    row < b->first_row + 1 || row > b->first_row + b->nrows)
		return;
	snprintf(rest, sizeof(rest), "%s", err->msg + used);
	snprintf(err->msg, sizeof(err->msg), "%.200s:%llu: %.280s", aud_csv_path(csv),
	    (unsigned long long)aud_batch_reader_line(br, (size_t)(row - 1 - b->first_row)), rest);
}

/* Score one batch into *vals or *score (grown as needed). */
static int
score_batch(const struct aud_model *m, const struct aud_batch *b, int all, size_t nout,
    struct aud_pmml_value **vals, double **score, struct aud_error *err)
{
	if (all) {
		struct aud_pmml_value *nv = realloc(*vals, b->nrows * (nout ? nout : 1) * sizeof(*nv));

		if (nv == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		*vals = nv;
		return aud_pmml_predict_outputs(m, b, nv, err);
	} else {
		double *ns = realloc(*score, b->nrows * sizeof(*ns));

		if (ns == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		*score = ns;
		return aud_model_predict(m, b, ns, NULL, err);
	}
}

/* The group key of row r: the policy's protected columns (from column `first` on), " & "-joined. */
static int
group_key(char **buf, size_t *cap, size_t *len, const struct aud_batch *b, size_t first,
    size_t n, size_t r, struct aud_error *err)
{
	size_t i, need = 1, l;
	char num[32];

	for (i = 0; i < n; i++) {
		const struct aud_column *c = &b->cols[first + i];

		if (c->kind == AUD_COL_CATEGORICAL ? c->code[r] < 0 : isnan(c->num[r]))
			return 0;
		need += (c->kind == AUD_COL_CATEGORICAL ? strlen(aud_dict_str(c->dict,
		    c->code[r])) : 32) + 3;
	}
	if (need > *cap) {
		char *nb = realloc(*buf, need);

		if (nb == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		*buf = nb;
		*cap = need;
	}
	*len = 0;
	for (i = 0; i < n; i++) {
		const struct aud_column *c = &b->cols[first + i];
		const char *s;

		if (c->kind == AUD_COL_CATEGORICAL) {
			s = aud_dict_str(c->dict, c->code[r]);
		} else {
			aud_format_double(num, c->num[r]);
			s = num;
		}
		l = strlen(s);
		if (i > 0) {
			memcpy(*buf + *len, " & ", 3);
			*len += 3;
		}
		memcpy(*buf + *len, s, l);
		*len += l;
	}
	(*buf)[*len] = '\0';
	return 1;
}

/* pred_mitigated and p_mitigated of row r (after the separator of each). */
static int
postprocess(FILE *f, const struct aud_predict_options *opts, const struct aud_batch *b,
    size_t first, size_t r, double score, struct aud_rng *rng, char **key, size_t *cap,
    struct aud_csv *csv, struct aud_batch_reader *br, struct aud_error *err)
{
	const struct aud_mit_rule *rule;
	char sep = aud_csv_sep(csv), num[32];
	double prob;
	size_t len = 0;
	int has, d;

	has = group_key(key, cap, &len, b, first, aud_mit_policy_nprotected(opts->policy), r,
	    err);
	if (has < 0)
		return has;
	fputc(sep, f);
	if (!has || isnan(score)) {
		fputc(sep, f);
		return 0;
	}
	if (!(score >= 0.0 && score <= 1.0)) {
		aud_format_double(num, score);
		return AUD_ERROR(err, AUD_EMODEL, "%s:%llu: the model's score %s is outside "
		    "[0, 1]: --postprocess needs probabilities", aud_csv_path(csv),
		    (unsigned long long)aud_batch_reader_line(br, r), num);
	}
	rule = aud_mit_policy_rule(opts->policy, *key, len);
	if (rule == NULL)
		return AUD_ERROR(err, AUD_EPARSE, "%s:%llu: group '%.80s' is not in the policy",
		    aud_csv_path(csv), (unsigned long long)aud_batch_reader_line(br, r), *key);
	d = aud_mit_decide(&prob, rule, score, rng, opts->seed, b->first_row + r);
	aud_format_double(num, prob);
	fprintf(f, "%d%c%s", d, sep, num);
	return 0;
}

int
aud_predict_write(FILE *f, const struct aud_model *m, struct aud_csv *csv,
    const struct aud_predict_options *opts, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct aud_batch_reader *br = NULL;
	struct aud_batch *b;
	struct aud_pmml_value *vals = NULL;
	const char **names = NULL;
	enum aud_col_kind *kinds = NULL;
	double *score = NULL;
	size_t nf = aud_model_nfeatures(m), nout = 0, batch, i, r, keycap = 0;
	size_t np = opts->policy != NULL ? aud_mit_policy_nprotected(opts->policy) : 0;
	struct aud_rng *rng = NULL;
	char sep = aud_csv_sep(csv), *key = NULL;
	int pmml = aud_pmml_is_pmml(m), rc;

	if (opts->policy != NULL && !is_classifier(m))
		return AUD_ERROR(err, AUD_EINVAL, "--postprocess needs a classifier (the model "
		    "is a regression)");
	names = calloc(nf + np + 1, sizeof(*names));
	kinds = calloc(nf + np + 1, sizeof(*kinds));
	if (names == NULL || kinds == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < nf; i++) {
		const struct aud_feature *ft = aud_model_feature(m, i);

		names[i] = ft->name;
		/*
		 * A command's columns: numeric or text as the first batch shows,
		 * so numbers are not kept in a dictionary that grows with the rows.
		 */
		kinds[i] = pmml ? ft->kind : AUD_COL_AUTO;
	}
	/* the policy's protected columns, as text, after the model's (which it finds first) */
	for (i = 0; i < np; i++) {
		names[nf + i] = aud_mit_policy_protected(opts->policy, i);
		kinds[nf + i] = AUD_COL_CATEGORICAL;
	}
	if (np > 0) {
		rc = aud_rng_new(&rng, opts->seed, 0, err);
		if (rc < 0)
			goto done;
	}
	batch = opts->model.batch_size > 0 ? opts->model.batch_size :
	    pmml ? AUD_PREDICT_BATCH_PMML : AUD_PREDICT_BATCH_COMMAND;
	rc = aud_batch_reader_new(&br, csv, names, kinds, nf + np, batch, 1, err);
	if (rc < 0) {
		rc = aud_xgb_column_hint(m, rc, err);
		goto done;
	}
	if (opts->all_outputs)
		nout = aud_pmml_noutputs(m);
	write_header(f, m, csv, opts);
	for (;;) {
		rc = aud_batch_reader_next(&b, br, err);
		if (rc <= 0)
			break;
		rc = score_batch(m, b, opts->all_outputs, nout, &vals, &score, err);
		if (rc < 0) {
			locate(err, csv, br, b);
			goto done;
		}
		for (r = 0; r < b->nrows; r++) {
			size_t len;
			const char *raw = aud_batch_reader_raw(br, r, &len);

			if (fwrite(raw, 1, len, f) != len)
				break;
			for (i = 0; i < nout; i++) {
				const struct aud_pmml_value *v = &vals[r * nout + i];

				fputc(sep, f);
				if (v->str != NULL)
					aud_csv_write_field(f, v->str, strlen(v->str), sep);
				else
					write_num(f, v->num, v->is_float);
			}
			if (!opts->all_outputs) {
				fputc(sep, f);
				write_num(f, score[r], 0);
				if (is_classifier(m)) {
					fputc(sep, f);
					if (!isnan(score[r]))
						fputc(score[r] >= opts->threshold ? '1' : '0', f);
				}
				if (np > 0) {
					rc = postprocess(f, opts, b, nf, r, score[r], rng, &key,
					    &keycap, csv, br, err);
					if (rc < 0)
						goto done;
				}
			}
			fputc('\n', f);
		}
		if (ferror(f)) {
			int e = errno;

			rc = AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write the output: %s",
			    strerror(e));
			goto done;
		}
		aud_progress_report(progress, "predict", AUD_PROGRESS_BYTES, aud_csv_bytes(csv),
		    aud_csv_size(csv));
	}
done:
	aud_rng_free(rng);
	free(key);
	free(vals);
	free(score);
	free(names);
	free(kinds);
	aud_batch_reader_free(br);
	return rc < 0 ? rc : 0;
}
