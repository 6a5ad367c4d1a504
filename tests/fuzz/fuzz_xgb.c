/*
 * fuzz_xgb.c — libFuzzer harness for the XGBoost JSON reader: load the input
 * as a booster; when it loads, score four rows (ordinary, extreme, missing and
 * zero values) through aud_model_predict(), and walk every tree of tree.h from
 * its root to a leaf for a row with missing values.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <audit/batch.h>
#include <audit/model.h>
#include <audit/tree.h>
#include <audit/xgb.h>

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
	double score[4], margin[4], *x = calloc(nf + 1, sizeof(double));
	static const double nums[4] = { 1.5, -1e39, NAN, 0 };

	if (names == NULL || kinds == NULL || x == NULL)
		goto done;
	for (i = 0; i < nf; i++) {
		names[i] = aud_model_feature(m, i)->name;
		kinds[i] = AUD_COL_NUMERIC;
	}
	if (aud_batch_new(&b, nf, names, kinds, 4, &err) < 0)
		goto done;
	for (i = 0; i < nf; i++)
		for (r = 0; r < 4; r++)
			b->cols[i].num[r] = nums[(r + i) % 4];
	b->nrows = 4;
	(void)aud_model_predict(m, b, score, margin, &err);
	if (aud_model_trees(&e, m, &err) == 0) {
		for (i = 0; i < nf; i++)
			x[i] = i % 2 ? NAN : 0;
		for (t = 0; t < e->ntrees; t++) {
			size_t n = 0, steps = 0;
			while (e->trees[t].feature[n] >= 0 && steps++ < e->trees[t].nnodes)
				n = aud_tree_child(&e->trees[t], n, x);
			/* the loader promises a tree: a leaf within nnodes steps */
			if (e->trees[t].feature[n] >= 0)
				abort();
		}
	}
done:
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

	if (aud_xgb_load_mem(&m, "fuzz.json", (const char *)data, size, NULL, &err) == 0) {
		exercise(m);
		aud_model_free(m);
	}
	return 0;
}
