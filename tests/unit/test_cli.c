/* test_cli.c — number parsing, formats, atomic output, exit codes, time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <audit/cli.h>

#include "runner.h"

void
test_cli__parse_long(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	long v = 0;

	CHECK_INT_EQ(aud_parse_long(&v, "42", 0, 100, "--rows", &err), 0);
	CHECK_INT_EQ(v, 42);
	CHECK_INT_EQ(aud_parse_long(&v, "-3", -5, 5, "--n", &err), 0);
	CHECK_INT_EQ(v, -3);
	CHECK_INT_EQ(aud_parse_long(&v, "12x", 0, 100, "--rows", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--rows: '12x' is not a whole number");
	CHECK_INT_EQ(aud_parse_long(&v, "101", 0, 100, "--rows", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--rows: 101 is out of range [0, 100]");
	CHECK_INT_EQ(aud_parse_long(&v, "", 0, 100, "--rows", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_parse_long(&v, "99999999999999999999", 0, 100, "--rows", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_parse_long(&v, " 5", 0, 100, "--rows", &err), AUD_EINVAL);
}

void
test_cli__parse_double_and_seed(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	double d = 0;
	uint64_t s = 0;

	CHECK_INT_EQ(aud_parse_double(&d, "0.95", 0, 1, "--ci", &err), 0);
	CHECK_DBL_EQ(d, 0.95);
	CHECK_INT_EQ(aud_parse_double(&d, "1.5", 0, 1, "--ci", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--ci: 1.5 is out of range [0, 1]");
	CHECK_INT_EQ(aud_parse_double(&d, "0,5", 0, 1, "--ci", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--ci: '0,5' is not a number");
	CHECK_INT_EQ(aud_parse_double(&d, "nan", 0, 1, "--ci", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_parse_seed(&s, "18446744073709551615", &err), 0);
	CHECK(s == UINT64_MAX);
	CHECK_INT_EQ(aud_parse_seed(&s, "-1", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_parse_seed(&s, "18446744073709551616", &err), AUD_EINVAL);
}

void
test_cli__formats(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	enum aud_format f;

	CHECK_INT_EQ(aud_parse_format(&f, "md", &err), 0);
	CHECK_INT_EQ(f, AUD_FORMAT_MD);
	CHECK_INT_EQ(aud_parse_format(&f, "xml", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "--format: 'xml' is not one of json, table, csv, md");
	/* writing to a file is never a terminal */
	CHECK_INT_EQ(aud_default_format("out.json"), AUD_FORMAT_JSON);
}

void
test_cli__exit_codes(void)
{
	CHECK_INT_EQ(aud_cli_exit_code(AUD_OK), 0);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_EINVAL), 2);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_EPARSE), 3);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_EIO), 3);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_ENOTFOUND), 3);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_EUNSUPPORTED), 3);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_EMODEL), 4);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_EOUTPUT), 5);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_ENOMEM), 6);
	CHECK_INT_EQ(aud_cli_exit_code(AUD_ENUMERIC), 6);
}

void
test_cli__time_from_source_date_epoch(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	time_t t = 0;
	char buf[21];

	CHECK_INT_EQ(aud_cli_time(&t, "1767225600", &err), 0);
	aud_format_time(buf, t);
	CHECK_STR_EQ(buf, "2026-01-01T00:00:00Z");
	CHECK_INT_EQ(aud_cli_time(&t, "soon", &err), AUD_EINVAL);
	CHECK_INT_EQ(aud_cli_time(&t, NULL, &err), 0);
	CHECK(t > 1700000000);
}

void
test_cli__atomic_output(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_output *o = NULL;
	char dir[] = "/tmp/aud-test-XXXXXX", path[128], cmd[160];
	struct stat st;
	FILE *f;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/out.json", dir);
	/* a discarded output leaves nothing behind */
	CHECK_INT_EQ(aud_output_open(&o, path, &err), 0);
	fputs("partial", aud_output_stream(o));
	aud_output_free(o);
	CHECK(stat(path, &st) != 0);
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s)\"", dir);
	CHECK_INT_EQ(system(cmd), 0);
	/* a committed one is there, whole */
	CHECK_INT_EQ(aud_output_open(&o, path, &err), 0);
	fputs("whole\n", aud_output_stream(o));
	CHECK_INT_EQ(aud_output_commit(o, &err), 0);
	aud_output_free(o);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f != NULL) {
		char line[16] = "";

		CHECK(fgets(line, sizeof(line), f) != NULL);
		CHECK_STR_EQ(line, "whole\n");
		fclose(f);
	}
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0444) != 0);
	unlink(path);
	/* a folder that does not exist */
	snprintf(path, sizeof(path), "%s/no/such/out.json", dir);
	CHECK_INT_EQ(aud_output_open(&o, path, &err), AUD_EOUTPUT);
	CHECK(strstr(err.msg, "cannot write '") == err.msg);
	rmdir(dir);
	/* a device is written in place, never replaced by a regular file */
	CHECK_INT_EQ(aud_output_open(&o, "/dev/null", &err), 0);
	fputs("x", aud_output_stream(o));
	CHECK_INT_EQ(aud_output_commit(o, &err), 0);
	aud_output_free(o);
	CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
	/* a folder */
	CHECK_INT_EQ(aud_output_open(&o, "/tmp", &err), AUD_EOUTPUT);
	CHECK_STR_EQ(err.msg, "cannot write '/tmp': Is a directory");
}
