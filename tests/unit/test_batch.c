/* test_batch.c — dictionaries, batches and the CSV batch reader. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/batch.h>
#include <audit/csv.h>

#include "runner.h"

void
test_batch__dict_interns_and_finds(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_dict *d = NULL, *c = NULL;
	int32_t code;
	char buf[32];
	int i;

	CHECK_INT_EQ(aud_dict_new(&d, &err), 0);
	if (d == NULL)
		return;
	/* enough strings to force several rehashes */
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "v%d", i);
		CHECK_INT_EQ(aud_dict_intern(&code, d, buf, strlen(buf), &err), 0);
		CHECK_INT_EQ(code, i);
	}
	CHECK_INT_EQ(aud_dict_size(d), 1000);
	CHECK_INT_EQ(aud_dict_intern(&code, d, "v17", 3, &err), 0);
	CHECK_INT_EQ(code, 17);
	CHECK_INT_EQ(aud_dict_find(d, "v999", 4), 999);
	CHECK_INT_EQ(aud_dict_find(d, "v1000", 5), -1);
	CHECK_STR_EQ(aud_dict_str(d, 42), "v42");
	CHECK(aud_dict_str(d, 1000) == NULL);
	CHECK(aud_dict_str(d, -1) == NULL);
	CHECK_INT_EQ(aud_dict_clone(&c, d, &err), 0);
	CHECK_INT_EQ(aud_dict_find(c, "v500", 4), 500);
	aud_dict_free(c);
	aud_dict_free(d);
}

void
test_batch__reader_kinds_auto_and_given(void)
{
	static const char text[] =
	    "id,age,sex,score,note\n"
	    "1,30,M,0.5,a\n"
	    "2,41,F,NA,b\n"
	    "3,,F,0.25,\n";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch_reader *r = NULL;
	struct aud_batch *b = NULL;
	const char *names[] = { "sex", "age", "score" };
	enum aud_col_kind kinds[] = { AUD_COL_CATEGORICAL, AUD_COL_NUMERIC, AUD_COL_AUTO };

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, &err), 0);
	if (csv == NULL)
		return;
	CHECK_INT_EQ(aud_batch_reader_new(&r, csv, names, kinds, 3, 2, 1, &err), 0);
	if (r == NULL) {
		aud_csv_free(csv);
		return;
	}
	CHECK_INT_EQ(aud_batch_reader_next(&b, r, &err), 1);
	CHECK_INT_EQ(b->nrows, 2);
	CHECK_STR_EQ(b->cols[0].name, "sex");
	CHECK_INT_EQ(b->cols[0].kind, AUD_COL_CATEGORICAL);
	CHECK_STR_EQ(aud_dict_str(b->cols[0].dict, b->cols[0].code[1]), "F");
	CHECK_DBL_EQ(b->cols[1].num[1], 41.0);
	CHECK_INT_EQ(b->cols[2].kind, AUD_COL_NUMERIC);
	CHECK_DBL_EQ(b->cols[2].num[0], 0.5);
	CHECK(isnan(b->cols[2].num[1]));
	CHECK_INT_EQ(aud_batch_reader_line(r, 1), 3);
	{
		size_t len;
		const char *raw = aud_batch_reader_raw(r, 1, &len);

		CHECK(len == 11 && memcmp(raw, "2,41,F,NA,b", 11) == 0);
	}
	CHECK_INT_EQ(aud_batch_reader_next(&b, r, &err), 1);
	CHECK_INT_EQ(b->nrows, 1);
	CHECK_INT_EQ(b->first_row, 2);
	CHECK(isnan(b->cols[1].num[0]));
	CHECK_INT_EQ(b->cols[0].code[0], 1); /* F keeps its code across batches */
	CHECK_INT_EQ(aud_batch_reader_next(&b, r, &err), 0);
	aud_batch_reader_free(r);
	aud_csv_free(csv);
}

