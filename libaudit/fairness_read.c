/* fairness_read.c — reading a CSV: the label and prediction values, the columns, the rows. */
#include <audit/fairness.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fairness_impl.h"

/* ---- reading a CSV ---- */

/* How a label/prediction value compares with --positive or --favorable. */
struct matcher {
	const char *text;
	size_t len;
	int numeric;
	double num;
};

static void
matcher_init(struct matcher *m, const char *text)
{
	m->text = text;
	m->len = strlen(text);
	m->numeric = aud_parse_number(&m->num, text, m->len) == 1 && !isnan(m->num);
}

/* 1 match, 0 no match, 2 missing, <0 error. *num gets the number (numeric mode). */
static int
match_field(const struct matcher *m, struct aud_csv *csv, size_t col, double *num,
    struct aud_error *err)
{
	if (m->numeric) {
		size_t len;
		const char *s = aud_csv_field(csv, col, &len);
		int r;

		if (len == 1 && s[0] >= '0' && s[0] <= '9') {
			*num = s[0] - '0';
			return *num == m->num;
		}
		r = aud_csv_number(num, csv, col, err);

		if (r < 0)
			return r;
		if (r == 0)
			return 2;
		return *num == m->num;
	} else {
		size_t len;
		const char *s;

		if (aud_csv_is_na(csv, col))
			return 2;
		s = aud_csv_field(csv, col, &len);
		return len == m->len && memcmp(s, m->text, len) == 0;
	}
}

/*
 * A text where the numeric positive value expects a number: say what to do
 * (a text label names its positive value; more than two classes are another task).
 */
static int
text_hint(int rc, const struct matcher *m, struct aud_error *err)
{
	size_t len;

	if (rc != AUD_EPARSE || !m->numeric || err == NULL)
		return rc;
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len,
	    " (the positive value is '%s': for text labels give --positive VALUE, and for more "
	    "than two classes --task multiclass)", m->text);
	return rc;
}

/* Remember the first NEGS distinct non-positive values of a role. */
static int
note_negative(const struct matcher *m, double x, struct aud_csv *csv, size_t col,
    struct negs *ng, struct aud_error *err)
{
	size_t len;
	const char *s;
	int i;

