/*
 * test_rowexpr.c — the row expressions of audit-slice --slice: every
 * operator, precedence, quoting and backquotes, numeric against text
 * comparison, missing values, the canonical text and every error message.
 * The rows each expression selects are worked out by hand from the five
 * rows of DATA below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/rowexpr.h>

#include "runner.h"

/*
 * row 1: age 25, Paris, a hashtag in the middle
 * row 2: age 40, Lyon, `weird name` missing (NA)
 * row 3: age missing, Paris, text starting with '#'
 * row 4: age not a number, Nice, text with quotes
 * row 5: age 30 written 3e1, lowercase paris, a backslash
 */
static const char DATA[] =
	"id,age,city,text,weird name\n"
	"1,25,Paris,hello #world,x\n"
	"2,40,Lyon,plain,NA\n"
	"3,,Paris,#start,y\n"
	"4,abc,Nice,\"say \"\"hi\"\"\",z\n"
	"5,3e1,paris,back\\slash,w\n";

/* "10100": which of the five rows are in the slice of `text`. */
static void
selects(const char *text, const char *want, int line)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rowexpr *e = NULL;
	struct aud_csv *csv = NULL;
	char got[8];
	size_t n = 0;

	if (aud_rowexpr_parse(&e, text, &err) < 0) {
		aud_test_fail(__FILE__, line, "parse '%s': %s", text, err.msg);
		return;
	}
	if (aud_csv_open_mem(&csv, "data.csv", DATA, sizeof(DATA) - 1, NULL, &err) < 0 ||
	    aud_rowexpr_bind(e, csv, &err) < 0) {
		aud_test_fail(__FILE__, line, "'%s': %s", text, err.msg);
		goto done;
	}
	while (n < 7 && aud_csv_next(csv, &err) == 1)
		got[n++] = aud_rowexpr_eval(e, csv) ? '1' : '0';
	got[n] = '\0';
	if (strcmp(got, want) != 0)
		aud_test_fail(__FILE__, line, "'%s' selects %s, expected %s", text, got, want);
done:
	aud_csv_free(csv);
	aud_rowexpr_free(e);
}
#define SELECTS(text, want) selects(text, want, __LINE__)

void
test_rowexpr__numeric(void)
{
	/* a missing field (row 3) or one that is no number (row 4) is in no comparison */
	SELECTS("age > 30", "01000");
	SELECTS("age >= 30", "01001");
	SELECTS("age < 30", "10000");
	SELECTS("age <= 25", "10000");
	SELECTS("age == 30", "00001");
	SELECTS("age == 3e1", "00001");
	SELECTS("age == 30.0", "00001");
	SELECTS("age != 40", "10001");
	SELECTS("age > -1e3", "11001");
	SELECTS("id == +2", "01000");
	SELECTS("id < .5e1", "11110");
	SELECTS("city == 1", "00000");
	SELECTS("city != 1", "00000");
}

void
test_rowexpr__text(void)
{
	SELECTS("city == \"Paris\"", "10100");
	SELECTS("city != \"Paris\"", "01011");
	/* byte order: 'L' < 'M' < 'N' < 'P' < 'p' */
	SELECTS("city < \"M\"", "01000");
	SELECTS("city <= \"Nice\"", "01010");
	SELECTS("city > \"Nice\"", "10101");
	SELECTS("city >= \"Paris\"", "10101");
	/* a number's text compares as bytes: "3e1" is not "30" */
	SELECTS("age == \"3e1\"", "00001");
	SELECTS("age == \"30\"", "00000");
	SELECTS("age != \"25\"", "01011");
	SELECTS("text contains \"#\"", "10100");
	SELECTS("text startswith \"#\"", "00100");
	SELECTS("text startswith \"\"", "11111");
	SELECTS("text contains \"\\\"hi\\\"\"", "00010");
	SELECTS("text contains \"\\\\\"", "00001");
	SELECTS("text contains \"hello #world!\"", "00000");
	SELECTS("city in (\"Lyon\", \"Nice\")", "01010");
	/* in: numbers compare as numbers, texts as bytes, any one suffices */
	SELECTS("age in (25, 40, \"abc\")", "11010");
	SELECTS("age in (30)", "00001");
	SELECTS("age in (\"30\")", "00000");
}

