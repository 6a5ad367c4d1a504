/* test_predict.c — scoring a CSV, streaming: rows copied, score and decision appended. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/pmml.h>
#include <audit/predict.h>

#include "runner.h"

/* P(y = 1) = logistic(-1 + 0.5 x + [c = b]) */
static const char logreg[] =
    "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n"
    "<DataDictionary>\n"
    "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>\n"
    "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\">\n"
    "<Value value=\"a\"/><Value value=\"b\"/></DataField>\n"
    "<DataField name=\"y\" optype=\"categorical\" dataType=\"integer\">\n"
    "<Value value=\"0\"/><Value value=\"1\"/></DataField>\n"
    "</DataDictionary>\n"
    "<RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">\n"
    "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/>\n"
    "<MiningField name=\"x\"/><MiningField name=\"c\"/></MiningSchema>\n"
    "<RegressionTable intercept=\"-1\" targetCategory=\"1\">\n"
    "<NumericPredictor name=\"x\" coefficient=\"0.5\"/>\n"
    "<CategoricalPredictor name=\"c\" value=\"b\" coefficient=\"1\"/>\n"
    "</RegressionTable>\n"
    "<RegressionTable intercept=\"0\" targetCategory=\"0\"/>\n"
    "</RegressionModel></PMML>\n";

/* x and c of each row, and the logit the model must give (by hand) */
static const char rows[] =
    "id;x;c;note\n"
    "1;2;a;\"zero; margin\"\n"
    "2;0;b;zero\n"
    "3;4;b;two\n"
    "4;-2;a;minus two\n";
static const double logit[] = { 0.0, 0.0, 2.0, -2.0 };

static struct aud_csv *
csv_of(const char *text)
{
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *csv = NULL;

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), &co, NULL), 0);
	return csv;
}

/* Score `text` with m; the output in a malloc'ed string (NULL on error, *rc the code). */
static char *
predict(const struct aud_model *m, const char *text, const struct aud_predict_options *o,
    int *rc, struct aud_error *err)
{
	struct aud_csv *csv = csv_of(text);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = -1;
	if (csv != NULL && f != NULL)
		*rc = aud_predict_write(f, m, csv, o, NULL, err);
	if (f != NULL)
		fclose(f);
	aud_csv_free(csv);
	if (*rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Field k (0-based) of a line split at sep, as a number (NAN when empty). */
static double
field(const char *line, char sep, int k)
{
	const char *p = line;

	while (k-- > 0 && p != NULL) {
		p = strchr(p, sep);
		if (p != NULL)
			p++;
	}
	if (p == NULL || *p == sep || *p == '\n' || *p == '\0')
		return NAN;
	return strtod(p, NULL);
}

static struct aud_model *
load_logreg(void)
{
	struct aud_model *m = NULL;

	CHECK_INT_EQ(aud_pmml_load_mem(&m, "logreg.pmml", logreg, strlen(logreg), NULL, NULL), 0);
	return m;
}

void
test_predict__logistic_hand_case(void)
{
	struct aud_predict_options o = AUD_PREDICT_OPTIONS_INIT;
	struct aud_model *m = load_logreg();
	struct aud_error err = AUD_ERROR_INIT;
	char *out, *line;
	int rc, i;

	if (m == NULL)
		return;
	out = predict(m, rows, &o, &rc, &err);
	CHECK_INT_EQ(rc, 0);
	if (out == NULL)
		goto done;
	/* the rows as they stand (the quoted separator too), in the input's separator */
	CHECK(strncmp(out, "id;x;c;note;score;pred\n1;2;a;\"zero; margin\";", 43) == 0);
	line = strchr(out, '\n') + 1;
	for (i = 0; i < 4; i++) {
		double want = 1 / (1 + exp(-logit[i]));
		/* the first row's note holds a quoted separator: one more split */
		int k = i == 0 ? 5 : 4;

		CHECK_REL(field(line, ';', k), want, 1e-15);
		/* score >= 0.5: 0.5, 0.5 and 0.88 are positive, 0.12 is not */
		CHECK_INT_EQ((int)field(line, ';', k + 1), i < 3);
		line = strchr(line, '\n') + 1;
	}
	CHECK_INT_EQ(*line, '\0');
	free(out);
	/* another threshold and other names */
	o.threshold = 0.6;
	o.score_col = "p";
	o.pred_col = "d";
	out = predict(m, rows, &o, &rc, &err);
	CHECK(out != NULL && strncmp(out, "id;x;c;note;p;d\n", 16) == 0);
	CHECK(out != NULL && strstr(out, "\n2;0;b;zero;0.5;0\n") != NULL);
	CHECK(out != NULL && strstr(out, "\n3;4;b;two;0.88") != NULL);
	CHECK(out != NULL && strstr(out, ";1\n4;-2;a;minus two;0.1192") != NULL);
	free(out);
done:
	aud_model_free(m);
}

void
test_predict__all_outputs(void)
{
	struct aud_predict_options o = AUD_PREDICT_OPTIONS_INIT;
	struct aud_model *m = load_logreg();
	char *out, *line;
	int rc, i;

	if (m == NULL)
		return;
	o.all_outputs = 1;
	o.model.batch_size = 1;   /* one row a batch: the same result */
	out = predict(m, rows, &o, &rc, NULL);
	CHECK_INT_EQ(rc, 0);
	if (out == NULL)
		goto done;
	CHECK(strncmp(out, "id;x;c;note;y;probability(0);probability(1)\n", 44) == 0);
	line = strchr(out, '\n') + 1;
	for (i = 0; i < 4; i++) {
		int k = i == 0 ? 5 : 4;
		double p1 = 1 / (1 + exp(-logit[i]));

		/* the class of the larger probability (a tie goes to the first, 0) */
		CHECK_INT_EQ((int)field(line, ';', k), p1 > 0.5);
		CHECK_REL(field(line, ';', k + 1), 1 - p1, 1e-15);
		CHECK_REL(field(line, ';', k + 2), p1, 1e-15);
		line = strchr(line, '\n') + 1;
	}
	free(out);
done:
	aud_model_free(m);
}

/* score = 2 x; NAN (no score) when x is 3; an error on the row where x is 99 */
static int
twice(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	const struct aud_column *x = &b->cols[col[0]];
	size_t i;

	(void)margin;
	(void)payload;
	for (i = 0; i < b->nrows; i++) {
		if (x->num[i] == 99)
			return AUD_ERROR(err, AUD_EPARSE, "row %llu: x is 99",
			    (unsigned long long)(b->first_row + i + 1));
		score[i] = x->num[i] == 3 ? NAN : 2 * x->num[i];
	}
	return 0;
}

void
test_predict__regression_no_decision(void)
{
	struct aud_predict_options o = AUD_PREDICT_OPTIONS_INIT;
	const char *names[] = { "x" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC };
	struct aud_model *m = NULL;
	char *out;
	int rc;

	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, kinds, AUD_TASK_REGRESSION, NULL, 0,
	    twice, NULL, NULL), 0);
	if (m == NULL)
		return;
	out = predict(m, "k,x\nu,1.25\nv,3\nw,-4\n", &o, &rc, NULL);
	CHECK_INT_EQ(rc, 0);
	/* no decision column for a regression; no score is an empty field */
	CHECK_STR_EQ(out, "k,x,score\nu,1.25,2.5\nv,3,\nw,-4,-8\n");
	free(out);
	aud_model_free(m);
}

