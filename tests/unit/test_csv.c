/* test_csv.c — the CSV reader: every RFC 4180 rule and every error. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>

#include <audit/csv.h>

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "csv_private.h"
#include "runner.h"

static struct aud_csv *
open_text(const char *text, const struct aud_csv_options *o, struct aud_error *err)
{
	struct aud_csv *c = NULL;
	int rc = aud_csv_open_mem(&c, "t.csv", text, strlen(text), o, err);

	if (rc < 0)
		return NULL;
	return c;
}

static int
field_is(struct aud_csv *c, size_t i, const char *want)
{
	size_t len;
	const char *s = aud_csv_field(c, i, &len);

	return len == strlen(want) && memcmp(s, want, len) == 0;
}

void
test_csv__simple_header_and_rows(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = open_text("a,b,c\n1,2,3\n4,5,6\n", NULL, &err);
	double v;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_ncols(c), 3);
	CHECK_STR_EQ(aud_csv_colname(c, 0), "a");
	CHECK_STR_EQ(aud_csv_colname(c, 2), "c");
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "1"));
	CHECK_INT_EQ(aud_csv_number(&v, c, 2, &err), 1);
	CHECK_DBL_EQ(v, 3.0);
	CHECK_INT_EQ(aud_csv_line(c), 2);
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 1, "5"));
	CHECK_INT_EQ(aud_csv_line(c), 3);
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	CHECK_INT_EQ(aud_csv_rows(c), 2);
	aud_csv_free(c);
}

void
test_csv__quotes_separators_newlines(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = open_text(
	    "name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"multi\nline\",x\nlast,\"\"\n",
	    NULL, &err);
	size_t len;
	const char *raw;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "Smith, J"));
	CHECK(field_is(c, 1, "said \"hi\""));
	raw = aud_csv_raw(c, &len);
	CHECK(len == strlen("\"Smith, J\",\"said \"\"hi\"\"\"") &&
	    memcmp(raw, "\"Smith, J\",\"said \"\"hi\"\"\"", len) == 0);
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "multi\nline"));
	CHECK_INT_EQ(aud_csv_line(c), 3);
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK_INT_EQ(aud_csv_line(c), 5);
	CHECK(field_is(c, 1, ""));
	CHECK(aud_csv_is_na(c, 1));
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	aud_csv_free(c);
}

void
test_csv__crlf_bom_and_no_final_newline(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = open_text("\xEF\xBB\xBFx,y\r\n1,2\r\n3,4", NULL, &err);
	double v;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_STR_EQ(aud_csv_colname(c, 0), "x");
	CHECK_STR_EQ(aud_csv_colname(c, 1), "y");
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 1, "2"));
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK_INT_EQ(aud_csv_number(&v, c, 1, &err), 1);
	CHECK_DBL_EQ(v, 4.0);
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	aud_csv_free(c);
}

void
test_csv__separator_detection_and_option(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *c = open_text("a;b;c\n1;2,5;3\n", NULL, &err);

	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT_EQ(aud_csv_sep(c), ';');
		CHECK_INT_EQ(aud_csv_ncols(c), 3);
		CHECK_INT_EQ(aud_csv_next(c, &err), 1);
		CHECK(field_is(c, 1, "2,5"));
		aud_csv_free(c);
	}
	c = open_text("a\tb\n1\t2\n", NULL, &err);
	CHECK(c != NULL && aud_csv_sep(c) == '\t');
	aud_csv_free(c);
	c = open_text("a|b\n1|2\n", NULL, &err);
	CHECK(c != NULL && aud_csv_sep(c) == '|');
	aud_csv_free(c);
	/* a quoted comma in the header does not count */
	c = open_text("\"a,b\";c\n1;2\n", NULL, &err);
	CHECK(c != NULL && aud_csv_sep(c) == ';');
	aud_csv_free(c);
	o.sep = ',';
	c = open_text("a;b,c\n1;2,3\n", &o, &err);
	CHECK(c != NULL && aud_csv_ncols(c) == 2);
	aud_csv_free(c);
}

