/*
 * test_pmml.c — the PMML engine on small hand-written documents, each value
 * computed by hand (shown next to each check): every element, missing values
 * through every strategy, invalid values, unknown categories, errors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <audit/batch.h>
#include <audit/csv.h>
#include <audit/model.h>
#include <audit/pmml.h>

#include "runner.h"

#define PMML_OPEN "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">"
#define DD_XZ "<DataDictionary>" \
	"<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>" \
	"<DataField name=\"z\" optype=\"continuous\" dataType=\"double\"/>" \
	"<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>" \
	"</DataDictionary>"
#define MS_XZ "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/>" \
	"<MiningField name=\"x\"/><MiningField name=\"z\"/></MiningSchema>"

static struct aud_model *
load(const char *xml, const char *positive, struct aud_error *err)
{
	struct aud_model *m = NULL;
	struct aud_pmml_options o = AUD_PMML_OPTIONS_INIT;

	o.positive = positive;
	if (aud_pmml_load_mem(&m, "t.pmml", xml, strlen(xml), &o, err) < 0)
		return NULL;
	return m;
}

/*
 * Evaluate result field `field` (or the score when field is NULL) on each
 * row of csv; numbers go to out[], strings to sout[] (may be NULL).
 */
static int
eval(const char *xml, const char *csv, const char *field, double *out, const char **sout,
    size_t n, struct aud_error *err)
{
	struct aud_model *m = load(xml, NULL, err);
	struct aud_csv *c = NULL;
	struct aud_batch_reader *br = NULL;
	struct aud_batch *b = NULL;
	struct aud_pmml_value *v = NULL;
	static char sbuf[16][64];
	size_t i, k, no;
	int rc = -1;

	if (m == NULL)
		return err->code;
	if (aud_csv_open_mem(&c, "t.csv", csv, strlen(csv), NULL, err) < 0 ||
	    aud_batch_reader_new(&br, c, NULL, NULL, 0, 1000, 0, err) < 0 ||
	    aud_batch_reader_next(&b, br, err) != 1)
		goto done;
	if (b->nrows != n) {
		rc = AUD_ERROR(err, AUD_EINVAL, "rows %zu, want %zu", b->nrows, n);
		goto done;
	}
	if (field == NULL) {
		rc = aud_model_predict(m, b, out, NULL, err);
		goto done;
	}
	no = aud_pmml_noutputs(m);
	v = calloc(n * no, sizeof(*v));
	rc = aud_pmml_predict_outputs(m, b, v, err);
	if (rc < 0)
		goto done;
	for (k = 0; k < no; k++)
		if (strcmp(aud_pmml_output_name(m, k), field) == 0)
			break;
	if (k == no) {
		rc = AUD_ERROR(err, AUD_ENOTFOUND, "no field %s", field);
		goto done;
	}
	for (i = 0; i < n; i++) {
		out[i] = v[i * no + k].num;
		if (sout != NULL) {
			snprintf(sbuf[i % 16], sizeof(sbuf[0]), "%s", v[i * no + k].str ? v[i * no + k].str : "");
			sout[i] = sbuf[i % 16];
		}
	}
done:
	free(v);
	aud_batch_reader_free(br);
	aud_csv_free(c);
	aud_model_free(m);
	return rc;
}

/* ---- RegressionModel ---- */

void
test_pmml__regression_terms(void)
{
	static const char xml[] = PMML_OPEN
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"z\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/></DataField>"
	    "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
	    "<RegressionModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
	    "<MiningField name=\"x\"/><MiningField name=\"z\"/><MiningField name=\"c\"/></MiningSchema>"
	    "<RegressionTable intercept=\"1\"><NumericPredictor name=\"x\" coefficient=\"2\"/>"
	    "<NumericPredictor name=\"z\" exponent=\"2\" coefficient=\"0.25\"/>"
	    "<CategoricalPredictor name=\"c\" value=\"a\" coefficient=\"3\"/>"
	    "<PredictorTerm coefficient=\"0.5\"><FieldRef field=\"x\"/><FieldRef field=\"z\"/></PredictorTerm>"
	    "</RegressionTable></RegressionModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	double s[3];

	/* 1 + 2*2 + 0.25*16 + 3 + 0.5*2*4 = 16; c=b: 13; x missing: missing */
	CHECK_INT_EQ(eval(xml, "x,z,c\n2,4,a\n2,4,b\n,4,a\n", NULL, s, NULL, 3, &err), 0);
	CHECK_DBL_EQ(s[0], 16);
	CHECK_DBL_EQ(s[1], 13);
	CHECK(isnan(s[2]));
}

#define LOGIT_DOC(norm, t0, t1) PMML_OPEN \
	"<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>" \
	"<DataField name=\"y\" optype=\"categorical\" dataType=\"integer\"><Value value=\"0\"/><Value value=\"1\"/></DataField></DataDictionary>" \
	"<RegressionModel functionName=\"classification\" normalizationMethod=\"" norm "\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>" \
	"<MiningField name=\"x\"/></MiningSchema>" \
	"<RegressionTable intercept=\"0.5\" targetCategory=\"" t0 "\"><NumericPredictor name=\"x\" coefficient=\"1\"/></RegressionTable>" \
	"<RegressionTable intercept=\"0\" targetCategory=\"" t1 "\"/></RegressionModel></PMML>"

