/* test_model.c — the generic model interface with a C-function model. */
#include <math.h>
#include <string.h>

#include <audit/model.h>

#include "runner.h"

/* score = 0.5 * x + (c == "b"), margin = 2 * score */
static int
toy(const struct aud_batch *b, const long *col, double *score, double *margin,
    void *payload, struct aud_error *err)
{
	size_t i;
	const struct aud_column *x = &b->cols[col[0]], *c = &b->cols[col[1]];
	int32_t code_b = aud_dict_find(c->dict, "b", 1);

	(void)payload;
	(void)err;
	for (i = 0; i < b->nrows; i++) {
		score[i] = 0.5 * x->num[i] + (c->code[i] == code_b && code_b >= 0);
		if (margin != NULL)
			margin[i] = 2 * score[i];
	}
	return 0;
}

void
test_model__function_model(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	const char *fnames[] = { "x", "c" };
	enum aud_col_kind fkinds[] = { AUD_COL_NUMERIC, AUD_COL_CATEGORICAL };
	const char *bnames[] = { "c", "other", "x" };
	enum aud_col_kind bkinds[] = { AUD_COL_CATEGORICAL, AUD_COL_NUMERIC, AUD_COL_NUMERIC };
	struct aud_model *m = NULL;
	struct aud_batch *b = NULL;
	double score[2], margin[2];

	CHECK_INT_EQ(aud_model_from_fn(&m, 2, fnames, fkinds, AUD_TASK_CLASSIFICATION,
	    "1", 1, toy, NULL, &err), 0);
	if (m == NULL)
		return;
	CHECK_INT_EQ(aud_model_nfeatures(m), 2);
	CHECK_STR_EQ(aud_model_feature(m, 1)->name, "c");
	CHECK_INT_EQ(aud_model_find_feature(m, "x"), 0);
	CHECK_INT_EQ(aud_model_find_feature(m, "nope"), -1);
	CHECK_STR_EQ(aud_model_positive(m), "1");
	CHECK_INT_EQ(aud_model_task(m), AUD_TASK_CLASSIFICATION);
	CHECK_INT_EQ(aud_batch_new(&b, 3, bnames, bkinds, 2, &err), 0);
	b->cols[2].num[0] = 1.0;
	b->cols[2].num[1] = 3.0;
	aud_dict_intern(&b->cols[0].code[0], b->cols[0].dict, "a", 1, &err);
	aud_dict_intern(&b->cols[0].code[1], b->cols[0].dict, "b", 1, &err);
	b->nrows = 2;
	CHECK_INT_EQ(aud_model_predict(m, b, score, margin, &err), 0);
	CHECK_DBL_EQ(score[0], 0.5);
	CHECK_DBL_EQ(score[1], 2.5);
	CHECK_DBL_EQ(margin[1], 5.0);
	aud_batch_free(b);
	b = NULL;
	/* a batch without the feature 'c' */
	CHECK_INT_EQ(aud_batch_new(&b, 1, bnames + 2, bkinds + 2, 2, &err), 0);
	b->nrows = 1;
	b->cols[0].num[0] = 1;
	CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "the model's feature 'c' is not a column of the input");
	aud_batch_free(b);
	aud_model_free(m);
}
