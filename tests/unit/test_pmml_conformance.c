/*
 * test_pmml_conformance.c — the PMML conformance suite (../shared/pmml-conformance):
 * every case of manifest.tsv, every compared column, with the manifest's
 * tolerance (jpmml's PMMLEquivalence: relative precision plus zero threshold;
 * FloatEquivalence: float32 ULPs). Skipped, saying so, without ../shared.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/batch.h>
#include <audit/csv.h>
#include <audit/model.h>
#include <audit/pmml.h>

#include "runner.h"

struct manifest {
	char cols[512];
	char equiv[16];
	double prec, zero;
	long rows;
};

static int
read_manifest(const char *dir, const char *name, struct manifest *m)
{
	char path[1100], line[4096];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "%s/manifest.tsv", dir);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *fld[16];
		int n = 0;
		char *p = line, *t;
		line[strcspn(line, "\r\n")] = '\0';
		while (n < 16 && (t = strsep(&p, "\t")) != NULL)
			fld[n++] = t;
		if (n < 13 || strcmp(fld[0], name) != 0)
			continue;
		snprintf(m->cols, sizeof(m->cols), "%s", fld[6]);
		snprintf(m->equiv, sizeof(m->equiv), "%s", fld[8]);
		m->prec = strtod(fld[9], NULL);
		m->zero = strcmp(fld[10], "-") == 0 ? 0 : strtod(fld[10], NULL);
		m->rows = strtol(fld[11], NULL, 10);
		found = 1;
		break;
	}
	fclose(f);
	return found ? 0 : -1;
}

/* jpmml VerificationUtil.acceptable */
static int
pmml_equiv(double want, double got, double prec, double zero)
{
	double lo, hi;

	if (fabs(want) <= zero && fabs(got) <= zero)
		return 1;
	lo = want * (1 - prec);
	hi = want * (1 + prec);
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	return got >= lo && got <= hi;
}

/* FloatEquivalence(n): |got - want| <= n ulp(want) in float32 */
static int
float_equiv(double want, double got, double n)
{
	float w = (float)want, g = (float)got;
	float ulp = nextafterf(fabsf(w), INFINITY) - fabsf(w);

	return fabsf(g - w) <= (float)n * ulp;
}