void
test_csv__na_tokens(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *c = open_text("a,b,c,d,e,f\n,NA,NaN,null,?,0\n", NULL, &err);
	double v;
	size_t i;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	for (i = 0; i < 5; i++) {
		CHECK(aud_csv_is_na(c, i));
		CHECK_INT_EQ(aud_csv_number(&v, c, i, &err), 0);
		CHECK(isnan(v));
	}
	CHECK(!aud_csv_is_na(c, 5));
	aud_csv_free(c);
	o.na = "-,missing";
	c = open_text("a,b,c\n-,missing,NA\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(aud_csv_is_na(c, 0));
	CHECK(aud_csv_is_na(c, 1));
	CHECK(!aud_csv_is_na(c, 2));
	aud_csv_free(c);
}

void
test_csv__duplicate_header_names(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = open_text("a,score,a,score,a\n1,2,3,4,5\n", NULL, &err);
	size_t idx = 99;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_STR_EQ(aud_csv_colname(c, 0), "a");
	CHECK_STR_EQ(aud_csv_colname(c, 2), "a.1");
	CHECK_STR_EQ(aud_csv_colname(c, 3), "score.1");
	CHECK_STR_EQ(aud_csv_colname(c, 4), "a.2");
	CHECK_INT_EQ(aud_csv_find(&idx, c, "score.1", &err), 0);
	CHECK_INT_EQ(idx, 3);
	CHECK_INT_EQ(aud_csv_find(&idx, c, "nope", &err), AUD_ENOTFOUND);
	CHECK(strstr(err.msg, "t.csv:1: unknown column 'nope'") == err.msg);
	aud_csv_free(c);
}

void
test_csv__numbers_c_locale(void)
{
	static const struct { const char *s; double v; } ok[] = {
		{ "0", 0.0 }, { "-1", -1.0 }, { "+2.5", 2.5 }, { "0.1", 0.1 },
		{ "1e3", 1000.0 }, { "1.4496910647206204E-4", 1.4496910647206204E-4 },
		{ " 7 ", 7.0 }, { ".5", 0.5 }, { "5.", 5.0 },
		{ "0.10000000000000001", 0.1 }, { "123456789012345678901234", 1.2345678901234568e23 },
		{ "2.2250738585072014e-308", 2.2250738585072014e-308 },
		{ "0.000000000000000000000000000001", 1e-30 },
		{ "9007199254740993", 9007199254740992.0 },
	};
	static const char *const bad[] = { "abc", "1,5", "1e", "--1", "0x10", "inf", "nan", "1 2", "", "." };
	double v;
	size_t i;

	setlocale(LC_NUMERIC, "de_DE.UTF-8"); /* may fail; the parser must not care */
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = -42;
		CHECK_INT_EQ(aud_parse_number(&v, ok[i].s, strlen(ok[i].s)), 1);
		if (v != ok[i].v)
			aud_test_fail(__FILE__, __LINE__, "'%s' parsed as %.17g", ok[i].s, v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (aud_parse_number(&v, bad[i], strlen(bad[i])) != 0)
			aud_test_fail(__FILE__, __LINE__, "'%s' accepted", bad[i]);
	setlocale(LC_NUMERIC, "C");
}

void
test_csv__format_double_round_trips(void)
{
	static const double xs[] = { 0.1, 1.0 / 3.0, 2.5, -7.0, 1e-300, 123456.789, 0.30000000000000004 };
	char buf[32];
	double back;
	size_t i;

	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		aud_format_double(buf, xs[i]);
		CHECK_INT_EQ(aud_parse_number(&back, buf, strlen(buf)), 1);
		CHECK_DBL_EQ(back, xs[i]);
	}
	aud_format_double(buf, 0.1);
	CHECK_STR_EQ(buf, "0.1");
	aud_format_double(buf, 3.0);
	CHECK_STR_EQ(buf, "3");
	aud_format_double(buf, NAN);
	CHECK_STR_EQ(buf, "");
}

static void
expect_error(const char *text, int want_code, const char *want_prefix)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = NULL;
	int rc = aud_csv_open_mem(&c, "t.csv", text, strlen(text), NULL, &err);

	while (rc >= 0) {
		rc = aud_csv_next(c, &err);
		if (rc == 0)
			break;
	}
	if (rc != want_code)
		aud_test_fail(__FILE__, __LINE__, "rc %d, want %d for <%s>", rc, want_code, text);
	else if (strncmp(err.msg, want_prefix, strlen(want_prefix)) != 0)
		aud_test_fail(__FILE__, __LINE__, "message '%s', want prefix '%s'", err.msg, want_prefix);
	aud_csv_free(c);
}

