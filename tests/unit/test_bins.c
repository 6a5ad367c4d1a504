/* test_bins.c — parsing, assigning and labelling bins; representative values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/bins.h>

#include "runner.h"

static void
check_label(const struct aud_bins *b, size_t i, int spaced, const char *want)
{
	char *l = aud_bins_label(b, i, spaced);

	CHECK(l != NULL);
	if (l != NULL)
		CHECK_STR_EQ(l, want);
	free(l);
}

void
test_bins__left_closed(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_bins *b = NULL;
	char *d;

	CHECK_INT_EQ(aud_bins_parse(&b, "age=25,45", "--bins", &err), 0);
	if (b == NULL)
		return;
	CHECK_STR_EQ(b->column, "age");
	CHECK_INT_EQ(b->nedges, 2);
	CHECK_INT_EQ(b->right, 0);
	CHECK_INT_EQ(aud_bins_count(b), 3);
	/* [.., 25) [25, 45) [45, ..): an edge belongs to the bin above it */
	CHECK_INT_EQ(aud_bins_index(b, -1e300), 0);
	CHECK_INT_EQ(aud_bins_index(b, 24.999), 0);
	CHECK_INT_EQ(aud_bins_index(b, 25), 1);
	CHECK_INT_EQ(aud_bins_index(b, 44.5), 1);
	CHECK_INT_EQ(aud_bins_index(b, 45), 2);
	CHECK_INT_EQ(aud_bins_index(b, 1e300), 2);
	check_label(b, 0, 0, "age<25");
	check_label(b, 1, 0, "25<=age<45");
	check_label(b, 2, 0, "age>=45");
	check_label(b, 0, 1, "age < 25");
	check_label(b, 1, 1, "25 <= age < 45");
	check_label(b, 2, 1, "age >= 45");
	d = aud_bins_describe(b);
	CHECK(d != NULL && strcmp(d, "age < 25, 25 <= age < 45, age >= 45") == 0);
	free(d);
	aud_bins_free(b);
}

void
test_bins__right_closed(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_bins *b = NULL;

	CHECK_INT_EQ(aud_bins_parse(&b, "age=<=25,<=45.5", "--bins", &err), 0);
	if (b == NULL)
		return;
	CHECK_INT_EQ(b->right, 1);
	CHECK_DBL_EQ(b->edges[1], 45.5);
	/* (.., 25] (25, 45.5] (45.5, ..): an edge belongs to the bin below it */
	CHECK_INT_EQ(aud_bins_index(b, 25), 0);
	CHECK_INT_EQ(aud_bins_index(b, 25.0001), 1);
	CHECK_INT_EQ(aud_bins_index(b, 45.5), 1);
	CHECK_INT_EQ(aud_bins_index(b, 46), 2);
	check_label(b, 0, 0, "age<=25");
	check_label(b, 1, 0, "25<age<=45.5");
	check_label(b, 2, 0, "age>45.5");
	check_label(b, 0, 1, "age <= 25");
	check_label(b, 1, 1, "25 < age <= 45.5");
	check_label(b, 2, 1, "age > 45.5");
	aud_bins_free(b);

	/* one edge: two bins */
	CHECK_INT_EQ(aud_bins_parse(&b, "x=<=0", "--bins", &err), 0);
	if (b == NULL)
		return;
	CHECK_INT_EQ(aud_bins_index(b, 0), 0);
	CHECK_INT_EQ(aud_bins_index(b, 1e-9), 1);
	check_label(b, 1, 0, "x>0");
	aud_bins_free(b);
}

void
test_bins__errors(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_bins *b = NULL;

	CHECK_INT_EQ(aud_bins_parse(&b, "age", "--bins", &err), AUD_EINVAL);
	CHECK(b == NULL);
	CHECK_STR_EQ(err.msg, "--bins: expected COLUMN=EDGE,EDGE,... or "
	    "COLUMN=<=EDGE,<=EDGE,..., got 'age'");
	CHECK_INT_EQ(aud_bins_parse(&b, "=1", "--bins", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_bins_parse(&b, "age=", "--bins", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_bins_parse(&b, "age=30,x", "--bins", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--bins: 'x' is not a number");
	CHECK_INT_EQ(aud_bins_parse(&b, "age=30,,40", "--bins", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--bins: empty number");
	CHECK_INT_EQ(aud_bins_parse(&b, "age=50,30", "--bins", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--bins: edges of 'age=50,30' must increase strictly");
	CHECK_INT_EQ(aud_bins_parse(&b, "age=30,30", "--bins", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_bins_parse(&b, "age=<=30,40", "--bins", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--bins: edges of 'age=<=30,40' mix '<=' and plain edges "
	    "(write every edge as <=E for right-closed bins, or none)");
	CHECK_INT_EQ(aud_bins_parse(&b, "age=<=", "--bins", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_bins_parse(&b, "age=nan", "--bins", &err), AUD_EINVAL);
	CHECK(b == NULL);
}

void
test_bins__medians(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_bins *b = NULL;
	/* bins age<25 | 25<=age<45 | age>=45; by hand:
	 * [18 20 22 24] lower median 20; [25 30 44] median 30; [] none; NaN skipped */
	const double x[] = { 30, 24, NAN, 18, 44, 22, 25, 20 };
	double med[3];
	size_t cnt[3];

	CHECK_INT_EQ(aud_bins_parse(&b, "age=25,45", "--bins", &err), 0);
	if (b == NULL)
		return;
	CHECK_INT_EQ(aud_bins_medians(med, cnt, b, x, 8, &err), 0);
	CHECK_DBL_EQ(med[0], 20);
	CHECK_DBL_EQ(med[1], 30);
	CHECK(isnan(med[2]));
	CHECK_INT_EQ(cnt[0], 4);
	CHECK_INT_EQ(cnt[1], 3);
	CHECK_INT_EQ(cnt[2], 0);
	aud_bins_free(b);

	/* right-closed: 25 now belongs to the first bin: [18 20 22 24 25] -> 22; [30 44] -> 30 */
	CHECK_INT_EQ(aud_bins_parse(&b, "age=<=25,<=45", "--bins", &err), 0);
	if (b == NULL)
		return;
	CHECK_INT_EQ(aud_bins_medians(med, NULL, b, x, 8, &err), 0);
	CHECK_DBL_EQ(med[0], 22);
	CHECK_DBL_EQ(med[1], 30);
	CHECK(isnan(med[2]));
	/* no values at all */
	CHECK_INT_EQ(aud_bins_medians(med, cnt, b, x, 0, &err), 0);
	CHECK(isnan(med[0]) && isnan(med[1]) && isnan(med[2]));
	CHECK_INT_EQ(cnt[0] + cnt[1] + cnt[2], 0);
	aud_bins_free(b);
	aud_bins_free(NULL);
}

void
test_bins__find_by_column(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_bins *a = NULL, *b = NULL;
	const struct aud_bins *list[2];

	CHECK_INT_EQ(aud_bins_parse(&a, "age=25,45", "--bins", &err), 0);
	CHECK_INT_EQ(aud_bins_parse(&b, "income=<=1000", "--bins", &err), 0);
	list[0] = a;
	list[1] = b;
	CHECK(aud_bins_find(list, 2, "age") == a);
	CHECK(aud_bins_find(list, 2, "income") == b);
	CHECK(aud_bins_find(list, 2, "sex") == NULL);
	CHECK(aud_bins_find(list, 0, "age") == NULL);
	aud_bins_free(a);
	aud_bins_free(b);
}