void
test_predict__model_error_names_the_line(void)
{
	struct aud_predict_options o = AUD_PREDICT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const char *names[] = { "x" };
	struct aud_model *m = NULL;
	char *out;
	int rc;

	CHECK_INT_EQ(aud_model_from_fn(&m, 1, names, NULL, AUD_TASK_REGRESSION, NULL, 0,
	    twice, NULL, NULL), 0);
	if (m == NULL)
		return;
	o.model.batch_size = 2;
	/* row 3 (x = 99) starts on line 5: row 2's note spans lines 3 and 4 */
	out = predict(m, "x,note\n1,a\n2,\"b\nc\"\n99,d\n", &o, &rc, &err);
	CHECK(out == NULL);
	CHECK_INT_EQ(rc, AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:5: x is 99");
	aud_model_free(m);
}

void
test_predict__validate(void)
{
	struct aud_predict_options o = AUD_PREDICT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const char *cols[] = { "x" };

	CHECK_INT_EQ(aud_predict_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "give exactly one of -m MODEL and --model-cmd CMD");
	o.pmml = "m.pmml";
	o.command = "cat";
	CHECK_INT_EQ(aud_predict_validate(&o, &err), AUD_EINVAL);
	o.command = NULL;
	CHECK_INT_EQ(aud_predict_validate(&o, &err), 0);
	o.columns = cols;
	o.ncolumns = 1;
	o.columns_option = "--features";
	CHECK_INT_EQ(aud_predict_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--features goes with --model-cmd");
	o.pmml = NULL;
	o.command = "cat";
	CHECK_INT_EQ(aud_predict_validate(&o, &err), 0);
	o.pred_col = "";
	CHECK_INT_EQ(aud_predict_validate(&o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "column names must not be empty");
}

void
test_predict__name_clash(void)
{
	struct aud_predict_options o = AUD_PREDICT_OPTIONS_INIT;
	struct aud_model *m = load_logreg();
	struct aud_csv *csv = csv_of("x,c,pred\n1,a,0\n");

	if (m == NULL || csv == NULL)
		goto done;
	CHECK_INT_EQ(aud_predict_name_clash(csv, m, &o), 1);
	o.pred_col = "decision";
	CHECK_INT_EQ(aud_predict_name_clash(csv, m, &o), 0);
	o.score_col = "c";
	CHECK_INT_EQ(aud_predict_name_clash(csv, m, &o), 1);
	o.all_outputs = 1;
	CHECK_INT_EQ(aud_predict_name_clash(csv, m, &o), 0);
done:
	aud_csv_free(csv);
	aud_model_free(m);
}

void
test_predict__command_columns(void)
{
	struct aud_predict_options o = AUD_PREDICT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	const char *cols[] = { "x" }, *bad[] = { "x", "nope" };
	const char *text = "id,x\n7,0.25\n8,0.75\n";
	struct aud_csv *csv = csv_of(text);
	struct aud_model *m = NULL;
	char *out;
	int rc;

	if (csv == NULL)
		return;
	/* `cat` echoes the one column it receives: the score is x */
	o.command = "cat";
	o.columns = cols;
	o.ncolumns = 1;
	CHECK_INT_EQ(aud_predict_model_open(&m, csv, &o, &err), 0);
	if (m != NULL) {
		out = predict(m, text, &o, &rc, &err);
		CHECK_STR_EQ(out, "id,x,score,pred\n7,0.25,0.25,0\n8,0.75,0.75,1\n");
		free(out);
		aud_model_free(m);
	}
	o.columns = bad;
	o.ncolumns = 2;
	CHECK(aud_predict_model_open(&m, csv, &o, &err) < 0);
	CHECK(m == NULL);
	CHECK(strstr(err.msg, "unknown column 'nope'") != NULL);
	o.columns = NULL;
	o.all_outputs = 1;
	CHECK_INT_EQ(aud_predict_model_open(&m, csv, &o, &err), AUD_EINVAL);
	CHECK(m == NULL);
	CHECK_STR_EQ(err.msg, "--all-outputs needs a PMML model");
	aud_csv_free(csv);
}