void
test_rowexpr__missing(void)
{
	SELECTS("`weird name` is missing", "01000");
	SELECTS("`weird name` is not missing", "10111");
	SELECTS("age is missing", "00100");
	SELECTS("age is missing || age > 30", "01100");
	/* a missing field is in no text comparison either */
	SELECTS("`weird name` != \"x\"", "00111");
	SELECTS("`weird name` contains \"\"", "10111");
	SELECTS("!(`weird name` == \"x\")", "01111");
}

void
test_rowexpr__logic(void)
{
	/* && binds tighter than || */
	SELECTS("city == \"Paris\" || city == \"Lyon\" && age > 30", "11100");
	SELECTS("(city == \"Paris\" || city == \"Lyon\") && age > 30", "01000");
	SELECTS("age > 30 && city == \"Lyon\" || text startswith \"#\"", "01100");
	/* ! applies to the next comparison or parenthesis */
	SELECTS("!city == \"Paris\"", "01011");
	SELECTS("!city == \"Paris\" && id > 2", "00011");
	SELECTS("!(city == \"Paris\" && id > 2)", "11011");
	SELECTS("!!(city == \"Paris\")", "10100");
	SELECTS("!(age > 30)", "10111");
	SELECTS("id >= 2 && id <= 4 && !(id == 3)", "01010");
	SELECTS("id == 1 || id == 2 || id == 5", "11001");
	SELECTS("((((id == 4))))", "00010");
	SELECTS("  id==4||id==1  ", "10010");
}

void
test_rowexpr__canonical(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "  age>30&&city==\"Paris\"", "age > 30 && city == \"Paris\"" },
		{ "(a==1||b==2)&&c==3", "(a == 1 || b == 2) && c == 3" },
		{ "a==1||(b==2&&c==3)", "a == 1 || b == 2 && c == 3" },
		{ "a == 1 && (b == 2 && c == 3)", "a == 1 && (b == 2 && c == 3)" },
		{ "a==1||(b==2||c==3)", "a == 1 || (b == 2 || c == 3)" },
		{ "`weird name` is not missing", "`weird name` is not missing" },
		{ "`x` is   missing", "x is missing" },
		{ "`in` == 1", "`in` == 1" },
		{ "`2x` == 1", "`2x` == 1" },
		{ "a.b_c == 1", "a.b_c == 1" },
		{ "x in (1,\"a\\\"b\" ,  2.50)", "x in (1, \"a\\\"b\", 2.5)" },
		{ "!!a==1", "!!(a == 1)" },
		{ "!(a==1&&b==2)", "!(a == 1 && b == 2)" },
		{ "a == -2e3", "a == -2000" },
		{ "a >= .5", "a >= 0.5" },
		{ "t contains \"\\\\\"", "t contains \"\\\\\"" },
		{ "t startswith\"#\"", "t startswith \"#\"" },
		{ "a<=1", "a <= 1" }, { "a<1", "a < 1" }, { "a>1", "a > 1" },
		{ "a!=1", "a != 1" },
	};
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rowexpr *e, *again;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = again = NULL;
		CHECK_INT_EQ(aud_rowexpr_parse(&e, cases[i].in, &err), 0);
		if (e == NULL)
			continue;
		CHECK_STR_EQ(aud_rowexpr_text(e), cases[i].out);
		/* the canonical text parses back to itself */
		CHECK_INT_EQ(aud_rowexpr_parse(&again, aud_rowexpr_text(e), &err), 0);
		if (again != NULL)
			CHECK_STR_EQ(aud_rowexpr_text(again), cases[i].out);
		aud_rowexpr_free(again);
		aud_rowexpr_free(e);
	}
}

void
test_rowexpr__columns(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rowexpr *e = NULL;

	CHECK_INT_EQ(aud_rowexpr_parse(&e, "b == 1 && `a x` == 2 || b == 3 && c is missing",
	    &err), 0);
	CHECK_INT_EQ(aud_rowexpr_ncolumns(e), 3);
	CHECK_STR_EQ(aud_rowexpr_column(e, 0), "b");
	CHECK_STR_EQ(aud_rowexpr_column(e, 1), "a x");
	CHECK_STR_EQ(aud_rowexpr_column(e, 2), "c");
	aud_rowexpr_free(e);
	aud_rowexpr_free(NULL);
}