void
test_batch__auto_column_with_text_is_categorical(void)
{
	static const char text[] = "a,b\n1,x\n2,3\n,\n";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch_reader *r = NULL;
	struct aud_batch *b = NULL;

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, &err), 0);
	CHECK_INT_EQ(aud_batch_reader_new(&r, csv, NULL, NULL, 0, 100, 0, &err), 0);
	CHECK_INT_EQ(aud_batch_reader_next(&b, r, &err), 1);
	CHECK_INT_EQ(b->ncols, 2);
	CHECK_INT_EQ(b->cols[0].kind, AUD_COL_NUMERIC);
	CHECK_INT_EQ(b->cols[0].is_integer, 1);
	CHECK_INT_EQ(b->cols[1].kind, AUD_COL_CATEGORICAL);
	CHECK_STR_EQ(aud_dict_str(b->cols[1].dict, b->cols[1].code[1]), "3");
	CHECK_INT_EQ(b->cols[1].code[2], -1);
	aud_batch_reader_free(r);
	aud_csv_free(csv);
}

void
test_batch__numeric_column_with_text_is_an_error(void)
{
	static const char text[] = "a\n1\n2\nx\n";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch_reader *r = NULL;
	struct aud_batch *b = NULL;

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, &err), 0);
	/* AUTO decided numeric from the first batch of 2 rows */
	CHECK_INT_EQ(aud_batch_reader_new(&r, csv, NULL, NULL, 0, 2, 0, &err), 0);
	CHECK_INT_EQ(aud_batch_reader_next(&b, r, &err), 1);
	CHECK_INT_EQ(aud_batch_reader_next(&b, r, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:4:1: non-numeric value 'x' in column 'a'");
	aud_batch_reader_free(r);
	aud_csv_free(csv);
}

void
test_batch__unknown_column(void)
{
	static const char text[] = "a\n1\n";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch_reader *r = NULL;
	const char *names[] = { "b" };

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, &err), 0);
	CHECK_INT_EQ(aud_batch_reader_new(&r, csv, names, NULL, 1, 2, 0, &err), AUD_ENOTFOUND);
	CHECK(r == NULL);
	CHECK_STR_EQ(err.msg, "t.csv:1: unknown column 'b' (columns: a; a single column: "
	    "separators tried ',' ';' '\\t' '|' ' ', give another with -d)");
	aud_csv_free(csv);
}

void
test_batch__clone_and_copy(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	const char *names[] = { "x", "c" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_CATEGORICAL };
	struct aud_batch *b = NULL, *c = NULL;

	CHECK_INT_EQ(aud_batch_new(&b, 2, names, kinds, 4, &err), 0);
	if (b == NULL)
		return;
	b->cols[0].num[0] = 1.5;
	b->cols[0].num[1] = -2;
	aud_dict_intern(&b->cols[1].code[0], b->cols[1].dict, "u", 1, &err);
	aud_dict_intern(&b->cols[1].code[1], b->cols[1].dict, "v", 1, &err);
	b->nrows = 2;
	CHECK_INT_EQ(aud_batch_clone(&c, b, &err), 0);
	if (c != NULL) {
		CHECK_INT_EQ(c->nrows, 2);
		CHECK_DBL_EQ(c->cols[0].num[1], -2.0);
		CHECK_STR_EQ(aud_dict_str(c->cols[1].dict, c->cols[1].code[1]), "v");
		CHECK(c->cols[1].dict != b->cols[1].dict);
		CHECK_INT_EQ(aud_batch_find(c, "c"), 1);
		CHECK_INT_EQ(aud_batch_find(c, "z"), -1);
		CHECK_INT_EQ(aud_batch_reserve(c, 100, &err), 0);
		CHECK_INT_EQ(c->cap, 100);
		CHECK_DBL_EQ(c->cols[0].num[0], 1.5);
	}
	aud_batch_free(c);
	aud_batch_free(b);
}
