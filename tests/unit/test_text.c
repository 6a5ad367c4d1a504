/* test_text.c — formats, numbers, display width and the table's three renderings. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/text.h>

#include "runner.h"

/* Render t in `format` into a string (caller frees). */
static char *
render(const struct aud_table *t, enum aud_format format, const struct aud_table_options *o,
    int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct aud_error err = AUD_ERROR_INIT;

	if (f == NULL)
		return NULL;
	*rc = aud_table_render(t, f, format, o, &err);
	fclose(f);
	return buf;
}

/* A table of two columns (text, number) and the rows given as pairs. */
static struct aud_table *
two_cols(const char *const *cells, size_t nrows)
{
	struct aud_table *t = NULL;
	size_t i;

	CHECK_INT_EQ(aud_table_new(&t, 2, NULL), 0);
	if (t == NULL)
		return NULL;
	CHECK_INT_EQ(aud_table_column(t, 0, "group", AUD_ALIGN_LEFT), 0);
	CHECK_INT_EQ(aud_table_column(t, 1, "n", AUD_ALIGN_RIGHT), 0);
	for (i = 0; i < nrows; i++) {
		CHECK_INT_EQ(aud_table_add_row(t), 0);
		CHECK_INT_EQ(aud_table_set(t, 0, "%s", cells[2 * i]), 0);
		CHECK_INT_EQ(aud_table_set(t, 1, "%s", cells[2 * i + 1]), 0);
	}
	return t;
}