void
test_rowexpr__bind(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rowexpr *e = NULL;
	struct aud_csv *csv = NULL;

	CHECK_INT_EQ(aud_rowexpr_parse(&e, "age > 1 && town == \"x\"", &err), 0);
	CHECK_INT_EQ(aud_csv_open_mem(&csv, "data.csv", DATA, sizeof(DATA) - 1, NULL, &err), 0);
	CHECK_INT_EQ(aud_rowexpr_bind(e, csv, &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "slice 'age > 1 && town == \"x\"': no column 'town' in data.csv");
	aud_csv_free(csv);
	aud_rowexpr_free(e);
}

void
test_rowexpr__errors(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "", "at column 1: empty expression" },
		{ "   ", "at column 4: empty expression" },
		{ "age >", "at column 6: expected a number or a \"quoted text\"" },
		{ "age > x", "at column 7: expected a number or a \"quoted text\"" },
		{ "age = 3", "at column 5: expected an operator ('==' compares)" },
		{ "age", "at column 4: expected an operator (== != < <= > >= in contains "
		  "startswith is)" },
		{ "age == 3)", "at column 9: unbalanced ')'" },
		{ "(age == 3", "at column 10: expected ')'" },
		{ "text contains 3", "at column 15: expected a \"quoted text\"" },
		{ "text startswith x", "at column 17: expected a \"quoted text\"" },
		{ "text == \"abc", "at column 9: unterminated string" },
		{ "text == \"a\\nb\"", "at column 11: only \\\" and \\\\ are escapes in a string" },
		{ "`abc == 1", "at column 1: unterminated `column name`" },
		{ "`` == 1", "at column 1: empty `column name`" },
		{ "x in 1", "at column 6: expected '(' after 'in'" },
		{ "x in ()", "at column 7: expected a number or a \"quoted text\"" },
		{ "x in (1 2)", "at column 9: expected ',' or ')' in the list of 'in'" },
		{ "x in (1,", "at column 9: expected a number or a \"quoted text\"" },
		{ "x is nothing", "at column 6: expected 'missing'" },
		{ "x is not", "at column 9: expected 'missing'" },
		{ "x == 1 y == 2", "at column 8: expected '&&', '||' or the end" },
		{ "x == 1 & y == 2", "at column 8: expected '&&', '||' or the end" },
		{ "x == 1 &&", "at column 10: expected a column name" },
		{ "== 1", "at column 1: expected a column name" },
		{ "!", "at column 2: expected a column name" },
		{ "()", "at column 2: expected a column name" },
		{ "x == 1e", "at column 7: expected the digits of an exponent" },
		{ "x == 12abc", "at column 8: expected a blank or an operator after a number" },
		{ "x == -", "at column 6: expected a number or a \"quoted text\"" },
		{ "x == 1e999", "at column 6: number out of range" },
	};
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rowexpr *e;
	char want[300], deep[400];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = (struct aud_rowexpr *)&err;
		CHECK_INT_EQ(aud_rowexpr_parse(&e, bad[i].text, &err), AUD_EINVAL);
		CHECK(e == NULL);
		snprintf(want, sizeof(want), "bad slice expression '%s' %s", bad[i].text, bad[i].msg);
		CHECK_STR_EQ(err.msg, want);
	}
	/* nesting: 100 levels parse, 101 do not */
	memset(deep, '(', 100);
	strcpy(deep + 100, "a == 1");
	memset(deep + 106, ')', 100);
	deep[206] = '\0';
	CHECK_INT_EQ(aud_rowexpr_parse(&e, deep, &err), 0);
	aud_rowexpr_free(e);
	memset(deep, '(', 101);
	strcpy(deep + 101, "a == 1");
	memset(deep + 107, ')', 101);
	deep[208] = '\0';
	CHECK_INT_EQ(aud_rowexpr_parse(&e, deep, &err), AUD_EINVAL);
	CHECK(strstr(err.msg, "at column 101: nested too deeply") != NULL);
}