static void
run_case(const char *name)
{
	const char *shared = aud_test_shared();
	char dir[1024], path[1200], msg[256];
	struct manifest mf;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;
	struct aud_csv *in = NULL, *ex = NULL;
	struct aud_batch_reader *br = NULL;
	struct aud_batch *b = NULL;
	struct aud_pmml_value *out = NULL;
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	size_t nout, row = 0, i, ncols = 0, nbad = 0;
	char *spec[32], *outname[32];
	long excol[32], outcol[32];
	char *p, *tok;
	double worst = 0;

	if (shared == NULL) {
		aud_test_skip("../shared/pmml-conformance is absent");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/pmml-conformance", shared);
	if (read_manifest(dir, name, &mf) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s: not in manifest.tsv", name);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s/model.pmml", dir, name);
	if (aud_pmml_load(&m, path, NULL, &err) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s: load: %s", name, err.msg);
		return;
	}
	co.na = ",NA,N/A";
	snprintf(path, sizeof(path), "%s/%s/input.csv", dir, name);
	if (aud_csv_open(&in, path, &co, &err) < 0 ||
	    aud_batch_reader_new(&br, in, NULL, NULL, 0, 1000000, 0, &err) < 0 ||
	    aud_batch_reader_next(&b, br, &err) != 1) {
		aud_test_fail(__FILE__, __LINE__, "%s: input: %s", name, err.msg);
		goto done;
	}
	CHECK_INT_EQ(b->nrows, mf.rows);
	nout = aud_pmml_noutputs(m);
	out = calloc(b->nrows * nout, sizeof(*out));
	if (out == NULL || aud_pmml_predict_outputs(m, b, out, &err) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s: predict: %s", name, err.msg);
		goto done;
	}
	snprintf(path, sizeof(path), "%s/%s/expected.csv", dir, name);
	if (aud_csv_open(&ex, path, &co, &err) < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s: expected: %s", name, err.msg);
		goto done;
	}
	/* columns: "EXPECTED=>OURS" or "NAME" */
	p = mf.cols;
	while ((tok = strsep(&p, ";")) != NULL && ncols < 32) {
		char *arrow = strstr(tok, "=>");
		size_t k;
		spec[ncols] = tok;
		outname[ncols] = tok;
		if (arrow != NULL) {
			*arrow = '\0';
			outname[ncols] = arrow + 2;
		}
		if (aud_csv_find(&k, ex, spec[ncols], &err) < 0) {
			aud_test_fail(__FILE__, __LINE__, "%s: %s", name, err.msg);
			goto done;
		}
		excol[ncols] = (long)k;
		outcol[ncols] = -1;
		for (k = 0; k < nout; k++)
			if (strcmp(aud_pmml_output_name(m, k), outname[ncols]) == 0)
				outcol[ncols] = (long)k;
		if (outcol[ncols] < 0) {
			aud_test_fail(__FILE__, __LINE__, "%s: the model has no result field '%s'",
			    name, outname[ncols]);
			goto done;
		}
		ncols++;
	}
	while (aud_csv_next(ex, &err) == 1 && row < b->nrows) {
		for (i = 0; i < ncols; i++) {
			const struct aud_pmml_value *v = &out[row * nout + (size_t)outcol[i]];
			size_t len;
			const char *cell = aud_csv_field(ex, (size_t)excol[i], &len);
			double want, got;
			int ok;
			char text[128];
			snprintf(text, sizeof(text), "%.*s", (int)(len < 127 ? len : 127), cell);
			if (aud_csv_is_na(ex, (size_t)excol[i])) {
				ok = v->str == NULL && isnan(v->num);
				got = NAN;
				want = NAN;
			} else if (v->str != NULL) {
				ok = strcmp(v->str, text) == 0 ||
				    (aud_parse_number(&want, text, strlen(text)) == 1 &&
				    aud_parse_number(&got, v->str, strlen(v->str)) == 1 && want == got);
				got = want = 0;
			} else if (aud_parse_number(&want, text, strlen(text)) != 1) {
				ok = 0;
				got = v->num;
			} else {
				got = v->num;
				ok = strcmp(mf.equiv, "float") == 0 ? float_equiv(want, got, mf.prec) :
				    pmml_equiv(want, got, mf.prec, mf.zero);
				if (fabs(want) > mf.zero && fabs(got - want) / fabs(want) > worst)
					worst = fabs(got - want) / fabs(want);
			}
			if (!ok) {
				if (nbad < 3) {
					snprintf(msg, sizeof(msg), "%s row %zu column '%s': got %s%.17g, want %s",
					    name, row + 1, outname[i], v->str ? v->str : "",
					    v->str ? 0.0 : v->num, text);
					aud_test_fail(__FILE__, __LINE__, "%s", msg);
				}
				nbad++;
			}
		}
		row++;
	}
	CHECK_INT_EQ(row, b->nrows);
	if (nbad > 0)
		aud_test_fail(__FILE__, __LINE__, "%s: %zu mismatching cells (worst relative error %.3g)",
		    name, nbad, worst);
done:
	free(out);
	aud_batch_reader_free(br);
	aud_csv_free(in);
	aud_csv_free(ex);
	aud_model_free(m);
}

void
test_pmml_conformance__sklearn_logreg_audit(void)
{
	run_case("sklearn-logreg-audit");
}

void
test_pmml_conformance__sklearn_dtree_audit(void)
{
	run_case("sklearn-dtree-audit");
}

void
test_pmml_conformance__sklearn_gbm_audit(void)
{
	run_case("sklearn-gbm-audit");
}

void
test_pmml_conformance__lightgbm_audit(void)
{
	run_case("lightgbm-audit");
}

void
test_pmml_conformance__lightgbm_audit_na(void)
{
	run_case("lightgbm-audit-na");
}

void
test_pmml_conformance__xgboost_audit(void)
{
	run_case("xgboost-audit");
}

void
test_pmml_conformance__xgboost_audit_na(void)
{
	run_case("xgboost-audit-na");
}

void
test_pmml_conformance__sklearn_rf_audit(void)
{
	run_case("sklearn-rf-audit");
}

void
test_pmml_conformance__sklearn_selectfirst_audit(void)
{
	run_case("sklearn-selectfirst-audit");
}

void
test_pmml_conformance__r_glm_audit(void)
{
	run_case("r-glm-audit");
}

void
test_pmml_conformance__r_multinom_audit(void)
{
	run_case("r-multinom-audit");
}

void
test_pmml_conformance__r_nnet_audit(void)
{
	run_case("r-nnet-audit");
}

void
test_pmml_conformance__r_rpart_audit(void)
{
	run_case("r-rpart-audit");
}

void
test_pmml_conformance__r_randomforest_audit(void)
{
	run_case("r-randomforest-audit");
}

void
test_pmml_conformance__knime_logreg_audit(void)
{
	run_case("knime-logreg-audit");
}

void
test_pmml_conformance__knime_dtree_audit(void)
{
	run_case("knime-dtree-audit");
}

void
test_pmml_conformance__knime_treeensemble_audit(void)
{
	run_case("knime-treeensemble-audit");
}

void
test_pmml_conformance__rapidminer_dtree_audit(void)
{
	run_case("rapidminer-dtree-audit");
}

void
test_pmml_conformance__sas_logreg_audit(void)
{
	run_case("sas-logreg-audit");
}

void
test_pmml_conformance__r_glm_probit_versicolor(void)
{
	run_case("r-glm-probit-versicolor");
}

void
test_pmml_conformance__sklearn_linreg_auto(void)
{
	run_case("sklearn-linreg-auto");
}

void
test_pmml_conformance__sklearn_gbm_auto(void)
{
	run_case("sklearn-gbm-auto");
}

void
test_pmml_conformance__lightgbm_auto(void)
{
	run_case("lightgbm-auto");
}

void
test_pmml_conformance__xgboost_auto_na(void)
{
	run_case("xgboost-auto-na");
}

void
test_pmml_conformance__r_gbm_auto(void)
{
	run_case("r-gbm-auto");
}

void
test_pmml_conformance__r_nnet_auto(void)
{
	run_case("r-nnet-auto");
}

void
test_pmml_conformance__r_lm_xform_auto(void)
{
	run_case("r-lm-xform-auto");
}

void
test_pmml_conformance__r_glm_xform_auto(void)
{
	run_case("r-glm-xform-auto");
}

void
test_pmml_conformance__knime_regensemble_auto(void)
{
	run_case("knime-regensemble-auto");
}