void
test_csv__errors_have_positions(void)
{
	expect_error("a,b\n1,\"open\n", AUD_EPARSE, "t.csv:2:3: unterminated quoted field");
	expect_error("a,b\n1,2\n3\n", AUD_EPARSE, "t.csv:3:2: expected 2 fields, found 1");
	expect_error("a,b\n1,2,3\n", AUD_EPARSE, "t.csv:2:5: too many fields: expected 2");
	expect_error("a,b\n1,\"x\"y\n", AUD_EPARSE, "t.csv:2:6: unexpected character after a closing quote");
	expect_error("a,b\n1,x\"y\n", AUD_EPARSE, "t.csv:2:4: quote inside an unquoted field");
	expect_error("", AUD_EPARSE, "t.csv:1:1: empty input");
	expect_error("\n\n", AUD_EPARSE, "t.csv:1:1: empty input");
}

void
test_csv__nul_byte_is_an_error(void)
{
	static const char text[] = "a,b\n1,2\n3,\0\n";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = NULL;
	int rc = aud_csv_open_mem(&c, "t.csv", text, sizeof(text) - 1, NULL, &err);

	CHECK_INT_EQ(rc, 0);
	if (rc < 0)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK_INT_EQ(aud_csv_next(c, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "t.csv:3:3: NUL byte") == err.msg);
	aud_csv_free(c);
	/* inside quotes too (the header as well) */
	{
		static const char q[] = "\"a\0\",b\n1,2\n";

		c = NULL;
		CHECK_INT_EQ(aud_csv_open_mem(&c, "q.csv", q, sizeof(q) - 1, NULL, &err), AUD_EPARSE);
		CHECK(strstr(err.msg, "q.csv:1:1: NUL byte") == err.msg);
		CHECK(c == NULL);
	}
}

void
test_csv__non_numeric_message(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = open_text("x,label\n1,yes\n", NULL, &err);
	double v;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK_INT_EQ(aud_csv_number(&v, c, 1, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "t.csv:2:3: non-numeric value 'yes' in column 'label'");
	aud_csv_free(c);
}

void
test_csv__record_longer_than_limit(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	size_t n = 3u << 20, i;
	char *text = malloc(n + 16);
	struct aud_csv *c = NULL;
	int rc;

	if (text == NULL)
		return;
	memcpy(text, "a\n", 2);
	for (i = 2; i < n + 2; i++)
		text[i] = 'x';
	memcpy(text + n + 2, "\n", 2);
	o.max_record = 1u << 20;
	rc = aud_csv_open_mem(&c, "big.csv", text, n + 3, &o, &err);
	CHECK_INT_EQ(rc, 0);
	if (rc == 0) {
		CHECK_INT_EQ(aud_csv_next(c, &err), AUD_EPARSE);
		CHECK(strstr(err.msg, "record longer than") != NULL);
		aud_csv_free(c);
	}
	/* the default limit (64 MiB) accepts a 3 MB field */
	rc = aud_csv_open_mem(&c, "big.csv", text, n + 3, NULL, &err);
	CHECK_INT_EQ(rc, 0);
	if (rc == 0) {
		size_t len;

		CHECK_INT_EQ(aud_csv_next(c, &err), 1);
		aud_csv_field(c, 0, &len);
		CHECK_INT_EQ(len, n);
		aud_csv_free(c);
	}
	free(text);
}

/* Records that straddle the 1 MiB read blocks parse the same as small input. */
void
test_csv__records_across_blocks(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	size_t rows = 200000, i, cap = rows * 40 + 64, len = 0;
	char *text = malloc(cap);
	struct aud_csv *c = NULL;
	double sum = 0, v, want = 0;

	if (text == NULL)
		return;
	len += (size_t)sprintf(text, "id,name,value\n");
	for (i = 0; i < rows; i++) {
		len += (size_t)sprintf(text + len, "%zu,\"n,%zu\"\"q\",%zu.25\r\n", i, i % 97, i % 1000);
		want += (double)(i % 1000) + 0.25;
	}
	CHECK_INT_EQ(aud_csv_open_mem(&c, "big.csv", text, len, NULL, &err), 0);
	if (c == NULL) {
		free(text);
		return;
	}
	for (i = 0; aud_csv_next(c, &err) == 1; i++) {
		char buf[64];
		size_t flen;
		const char *f = aud_csv_field(c, 1, &flen);

		snprintf(buf, sizeof(buf), "n,%zu\"q", i % 97);
		if (flen != strlen(buf) || memcmp(f, buf, flen) != 0) {
			aud_test_fail(__FILE__, __LINE__, "row %zu field '%.*s'", i, (int)flen, f);
			break;
		}
		aud_csv_number(&v, c, 2, &err);
		sum += v;
	}
	CHECK_INT_EQ(i, rows);
	CHECK_DBL_EQ(sum, want);
	CHECK_INT_EQ(aud_csv_bytes(c), len);
	aud_csv_free(c);
	free(text);
}

void
test_csv__sha256_of_input(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = open_text("a\n1\n", NULL, &err);
	char hex[65];

	CHECK(c != NULL);
	if (c == NULL)
		return;
	/* before reading every row: the rest is hashed too (sha256sum of "a\n1\n") */
	CHECK_INT_EQ(aud_csv_sha256(c, hex, &err), 0);
	CHECK_STR_EQ(hex, "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc");
	aud_csv_free(c);
}

void
test_csv__no_header_option(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *c;

	o.no_header = 1;
	c = open_text("1,2\n3,4\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_STR_EQ(aud_csv_colname(c, 1), "2");
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "1"));
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 1, "4"));
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	aud_csv_free(c);
}

