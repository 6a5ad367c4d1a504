/*
 * fuzz_pmml.c — libFuzzer harness for the PMML reader and evaluator: load the
 * input as a PMML document; when it loads, score four rows (ordinary,
 * extreme, missing and unknown values) through aud_model_predict(),
 * aud_pmml_predict_outputs() and the trees of tree.h.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <audit/batch.h>
#include <audit/model.h>
#include <audit/pmml.h>
#include <audit/tree.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
exercise(const struct aud_model *m)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = NULL;
	const struct aud_tree_ensemble *e = NULL;
	size_t nf = aud_model_nfeatures(m), i, r, t;
	const char **names = calloc(nf + 1, sizeof(*names));
	enum aud_col_kind *kinds = calloc(nf + 1, sizeof(*kinds));
	struct aud_pmml_value *out = NULL;
	double score[4], margin[4], *x = calloc(nf + 1, sizeof(double));
	static const double nums[4] = { 1.5, -1e9, NAN, 0 };

	if (names == NULL || kinds == NULL || x == NULL)
		goto done;
	for (i = 0; i < nf; i++) {
		names[i] = aud_model_feature(m, i)->name;
		kinds[i] = aud_model_feature(m, i)->kind;
	}
	if (aud_batch_new(&b, nf, names, kinds, 4, &err) < 0)
		goto done;
	for (i = 0; i < nf; i++) {
		struct aud_column *c = &b->cols[i];
		const struct aud_feature *f = aud_model_feature(m, i);
		for (r = 0; r < 4; r++) {
			if (c->kind == AUD_COL_NUMERIC) {
				c->num[r] = nums[r];
			} else {
				const char *s = r == 0 && f->ncategories > 0 ? f->categories[0] :
				    r == 1 && f->ncategories > 1 ? f->categories[f->ncategories - 1] : "zz";
				if (r == 2)
					c->code[r] = -1;
				else if (aud_dict_intern(&c->code[r], c->dict, s, strlen(s), &err) < 0)
					goto done;
			}
		}
	}
	b->nrows = 4;
	(void)aud_model_predict(m, b, score, margin, &err);
	out = calloc(4 * (aud_pmml_noutputs(m) + 1), sizeof(*out));
	if (out != NULL)
		(void)aud_pmml_predict_outputs(m, b, out, &err);
	if (aud_model_trees(&e, m, &err) == 0) {
		for (i = 0; i < nf; i++)
			x[i] = i % 2 ? NAN : 0;
		for (t = 0; t < e->ntrees; t++) {
			size_t n = 0, steps = 0;
			while (e->trees[t].feature[n] >= 0 && steps++ < 100000)
				n = aud_tree_child(&e->trees[t], n, x);
		}
	}
done:
	free(out);
	free(x);
	free(names);
	free(kinds);
	aud_batch_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_model *m = NULL;

	if (aud_pmml_load_mem(&m, "fuzz.pmml", (const char *)data, size, NULL, &err) == 0) {
		exercise(m);
		aud_model_free(m);
	}
	return 0;
}