void
test_text__parse_format(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	enum aud_format f = AUD_FORMAT_JSON;

	CHECK_INT_EQ(aud_parse_format(&f, "md", &err), 0);
	CHECK_INT_EQ(f, AUD_FORMAT_MD);
	CHECK_INT_EQ(aud_parse_format(&f, "table", &err), 0);
	CHECK_INT_EQ(f, AUD_FORMAT_TABLE);
	CHECK_INT_EQ(aud_parse_format(&f, "csv", &err), 0);
	CHECK_INT_EQ(f, AUD_FORMAT_CSV);
	CHECK_INT_EQ(aud_parse_format(&f, "xml", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--format: 'xml' is not one of json, table, csv, md");
	/* a file is never a terminal: json */
	CHECK_INT_EQ(aud_default_format("out.json"), AUD_FORMAT_JSON);
}

void
test_text__numbers_and_time(void)
{
	char b[AUD_NUMBUF], t[21];

	aud_format_fixed(b, 2.0 / 3.0, 3, NULL);
	CHECK_STR_EQ(b, "0.667");
	aud_format_fixed(b, NAN, 3, NULL);
	CHECK_STR_EQ(b, "n/a");
	aud_format_fixed(b, NAN, 3, "-");
	CHECK_STR_EQ(b, "-");
	aud_format_sig(b, 1234567, 4, 1, NULL);
	CHECK_STR_EQ(b, "1234567");
	aud_format_sig(b, 1234567, 4, 0, NULL);
	CHECK_STR_EQ(b, "1.235e+06");
	aud_format_sig(b, 0.123456, 4, 1, NULL);
	CHECK_STR_EQ(b, "0.1235");
	aud_format_sig(b, 1e15, 4, 1, NULL);   /* not below 1e15: not written whole */
	CHECK_STR_EQ(b, "1e+15");
	/* 1e9 seconds after the epoch: 2001-09-09 01:46:40 UTC */
	aud_format_time(t, (time_t)1000000000);
	CHECK_STR_EQ(t, "2001-09-09T01:46:40Z");
}

void
test_text__width(void)
{
	CHECK_INT_EQ(aud_text_width(""), 0);
	CHECK_INT_EQ(aud_text_width("abc"), 3);
	CHECK_INT_EQ(aud_text_width("caf\xc3\xa9"), 4);              /* é precomposed */
	CHECK_INT_EQ(aud_text_width("cafe\xcc\x81"), 4);             /* e + combining acute */
	CHECK_INT_EQ(aud_text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* 日本: two wide */
	CHECK_INT_EQ(aud_text_width("a\xffz"), 3);                   /* a stray byte counts one */
}

void
test_text__aligned(void)
{
	static const char *const cells[] = { "Female", "12", "a|b", "3", "\xc3\xa9t\xc3\xa9", "100" };
	struct aud_table *t = two_cols(cells, 3);
	struct aud_table_options o = AUD_TABLE_OPTIONS_INIT;
	char *s;
	int rc = -1;

	if (t == NULL)
		return;
	/* widths 6 and 3; the left column padded except at the end, the right on the left */
	s = render(t, AUD_FORMAT_TABLE, NULL, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_STR_EQ(s, "group     n\nFemale   12\na|b       3\n\xc3\xa9t\xc3\xa9     100\n");
	free(s);
	o.indent = "  ";
	o.rule = 1;
	s = render(t, AUD_FORMAT_TABLE, &o, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_STR_EQ(s, "  group     n\n  ------  ---\n  Female   12\n  a|b       3\n"
	    "  \xc3\xa9t\xc3\xa9     100\n");
	free(s);
	CHECK_INT_EQ(aud_table_nrows(t), 3);
	CHECK_INT_EQ(aud_table_ncols(t), 2);
	CHECK_STR_EQ(aud_table_cell(t, 0, 1), "n");
	CHECK_STR_EQ(aud_table_cell(t, 2, 0), "a|b");
	aud_table_free(t);
}

void
test_text__no_trailing_blanks(void)
{
	struct aud_table *t = NULL;
	char *s;
	int rc = -1;

	CHECK_INT_EQ(aud_table_new(&t, 3, NULL), 0);
	if (t == NULL)
		return;
	aud_table_column(t, 0, "a", AUD_ALIGN_LEFT);
	aud_table_column(t, 1, "b", AUD_ALIGN_LEFT);
	aud_table_column(t, 2, "note", AUD_ALIGN_LEFT);
	aud_table_add_row(t);
	aud_table_set(t, 0, "x");
	aud_table_set(t, 1, "%d", 42);
	/* the row's note is empty: the line stops after "42" */
	s = render(t, AUD_FORMAT_TABLE, NULL, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_STR_EQ(s, "a  b   note\nx  42\n");
	free(s);
	aud_table_free(t);
}

void
test_text__markdown(void)
{
	static const char *const cells[] = { "a|b", "1", "back\\slash *x*", "2", "two\nlines",
		"3", "cr\r\nlf", "4" };
	struct aud_table *t = two_cols(cells, 4);
	char *s;
	int rc = -1;

	if (t == NULL)
		return;
	s = render(t, AUD_FORMAT_MD, NULL, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_STR_EQ(s, "| group | n |\n| --- | ---: |\n| a\\|b | 1 |\n"
	    "| back\\\\slash \\*x\\* | 2 |\n| two<br>lines | 3 |\n| cr<br>lf | 4 |\n");
	free(s);
	aud_table_free(t);
}

void
test_text__csv(void)
{
	static const char *const cells[] = { "a|b", "1", "x,y", "2", "say \"hi\"", "3",
		"two\nlines", "4" };
	struct aud_table *t = two_cols(cells, 4);
	char *s;
	int rc = -1;

	if (t == NULL)
		return;
	/* RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled */
	s = render(t, AUD_FORMAT_CSV, NULL, &rc);
	CHECK_INT_EQ(rc, 0);
	CHECK_STR_EQ(s, "group,n\na|b,1\n\"x,y\",2\n\"say \"\"hi\"\"\",3\n\"two\nlines\",4\n");
	free(s);
	s = render(t, AUD_FORMAT_JSON, NULL, &rc);
	CHECK_INT_EQ(rc, AUD_EINVAL);
	free(s);
	aud_table_free(t);
}

void
test_text__errors(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_table *t = (struct aud_table *)&err;
	size_t i;

	CHECK_INT_EQ(aud_table_new(&t, 0, &err), AUD_EINVAL);
	CHECK(t == NULL);
	CHECK_INT_EQ(aud_table_new(&t, 1, &err), 0);
	if (t == NULL)
		return;
	/* no row yet; a column out of range */
	CHECK_INT_EQ(aud_table_set(t, 0, "x"), AUD_EINVAL);
	CHECK_INT_EQ(aud_table_column(t, 1, "x", AUD_ALIGN_LEFT), AUD_EINVAL);
	/* many rows: the storage grows */
	for (i = 0; i < 1000; i++) {
		CHECK_INT_EQ(aud_table_add_row(t), 0);
		aud_table_set(t, 0, "%zu", i);
	}
	CHECK_INT_EQ(aud_table_nrows(t), 1000);
	CHECK_STR_EQ(aud_table_cell(t, 1000, 0), "999");
	CHECK_STR_EQ(aud_table_cell(t, 1001, 0), "");
	aud_table_free(t);
	aud_table_free(NULL);
}