void
test_csv__open_missing_file(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = NULL;

	CHECK_INT_EQ(aud_csv_open(&c, "/nonexistent/x.csv", NULL, &err), AUD_EIO);
	CHECK(c == NULL);
	CHECK_STR_EQ(err.msg, "cannot open '/nonexistent/x.csv': No such file or directory");
}

void
test_csv__write_field_quotes_when_needed(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f != NULL);
	if (f == NULL)
		return;
	aud_csv_write_field(f, "plain", 5, ',');
	fputc('|', f);
	aud_csv_write_field(f, "a,b", 3, ',');
	fputc('|', f);
	aud_csv_write_field(f, "say \"x\"", 7, ',');
	fputc('|', f);
	aud_csv_write_field(f, "a;b", 3, ';');
	fclose(f);
	CHECK_STR_EQ(buf, "plain|\"a,b\"|\"say \"\"x\"\"\"|\"a;b\"");
	free(buf);
}

/* ---- leading spaces (pandas' skipinitialspace) ---- */

struct notices {
	int n;
	char last[512];
};

static void
count_notice(const char *msg, void *payload)
{
	struct notices *nt = payload;

	nt->n++;
	snprintf(nt->last, sizeof(nt->last), "%s", msg);
}

void
test_csv__trim_when_every_separator_is_followed_by_a_space(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct notices nt = { 0, "" };
	struct aud_csv *c;
	double v;

	o.notice = count_notice;
	o.notice_payload = &nt;
	c = open_text("a, b, c\n39, ?, \"x, y\"\n1,  2,z \n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK(aud_csv_trimmed(c));
	CHECK_INT_EQ(nt.n, 1);
	CHECK_STR_EQ(nt.last, "t.csv: every separator ',' of line 1 is followed by a space: "
	    "leading spaces of fields are dropped (--no-trim keeps them)");
	CHECK_STR_EQ(aud_csv_colname(c, 1), "b");
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "39"));
	CHECK(field_is(c, 1, "?"));
	CHECK(aud_csv_is_na(c, 1));
	/* a quoted field after the space is a quoted field */
	CHECK(field_is(c, 2, "x, y"));
	CHECK_INT_EQ(aud_csv_column(c, 1), 5);
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK_INT_EQ(aud_csv_number(&v, c, 1, &err), 1);
	CHECK_DBL_EQ(v, 2);
	/* trailing spaces stay, as in pandas */
	CHECK(field_is(c, 2, "z "));
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	aud_csv_free(c);
}

