/* test_batch.c — batches and the CSV batch reader. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/batch.h>
#include <audit/csv.h>

#include "runner.h"

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

/* Rows [from, to) of each batch of one reader appended to a batch of its own:
 * values in order, the codes of categories first seen in a later batch, and
 * a numeric column that stops being whole-numbered. */
void
test_batch__append_ranges(void)
{
	static const char text[] = "s,x\nF,1\nM,2\nF,3\nX,4.5\n";
	static const char *const names[] = { "s", "x" };
	static const enum aud_col_kind kinds[] = { AUD_COL_CATEGORICAL, AUD_COL_NUMERIC };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch_reader *r = NULL;
	struct aud_batch *b = NULL, *all = NULL;

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, &err), 0);
	CHECK_INT_EQ(aud_batch_reader_new(&r, csv, names, kinds, 2, 2, 0, &err), 0);
	CHECK_INT_EQ(aud_batch_new(&all, 2, names, kinds, 1, &err), 0);
	if (r == NULL || all == NULL)
		goto done;
	CHECK_INT_EQ(all->cols[1].is_integer, 1);
	CHECK_INT_EQ(aud_batch_reader_next(&b, r, &err), 1);
	CHECK_INT_EQ(aud_batch_append(all, b, 1, 2, &err), 0);   /* M,2 */
	CHECK_INT_EQ(aud_batch_append(all, b, 0, 0, &err), 0);   /* nothing */
	CHECK_INT_EQ(all->nrows, 1);
	CHECK_INT_EQ(all->cols[1].is_integer, 1);
	CHECK_INT_EQ(aud_batch_reader_next(&b, r, &err), 1);
	CHECK_INT_EQ(aud_batch_append(all, b, 0, 2, &err), 0);   /* F,3 and X,4.5 */
	CHECK_INT_EQ(all->nrows, 3);
	CHECK(all->cap >= 3);
	CHECK_DBL_EQ(all->cols[1].num[0], 2.0);
	CHECK_DBL_EQ(all->cols[1].num[1], 3.0);
	CHECK_DBL_EQ(all->cols[1].num[2], 4.5);
	CHECK_INT_EQ(all->cols[1].is_integer, 0);
	/* the reader's codes: F 0, M 1, X 2 (first seen in the second batch) */
	CHECK_INT_EQ(aud_dict_size(all->cols[0].dict), 3);
	CHECK_STR_EQ(aud_dict_str(all->cols[0].dict, all->cols[0].code[0]), "M");
	CHECK_STR_EQ(aud_dict_str(all->cols[0].dict, all->cols[0].code[1]), "F");
	CHECK_STR_EQ(aud_dict_str(all->cols[0].dict, all->cols[0].code[2]), "X");
done:
	aud_batch_free(all);
	aud_batch_reader_free(r);
	aud_csv_free(csv);
}

/* Every row at once: kinds decided by the data, values and dictionaries as read;
 * an input of a header only gives the header's columns and no rows. */
void
test_batch__read_all(void)
{
	static const char text[] = "a,b,c\n1,x,0.5\n2,y,1\n3,x,\n";
	static const char empty[] = "a,b\n";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	struct aud_batch *b = NULL;

	CHECK_INT_EQ(aud_csv_open_mem(&csv, "t.csv", text, strlen(text), NULL, &err), 0);
	CHECK_INT_EQ(aud_batch_read_all(&b, csv, NULL, NULL, 0, &err), 0);
	if (b != NULL) {
		CHECK_INT_EQ(b->nrows, 3);
		CHECK_INT_EQ(b->ncols, 3);
		CHECK_INT_EQ(b->first_row, 0);
		CHECK_INT_EQ(b->cols[0].kind, AUD_COL_NUMERIC);
		CHECK_INT_EQ(b->cols[0].is_integer, 1);
		CHECK_DBL_EQ(b->cols[0].num[2], 3.0);
		CHECK_INT_EQ(b->cols[1].kind, AUD_COL_CATEGORICAL);
		CHECK_INT_EQ(aud_dict_size(b->cols[1].dict), 2);
		CHECK_INT_EQ(b->cols[1].code[2], b->cols[1].code[0]);
		CHECK_STR_EQ(aud_dict_str(b->cols[1].dict, b->cols[1].code[1]), "y");
		CHECK_INT_EQ(b->cols[2].is_integer, 0);
		CHECK(isnan(b->cols[2].num[2]));
	}
	aud_batch_free(b);
	b = NULL;
	aud_csv_free(csv);
	csv = NULL;
	CHECK_INT_EQ(aud_csv_open_mem(&csv, "e.csv", empty, strlen(empty), NULL, &err), 0);
	CHECK_INT_EQ(aud_batch_read_all(&b, csv, NULL, NULL, 0, &err), 0);
	if (b != NULL) {
		CHECK_INT_EQ(b->nrows, 0);
		CHECK_INT_EQ(b->ncols, 2);
		CHECK_STR_EQ(b->cols[1].name, "b");
		CHECK_INT_EQ(b->cols[1].kind, AUD_COL_NUMERIC);
	}
	aud_batch_free(b);
	aud_csv_free(csv);
}