	if (ng->more)
		return 0;
	s = aud_csv_field(csv, col, &len);
	for (i = 0; i < ng->n; i++)
		if (m->numeric ? x == ng->num[i] :
		    len == ng->len[i] && memcmp(ng->ex[i], s, len) == 0)
			return 0;
	if (ng->n == NEGS) {
		ng->more = 1;
		return 0;
	}
	ng->ex[ng->n] = aud__fair_xstrndup(s, len);
	if (ng->ex[ng->n] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	ng->len[ng->n] = len;
	ng->num[ng->n] = x;
	ng->n++;
	return 0;
}

/* "'a', 'b', ...": the values of a column (values longer than 24 bytes cut). */
void
aud__fair_list_values(char *buf, size_t size, const struct negs *ng, const char *positive)
{
	size_t len = 0;
	int i, k = 0;

	buf[0] = '\0';
#define ADDV(...) do { if (len < size) len += (size_t)snprintf(buf + len, size - len, __VA_ARGS__); } while (0)
	if (ng->pos) {
		ADDV("'%s'", positive);
		k++;
	}
	for (i = 0; i < ng->n; i++, k++)
		ADDV("%s'%.*s%s'", k ? ", " : "", (int)(ng->len[i] > 24 ? 24 : ng->len[i]),
		    ng->ex[i], ng->len[i] > 24 ? "..." : "");
	if (ng->more)
		ADDV(", ...");
#undef ADDV
}

/* Prefix err's message with the position of field col. */
int
aud__fair_at_field(struct aud_error *err, struct aud_csv *csv, size_t col, int rc)
{
	char msg[sizeof(err->msg)];

	if (err == NULL)
		return rc;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return AUD_ERROR(err, rc, "%s:%llu:%llu: %s", aud_csv_path(csv),
	    (unsigned long long)aud_csv_line(csv),
	    (unsigned long long)aud_csv_column(csv, col), msg);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A binary audit needs two values: a label column of more than two, or a
 * prediction holding a value the label does not (three in all), is refused
 * rather than counted one-vs-rest. The values are listed in byte order.
 */
static int
check_two_values(const struct aud_fairness *f, struct aud_csv *csv,
    const struct aud_fairness_columns *cols, struct aud_error *err)
{
	const struct negs *ln = &f->label_neg, *pn = &f->pred_neg;
	const char *v[2 * NEGS + 1];
	char list[200];
	size_t nv = 0, i, len = 0;
	int j, k, more = ln->more, numeric;
	const char *col = cols->label;
	double x;

	numeric = aud_parse_number(&x, f->o.positive, strlen(f->o.positive)) == 1 && !isnan(x);

	if (ln->pos)
		v[nv++] = f->o.positive;
	for (j = 0; j < ln->n; j++)
		v[nv++] = ln->ex[j];
	if (nv <= 2 && !more && cols->pred != NULL) {
		/* the prediction's values that the label does not have */
		if (pn->pos && !ln->pos)
			v[nv++] = f->o.positive;
		for (j = 0; j < pn->n; j++) {
			int seen = 0;

			for (k = 0; k < ln->n; k++)
				seen |= numeric ? pn->num[j] == ln->num[k] :
				    strcmp(pn->ex[j], ln->ex[k]) == 0;
			if (!seen)
				v[nv++] = pn->ex[j];
		}
		more = pn->more;
		col = cols->pred;
	}
	if (nv <= 2 && !more)
		return 0;
	qsort(v, nv, sizeof(*v), cmp_str);
	list[0] = '\0';
	for (i = 0; i < nv && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s'%.24s%s'",
		    i ? ", " : "", v[i], strlen(v[i]) > 24 ? "..." : "");
	if (more && len < sizeof(list))
		snprintf(list + len, sizeof(list) - len, ", ...");
	if (col == cols->label)
		return AUD_ERROR(err, AUD_EPARSE, "%s: column '%s' has %s%zu values (%s): a "
		    "binary audit needs two; use --task multiclass", aud_csv_path(csv), col,
		    more ? "more than " : "", nv, list);
	return AUD_ERROR(err, AUD_EPARSE, "%s: column '%s' has values the label '%s' does "
	    "not have: with the label's, %s%zu values (%s): a binary audit needs two; use "
	    "--task multiclass", aud_csv_path(csv), col, cols->label,
	    more ? "more than " : "", nv, list);
}

/*
 * A positive or favorable value that never occurs would give all-zero rates
 * that look like an answer: refuse it, naming the values that do occur.
 */
static int
check_values(const struct aud_fairness *f, struct aud_csv *csv,
    const struct aud_fairness_columns *cols, int same_fav, struct aud_error *err)
{
	const struct negs *ng = NULL;
	const char *opt = NULL, *val = NULL, *col = NULL;
	char vals[160];

	if (!f->label_neg.pos) {
		ng = &f->label_neg;
		opt = "positive";
		val = f->o.positive;
		col = cols->label;
	} else if (cols->pred == NULL && !same_fav && !f->label_neg.fav) {
		ng = &f->label_neg;
		opt = "favorable";
		val = f->o.favorable;
		col = cols->label;
	} else if (cols->pred != NULL && !f->pred_neg.pos) {
		ng = &f->pred_neg;
		opt = "positive";
		val = f->o.positive;
		col = cols->pred;
	} else if (cols->pred != NULL && !f->pred_neg.fav) {
		ng = &f->pred_neg;
		opt = "favorable";
		val = f->o.favorable;
		col = cols->pred;
	}
	if (ng == NULL)
		return 0;
	aud__fair_list_values(vals, sizeof(vals), ng, f->o.positive);
	return AUD_ERROR(err, AUD_EPARSE, "%s: --%s '%s' never occurs in column '%s' "
	    "(its values: %s)", aud_csv_path(csv), opt, val, col, vals);
}

int
aud_fairness_read_csv(struct aud_fairness *f, struct aud_csv *csv,
    const struct aud_fairness_columns *cols, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	size_t ilabel = 0, ipred = 0, iscore = 0, iweight = 0, i;
	size_t *iprot = NULL, *lens = NULL;
	const char **vals = NULL;
	struct matcher pos, fav;
	struct aud_fairness_row row;
	int rc = 0, same_fav;
	double x, xf;

	iprot = calloc(f->k, sizeof(*iprot));
	lens = calloc(f->k, sizeof(*lens));
	vals = calloc(f->k, sizeof(*vals));
	if (iprot == NULL || lens == NULL || vals == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	rc = aud_csv_find(&ilabel, csv, cols->label, err);
	if (rc == 0 && cols->pred != NULL)
		rc = aud_csv_find(&ipred, csv, cols->pred, err);
	if (rc == 0 && cols->score != NULL)
		rc = aud_csv_find(&iscore, csv, cols->score, err);
	if (rc == 0 && cols->weights != NULL)
		rc = aud_csv_find(&iweight, csv, cols->weights, err);
	for (i = 0; rc == 0 && i < f->k; i++)
		rc = aud_csv_find(&iprot[i], csv, f->cols[i].name, err);
	if (rc < 0)
		goto done;
	if (cols->score != NULL)
		f->pipe = aud__fair_pipe_start(f);    /* NULL: the rows are added here */
	matcher_init(&pos, f->o.positive);
	matcher_init(&fav, f->o.favorable);
	same_fav = pos.numeric == fav.numeric &&
	    (pos.numeric ? pos.num == fav.num : strcmp(pos.text, fav.text) == 0);
	row.values = vals;
	row.lens = lens;
	for (;;) {
		int r;
		size_t bad;

		rc = aud_csv_next(csv, err);
		if (rc < 0)
			goto done;
		if (rc == 0)
			break;
		rc = 0;
		r = match_field(&pos, csv, ilabel, &x, err);
		if (r < 0) {
			rc = text_hint(r, &pos, err);
			goto done;
		}
		if (r == 2) {
			f->skip_label++;
			continue;
		}
		if (r == 1)
			f->label_neg.pos = 1;
		else if (!f->label_neg.more &&
		    !(f->label_neg.n > 0 && pos.numeric && x == f->label_neg.num[0])) {
			rc = note_negative(&pos, x, csv, ilabel, &f->label_neg, err);
			if (rc < 0)
				goto done;
		}
		if (cols->pred == NULL && !same_fav && !f->label_neg.fav)
			f->label_neg.fav = match_field(&fav, csv, ilabel, &xf, err) == 1;
		row.label = r;
		row.score = 0.0;
		if (cols->score != NULL) {
			r = aud_csv_number(&row.score, csv, iscore, err);
			if (r < 0) {
				rc = r;
				goto done;
			}
			if (r == 0) {
				f->skip_score++;
				continue;
			}
			if (!(row.score >= 0.0 && row.score <= 1.0)) {
				size_t len;
				const char *s = aud_csv_field(csv, iscore, &len);

				rc = AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: score '%.*s' in column '%s' is outside [0, 1]",
				    aud_csv_path(csv), (unsigned long long)aud_csv_line(csv),
				    (unsigned long long)aud_csv_column(csv, iscore),
				    (int)(len > 40 ? 40 : len), s, cols->score);
				goto done;
			}
		}
		if (cols->pred != NULL) {
			r = match_field(&pos, csv, ipred, &x, err);
			if (r < 0) {
				rc = text_hint(r, &pos, err);
				goto done;
			}
			if (r == 2) {
				f->skip_pred++;
				continue;
			}
			if (r == 1)
				f->pred_neg.pos = 1;
			else if (!f->pred_neg.more &&
			    !(f->pred_neg.n > 0 && pos.numeric && x == f->pred_neg.num[0])) {
				rc = note_negative(&pos, x, csv, ipred, &f->pred_neg, err);
				if (rc < 0)
					goto done;
			}
			row.pred = r;
			/* the same value and the same comparison: no second look */
			row.favorable = same_fav ? r == 1 :
			    match_field(&fav, csv, ipred, &x, err) == 1;
			f->pred_neg.fav |= row.favorable;
		} else {
			row.pred = row.score >= f->o.threshold;
			/* a favorable value other than the positive one is the negative class */
			row.favorable = strcmp(f->o.favorable, f->o.positive) == 0 ||
			    (pos.numeric && fav.numeric && pos.num == fav.num) ?
			    row.pred : !row.pred;
		}
		row.weight = 1.0;
		if (cols->weights != NULL) {
			r = aud_csv_number(&row.weight, csv, iweight, err);
			if (r < 0) {
				rc = r;
				goto done;
			}
			if (r == 0) {
				f->skip_weight++;
				continue;
			}
			if (!(row.weight >= 0.0) || !isfinite(row.weight)) {
				size_t len;
				const char *s = aud_csv_field(csv, iweight, &len);

				rc = AUD_ERROR(err, AUD_EPARSE,
				    "%s:%llu:%llu: weight '%.*s' in column '%s' is not a finite number >= 0",
				    aud_csv_path(csv), (unsigned long long)aud_csv_line(csv),
				    (unsigned long long)aud_csv_column(csv, iweight),
				    (int)(len > 40 ? 40 : len), s, cols->weights);
				goto done;
			}
			rc = aud__fair_scale_weight(f, &row.weight, err);
			if (rc < 0) {
				rc = aud__fair_at_field(err, csv, iweight, rc);
				goto done;
			}
		}
		for (i = 0; i < f->k; i++)
			vals[i] = aud_csv_field(csv, iprot[i], &lens[i]);
		rc = aud__fair_add_row(f, &row, &bad, csv, iprot, err);
		if (rc < 0) {
			if (bad != (size_t)-1)
				rc = aud__fair_at_field(err, csv, iprot[bad], rc);
			goto done;
		}
		if ((f->nadded & 0xffff) == 0)
			aud_progress_report(progress, "input", AUD_PROGRESS_BYTES,
			    aud_csv_bytes(csv), aud_csv_size(csv));
	}
	rc = 0;
	if (f->nadded > 0)
		rc = check_two_values(f, csv, cols, err);
	if (rc == 0 && f->nadded > 0)
		rc = check_values(f, csv, cols, same_fav, err);
done:
	if (f->pipe != NULL) {
		int prc = aud__fair_pipe_stop(f->pipe, rc < 0 ? NULL : err);

		f->pipe = NULL;
		if (rc == 0)
			rc = prc;
	}
	free(iprot);
	free(lens);
	free(vals);
	return rc;
}