void
test_csv__no_trim_and_no_detection(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct notices nt = { 0, "" };
	struct aud_csv *c;

	o.notice = count_notice;
	o.notice_payload = &nt;
	o.trim = AUD_CSV_TRIM_NEVER;
	c = open_text("a, b\n1, ?\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK(!aud_csv_trimmed(c));
	CHECK_STR_EQ(aud_csv_colname(c, 1), " b");
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 1, " ?"));
	CHECK(!aud_csv_is_na(c, 1));
	aud_csv_free(c);
	/* one separator of line 1 without a space: no trimming, no notice */
	o.trim = AUD_CSV_TRIM_AUTO;
	c = open_text("a, b,c\n1, 2, 3\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK(!aud_csv_trimmed(c));
	CHECK_INT_EQ(nt.n, 0);
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 2, " 3"));
	aud_csv_free(c);
	/* asked for: trims even without the pattern */
	o.trim = AUD_CSV_TRIM_ALWAYS;
	c = open_text("a,b\n  1,2\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "1"));
	CHECK_INT_EQ(nt.n, 0);
	aud_csv_free(c);
}

/* ---- --no-header and --names ---- */

void
test_csv__names_replace_or_provide(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *c;
	size_t k;

	o.names = "x,y,x";
	c = open_text("a,b,c\n1,2,3\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_STR_EQ(aud_csv_colname(c, 0), "x");
	CHECK_STR_EQ(aud_csv_colname(c, 2), "x.1");
	CHECK_INT_EQ(aud_csv_find(&k, c, "a", &err), AUD_ENOTFOUND);
	CHECK_INT_EQ(aud_csv_find(&k, c, "y", &err), 0);
	CHECK_INT_EQ(k, 1);
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "1"));
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	CHECK_INT_EQ(aud_csv_rows(c), 1);
	aud_csv_free(c);

	o.no_header = 1;
	o.names = "p,q,r";
	c = open_text("1,2,3\n4,5,6\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_STR_EQ(aud_csv_colname(c, 2), "r");
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 2, "3"));
	CHECK_INT_EQ(aud_csv_line(c), 1);
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "4"));
	CHECK_INT_EQ(aud_csv_line(c), 2);
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	CHECK_INT_EQ(aud_csv_rows(c), 2);
	aud_csv_free(c);
}

void
test_csv__names_count_must_match(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;

	o.names = "x,y";
	CHECK(open_text("a,bb,c\n1,2,3\n", &o, &err) == NULL);
	CHECK_INT_EQ(err.code, AUD_EPARSE);
	/* the first field without a name: line 1, column 6 */
	CHECK_STR_EQ(err.msg, "t.csv:1:6: 2 column names given for 3 fields");
	o.names = "x,y,z,w";
	o.no_header = 1;
	CHECK(open_text("1,2,3\n", &o, &err) == NULL);
	CHECK_STR_EQ(err.msg, "t.csv:1:6: 4 column names given for 3 fields");
}

/* ---- separators ---- */

void
test_csv__single_space_separator_detected(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *c;

	o.no_header = 1;
	c = open_text("A11 6 A34\nA12 48 A32\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_sep(c), ' ');
	CHECK_INT_EQ(aud_csv_ncols(c), 3);
	CHECK(!aud_csv_trimmed(c));
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 2, "A34"));
	aud_csv_free(c);
	/* a space beside a comma is data, not a separator */
	c = open_text("first name,age\nAda Lovelace,36\n", NULL, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_sep(c), ',');
	CHECK_STR_EQ(aud_csv_colname(c, 0), "first name");
	aud_csv_free(c);
}

