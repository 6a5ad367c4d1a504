/* test_csvopt.c — the shared CSV input options: values and refusals. */
#include <string.h>

#include <audit/csvopt.h>

#include "runner.h"

void
test_csvopt__separator(void)
{
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', ";", &err), 0);
	CHECK_INT_EQ(o.sep, ';');
	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', "\\t", &err), 0);
	CHECK_INT_EQ(o.sep, '\t');
	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', " ", &err), 0);
	CHECK_INT_EQ(o.sep, ' ');
	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', "\n", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "-d: '\\n' cannot separate fields: it ends a line");
	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', "\r", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "-d: '\\r' cannot separate fields: it ends a line");
	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', "\"", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "-d: '\"' cannot separate fields: it is the quote character");
	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', "ab", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "-d: expected one character, got 'ab'");
	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', "a\nb\x01", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "-d: expected one character, got 'a\\nb\\x01'");
	CHECK_INT_EQ(aud_csvopt_set(&o, 'd', "", &err), AUD_EINVAL);
	/* refused values leave the last good one */
	CHECK_INT_EQ(o.sep, ' ');
}

void
test_csvopt__flags_names_encoding_skip(void)
{
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_NA, "x,y", &err), 0);
	CHECK_STR_EQ(o.na, "x,y");
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_NO_HEADER, NULL, &err), 0);
	CHECK_INT_EQ(o.no_header, 1);
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_NO_TRIM, NULL, &err), 0);
	CHECK_INT_EQ(o.trim, AUD_CSV_TRIM_NEVER);
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_NAMES, "a,b,c", &err), 0);
	CHECK_STR_EQ(o.names, "a,b,c");
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_NAMES, "a,,c", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--names: name 2 is empty");
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_NAMES, "", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--names: name 1 is empty");
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_ENCODING, "latin1", &err), 0);
	CHECK_INT_EQ(o.encoding, AUD_CSV_LATIN1);
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_ENCODING, "cp1252", &err), 0);
	CHECK_INT_EQ(o.encoding, AUD_CSV_CP1252);
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_ENCODING, "utf-8", &err), 0);
	CHECK_INT_EQ(o.encoding, AUD_CSV_UTF8);
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_ENCODING, "ebcdic", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--encoding: expected utf-8, latin1 or cp1252, got 'ebcdic'");
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_SKIP_LINES, "1", &err), 0);
	CHECK_INT_EQ(o.skip_lines, 1);
	CHECK_INT_EQ(aud_csvopt_set(&o, AUD_CSVOPT_SKIP_LINES, "-1", &err), AUD_EINVAL);
	/* not a CSV option */
	CHECK_INT_EQ(aud_csvopt_set(&o, 'q', NULL, &err), 1);
}