void
test_pmml__regression_normalizations(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	double s[2];
	struct aud_model *m;
	struct aud_batch *b = NULL;
	double mar[1], sc[1];
	const char *names[] = { "x" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC };

	/* y1 = 0.5 + x; x = 1: logistic(1.5) = 0.81757447619364365 */
	CHECK_INT_EQ(eval(LOGIT_DOC("logit", "1", "0"), "x\n1\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 0.81757447619364365, 1e-15);
	/* table for category 0 first: p1 = 1 - logistic(1.5) = 0.18242552380635635 */
	CHECK_INT_EQ(eval(LOGIT_DOC("logit", "0", "1"), "x\n1\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 0.18242552380635635, 1e-14);
	/* softmax: exp(1.5)/(exp(1.5)+1), same as logit */
	CHECK_INT_EQ(eval(LOGIT_DOC("softmax", "1", "0"), "x\n1\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 0.81757447619364365, 1e-15);
	/* probit: Phi(1.5) = 0.93319279873114191 */
	CHECK_INT_EQ(eval(LOGIT_DOC("probit", "1", "0"), "x\n1\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 0.93319279873114191, 1e-14);
	/* cloglog: 1 - exp(-exp(1.5)) = 0.98868571361954 */
	CHECK_INT_EQ(eval(LOGIT_DOC("cloglog", "1", "0"), "x\n1\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 1 - exp(-exp(1.5)), 1e-14);
	CHECK_REL(s[0], 0.98868571361954, 1e-13);
	/* none: p1 = y1 = 0.3 + 0.5 with x = -0.2 */
	CHECK_INT_EQ(eval(LOGIT_DOC("none", "1", "0"), "x\n-0.2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 0.3, 1e-15);
	/* the margin of a logit model is the linear predictor, signed for the positive class */
	m = load(LOGIT_DOC("logit", "1", "0"), "0", &err);
	CHECK(m != NULL);
	CHECK_INT_EQ(aud_batch_new(&b, 1, names, kinds, 1, &err), 0);
	if (m != NULL && b != NULL) {
		b->cols[0].num[0] = 1;
		b->nrows = 1;
		CHECK_INT_EQ(aud_model_has_margin(m), 1);
		CHECK_INT_EQ(aud_model_predict(m, b, sc, mar, &err), 0);
		CHECK_REL(sc[0], 0.18242552380635635, 1e-14);
		CHECK_REL(mar[0], -1.5, 1e-15);
	}
	aud_batch_free(b);
	aud_model_free(m);
	/* --positive that is not a category */
	CHECK(load(LOGIT_DOC("logit", "1", "0"), "yes", &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EINVAL);
	CHECK(strstr(err.msg, "positive class 'yes' is not a category") != NULL);
}

/* ---- TreeModel: missing value strategies ---- */

/*
 * root (score 10)
 *   A: x <= 5 (score 1)
 *        A1: z <= 0 (score 2)
 *        A2: z > 0 (score 3)
 *   B: x > 5 (score 4)
 */
static void
tree_doc(char *buf, size_t n, const char *mvs, const char *ntc, const char *dflt_root,
    const char *dflt_a)
{
	snprintf(buf, n, PMML_OPEN DD_XZ
	    "<TreeModel functionName=\"regression\" missingValueStrategy=\"%s\" noTrueChildStrategy=\"%s\">"
	    MS_XZ
	    "<Node id=\"r\" score=\"10\" %s><True/>"
	    "<Node id=\"A\" score=\"1\" %s><SimplePredicate field=\"x\" operator=\"lessOrEqual\" value=\"5\"/>"
	    "<Node id=\"A1\" score=\"2\"><SimplePredicate field=\"z\" operator=\"lessOrEqual\" value=\"0\"/></Node>"
	    "<Node id=\"A2\" score=\"3\"><SimplePredicate field=\"z\" operator=\"greaterThan\" value=\"0\"/></Node>"
	    "</Node>"
	    "<Node id=\"B\" score=\"4\"><SimplePredicate field=\"x\" operator=\"greaterThan\" value=\"5\"/></Node>"
	    "</Node></TreeModel></PMML>", mvs, ntc, dflt_root, dflt_a);
}

void
test_pmml__tree_missing_strategies(void)
{
	static const char rows[] = "x,z\n3,-1\n3,1\n7,0\n,1\n3,\n";
	struct aud_error err = AUD_ERROR_INIT;
	char doc[4096];
	double s[5];

	/* none: unknown = false; x missing: no child true -> null (returnNull) or 10 */
	tree_doc(doc, sizeof(doc), "none", "returnNullPrediction", "", "");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 5, &err), 0);
	CHECK_DBL_EQ(s[0], 2);
	CHECK_DBL_EQ(s[1], 3);
	CHECK_DBL_EQ(s[2], 4);
	CHECK(isnan(s[3]));
	CHECK(isnan(s[4]));
	tree_doc(doc, sizeof(doc), "none", "returnLastPrediction", "", "");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 5, &err), 0);
	CHECK_DBL_EQ(s[3], 10);
	CHECK_DBL_EQ(s[4], 1);
	/* lastPrediction: stop at the node whose children cannot be decided */
	tree_doc(doc, sizeof(doc), "lastPrediction", "returnNullPrediction", "", "");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 5, &err), 0);
	CHECK_DBL_EQ(s[0], 2);
	CHECK_DBL_EQ(s[3], 10);
	CHECK_DBL_EQ(s[4], 1);
	/* nullPrediction */
	tree_doc(doc, sizeof(doc), "nullPrediction", "returnLastPrediction", "", "");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 5, &err), 0);
	CHECK_DBL_EQ(s[2], 4);
	CHECK(isnan(s[3]));
	CHECK(isnan(s[4]));
	/* defaultChild: root -> B, A -> A2 */
	tree_doc(doc, sizeof(doc), "defaultChild", "returnNullPrediction", "defaultChild=\"B\"",
	    "defaultChild=\"A2\"");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 5, &err), 0);
	CHECK_DBL_EQ(s[0], 2);
	CHECK_DBL_EQ(s[3], 4);
	CHECK_DBL_EQ(s[4], 3);
	/* a defaultChild that is not a child */
	tree_doc(doc, sizeof(doc), "defaultChild", "returnNullPrediction", "defaultChild=\"Q\"", "");
	CHECK(load(doc, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EPARSE);
	CHECK(strstr(err.msg, "'defaultChild' 'Q' is not a child node") != NULL);
	/* unsupported strategies are refused, naming them and the line */
	tree_doc(doc, sizeof(doc), "anything", "returnNullPrediction", "", "");
	CHECK(load(doc, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:1: unsupported missingValueStrategy 'anything'");
	/* weightedConfidence needs record counts */
	tree_doc(doc, sizeof(doc), "weightedConfidence", "returnNullPrediction", "", "");
	CHECK(load(doc, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EPARSE);
	CHECK(strstr(err.msg, "needs 'recordCount' on every 'Node'") != NULL);
}

/*
 * root: A (x <= 5, 6 records: n 1, p 1) and B (x > 5, 4 records: p 4);
 * a missing x follows both: weightedConfidence 0.6 (0.5, 0.5) + 0.4 (0, 1)
 * = (0.3, 0.7); aggregateNodes (6 (0.5, 0.5) + (0, 4)) / 10 = the same.
 */
#define FORK_DOC(mvs, fn, yfield, sa, sb, sd_a, sd_b) PMML_OPEN \
	"<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>" yfield "</DataDictionary>" \
	"<TreeModel functionName=\"" fn "\" missingValueStrategy=\"" mvs "\">" \
	"<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/></MiningSchema>" \
	"<Node recordCount=\"10\"><True/>" \
	"<Node recordCount=\"6\" score=\"" sa "\"><SimplePredicate field=\"x\" operator=\"lessOrEqual\" value=\"5\"/>" sd_a "</Node>" \
	"<Node recordCount=\"4\" score=\"" sb "\"><SimplePredicate field=\"x\" operator=\"greaterThan\" value=\"5\"/>" sd_b "</Node>" \
	"</Node></TreeModel></PMML>"
#define YCAT "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"n\"/><Value value=\"p\"/></DataField>"
#define YNUM "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>"
#define SDA "<ScoreDistribution value=\"n\" recordCount=\"1\"/><ScoreDistribution value=\"p\" recordCount=\"1\"/>"
#define SDB "<ScoreDistribution value=\"n\" recordCount=\"0\"/><ScoreDistribution value=\"p\" recordCount=\"4\"/>"

void
test_pmml__tree_weighted_confidence_and_aggregate(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	double s[3];
	const char *lab[3] = { "", "", "" };

	CHECK_INT_EQ(eval(FORK_DOC("weightedConfidence", "classification", YCAT, "n", "p", SDA, SDB),
	    "x\n1\n9\nNA\n", NULL, s, NULL, 3, &err), 0);
	CHECK_DBL_EQ(s[0], 0.5);
	CHECK_DBL_EQ(s[1], 1);
	CHECK_REL(s[2], 0.7, 1e-15);
	CHECK_INT_EQ(eval(FORK_DOC("weightedConfidence", "classification", YCAT, "n", "p", SDA, SDB),
	    "x\nNA\n", "y", s, lab, 1, &err), 0);
	CHECK_STR_EQ(lab[0], "p");
	CHECK_INT_EQ(eval(FORK_DOC("aggregateNodes", "classification", YCAT, "n", "p", SDA, SDB),
	    "x\n1\nNA\n", NULL, s, NULL, 2, &err), 0);
	CHECK_DBL_EQ(s[0], 0.5);
	CHECK_REL(s[1], 0.7, 1e-15);
	/* regression: 0.6 * 1 + 0.4 * 11 = 5 either way */
	CHECK_INT_EQ(eval(FORK_DOC("weightedConfidence", "regression", YNUM, "1", "11", "", ""),
	    "x\nNA\n9\n", NULL, s, NULL, 2, &err), 0);
	CHECK_REL(s[0], 5, 1e-15);
	CHECK_DBL_EQ(s[1], 11);
	CHECK_INT_EQ(eval(FORK_DOC("aggregateNodes", "regression", YNUM, "1", "11", "", ""),
	    "x\nNA\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 5, 1e-15);
}

#define COMPOUND_DOC(op) PMML_OPEN DD_XZ \
	"<TreeModel functionName=\"regression\" noTrueChildStrategy=\"returnNullPrediction\">" MS_XZ \
	"<Node score=\"0\"><True/>" \
	"<Node score=\"1\"><CompoundPredicate booleanOperator=\"" op "\">" \
	"<SimplePredicate field=\"x\" operator=\"lessThan\" value=\"5\"/>" \
	"<SimplePredicate field=\"z\" operator=\"lessThan\" value=\"0\"/></CompoundPredicate></Node>" \
	"<Node score=\"2\"><True/></Node></Node></TreeModel></PMML>"

void
test_pmml__compound_predicates_three_valued(void)
{
	/* rows: (T,T) (T,F) (F,F) (U,T) (U,F) (T,U) */
	static const char rows[] = "x,z\n1,-1\n1,1\n9,1\n,-1\n,1\n1,\n";
	struct aud_error err = AUD_ERROR_INIT;
	double s[6];

	/* and: T F F U F U -> 1 2 2 2 2 2 (unknown counts as false under 'none') */
	CHECK_INT_EQ(eval(COMPOUND_DOC("and"), rows, NULL, s, NULL, 6, &err), 0);
	CHECK_DBL_EQ(s[0], 1); CHECK_DBL_EQ(s[1], 2); CHECK_DBL_EQ(s[2], 2);
	CHECK_DBL_EQ(s[3], 2); CHECK_DBL_EQ(s[4], 2); CHECK_DBL_EQ(s[5], 2);
	/* or: T T F T U T */
	CHECK_INT_EQ(eval(COMPOUND_DOC("or"), rows, NULL, s, NULL, 6, &err), 0);
	CHECK_DBL_EQ(s[0], 1); CHECK_DBL_EQ(s[1], 1); CHECK_DBL_EQ(s[2], 2);
	CHECK_DBL_EQ(s[3], 1); CHECK_DBL_EQ(s[4], 2); CHECK_DBL_EQ(s[5], 1);
	/* xor: F T F U U U */
	CHECK_INT_EQ(eval(COMPOUND_DOC("xor"), rows, NULL, s, NULL, 6, &err), 0);
	CHECK_DBL_EQ(s[0], 2); CHECK_DBL_EQ(s[1], 1); CHECK_DBL_EQ(s[2], 2);
	CHECK_DBL_EQ(s[3], 2); CHECK_DBL_EQ(s[4], 2); CHECK_DBL_EQ(s[5], 2);
	/* surrogate: the first known one decides: T T F T F T */
	CHECK_INT_EQ(eval(COMPOUND_DOC("surrogate"), rows, NULL, s, NULL, 6, &err), 0);
	CHECK_DBL_EQ(s[0], 1); CHECK_DBL_EQ(s[1], 1); CHECK_DBL_EQ(s[2], 2);
	CHECK_DBL_EQ(s[3], 1); CHECK_DBL_EQ(s[4], 2); CHECK_DBL_EQ(s[5], 1);
}

void
test_pmml__tree_classification_probabilities(void)
{
	static const char xml[] = PMML_OPEN
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/><Value value=\"q\"/></DataField>"
	    "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"no\"/><Value value=\"yes\"/></DataField></DataDictionary>"
	    "<TreeModel functionName=\"classification\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
	    "<MiningField name=\"x\"/><MiningField name=\"c\"/></MiningSchema>"
	    "<Node score=\"no\"><True/>"
	    "<Node score=\"yes\"><SimpleSetPredicate field=\"c\" booleanOperator=\"isIn\"><Array type=\"string\" n=\"2\">a \"q\"</Array></SimpleSetPredicate>"
	    "<ScoreDistribution value=\"no\" recordCount=\"1\"/><ScoreDistribution value=\"yes\" recordCount=\"3\"/></Node>"
	    "<Node><True/><ScoreDistribution value=\"no\" recordCount=\"4\" probability=\"0.8\"/><ScoreDistribution value=\"yes\" recordCount=\"1\" probability=\"0.2\"/></Node>"
	    "</Node></TreeModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	double s[3];
	const char *lab[3];

	/* a: recordCount 3/4; b: probability 0.2; q: in the set */
	CHECK_INT_EQ(eval(xml, "x,c\n1,a\n1,b\n1,q\n", NULL, s, NULL, 3, &err), 0);
	CHECK_DBL_EQ(s[0], 0.75);
	CHECK_DBL_EQ(s[1], 0.2);
	CHECK_DBL_EQ(s[2], 0.75);
	/* the default positive class is the last category, 'yes'; the label of
	 * a node without score is its most probable category */
	CHECK_INT_EQ(eval(xml, "x,c\n1,a\n1,b\n", "y", s, lab, 2, &err), 0);
	CHECK_STR_EQ(lab[0], "yes");
	CHECK_STR_EQ(lab[1], "no");
	CHECK_INT_EQ(eval(xml, "x,c\n1,b\n", "probability(no)", s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 0.8);
}

/* ---- MiningSchema: invalid and missing values ---- */

static void
schema_doc(char *buf, size_t n, const char *attrs)
{
	snprintf(buf, n, PMML_OPEN
	    "<DataDictionary><DataField name=\"c\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/></DataField>"
	    "<DataField name=\"x\" optype=\"continuous\" dataType=\"double\"><Interval closure=\"closedClosed\" leftMargin=\"0\" rightMargin=\"10\"/></DataField>"
	    "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
	    "<RegressionModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
	    "<MiningField name=\"c\" %s/><MiningField name=\"x\" missingValueReplacement=\"5\"/></MiningSchema>"
	    "<RegressionTable intercept=\"0\"><CategoricalPredictor name=\"c\" value=\"a\" coefficient=\"1\"/>"
	    "<CategoricalPredictor name=\"c\" value=\"b\" coefficient=\"2\"/>"
	    "<NumericPredictor name=\"x\" coefficient=\"10\"/></RegressionTable></RegressionModel></PMML>", attrs);
}

void
test_pmml__invalid_and_missing_values(void)
{
	static const char rows[] = "c,x\na,1\nzz,1\n,2\n";
	struct aud_error err = AUD_ERROR_INIT;
	char doc[4096];
	double s[3];

	/* returnInvalid (the default): an unknown category is an error naming it */
	schema_doc(doc, sizeof(doc), "");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 3, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "row 2: invalid value 'zz' for field 'c' (the model's invalidValueTreatment is returnInvalid)");
	/* asIs: no CategoricalPredictor matches: 0 + 10 */
	schema_doc(doc, sizeof(doc), "invalidValueTreatment=\"asIs\"");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 3, &err), 0);
	CHECK_DBL_EQ(s[0], 11);
	CHECK_DBL_EQ(s[1], 10);
	CHECK(isnan(s[2]));   /* a missing categorical value makes the result missing */
	/* asMissing, then the replacement 'b': 2 + 10 */
	schema_doc(doc, sizeof(doc), "invalidValueTreatment=\"asMissing\" missingValueReplacement=\"b\"");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 3, &err), 0);
	CHECK_DBL_EQ(s[1], 12);
	CHECK_DBL_EQ(s[2], 22);
	/* asValue */
	schema_doc(doc, sizeof(doc), "invalidValueTreatment=\"asValue\" invalidValueReplacement=\"a\"");
	CHECK_INT_EQ(eval(doc, rows, NULL, s, NULL, 3, &err), 0);
	CHECK_DBL_EQ(s[1], 11);
	/* x outside its Interval [0, 10] is invalid; x missing is replaced by 5 */
	schema_doc(doc, sizeof(doc), "invalidValueTreatment=\"asIs\"");
	CHECK_INT_EQ(eval(doc, "c,x\na,\na,11\n", NULL, s, NULL, 2, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "row 2: invalid value '11' for field 'x' (the model's invalidValueTreatment is returnInvalid)");
	CHECK_INT_EQ(eval(doc, "c,x\na,\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 51);
	/* a numeric field holding text */
	CHECK_INT_EQ(eval(doc, "c,x\na,1\na,abc\n", NULL, s, NULL, 2, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "row 2: invalid value 'abc' for field 'x' (not a number)");
}

void
test_pmml__outliers_and_missing_feature_column(void)
{
	static const char xml[] = PMML_OPEN DD_XZ
	    "<RegressionModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
	    "<MiningField name=\"x\" outliers=\"asExtremeValues\" lowValue=\"-1\" highValue=\"1\"/>"
	    "<MiningField name=\"z\" outliers=\"asMissingValues\" lowValue=\"0\" highValue=\"100\" missingValueReplacement=\"7\"/></MiningSchema>"
	    "<RegressionTable intercept=\"0\"><NumericPredictor name=\"x\" coefficient=\"1\"/><NumericPredictor name=\"z\" coefficient=\"100\"/></RegressionTable>"
	    "</RegressionModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	double s[2];

	/* x=5 -> 1, z=50; x=-3 -> -1, z=-5 -> missing -> 7 */
	CHECK_INT_EQ(eval(xml, "x,z\n5,50\n-3,-5\n", NULL, s, NULL, 2, &err), 0);
	CHECK_DBL_EQ(s[0], 5001);
	CHECK_DBL_EQ(s[1], 699);
	CHECK_INT_EQ(eval(xml, "x\n5\n", NULL, s, NULL, 1, &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "the model's input field 'z' is not a column of the input");
}

/* ---- transformations ---- */

void
test_pmml__transformations(void)
{
	static const char xml[] = PMML_OPEN
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"/>"
	    "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
	    "<TransformationDictionary>"
	    "<DefineFunction name=\"twice_plus\" optype=\"continuous\" dataType=\"double\">"
	    "<ParameterField name=\"p\"/><ParameterField name=\"q\"/>"
	    "<Apply function=\"+\"><Apply function=\"*\"><Constant>2</Constant><FieldRef field=\"p\"/></Apply><FieldRef field=\"q\"/></Apply>"
	    "</DefineFunction>"
	    "<DerivedField name=\"nc\" optype=\"continuous\" dataType=\"double\">"
	    "<NormContinuous field=\"x\" outliers=\"asExtremeValues\"><LinearNorm orig=\"0\" norm=\"0\"/><LinearNorm orig=\"10\" norm=\"1\"/><LinearNorm orig=\"20\" norm=\"3\"/></NormContinuous></DerivedField>"
	    "<DerivedField name=\"bin\" optype=\"continuous\" dataType=\"double\">"
	    "<Discretize field=\"x\" defaultValue=\"-1\" mapMissingTo=\"-2\" dataType=\"double\">"
	    "<DiscretizeBin binValue=\"100\"><Interval closure=\"openClosed\" rightMargin=\"5\"/></DiscretizeBin>"
	    "<DiscretizeBin binValue=\"200\"><Interval closure=\"openOpen\" leftMargin=\"5\" rightMargin=\"15\"/></DiscretizeBin>"
	    "</Discretize></DerivedField>"
	    "<DerivedField name=\"cm\" optype=\"continuous\" dataType=\"double\">"
	    "<MapValues outputColumn=\"out\" defaultValue=\"0\" mapMissingTo=\"-5\" dataType=\"double\"><FieldColumnPair field=\"c\" column=\"in\"/>"
	    "<InlineTable><row><in>A</in><out>1000</out></row><row><in>B</in><out>2000</out></row></InlineTable></MapValues></DerivedField>"
	    "<DerivedField name=\"up\" optype=\"categorical\" dataType=\"string\">"
	    "<Apply function=\"uppercase\"><Apply function=\"trimBlanks\"><FieldRef field=\"c\"/></Apply></Apply></DerivedField>"
	    "<DerivedField name=\"cm2\" optype=\"continuous\" dataType=\"double\">"
	    "<MapValues outputColumn=\"out\" defaultValue=\"0\" dataType=\"double\"><FieldColumnPair field=\"up\" column=\"in\"/>"
	    "<InlineTable><row><in>A</in><out>1000</out></row><row><in>B</in><out>2000</out></row></InlineTable></MapValues></DerivedField>"
	    "<DerivedField name=\"f\" optype=\"continuous\" dataType=\"double\">"
	    "<Apply function=\"if\"><Apply function=\"greaterThan\"><FieldRef field=\"x\"/><Constant>4</Constant></Apply>"
	    "<Apply function=\"twice_plus\"><FieldRef field=\"x\"/><Constant>1</Constant></Apply>"
	    "<Constant>0.5</Constant></Apply></DerivedField>"
	    "<DerivedField name=\"nd\" optype=\"continuous\" dataType=\"double\"><NormDiscrete field=\"c\" value=\"B\" mapMissingTo=\"0.25\"/></DerivedField>"
	    "</TransformationDictionary>"
	    "<RegressionModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
	    "<MiningField name=\"x\"/><MiningField name=\"c\"/></MiningSchema>"
	    "<Output><OutputField name=\"nc\" feature=\"transformedValue\" dataType=\"double\"><FieldRef field=\"nc\"/></OutputField>"
	    "<OutputField name=\"bin\" feature=\"transformedValue\" dataType=\"double\"><FieldRef field=\"bin\"/></OutputField>"
	    "<OutputField name=\"cm\" feature=\"transformedValue\" dataType=\"double\"><FieldRef field=\"cm\"/></OutputField>"
	    "<OutputField name=\"cm2\" feature=\"transformedValue\" dataType=\"double\"><FieldRef field=\"cm2\"/></OutputField>"
	    "<OutputField name=\"f\" feature=\"transformedValue\" dataType=\"double\"><FieldRef field=\"f\"/></OutputField>"
	    "<OutputField name=\"nd\" feature=\"transformedValue\" dataType=\"double\"><FieldRef field=\"nd\"/></OutputField>"
	    "</Output>"
	    "<RegressionTable intercept=\"0\"><NumericPredictor name=\"nc\" coefficient=\"1\"/></RegressionTable>"
	    "</RegressionModel></PMML>";
	static const char rows[] = "x,c\n5,B\n15,\" b \"\n25,A\n,\n";
	struct aud_error err = AUD_ERROR_INIT;
	double s[4];

	/* NormContinuous: 5 -> 0.5; 15 -> 1 + 5/10*2 = 2; 25 -> 3 (extreme); missing */
	CHECK_INT_EQ(eval(xml, rows, "nc", s, NULL, 4, &err), 0);
	CHECK_DBL_EQ(s[0], 0.5); CHECK_DBL_EQ(s[1], 2); CHECK_DBL_EQ(s[2], 3); CHECK(isnan(s[3]));
	/* Discretize: 5 -> 100 (closed at 5); 15 -> default; 25 -> default; missing -> -2 */
	CHECK_INT_EQ(eval(xml, rows, "bin", s, NULL, 4, &err), 0);
	CHECK_DBL_EQ(s[0], 100); CHECK_DBL_EQ(s[1], -1); CHECK_DBL_EQ(s[2], -1); CHECK_DBL_EQ(s[3], -2);
	/* MapValues on the raw text: B -> 2000, " b " -> default 0, A -> 1000, missing -> -5 */
	CHECK_INT_EQ(eval(xml, rows, "cm", s, NULL, 4, &err), 0);
	CHECK_DBL_EQ(s[0], 2000); CHECK_DBL_EQ(s[1], 0); CHECK_DBL_EQ(s[2], 1000); CHECK_DBL_EQ(s[3], -5);
	/* after trimBlanks and uppercase " b " is "B" */
	CHECK_INT_EQ(eval(xml, rows, "cm2", s, NULL, 4, &err), 0);
	CHECK_DBL_EQ(s[1], 2000);
	/* if(x > 4, twice_plus(x, 1), 0.5): 11, 31, 51, missing */
	CHECK_INT_EQ(eval(xml, rows, "f", s, NULL, 4, &err), 0);
	CHECK_DBL_EQ(s[0], 11); CHECK_DBL_EQ(s[1], 31); CHECK_DBL_EQ(s[2], 51); CHECK(isnan(s[3]));
	/* NormDiscrete */
	CHECK_INT_EQ(eval(xml, rows, "nd", s, NULL, 4, &err), 0);
	CHECK_DBL_EQ(s[0], 1); CHECK_DBL_EQ(s[1], 0); CHECK_DBL_EQ(s[2], 0); CHECK_DBL_EQ(s[3], 0.25);
}

/* ---- GeneralRegressionModel ---- */

void
test_pmml__general_regression(void)
{
	static const char glm[] = PMML_OPEN
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/></DataField>"
	    "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
	    "<GeneralRegressionModel modelType=\"generalizedLinear\" functionName=\"regression\" linkFunction=\"log\">"
	    "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/><MiningField name=\"c\"/></MiningSchema>"
	    "<ParameterList><Parameter name=\"p0\"/><Parameter name=\"p1\"/><Parameter name=\"p2\"/><Parameter name=\"p3\"/></ParameterList>"
	    "<FactorList><Predictor name=\"c\"/></FactorList><CovariateList><Predictor name=\"x\"/></CovariateList>"
	    "<PPMatrix><PPCell value=\"1\" predictorName=\"x\" parameterName=\"p1\"/>"
	    "<PPCell value=\"b\" predictorName=\"c\" parameterName=\"p2\"/>"
	    "<PPCell value=\"2\" predictorName=\"x\" parameterName=\"p3\"/><PPCell value=\"b\" predictorName=\"c\" parameterName=\"p3\"/></PPMatrix>"
	    "<ParamMatrix><PCell parameterName=\"p0\" beta=\"0.1\"/><PCell parameterName=\"p1\" beta=\"0.2\"/>"
	    "<PCell parameterName=\"p2\" beta=\"0.3\"/><PCell parameterName=\"p3\" beta=\"0.01\"/></ParamMatrix>"
	    "</GeneralRegressionModel></PMML>";
	static const char mlog[] = PMML_OPEN
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"r\"/><Value value=\"s\"/><Value value=\"t\"/></DataField></DataDictionary>"
	    "<GeneralRegressionModel modelType=\"multinomialLogistic\" functionName=\"classification\" targetReferenceCategory=\"t\">"
	    "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/></MiningSchema>"
	    "<ParameterList><Parameter name=\"p0\"/><Parameter name=\"p1\"/></ParameterList>"
	    "<CovariateList><Predictor name=\"x\"/></CovariateList>"
	    "<PPMatrix><PPCell value=\"1\" predictorName=\"x\" parameterName=\"p1\"/></PPMatrix>"
	    "<ParamMatrix><PCell targetCategory=\"r\" parameterName=\"p0\" beta=\"1\"/><PCell targetCategory=\"r\" parameterName=\"p1\" beta=\"1\"/>"
	    "<PCell targetCategory=\"s\" parameterName=\"p0\" beta=\"-1\"/></ParamMatrix>"
	    "</GeneralRegressionModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	double s[2];

	/* eta = 0.1 + 0.2*3 (+ 0.3 + 0.01*9 for c=b); exp(0.7), exp(1.09) */
	CHECK_INT_EQ(eval(glm, "x,c\n3,a\n3,b\n", NULL, s, NULL, 2, &err), 0);
	CHECK_REL(s[0], exp(0.7), 1e-15);
	CHECK_REL(s[1], exp(1.09), 1e-15);
	/* x = 1: etas r = 2, s = -1, t = 0; the score is P(t) (last category) */
	CHECK_INT_EQ(eval(mlog, "x\n1\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 1 / (1 + exp(2) + exp(-1)), 1e-15);
	CHECK_INT_EQ(eval(mlog, "x\n1\n", "probability(r)", s, NULL, 1, &err), 0);
	CHECK_REL(s[0], exp(2) / (1 + exp(2) + exp(-1)), 1e-15);
}

/* ---- MiningModel ---- */

static void
mining_doc(char *buf, size_t n, const char *fn, const char *method, const char *segs)
{
	snprintf(buf, n, PMML_OPEN
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"y\" optype=\"%s\" dataType=\"string\">%s</DataField></DataDictionary>"
	    "<MiningModel functionName=\"%s\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/></MiningSchema>"
	    "<Segmentation multipleModelMethod=\"%s\">%s</Segmentation></MiningModel></PMML>",
	    strcmp(fn, "regression") == 0 ? "continuous" : "categorical",
	    strcmp(fn, "regression") == 0 ? "" : "<Value value=\"n\"/><Value value=\"p\"/>",
	    fn, method, segs);
}

#define RSEG(w, pred, a, b) "<Segment weight=\"" w "\">" pred \
	"<RegressionModel functionName=\"regression\"><MiningSchema><MiningField name=\"x\"/></MiningSchema>" \
	"<RegressionTable intercept=\"" a "\"><NumericPredictor name=\"x\" coefficient=\"" b "\"/></RegressionTable></RegressionModel></Segment>"
#define TREESEG(w, sc) "<Segment weight=\"" w "\"><True/>" \
	"<TreeModel functionName=\"classification\"><MiningSchema><MiningField name=\"x\"/></MiningSchema>" \
	"<Node score=\"" sc "\"><True/></Node></TreeModel></Segment>"
#define T "<True/>"

void
test_pmml__mining_regression_methods(void)
{
	/* segments at x = 2: 1+2 = 3, 2*2 = 4, 10 */
	static const char segs[] = RSEG("1", T, "1", "1") RSEG("2", T, "0", "2") RSEG("3", T, "10", "0");
	struct aud_error err = AUD_ERROR_INIT;
	char doc[8192];
	double s[1];

	mining_doc(doc, sizeof(doc), "regression", "sum", segs);
	CHECK_INT_EQ(eval(doc, "x\n2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 17);
	mining_doc(doc, sizeof(doc), "regression", "average", segs);
	CHECK_INT_EQ(eval(doc, "x\n2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 17.0 / 3, 1e-15);
	mining_doc(doc, sizeof(doc), "regression", "weightedAverage", segs);
	CHECK_INT_EQ(eval(doc, "x\n2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], (3 + 8 + 30) / 6.0, 1e-15);
	mining_doc(doc, sizeof(doc), "regression", "median", segs);
	CHECK_INT_EQ(eval(doc, "x\n2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 4);
	mining_doc(doc, sizeof(doc), "regression", "max", segs);
	CHECK_INT_EQ(eval(doc, "x\n2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 10);
}

void
test_pmml__mining_select_first_and_chain(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	char doc[8192];
	double s[2];
	static const char chain[] = PMML_OPEN
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
	    "<MiningModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/></MiningSchema>"
	    "<Segmentation multipleModelMethod=\"modelChain\">"
	    "<Segment><True/><RegressionModel functionName=\"regression\"><MiningSchema><MiningField name=\"x\"/></MiningSchema>"
	    "<Output><OutputField name=\"first\" feature=\"predictedValue\" isFinalResult=\"false\"/></Output>"
	    "<RegressionTable intercept=\"1\"><NumericPredictor name=\"x\" coefficient=\"2\"/></RegressionTable></RegressionModel></Segment>"
	    "<Segment><True/><RegressionModel functionName=\"regression\"><MiningSchema><MiningField name=\"first\"/></MiningSchema>"
	    "<Targets><Target rescaleFactor=\"10\" rescaleConstant=\"0.5\"/></Targets>"
	    "<RegressionTable intercept=\"0\"><NumericPredictor name=\"first\" exponent=\"2\" coefficient=\"1\"/></RegressionTable></RegressionModel></Segment>"
	    "</Segmentation></MiningModel></PMML>";

	mining_doc(doc, sizeof(doc), "regression", "selectFirst",
	    RSEG("1", "<SimplePredicate field=\"x\" operator=\"greaterThan\" value=\"5\"/>", "100", "0")
	    RSEG("1", T, "200", "0"));
	CHECK_INT_EQ(eval(doc, "x\n2\n9\n", NULL, s, NULL, 2, &err), 0);
	CHECK_DBL_EQ(s[0], 200);
	CHECK_DBL_EQ(s[1], 100);
	/* chain: first = 1 + 2x = 5 at x = 2; then 10 * 25 + 0.5 */
	CHECK_INT_EQ(eval(chain, "x\n2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 250.5);
}

void
test_pmml__mining_classification_methods(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	char doc[8192];
	double s[1];
	const char *lab[1];

	/* votes n, p, p with weights 3, 1, 1: majority p 2/3; weighted n 3/5 */
	mining_doc(doc, sizeof(doc), "classification", "majorityVote",
	    TREESEG("3", "n") TREESEG("1", "p") TREESEG("1", "p"));
	CHECK_INT_EQ(eval(doc, "x\n0\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 2.0 / 3, 1e-15);
	mining_doc(doc, sizeof(doc), "classification", "weightedMajorityVote",
	    TREESEG("3", "n") TREESEG("1", "p") TREESEG("1", "p"));
	CHECK_INT_EQ(eval(doc, "x\n0\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 2.0 / 5, 1e-15);
	CHECK_INT_EQ(eval(doc, "x\n0\n", "y", s, lab, 1, &err), 0);
	CHECK_STR_EQ(lab[0], "n");
}

/* ---- NeuralNetwork ---- */

void
test_pmml__neural_network(void)
{
	static const char xml[] = PMML_OPEN
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/></DataField>"
	    "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"n\"/><Value value=\"p\"/></DataField></DataDictionary>"
	    "<NeuralNetwork functionName=\"classification\" activationFunction=\"logistic\">"
	    "<MiningSchema><MiningField name=\"y\" usageType=\"target\"/><MiningField name=\"x\"/><MiningField name=\"c\"/></MiningSchema>"
	    "<NeuralInputs><NeuralInput id=\"i1\"><DerivedField optype=\"continuous\" dataType=\"double\"><FieldRef field=\"x\"/></DerivedField></NeuralInput>"
	    "<NeuralInput id=\"i2\"><DerivedField optype=\"continuous\" dataType=\"double\"><NormDiscrete field=\"c\" value=\"b\"/></DerivedField></NeuralInput></NeuralInputs>"
	    "<NeuralLayer><Neuron id=\"h\" bias=\"0.5\"><Con from=\"i1\" weight=\"2\"/><Con from=\"i2\" weight=\"-1\"/></Neuron></NeuralLayer>"
	    "<NeuralLayer activationFunction=\"identity\"><Neuron id=\"o1\" bias=\"1\"><Con from=\"h\" weight=\"-1\"/></Neuron>"
	    "<Neuron id=\"o2\" bias=\"0\"><Con from=\"h\" weight=\"1\"/></Neuron></NeuralLayer>"
	    "<NeuralOutputs><NeuralOutput outputNeuron=\"o1\"><DerivedField optype=\"continuous\" dataType=\"double\"><NormDiscrete field=\"y\" value=\"n\"/></DerivedField></NeuralOutput>"
	    "<NeuralOutput outputNeuron=\"o2\"><DerivedField optype=\"continuous\" dataType=\"double\"><NormDiscrete field=\"y\" value=\"p\"/></DerivedField></NeuralOutput></NeuralOutputs>"
	    "</NeuralNetwork></PMML>";
	static const char reg[] = PMML_OPEN DD_XZ
	    "<NeuralNetwork functionName=\"regression\" activationFunction=\"tanh\">" MS_XZ
	    "<NeuralInputs><NeuralInput id=\"0\"><DerivedField optype=\"continuous\" dataType=\"double\"><FieldRef field=\"x\"/></DerivedField></NeuralInput></NeuralInputs>"
	    "<NeuralLayer><Neuron id=\"1\" bias=\"0.1\"><Con from=\"0\" weight=\"0.3\"/></Neuron></NeuralLayer>"
	    "<NeuralOutputs><NeuralOutput outputNeuron=\"1\"><DerivedField optype=\"continuous\" dataType=\"double\">"
	    "<NormContinuous field=\"y\"><LinearNorm orig=\"10\" norm=\"-1\"/><LinearNorm orig=\"30\" norm=\"1\"/></NormContinuous></DerivedField></NeuralOutput></NeuralOutputs>"
	    "</NeuralNetwork></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	double s[2];

	/* h = logistic(0.5 + 2x - [c=b]); P(p) = h */
	CHECK_INT_EQ(eval(xml, "x,c\n1,a\n1,b\n", NULL, s, NULL, 2, &err), 0);
	CHECK_REL(s[0], 1 / (1 + exp(-2.5)), 1e-15);
	CHECK_REL(s[1], 1 / (1 + exp(-1.5)), 1e-15);
	/* tanh(0.1 + 0.3*2) mapped back from [-1, 1] to [10, 30] */
	CHECK_INT_EQ(eval(reg, "x,z\n2,0\n", NULL, s, NULL, 1, &err), 0);
	CHECK_REL(s[0], 20 + 10 * tanh(0.7), 1e-14);
}

/* ---- Targets and outputs ---- */

void
test_pmml__targets_and_outputs(void)
{
	static const char xml[] = PMML_OPEN DD_XZ
	    "<RegressionModel functionName=\"regression\">" MS_XZ
	    "<Output><OutputField name=\"pv\" feature=\"predictedValue\"/>"
	    "<OutputField name=\"tv\" feature=\"transformedValue\"><Apply function=\"round\"><Apply function=\"*\"><FieldRef field=\"pv\"/><Constant>0.1</Constant></Apply></Apply></OutputField>"
	    "</Output>"
	    "<Targets><Target field=\"y\" rescaleFactor=\"3\" rescaleConstant=\"1\" castInteger=\"floor\" max=\"100\"/></Targets>"
	    "<RegressionTable intercept=\"0\"><NumericPredictor name=\"x\" coefficient=\"1\"/></RegressionTable>"
	    "</RegressionModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m;
	double s[2];

	/* 2.5*3+1 = 8.5 -> floor 8; 50*3+1 = 151 -> max 100 */
	CHECK_INT_EQ(eval(xml, "x,z\n2.5,0\n50,0\n", "y", s, NULL, 2, &err), 0);
	CHECK_DBL_EQ(s[0], 8);
	CHECK_DBL_EQ(s[1], 100);
	CHECK_INT_EQ(eval(xml, "x,z\n2.5,0\n50,0\n", "tv", s, NULL, 2, &err), 0);
	CHECK_DBL_EQ(s[0], 1);
	CHECK_DBL_EQ(s[1], 10);
	m = load(xml, NULL, &err);
	CHECK(m != NULL);
	if (m != NULL) {
		CHECK_INT_EQ(aud_pmml_noutputs(m), 3);
		CHECK_STR_EQ(aud_pmml_output_name(m, 0), "y");
		CHECK_STR_EQ(aud_pmml_output_name(m, 2), "tv");
		CHECK_INT_EQ(aud_model_task(m), AUD_TASK_REGRESSION);
		CHECK(aud_model_positive(m) == NULL);
		CHECK_INT_EQ(aud_model_nfeatures(m), 2);
		CHECK_STR_EQ(aud_model_describe(m), "pmml RegressionModel");
	}
	aud_model_free(m);
}

void
test_pmml__float_math_context(void)
{
	static const char xml[] = PMML_OPEN DD_XZ
	    "<MiningModel functionName=\"regression\" x-mathContext=\"float\">" MS_XZ
	    "<Targets><Target rescaleConstant=\"0.1\"/></Targets>"
	    "<Segmentation multipleModelMethod=\"sum\">"
	    "<Segment><True/><TreeModel functionName=\"regression\" x-mathContext=\"float\">" MS_XZ
	    "<Node score=\"0.2\"><True/></Node></TreeModel></Segment>"
	    "<Segment><True/><TreeModel functionName=\"regression\" x-mathContext=\"float\">" MS_XZ
	    "<Node score=\"0.3\"><True/></Node></TreeModel></Segment>"
	    "</Segmentation></MiningModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	double s[1];
	float want = 0.1f;

	want += 0.2f;
	want += 0.3f;
	CHECK_INT_EQ(eval(xml, "x,z\n0,0\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], (double)want);
	CHECK(s[0] != 0.1 + 0.2 + 0.3);
}

/* ---- namespaces, errors, hostile documents ---- */

void
test_pmml__pmml3_namespace(void)
{
	static const char xml[] = "<PMML xmlns=\"http://www.dmg.org/PMML-3_1\" version=\"3.2\">" DD_XZ
	    "<RegressionModel functionName=\"regression\">" MS_XZ
	    "<RegressionTable intercept=\"1.5\"/></RegressionModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	double s[1];

	CHECK_INT_EQ(eval(xml, "x,z\n0,0\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 1.5);
}

void
test_pmml__unsupported_element_names_line(void)
{
	static const char xml[] = PMML_OPEN "\n" DD_XZ "\n"
	    "<SupportVectorMachineModel functionName=\"regression\">" MS_XZ "</SupportVectorMachineModel>\n</PMML>";
	static const char xml2[] = PMML_OPEN "\n" DD_XZ "\n"
	    "<RegressionModel functionName=\"regression\">" MS_XZ "\n"
	    "<RegressionTable intercept=\"1\"><Foo/></RegressionTable></RegressionModel></PMML>";
	static const char xml3[] = PMML_OPEN DD_XZ
	    "<RegressionModel functionName=\"regression\">" MS_XZ
	    "<LocalTransformations><DerivedField name=\"d\" dataType=\"double\" optype=\"continuous\">"
	    "<Apply function=\"dateDaysSinceYear\"><FieldRef field=\"x\"/><Constant>1970</Constant></Apply></DerivedField></LocalTransformations>"
	    "<RegressionTable intercept=\"1\"/></RegressionModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;

	CHECK(load(xml, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:3: unsupported model element 'SupportVectorMachineModel'");
	CHECK(load(xml2, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:4: unsupported element 'Foo' in 'RegressionTable'");
	CHECK(load(xml3, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:1: unsupported function 'dateDaysSinceYear' in 'Apply'");
}

void
test_pmml__malformed_documents(void)
{
	static const char trunc[] = PMML_OPEN "\n" DD_XZ "\n<RegressionModel functionName=\"regr";
	static const char notpmml[] = "<html><body/></html>";
	static const char badnum[] = PMML_OPEN DD_XZ
	    "<RegressionModel functionName=\"regression\">" MS_XZ
	    "<RegressionTable intercept=\"one\"/></RegressionModel></PMML>";
	struct aud_model *m = NULL;
	static const char unknown[] = PMML_OPEN DD_XZ
	    "<RegressionModel functionName=\"regression\">" MS_XZ
	    "<RegressionTable intercept=\"1\"><NumericPredictor name=\"w\" coefficient=\"1\"/></RegressionTable></RegressionModel></PMML>";
	struct aud_error err = AUD_ERROR_INIT;

	CHECK(load(trunc, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EPARSE);
	CHECK(strncmp(err.msg, "t.pmml:3:", 9) == 0);
	CHECK(strstr(err.msg, "malformed XML") != NULL);
	CHECK(load(notpmml, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.pmml:1: the root element is 'html', not 'PMML'");
	CHECK(load(badnum, NULL, &err) == NULL);
	CHECK_STR_EQ(err.msg, "t.pmml:1: attribute 'intercept' of 'RegressionTable' is not a number: 'one'");
	CHECK(load(unknown, NULL, &err) == NULL);
	CHECK_STR_EQ(err.msg, "t.pmml:1: unknown field 'w' in 'NumericPredictor'");
	CHECK_INT_EQ(aud_pmml_load(&m, "/nonexistent/m.pmml", NULL, &err), AUD_EIO);
	CHECK(m == NULL);
	CHECK_STR_EQ(err.msg, "cannot open '/nonexistent/m.pmml': No such file or directory");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
test_pmml__hostile_documents(void)
{
	static const char laughs[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
	    "<!ENTITY lol \"lol\">\n"
	    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    "]>\n<PMML xmlns=\"http://www.dmg.org/PMML-4_4\">&lol9;</PMML>";
	static const char xxe[] = "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE PMML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	    "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\"><Header description=\"&x;\"/></PMML>";
	struct aud_error err = AUD_ERROR_INIT;
	char *deep;
	size_t i, n = 100000, off = 0;
	double t0;

	CHECK(load(laughs, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:2: document type declarations ('<!DOCTYPE') are not allowed in PMML");
	CHECK(load(xxe, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK(strstr(err.msg, "passwd") == NULL);
	/* 100,000 nested elements: refused by the parser's depth limit, quickly */
	deep = malloc(n * 7 + 200);
	if (deep == NULL)
		return;
	off += (size_t)sprintf(deep, "%s", PMML_OPEN);
	for (i = 0; i < n; i++)
		off += (size_t)sprintf(deep + off, "<a>");
	t0 = now();
	CHECK(load(deep, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK(strstr(err.msg, "elements nested deeper than 256 levels (the limit)") != NULL);
	CHECK(now() - t0 < 2.0);
	free(deep);
}

/*
 * A TreeModel `depth` levels deep: the root (score 0, True) holds node 1,
 * node i holds node i + 1, and node i (score i) is entered when
 * x > i / depth. So a row goes down to the last i with i / depth < x.
 */
static char *
deep_tree(int depth, const char *strategy)
{
	size_t cap = (size_t)depth * 120 + 1024, off = 0;
	char *s = malloc(cap);
	int i;

	if (s == NULL)
		return NULL;
	off += (size_t)snprintf(s + off, cap - off, "%s"
	    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
	    "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
	    "<TreeModel functionName=\"regression\"%s%s%s><MiningSchema><MiningField name=\"x\"/>"
	    "<MiningField name=\"y\" usageType=\"target\"/></MiningSchema>"
	    "<Node score=\"0\"><True/>", PMML_OPEN,
	    strategy != NULL ? " noTrueChildStrategy=\"" : "",
	    strategy != NULL ? strategy : "", strategy != NULL ? "\"" : "");
	for (i = 1; i < depth; i++)
		off += (size_t)snprintf(s + off, cap - off,
		    "<Node score=\"%d\"><SimplePredicate field=\"x\" operator=\"greaterThan\" value=\"%.17g\"/>",
		    i, (double)i / depth);
	for (i = 0; i < depth; i++)
		off += (size_t)snprintf(s + off, cap - off, "</Node>");
	snprintf(s + off, cap - off, "</TreeModel></PMML>");
	return s;
}

void
test_pmml__deep_tree(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	double out[4];
	char *s;

	/* 200 levels (the old compiler kept 48 KB of stack a level: a crash) */
	s = deep_tree(200, NULL);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	/* 0.999: every test holds down to the leaf, node 199; 0.3: node 59 has
	 * no true child (60/200 > 0.3 is false): null by default; -1: root's
	 * only child fails: null; 0.0051: node 1 is a dead end too (2/200) */
	CHECK_INT_EQ(eval(s, "x\n0.999\n0.3\n-1\n0.0051\n", NULL, out, NULL, 4, &err), 0);
	CHECK_DBL_EQ(out[0], 199);
	CHECK(isnan(out[1]));
	CHECK(isnan(out[2]));
	CHECK(isnan(out[3]));
	free(s);
	s = deep_tree(200, "returnLastPrediction");
	if (s == NULL)
		return;
	CHECK_INT_EQ(eval(s, "x\n0.999\n0.3\n-1\n0.0051\n", NULL, out, NULL, 4, &err), 0);
	CHECK_DBL_EQ(out[0], 199);
	CHECK_DBL_EQ(out[1], 59);
	CHECK_DBL_EQ(out[2], 0);
	CHECK_DBL_EQ(out[3], 1);
	free(s);
	/* the deepest tree the parser admits: 254 levels, whose last predicate
	 * has 256 ancestors (PMML, TreeModel, 254 Nodes) */
	s = deep_tree(254, "returnLastPrediction");
	if (s == NULL)
		return;
	CHECK_INT_EQ(eval(s, "x\n0.999\n0.5\n", NULL, out, NULL, 2, &err), 0);
	CHECK_DBL_EQ(out[0], 253);
	CHECK_DBL_EQ(out[1], 126);  /* 126/254 < 0.5, 127/254 = 0.5 is not > 0.5 */
	free(s);
	/* one more level is past the limit, refused with its name */
	s = deep_tree(255, NULL);
	if (s == NULL)
		return;
	CHECK(load(s, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK(strncmp(err.msg, "t.pmml:1:", 9) == 0);
	CHECK(strstr(err.msg, ": elements nested deeper than 256 levels (the limit)") != NULL);
	free(s);
}

/*
 * A NeuralNetwork refused at its second input, after the first one was
 * recorded: the error paths must free what the first one allocated (a leak
 * that LeakSanitizer reports when this runs under `make asan`).
 */
void
test_pmml__neural_network_input_errors(void)
{
#define NN_HEAD PMML_OPEN DD_XZ "<NeuralNetwork functionName=\"regression\" activationFunction=\"tanh\">" MS_XZ \
	"<NeuralInputs><NeuralInput id=\"0\"><DerivedField optype=\"continuous\" dataType=\"double\"><FieldRef field=\"x\"/></DerivedField></NeuralInput>"
#define NN_TAIL "</NeuralInputs><NeuralLayer><Neuron id=\"1\" bias=\"0.1\"><Con from=\"0\" weight=\"0.3\"/></Neuron></NeuralLayer>" \
	"<NeuralOutputs><NeuralOutput outputNeuron=\"1\"><DerivedField optype=\"continuous\" dataType=\"double\"><FieldRef field=\"y\"/></DerivedField></NeuralOutput></NeuralOutputs>" \
	"</NeuralNetwork></PMML>"
	static const char nodf[] = NN_HEAD "<NeuralInput id=\"2\"/>" NN_TAIL;
	static const char noid[] = NN_HEAD "<NeuralInput><DerivedField><FieldRef field=\"z\"/></DerivedField></NeuralInput>" NN_TAIL;
	static const char noexpr[] = NN_HEAD "<NeuralInput id=\"2\"><DerivedField optype=\"continuous\" dataType=\"double\"/></NeuralInput>" NN_TAIL;
	static const char other[] = NN_HEAD "<Neuron id=\"2\"/>" NN_TAIL;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK(load(nodf, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.pmml:1: 'NeuralInput' has no 'DerivedField'");
	CHECK(load(noid, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:1: unsupported element 'NeuralInput' in 'NeuralInputs'");
	CHECK(load(noexpr, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.pmml:1: 'DerivedField' has no expression");
	CHECK(load(other, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:1: unsupported element 'Neuron' in 'NeuralInputs'");
#undef NN_HEAD
#undef NN_TAIL
}

/*
 * The DOCTYPE refusal scans bytes for '<!': it must not be bypassed by an
 * encoding in which those are other bytes. EBCDIC (cp037) "<?xml" is
 * 4C 6F A7 94 A3; "<!DOCTYPE" is 4C 5A C4 D6 C3 E3 E8 D7 C5.
 */
void
test_pmml__doctype_in_other_encodings(void)
{
	static const char ebcdic[] = "\x4c\x6f\xa7\x94\x93\x40\xa5\x85\x99\xa2\x89\x96\x95\x7e\x7f\xf1"
	    "\x4b\xf0\x7f\x6f\x6e\x25\x4c\x5a\xc4\xd6\xc3\xe3\xe8\xd7\xc5\x40\xd7\xd4\xd4\xd3\x6e\x25";
	static const char utf7[] = "<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n"
	    "+ADw-!DOCTYPE PMML +AFs-+ADw-!ENTITY x SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-\n"
	    PMML_OPEN "<Header description=\"&x;\"/></PMML>\n";
	static const char ibm[] = "<?xml version='1.0' encoding = 'ibm037' ?>" PMML_OPEN "</PMML>";
	static const char utf16[] = "\xff\xfe<\0P\0";
	static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	    PMML_OPEN DD_XZ "<RegressionModel functionName=\"regression\">" MS_XZ
	    "<RegressionTable intercept=\"1.5\"/></RegressionModel></PMML>";
	static const char utf8bom[] = "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    PMML_OPEN DD_XZ "<RegressionModel functionName=\"regression\">" MS_XZ
	    "<RegressionTable intercept=\"2.5\"/></RegressionModel></PMML>";
	struct aud_model *m = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	double s[1];

	CHECK_INT_EQ(aud_pmml_load_mem(&m, "t.pmml", ebcdic, sizeof(ebcdic) - 1, NULL, &err),
	    AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:1: EBCDIC documents are not supported (convert the document to UTF-8)");
	CHECK(load(utf7, NULL, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:1: encoding 'UTF-7' is not supported (convert the document to UTF-8)");
	CHECK(load(ibm, NULL, &err) == NULL);
	CHECK_STR_EQ(err.msg, "t.pmml:1: encoding 'ibm037' is not supported (convert the document to UTF-8)");
	CHECK_INT_EQ(aud_pmml_load_mem(&m, "t.pmml", utf16, sizeof(utf16) - 1, NULL, &err),
	    AUD_EUNSUPPORTED);
	CHECK_STR_EQ(err.msg, "t.pmml:1: UTF-16 and UTF-32 documents are not supported (convert the document to UTF-8)");
	/* ASCII-compatible encodings still load */
	CHECK_INT_EQ(eval(latin1, "x,z\n1,2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 1.5);
	CHECK_INT_EQ(eval(utf8bom, "x,z\n1,2\n", NULL, s, NULL, 1, &err), 0);
	CHECK_DBL_EQ(s[0], 2.5);
}