void
test_csv__unknown_column_in_a_single_column_header(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *c;
	size_t k;

	c = open_text("a:b:label\n1:2:3\n", NULL, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_find(&k, c, "label", &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "t.csv:1: unknown column 'label' (columns: a:b:label; a single "
	    "column: separators tried ',' ';' '\\t' '|' ' ', give another with -d)");
	aud_csv_free(c);
	o.sep = ';';
	c = open_text("a,label\n1,2\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_unknown_column(c, "label", &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "t.csv:1: unknown column 'label' (columns: a,label; a single "
	    "column with the separator ';': give the right one with -d)");
	aud_csv_free(c);
	/* more than one column: the plain list */
	c = open_text("a,b\n1,2\n", NULL, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_find(&k, c, "z", &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "t.csv:1: unknown column 'z' (columns: a, b)");
	aud_csv_free(c);
}

void
test_csv__char_names_are_escaped(void)
{
	char b[8];

	aud_csv_char_name(b, '\n');
	CHECK_STR_EQ(b, "'\\n'");
	aud_csv_char_name(b, '\t');
	CHECK_STR_EQ(b, "'\\t'");
	aud_csv_char_name(b, '\r');
	CHECK_STR_EQ(b, "'\\r'");
	aud_csv_char_name(b, ';');
	CHECK_STR_EQ(b, "';'");
	aud_csv_char_name(b, '\x01');
	CHECK_STR_EQ(b, "'\\x01'");
	aud_csv_char_name(b, (char)0xE9);
	CHECK_STR_EQ(b, "'\\xE9'");
}

/* ---- missing values ---- */

void
test_csv__pandas_na_tokens_are_missing_by_default(void)
{
	static const char *tokens[] = { "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN",
		"-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None",
		"n/a", "nan", "null", "?" };
	static const char *not_na[] = { "na", "Null", "NONE", "none", "-", "0", " NA" };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c;
	char text[64];
	size_t i;
	double v;

	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		snprintf(text, sizeof(text), "a,b\n%s,1\n", tokens[i]);
		c = open_text(text, NULL, &err);
		CHECK(c != NULL);
		if (c == NULL)
			continue;
		CHECK_INT_EQ(aud_csv_next(c, &err), 1);
		if (!aud_csv_is_na(c, 0))
			aud_test_fail(__FILE__, __LINE__, "'%s' is not missing", tokens[i]);
		CHECK_INT_EQ(aud_csv_number(&v, c, 0, &err), 0);
		CHECK(isnan(v));
		aud_csv_free(c);
	}
	for (i = 0; i < sizeof(not_na) / sizeof(not_na[0]); i++) {
		snprintf(text, sizeof(text), "a,b\n%s,1\n", not_na[i]);
		c = open_text(text, NULL, &err);
		CHECK(c != NULL);
		if (c == NULL)
			continue;
		CHECK_INT_EQ(aud_csv_next(c, &err), 1);
		if (aud_csv_is_na(c, 0))
			aud_test_fail(__FILE__, __LINE__, "'%s' is missing", not_na[i]);
		aud_csv_free(c);
	}
}

/* ---- lines skipped before the header ---- */

void
test_csv__skip_lines(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *c;

	o.skip_lines = 1;
	o.no_header = 1;
	c = open_text("|1x3 Cross validator\n25, Private, <=50K.\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	/* the banner's '|' does not decide the separator */
	CHECK_INT_EQ(aud_csv_sep(c), ',');
	CHECK(aud_csv_trimmed(c));
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK_INT_EQ(aud_csv_line(c), 2);
	CHECK(field_is(c, 2, "<=50K."));
	aud_csv_free(c);
	o.skip_lines = 3;
	CHECK(open_text("x\ny\n", &o, &err) == NULL);
	CHECK_STR_EQ(err.msg, "t.csv:3:1: empty input: no header line");
}

/* ---- encodings ---- */

void
test_csv__invalid_utf8_is_an_error_with_its_position(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "g,n\nA,caf\xE9\n", "t.csv:2:6: invalid UTF-8 (byte 0xE9)" },
		{ "g,n\nA,\"x\ny\xE9\"\n", "t.csv:3:2: invalid UTF-8 (byte 0xE9)" },
		{ "g,n\xC0\xAF\n", "t.csv:1:4: invalid UTF-8 (byte 0xC0)" },      /* overlong */
		{ "g,n\nA,\xED\xA0\x80\n", "t.csv:2:3: invalid UTF-8 (byte 0xED)" }, /* surrogate */
		{ "g,n\nA,\xE2\x82", "t.csv:2:3: invalid UTF-8 (byte 0xE2)" },     /* cut at the end */
	};
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = open_text(bad[i].text, NULL, &err);
		rc = c == NULL ? err.code : aud_csv_next(c, &err);
		CHECK_INT_EQ(rc, AUD_EPARSE);
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
			aud_test_fail(__FILE__, __LINE__, "case %zu: '%s', want '%s...'", i,
			    err.msg, bad[i].msg);
		CHECK(strstr(err.msg, "--encoding latin1 or cp1252") != NULL);
		aud_csv_free(c);
	}
	/* valid 2-, 3- and 4-byte sequences pass, quoted or not */
	c = open_text("g,n\n\xC3\xA9,\"\xE2\x82\xAC \xF0\x9F\x98\x80\"\n", NULL, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "\xC3\xA9"));
	aud_csv_free(c);
}

void
test_csv__latin1_and_cp1252_are_transcoded(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_csv *c;
	char hex[65];

	o.encoding = AUD_CSV_LATIN1;
	c = open_text("g,n\nFran\xE7oise,\x80\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "Fran\xC3\xA7oise"));
	CHECK(field_is(c, 1, "\xC2\x80"));    /* Latin-1 0x80 is U+0080 */
	/* the hash is of the input's bytes (sha256sum of the Latin-1 text) */
	CHECK_INT_EQ(aud_csv_sha256(c, hex, &err), 0);
	CHECK_STR_EQ(hex, "c7dbb244fc1a6b239e03573331942cbbceb045245518fe2df6c506e05ff10b9b");
	aud_csv_free(c);
	o.encoding = AUD_CSV_CP1252;
	c = open_text("g,n\n\x80,\x93x\x94\x81\n", &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "\xE2\x82\xAC"));                       /* euro sign */
	CHECK(field_is(c, 1, "\xE2\x80\x9Cx\xE2\x80\x9D\xC2\x81"));  /* curly quotes, C1 */
	aud_csv_free(c);
}

/* ---- linear scanning ---- */

struct feeder {
	int fd;
	const char *data;
	size_t len, chunk;
};

static void *
feed(void *arg)
{
	struct feeder *f = arg;
	size_t off = 0;

	while (off < f->len) {
		size_t n = f->len - off < f->chunk ? f->len - off : f->chunk;
		ssize_t w = write(f->fd, f->data + off, n);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

/* Read `text` through a pipe fed in small writes; return the bytes scanned. */
static uint64_t
scanned_through_pipe(const char *text, size_t len, size_t read_max, int *nrecords)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = NULL;
	struct feeder f;
	pthread_t th;
	int fds[2], rc;
	char path[64];
	uint64_t scanned = 0;

	*nrecords = -1;
	if (pipe(fds) != 0)
		return UINT64_MAX;
	f.fd = fds[1];
	f.data = text;
	f.len = len;
	f.chunk = 4096;
	if (pthread_create(&th, NULL, feed, &f) != 0) {
		close(fds[0]);
		close(fds[1]);
		return UINT64_MAX;
	}
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	rc = aud_csv_open(&c, path, NULL, &err);
	CHECK_INT_EQ(rc, 0);
	if (rc == 0) {
		aud__csv_set_read_max(c, read_max);
		*nrecords = 0;
		while ((rc = aud_csv_next(c, &err)) == 1)
			(*nrecords)++;
		CHECK_INT_EQ(rc, 0);
		scanned = aud__csv_scanned(c);
	}
	aud_csv_free(c);
	close(fds[0]);
	pthread_join(th, NULL);
	return scanned;
}

void
test_csv__long_record_through_a_pipe_is_scanned_once(void)
{
	size_t big = (size_t)4 << 20, len, i;
	char *text = malloc(2 * big + big / 256 + 64);  /* room for the doubled quotes */
	uint64_t scanned;
	int n;

	CHECK(text != NULL);
	if (text == NULL)
		return;
	/* an unquoted 4 MiB field, then a quoted one with doubled quotes and newlines */
	len = (size_t)sprintf(text, "a,b\n1,");
	for (i = 0; i < big; i++)
		text[len++] = (char)('a' + i % 26);
	len += (size_t)sprintf(text + len, "\n2,\"");
	for (i = 0; i < big; i++)
		text[len++] = i % 1000 == 999 ? '\n' : i % 777 == 776 ? '"' : 'x';
	/* every '"' above must be doubled: it was placed alone, so add its twin */
	{
		char *q = text + len - big, *w;
		size_t nq = 0;

		for (i = 0; i < big; i++)
			nq += q[i] == '"';
		memmove(q + nq, q, big);
		w = q;
		for (i = 0; i < big; i++) {
			char ch = q[nq + i];

			*w++ = ch;
			if (ch == '"')
				*w++ = '"';
		}
		len += nq;
	}
	len += (size_t)sprintf(text + len, "\"\n");
	/* reads of at most 1000 bytes: the old reader scanned each record again per read */
	scanned = scanned_through_pipe(text, len, 1000, &n);
	CHECK_INT_EQ(n, 2);
	if (scanned > 2 * (uint64_t)len)
		aud_test_fail(__FILE__, __LINE__, "scanned %llu bytes of %zu input bytes",
		    (unsigned long long)scanned, len);
	CHECK(scanned >= (uint64_t)len / 2);
	free(text);
}

void
test_csv__reads_of_one_byte(void)
{
	/* 3- and 4-byte sequences, a quoted field and CRLF, cut by every read */
	static const char text[] = "g,n\r\n\xE2\x82\xAC,\"\xF0\x9F\x98\x80\"\"x\"\r\nab,c\r\n";
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = NULL;

	CHECK_INT_EQ(aud__csv_open_mem_reads(&c, "t.csv", text, sizeof(text) - 1, 1, NULL,
	    &err), 0);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "\xE2\x82\xAC"));
	CHECK(field_is(c, 1, "\xF0\x9F\x98\x80\"x"));
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	CHECK(field_is(c, 0, "ab"));
	CHECK(field_is(c, 1, "c"));
	CHECK_INT_EQ(aud_csv_line(c), 3);
	CHECK_INT_EQ(aud_csv_next(c, &err), 0);
	CHECK(aud__csv_scanned(c) <= 2 * (sizeof(text) - 1));
	aud_csv_free(c);
	/* an invalid byte cut by reads is still found at its place */
	CHECK_INT_EQ(aud__csv_open_mem_reads(&c, "t.csv", "g,n\nx,\xE2\x82q\n", 11, 1, NULL,
	    &err), 0);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), AUD_EPARSE);
	CHECK(strncmp(err.msg, "t.csv:2:3: invalid UTF-8 (byte 0xE2)", 36) == 0);
	aud_csv_free(c);
}

void
test_csv__record_just_over_the_limit(void)
{
	/* 1.4 MiB with a 1 MiB limit: the buffer had room, the record is still refused */
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	size_t n = (size_t)(1.4 * (1 << 20)), i;
	char *text = malloc(n + 16);
	struct aud_csv *c = NULL;

	if (text == NULL)
		return;
	memcpy(text, "a\n", 2);
	for (i = 2; i < n + 2; i++)
		text[i] = 'x';
	text[n + 2] = '\n';
	o.max_record = 1u << 20;
	CHECK_INT_EQ(aud__csv_open_mem_reads(&c, "big.csv", text, n + 3, 65536, &o, &err), 0);
	if (c != NULL) {
		CHECK_INT_EQ(aud_csv_next(c, &err), AUD_EPARSE);
		CHECK_STR_EQ(err.msg, "big.csv:2:1: record longer than 1048576 bytes");
		aud_csv_free(c);
	}
	free(text);
}

void
test_csv__na_tokens_long_and_alike(void)
{
	/* a 70-byte token (beyond the 63 lengths told apart exactly) and tokens
	 * sharing first or last bytes with fields that are not missing */
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	char tok[71], spec[100], text[400];
	struct aud_csv *c;
	size_t i;

	memset(tok, 'x', 70);
	tok[70] = '\0';
	snprintf(spec, sizeof(spec), "%s,ab,xyz", tok);
	o.na = spec;
	/* fields: the token, it minus one byte, it plus one, ab, aab, abb, xyz, xz */
	snprintf(text, sizeof(text), "a,b,c,d,e,f,g,h\n%s,%.69s,%sx,ab,aab,abb,xyz,xz\n", tok, tok,
	    tok);
	c = open_text(text, &o, &err);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_INT_EQ(aud_csv_next(c, &err), 1);
	for (i = 0; i < 8; i++) {
		int want = i == 0 || i == 3 || i == 6;

		if (aud_csv_is_na(c, i) != want)
			aud_test_fail(__FILE__, __LINE__, "field %zu: missing %d, wanted %d", i,
			    aud_csv_is_na(c, i), want);
	}
	aud_csv_free(c);
}
