/* test_modelcmd.c — models served by an external command (modelcmd.h). */
#include <audit/modelcmd.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <audit/batch.h>
#include <audit/csv.h>
#include <audit/model.h>

#include "runner.h"

/* A batch with numeric columns x, y and a categorical column c (n rows):
 * x = i + 1, y = 0.25 * i - 1, c = "a"/"b"/"c" in turn. */
static struct aud_batch *
small_batch(size_t n)
{
	const char *names[] = { "x", "y", "c" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_NUMERIC, AUD_COL_CATEGORICAL };
	const char *cats[] = { "a", "b", "c" };
	struct aud_batch *b = NULL;
	size_t i;

	if (aud_batch_new(&b, 3, names, kinds, n, NULL) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		b->cols[0].num[i] = (double)i + 1;
		b->cols[1].num[i] = 0.25 * (double)i - 1;
		if (aud_dict_intern(&b->cols[2].code[i], b->cols[2].dict, cats[i % 3], 1, NULL) < 0) {
			aud_batch_free(b);
			return NULL;
		}
	}
	b->nrows = n;
	return b;
}

static struct aud_model *
cmd_model(const char *command, size_t batch_size)
{
	const char *cols[] = { "x", "y" };
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_error err = AUD_ERROR_INIT;

	o.batch_size = batch_size;
	if (aud_modelcmd_new(&m, command, 2, cols, NULL, &o, &err) < 0)
		aud_test_fail(__FILE__, __LINE__, "aud_modelcmd_new: %s", err.msg);
	return m;
}

/* Predict n rows of small_batch() with command; returns the code, err filled. */
static int
predict_small(const char *command, size_t n, size_t batch_size, double *score,
    struct aud_error *err)
{
	struct aud_model *m = cmd_model(command, batch_size);
	struct aud_batch *b = small_batch(n);
	int rc;

	if (m == NULL || b == NULL) {
		aud_model_free(m);
		aud_batch_free(b);
		return AUD_ENOMEM;
	}
	rc = aud_model_predict(m, b, score, NULL, err);
	aud_model_free(m);
	aud_batch_free(b);
	return rc;
}

static void
check_no_children(void)
{
	pid_t p = waitpid(-1, NULL, WNOHANG);

	CHECK(p == -1 && errno == ECHILD);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s != NULL)
		s[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return s;
}

/* ---- construction ---- */

void test_modelcmd__new_schema_and_defaults(void)
{
	const char *cols[] = { "age", "region" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_CATEGORICAL };
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_modelcmd_new(&m, "cat", 2, cols, kinds, NULL, &err), 0);
	CHECK(m != NULL);
	if (m == NULL)
		return;
	CHECK_INT_EQ(aud_model_nfeatures(m), 2);
	CHECK_STR_EQ(aud_model_feature(m, 0)->name, "age");
	CHECK_INT_EQ(aud_model_feature(m, 0)->kind, AUD_COL_NUMERIC);
	CHECK_STR_EQ(aud_model_feature(m, 1)->name, "region");
	CHECK_INT_EQ(aud_model_feature(m, 1)->kind, AUD_COL_CATEGORICAL);
	CHECK_INT_EQ(aud_model_find_feature(m, "region"), 1);
	CHECK_INT_EQ(aud_model_task(m), AUD_TASK_CLASSIFICATION);
	CHECK_STR_EQ(aud_model_positive(m), "1");
	CHECK_INT_EQ(aud_model_has_margin(m), 0);
	CHECK_STR_EQ(aud_model_describe(m), "command");
	aud_model_free(m);

	o.task = AUD_TASK_REGRESSION;
	CHECK_INT_EQ(aud_modelcmd_new(&m, "cat", 2, cols, kinds, &o, &err), 0);
	CHECK_INT_EQ(aud_model_task(m), AUD_TASK_REGRESSION);
	CHECK(aud_model_positive(m) == NULL);
	aud_model_free(m);

	o.task = AUD_TASK_CLASSIFICATION;
	o.positive = "yes";
	CHECK_INT_EQ(aud_modelcmd_new(&m, "cat", 2, cols, kinds, &o, &err), 0);
	CHECK_STR_EQ(aud_model_positive(m), "yes");
	aud_model_free(m);
}

void test_modelcmd__new_errors(void)
{
	const char *cols[] = { "a", "b", "a" };
	enum aud_col_kind bad[] = { AUD_COL_NUMERIC, AUD_COL_AUTO };
	struct aud_model *m = (struct aud_model *)&m;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_modelcmd_new(&m, "  ", 1, cols, NULL, NULL, &err), AUD_EINVAL);
	CHECK(m == NULL);
	CHECK_STR_EQ(err.msg, "the model command is empty");
	CHECK_INT_EQ(aud_modelcmd_new(&m, "cat", 0, cols, NULL, NULL, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "the model command needs at least one input column");
	CHECK_INT_EQ(aud_modelcmd_new(&m, "cat", 3, cols, NULL, NULL, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "column 'a' is given twice to the model command");
	CHECK_INT_EQ(aud_modelcmd_new(&m, "cat", 2, cols, bad, NULL, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "column 'b' of the model command must be numeric or categorical");
	CHECK(m == NULL);
}

void test_modelcmd__missing_feature_column(void)
{
	const char *cols[] = { "x", "income" };
	struct aud_model *m = NULL;
	struct aud_batch *b = small_batch(3);
	struct aud_error err = AUD_ERROR_INIT;
	double s[3];

	CHECK_INT_EQ(aud_modelcmd_new(&m, "cat", 2, cols, NULL, NULL, &err), 0);
	CHECK_INT_EQ(aud_model_predict(m, b, s, NULL, &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "the model's feature 'income' is not a column of the input");
	aud_model_free(m);
	aud_batch_free(b);
}

/* ---- scores ---- */

void test_modelcmd__known_function_without_header(void)
{
	/* x = i+1, y = 0.25i-1: 2x + y = 2.25i + 1 */
	double s[5], mg[5];
	struct aud_model *m = cmd_model("awk -F, 'NR > 1 { printf \"%.17g\\n\", 2 * $1 + $2 }'", 0);
	struct aud_batch *b = small_batch(5);
	struct aud_error err = AUD_ERROR_INIT;
	int i;

	CHECK_INT_EQ(aud_model_predict(m, b, s, mg, &err), 0);
	for (i = 0; i < 5; i++) {
		CHECK_DBL_EQ(s[i], 2.25 * i + 1);
		CHECK_DBL_EQ(mg[i], s[i]);
	}
	aud_model_free(m);
	aud_batch_free(b);
	check_no_children();
}

void test_modelcmd__known_function_with_header(void)
{
	/* a header line first, CRLF line ends, blanks around numbers */
	double s[4];
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(predict_small(
	    "awk -F, 'NR == 1 { printf \"score\\r\\n\"; next } { printf \" %g \\r\\n\", $1 * $2 }'",
	    4, 0, s, &err), 0);
	/* x*y = (i+1)(0.25i-1): -1, -1.5, -1.5, -1 */
	CHECK_DBL_EQ(s[0], -1);
	CHECK_DBL_EQ(s[1], -1.5);
	CHECK_DBL_EQ(s[2], -1.5);
	CHECK_DBL_EQ(s[3], -1);
}

void test_modelcmd__last_line_without_newline(void)
{
	double s[3];
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(predict_small("cat >/dev/null; printf '0.1\\n0.2\\n0.3'", 3, 0, s, &err), 0);
	CHECK_DBL_EQ(s[0], 0.1);
	CHECK_DBL_EQ(s[1], 0.2);
	CHECK_DBL_EQ(s[2], 0.3);
}

void test_modelcmd__input_text_categorical_quoting_missing(void)
{
	/* What the command receives, byte for byte; then read back as CSV. */
	const char *names[] = { "n", "cat", "we,ird \"name\"" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_CATEGORICAL, AUD_COL_NUMERIC };
	const char *vals[] = { "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rhere" };
	const char *want =
	    "n,cat,\"we,ird \"\"name\"\"\"\n"
	    "0.1,plain,1e-300\n"
	    "-3,\"a,b\",\n"
	    ",\"say \"\"hi\"\"\",1.2345678901234568e+20\n"
	    "0.30000000000000004,\"line\nbreak\",-0.5\n"
	    "1e+100,\"cr\rhere\",2\n"
	    "7,,3\n";
	char dir[] = "/tmp/modelcmd-test-XXXXXX", path[64], command[160];
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_batch *b = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *csv = NULL;
	double s[6];
	char *got = NULL;
	size_t len, i, flen;
	const char *f;
	int rc;

	if (mkdtemp(dir) == NULL) {
		aud_test_fail(__FILE__, __LINE__, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/in.csv", dir);
	snprintf(command, sizeof(command), "cat > '%s'; printf '1\\n2\\n3\\n4\\n5\\n6\\n'", path);
	CHECK_INT_EQ(aud_batch_new(&b, 3, names, kinds, 6, &err), 0);
	b->cols[0].num[0] = 0.1;
	b->cols[0].num[1] = -3;
	b->cols[0].num[2] = NAN;
	b->cols[0].num[3] = 0.1 + 0.2;
	b->cols[0].num[4] = 1e100;
	b->cols[0].num[5] = 7;
	b->cols[2].num[0] = 1e-300;
	b->cols[2].num[1] = NAN;
	b->cols[2].num[2] = 123456789012345678901.0;
	b->cols[2].num[3] = -0.5;
	b->cols[2].num[4] = 2;
	b->cols[2].num[5] = 3;
	for (i = 0; i < 5; i++)
		aud_dict_intern(&b->cols[1].code[i], b->cols[1].dict, vals[i], strlen(vals[i]), NULL);
	b->cols[1].code[5] = -1;
	b->nrows = 6;
	o.batch_size = 100;
	CHECK_INT_EQ(aud_modelcmd_new(&m, command, 3, names, kinds, &o, &err), 0);
	rc = aud_model_predict(m, b, s, NULL, &err);
	CHECK_INT_EQ(rc, 0);
	if (rc < 0)
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
	CHECK_DBL_EQ(s[5], 6);
	got = slurp(path, &len);
	CHECK(got != NULL);
	if (got == NULL)
		goto done;
	CHECK_STR_EQ(got, want);

	/* Round trip through the project's own CSV reader. */
	CHECK_INT_EQ(aud_csv_open_mem(&csv, "in.csv", got, len, NULL, &err), 0);
	if (csv == NULL)
		goto done;
	CHECK_INT_EQ(aud_csv_ncols(csv), 3);
	CHECK_STR_EQ(aud_csv_colname(csv, 2), "we,ird \"name\"");
	for (i = 0; i < 6; i++) {
		double v;

		CHECK_INT_EQ(aud_csv_next(csv, &err), 1);
		f = aud_csv_field(csv, 1, &flen);
		if (i < 5)
			CHECK(flen == strlen(vals[i]) && memcmp(f, vals[i], flen) == 0);
		else
			CHECK_INT_EQ(flen, 0);
		rc = aud_csv_number(&v, csv, 0, &err);
		if (isnan(b->cols[0].num[i]))
			CHECK_INT_EQ(rc, 0);
		else
			CHECK_DBL_EQ(v, b->cols[0].num[i]);
		rc = aud_csv_number(&v, csv, 2, &err);
		if (isnan(b->cols[2].num[i]))
			CHECK_INT_EQ(rc, 0);
		else
			CHECK_DBL_EQ(v, b->cols[2].num[i]);
	}
	CHECK_INT_EQ(aud_csv_next(csv, &err), 0);
done:
	aud_csv_free(csv);
	free(got);
	unlink(path);
	rmdir(dir);
	aud_model_free(m);
	aud_batch_free(b);
}

void test_modelcmd__numeric_column_for_categorical_feature(void)
{
	/* the feature is categorical, the batch column numeric: its text is sent */
	const char *names[] = { "x" };
	enum aud_col_kind cat[] = { AUD_COL_CATEGORICAL };
	struct aud_model *m = NULL;
	struct aud_batch *b = small_batch(3);
	struct aud_error err = AUD_ERROR_INIT;
	double s[3];

	CHECK_INT_EQ(aud_modelcmd_new(&m, "awk -F, 'NR > 1 { print $1 \"0\" }'", 1, names,
	    cat, NULL, &err), 0);
	CHECK_INT_EQ(aud_model_predict(m, b, s, NULL, &err), 0);
	CHECK_DBL_EQ(s[0], 10);
	CHECK_DBL_EQ(s[2], 30);
	aud_model_free(m);
	aud_batch_free(b);
}

void test_modelcmd__categorical_values_reach_the_command(void)
{
	/* score = position of c's value in "abc" (a=1, b=2, c=3) */
	const char *names[] = { "c" };
	enum aud_col_kind cat[] = { AUD_COL_CATEGORICAL };
	struct aud_model *m = NULL;
	struct aud_batch *b = small_batch(7);
	struct aud_error err = AUD_ERROR_INIT;
	double s[7];
	int i;

	CHECK_INT_EQ(aud_modelcmd_new(&m, "awk 'NR > 1 { print index(\"abc\", $0) }'", 1,
	    names, cat, NULL, &err), 0);
	CHECK_INT_EQ(aud_model_predict(m, b, s, NULL, &err), 0);
	for (i = 0; i < 7; i++)
		CHECK_DBL_EQ(s[i], i % 3 + 1);
	aud_model_free(m);
	aud_batch_free(b);
}

void test_modelcmd__batches_equal_one_batch(void)
{
	/* 10 rows in blocks of 3 (4 invocations) and in one block: same scores,
	 * and every invocation gets its own header. */
	char dir[] = "/tmp/modelcmd-test-XXXXXX", path[64], command[256];
	double one[10], many[10];
	struct aud_error err = AUD_ERROR_INIT;
	char *log = NULL;
	size_t len, i;
	int rc;

	if (mkdtemp(dir) == NULL) {
		aud_test_fail(__FILE__, __LINE__, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/log", dir);
	snprintf(command, sizeof(command),
	    "awk -F, 'NR == 1 { print $0 >> \"%s\"; print \"p\"; next } { printf \"%%.17g\\n\", $1 * 1000 + $2 }'",
	    path);
	rc = predict_small(command, 10, 0, one, &err);
	CHECK_INT_EQ(rc, 0);
	rc = predict_small(command, 10, 3, many, &err);
	CHECK_INT_EQ(rc, 0);
	for (i = 0; i < 10; i++) {
		CHECK_DBL_EQ(one[i], ((double)i + 1) * 1000 + 0.25 * (double)i - 1);
		CHECK_DBL_EQ(many[i], one[i]);
	}
	log = slurp(path, &len);
	CHECK_STR_EQ(log, "x,y\nx,y\nx,y\nx,y\nx,y\n");
	free(log);
	unlink(path);
	rmdir(dir);
	check_no_children();
}

/* ---- a million rows through the pipe ---- */

static void
million(const char *command)
{
	const char *names[] = { "v" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC };
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_batch *b = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	size_t n = 1000000, i, bad = 0;
	double *s = NULL;
	int rc;

	o.batch_size = n;  /* one invocation */
	s = malloc(n * sizeof(*s));
	CHECK_INT_EQ(aud_batch_new(&b, 1, names, kinds, n, &err), 0);
	CHECK_INT_EQ(aud_modelcmd_new(&m, command, 1, names, kinds, &o, &err), 0);
	if (s == NULL || b == NULL || m == NULL)
		goto done;
	for (i = 0; i < n; i++)
		b->cols[0].num[i] = (double)i;
	b->nrows = n;
	rc = aud_model_predict(m, b, s, NULL, &err);
	CHECK_INT_EQ(rc, 0);
	if (rc < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto done;
	}
	for (i = 0; i < n; i++)
		if (s[i] != 3.0 * (double)i)
			bad++;
	CHECK_INT_EQ(bad, 0);
done:
	free(s);
	aud_model_free(m);
	aud_batch_free(b);
	check_no_children();
}

void test_modelcmd__million_rows_streaming(void)
{
	/* writes scores as it reads rows (awk flushes every 4 KiB or so): its 7 MB
	 * of output fill the stdout pipe long before its input ends */
	million("awk 'NR > 1 { print $1 * 3 }'");
}

void test_modelcmd__million_rows_read_all_first(void)
{
	/* reads every row before it writes a score */
	million("awk 'NR > 1 { v[NR] = $1 } END { for (i = 2; i <= NR; i++) print v[i] * 3 }'");
}

/* ---- failures ---- */

static void
check_fails(const char *command, size_t n, const char *want1, const char *want2)
{
	struct aud_error err = AUD_ERROR_INIT;
	double *s = malloc(n * sizeof(*s));
	int rc;

	rc = predict_small(command, n, 0, s, &err);
	CHECK_INT_EQ(rc, AUD_EMODEL);
	if (strstr(err.msg, want1) == NULL)
		aud_test_fail(__FILE__, __LINE__, "message '%s' lacks '%s'", err.msg, want1);
	if (want2 != NULL && strstr(err.msg, want2) == NULL)
		aud_test_fail(__FILE__, __LINE__, "message '%s' lacks '%s'", err.msg, want2);
	free(s);
	check_no_children();
}

void test_modelcmd__fail_exit_status_with_stderr(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	double s[5];

	CHECK_INT_EQ(predict_small(
	    "cat >/dev/null; echo 'loading model.pkl' >&2; echo 'error: model.pkl is corrupt' >&2; exit 3",
	    5, 0, s, &err), AUD_EMODEL);
	CHECK_STR_EQ(err.msg, "model command 'cat >/dev/null; echo 'loading model.pkl' >&2; echo 'error: m...' "
	    "exited with status 3; stderr: loading model.pkl | error: model.pkl is corrupt");
	check_no_children();
}

void test_modelcmd__fail_stderr_tail_is_bounded(void)
{
	/* 100 lines of stderr: the message keeps the last three */
	check_fails("cat >/dev/null; i=0; while [ $i -lt 100 ]; do echo \"noise $i\" >&2; i=$((i+1)); done; exit 1",
	    5, "exited with status 1; stderr: noise 97 | noise 98 | noise 99", NULL);
	/* one long line: its last 240 bytes */
	check_fails("cat >/dev/null; awk 'BEGIN { for (i = 0; i < 100; i++) printf \"%08d\", i; print \"\" }' >&2; exit 2",
	    5, "stderr: ...00000070000000710000007200000073", "00000099");
}

void test_modelcmd__fail_signal(void)
{
	check_fails("cat >/dev/null; kill -KILL $$", 5, "was killed by signal 9 (SIGKILL)", NULL);
	check_fails("echo 'about to crash' >&2; kill -SEGV $$", 5,
	    "was killed by signal 11 (SIGSEGV); stderr: about to crash", NULL);
}

void test_modelcmd__fail_too_few(void)
{
	/* 5 rows: NR 2..6; NR > 2 gives 4 scores */
	check_fails("awk 'NR > 2 { print 1 }'", 5, "printed 4 scores for 5 rows", NULL);
	check_fails("awk 'NR == 1 { print \"score\" } NR > 2 { print 1 }'", 5,
	    "printed 4 scores for 5 rows (its first line 'score' was taken as a header)", NULL);
	check_fails("cat >/dev/null; echo prob", 5,
	    "printed 0 scores for 5 rows (its first line 'prob' was taken as a header)", NULL);
}

void test_modelcmd__fail_too_many(void)
{
	/* a score for the header line too: 6 numbers for 5 rows */
	check_fails("awk '{ print 1 }'", 5, "printed more than 5 scores for 5 rows", NULL);
	/* never stops printing */
	check_fails("yes 0.5", 5, "printed more than 5 scores for 5 rows", NULL);
}

void test_modelcmd__fail_not_a_number(void)
{
	check_fails("awk 'NR > 1 { print (NR == 4 ? \"oops\" : 0.5) }'", 5,
	    "model command 'awk 'NR > 1 { print (NR == 4 ? \"oops\" : 0.5) }'': output line 3: 'oops' is not a number",
	    NULL);
	check_fails("awk 'NR > 1 { print (NR == 3 ? \"\" : 0.5) }'", 5,
	    "output line 2: '' is empty where a score was expected", NULL);
	check_fails("awk 'NR > 1 { print (NR == 3 ? \"1e999\" : 0.5) }'", 5,
	    "output line 2: '1e999' is not a number", NULL);
	check_fails("awk -F, 'NR > 1 { print $1 \",\" $2 }'", 5,
	    "output line 2: '2,-0.75' is not a number", NULL);
	check_fails("awk 'NR > 1 { print 0.5 } END { print \"Warning: done\" }'", 5,
	    "output line 6: 'Warning: done' is not a number", NULL);
}

void test_modelcmd__fail_output_line_too_long(void)
{
	check_fails("cat >/dev/null; head -c 2000000 /dev/zero | tr '\\0' x", 5,
	    "output line 1 is longer than 1048576 bytes", NULL);
}

void test_modelcmd__fail_nothing(void)
{
	check_fails("cat >/dev/null", 5, "printed nothing for 5 rows", NULL);
	check_fails("cat >/dev/null; echo 'no model loaded' >&2", 5,
	    "printed nothing for 5 rows; stderr: no model loaded", NULL);
}

void test_modelcmd__fail_command_not_found(void)
{
	check_fails("no-such-model-command-xyz --serve", 5,
	    "exited with status 127 (command not found); stderr: ", "no-such-model-command-xyz");
	check_fails("/dev/null", 5, "exited with status 126 (command not executable)", NULL);
}

void test_modelcmd__fail_garbage_then_hang(void)
{
	/* after garbage the command is not waited for forever */
	check_fails("echo score; echo oops; exec sleep 30", 5,
	    "output line 2: 'oops' is not a number", NULL);
}

void test_modelcmd__fail_unread_input_is_not_a_crash(void)
{
	/* The command reads one line and answers without the rest: our writes
	 * meet EPIPE. SIGPIPE must neither kill us nor stay pending. */
	const char *names[] = { "a", "b", "c" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_NUMERIC, AUD_COL_NUMERIC };
	struct aud_model *m = NULL;
	struct aud_batch *b = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	size_t n = 100000, i;
	double *s = malloc(n * sizeof(*s));
	sigset_t pending, mask;

	CHECK_INT_EQ(aud_batch_new(&b, 3, names, kinds, n, &err), 0);
	for (i = 0; i < n; i++) {
		b->cols[0].num[i] = 1.0 / ((double)i + 3);
		b->cols[1].num[i] = sqrt((double)i + 0.5);
		b->cols[2].num[i] = -1.0 / 7 * (double)i;
	}
	b->nrows = n;
	CHECK_INT_EQ(aud_modelcmd_new(&m,
	    "head -n 1 >/dev/null; awk 'BEGIN { for (i = 0; i < 100000; i++) print 0.5 }'",
	    3, names, kinds, NULL, &err), 0);
	CHECK_INT_EQ(aud_model_predict(m, b, s, NULL, &err), AUD_EMODEL);
	CHECK_STR_EQ(err.msg, "model command 'head -n 1 >/dev/null; awk 'BEGIN { for (i = 0; i < 100000; i...' "
	    "exited without reading all its input (100000 rows)");
	sigemptyset(&pending);
	CHECK_INT_EQ(sigpending(&pending), 0);
	CHECK_INT_EQ(sigismember(&pending, SIGPIPE), 0);
	/* and our signal mask is as it was */
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	CHECK_INT_EQ(sigismember(&mask, SIGPIPE), 0);
	free(s);
	aud_model_free(m);
	aud_batch_free(b);
	check_no_children();
}

void test_modelcmd__stderr_is_captured_not_inherited(void)
{
	char path[] = "/tmp/modelcmd-stderr-XXXXXX";
	struct aud_error err = AUD_ERROR_INIT;
	double s[3];
	int fd, saved;
	struct stat st;

	fd = mkstemp(path);
	if (fd < 0) {
		aud_test_fail(__FILE__, __LINE__, "mkstemp");
		return;
	}
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	CHECK_INT_EQ(predict_small("echo 'chatty model' >&2; awk 'NR > 1 { print 1 }'", 3, 0, s, &err), 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	CHECK_INT_EQ(fstat(fd, &st), 0);
	CHECK_INT_EQ(st.st_size, 0);
	close(fd);
	unlink(path);
}

/* ---- concurrency ---- */

struct job {
	const struct aud_model *m;
	struct aud_batch *b;
	double *s;
	int rc;
	char msg[512];
};

static void *
job_run(void *arg)
{
	struct job *j = arg;
	struct aud_error err = AUD_ERROR_INIT;
	int k;

	/* a few rounds each, to overlap the spawns */
	for (k = 0; k < 5 && j->rc == 0; k++) {
		j->rc = aud_model_predict(j->m, j->b, j->s, NULL, &err);
		if (j->rc < 0)
			memcpy(j->msg, err.msg, sizeof(j->msg));
	}
	return NULL;
}

void test_modelcmd__two_threads(void)
{
	/* Same model, two threads, different rows, several blocks each. */
	struct aud_model *m = cmd_model("awk -F, 'NR > 1 { printf \"%.17g\\n\", $1 * 10 + $2 }'", 700);
	struct job j[2];
	pthread_t t[2];
	size_t n[2] = { 5000, 3001 }, i;
	int k;

	for (k = 0; k < 2; k++) {
		j[k].m = m;
		j[k].b = small_batch(n[k]);
		j[k].s = malloc(n[k] * sizeof(double));
		j[k].rc = 0;
		j[k].msg[0] = '\0';
		if (k == 1)  /* distinguish the threads' inputs */
			for (i = 0; i < n[k]; i++)
				j[k].b->cols[0].num[i] = -(double)i;
	}
	for (k = 0; k < 2; k++)
		CHECK_INT_EQ(pthread_create(&t[k], NULL, job_run, &j[k]), 0);
	for (k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	for (k = 0; k < 2; k++) {
		size_t bad = 0;

		CHECK_INT_EQ(j[k].rc, 0);
		if (j[k].rc < 0)
			aud_test_fail(__FILE__, __LINE__, "thread %d: %s", k, j[k].msg);
		for (i = 0; i < n[k]; i++) {
			double x = k == 0 ? (double)i + 1 : -(double)i;

			if (j[k].s[i] != x * 10 + (0.25 * (double)i - 1))
				bad++;
		}
		CHECK_INT_EQ(bad, 0);
		free(j[k].s);
		aud_batch_free(j[k].b);
	}
	aud_model_free(m);
	check_no_children();
}

void test_modelcmd__numbers_as_aud_format_double(void)
{
	/* Every number reaches the command as aud_format_double() writes it
	 * (short decimals take a faster path that must agree byte for byte). */
	const char *names[] = { "v" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC };
	static const double edge[] = { 0, -0.0, 1e-4, 9.99999e-5, -1e-4, 0.07, 0.1 + 0.2,
		1e15, 999999999999999, 99999999999999.9, 123456.789, -0.001, 1e-300,
		5e-324, 1.7976931348623157e308, 2.5, 0.123456789, 0.1234567891, 1e14 + 0.5,
		4503599627370497.0, 3.0000000000000004 };
	char dir[] = "/tmp/modelcmd-test-XXXXXX", path[64], command[128], want[32];
	struct aud_model *m = NULL;
	struct aud_batch *b = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	size_t n = 30000, i, len, bad = 0, ne = sizeof(edge) / sizeof(edge[0]);
	unsigned long long s = 88172645463325252ULL;
	double *score = malloc(n * sizeof(double));
	char *got = NULL, *p, *nl;
	int rc;

	if (mkdtemp(dir) == NULL) {
		aud_test_fail(__FILE__, __LINE__, "mkdtemp");
		free(score);
		return;
	}
	snprintf(path, sizeof(path), "%s/in.csv", dir);
	snprintf(command, sizeof(command), "tee '%s' | awk 'NR > 1 { print 1 }'", path);
	CHECK_INT_EQ(aud_batch_new(&b, 1, names, kinds, n, &err), 0);
	for (i = 0; i < n; i++) {
		double x;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		switch (i % 6) {
		case 0:  /* short decimals of many scales */
			x = (double)((long long)(s % 2000001) - 1000000) / pow(10, (double)((s >> 40) % 13));
			break;
		case 1:  /* integers */
			x = (double)(long long)(s % 100000) - 50000;
			break;
		case 2:  /* high-entropy doubles */
			x = (double)(s >> 11) * 0x1p-53 * 1e3 - 500;
			break;
		case 3:  /* short binary fractions: exact decimal ties at 16 or 17 digits */
			x = (double)(s % (1ULL << 21)) / (double)(1ULL << ((s >> 50) % 30));
			break;
		case 4: {  /* a few ulps around a power of ten */
			double p10 = pow(10, (double)((int)((s >> 20) % 22) - 6));
			unsigned long long bits;

			memcpy(&bits, &p10, sizeof(bits));
			bits += (s >> 40) % 9 - 4;
			memcpy(&x, &bits, sizeof(x));
			break;
		}
		default:
			x = edge[(i / 6) % ne];
		}
		if ((s >> 33) & 1)
			x = -x;
		b->cols[0].num[i] = x;
	}
	b->nrows = n;
	CHECK_INT_EQ(aud_modelcmd_new(&m, command, 1, names, kinds, NULL, &err), 0);
	rc = aud_model_predict(m, b, score, NULL, &err);
	CHECK_INT_EQ(rc, 0);
	got = slurp(path, &len);
	if (rc < 0 || got == NULL)
		goto done;
	CHECK(strncmp(got, "v\n", 2) == 0);
	p = got + 2;
	for (i = 0; i < n; i++) {
		nl = strchr(p, '\n');
		if (nl == NULL) {
			bad++;
			break;
		}
		*nl = '\0';
		aud_format_double(want, b->cols[0].num[i]);
		if (strcmp(p, want) != 0 && bad++ < 5)
			aud_test_fail(__FILE__, __LINE__, "%.17g sent as '%s', want '%s'",
			    b->cols[0].num[i], p, want);
		p = nl + 1;
	}
	CHECK_INT_EQ(bad, 0);
	CHECK(*p == '\0');
done:
	free(got);
	free(score);
	unlink(path);
	rmdir(dir);
	aud_model_free(m);
	aud_batch_free(b);
}

static int
count_fds(void)
{
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

void test_modelcmd__no_descriptor_leaks(void)
{
	static const char *cmds[] = {
		"awk 'NR > 1 { print 1 }'", "exit 3", "yes 1", "cat >/dev/null",
		"kill -KILL $$", "echo h; echo x; exec sleep 30",
	};
	struct aud_error err = AUD_ERROR_INIT;
	double s[4];
	int before = count_fds(), i;

	for (i = 0; i < (int)(sizeof(cmds) / sizeof(cmds[0])); i++)
		predict_small(cmds[i], 4, 0, s, &err);
	CHECK_INT_EQ(count_fds(), before);
	check_no_children();
}

void test_modelcmd__garbage_then_silent_is_killed(void)
{
	/* garbage, then stderr closed and a long sleep: killed after the grace period */
	check_fails("echo score; echo oops; exec 2>&-; exec sleep 30", 5,
	    "output line 2: 'oops' is not a number", NULL);
}

/* ---- aud_model_open(): the loader behind -m and --model-cmd ---- */

void test_modelcmd__open_command(void)
{
	const char *cols[] = { "x", "y", "c" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_NUMERIC, AUD_COL_CATEGORICAL };
	struct aud_model_open_options o = AUD_MODEL_OPEN_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_batch *b = small_batch(7);
	struct aud_error err = AUD_ERROR_INIT;
	char dir[] = "/tmp/modelcmd-test-XXXXXX", path[64], command[256];
	double s[7];
	char *log = NULL;
	size_t len;
	int i;

	if (mkdtemp(dir) == NULL) {
		aud_test_fail(__FILE__, __LINE__, "mkdtemp");
		aud_batch_free(b);
		return;
	}
	snprintf(path, sizeof(path), "%s/log", dir);
	/* logs each invocation's header; score = x - y */
	snprintf(command, sizeof(command),
	    "awk -F, 'NR == 1 { print >> \"%s\"; next } { print $1 - $2 }'", path);
	o.columns = cols;
	o.kinds = kinds;
	o.ncolumns = 3;
	o.batch_size = 3;
	o.positive = "yes";
	CHECK_INT_EQ(aud_model_open(&m, NULL, command, &o, &err), 0);
	if (m == NULL)
		goto done;
	CHECK_STR_EQ(aud_model_describe(m), "command");
	CHECK_INT_EQ(aud_model_nfeatures(m), 3);
	CHECK_INT_EQ(aud_model_feature(m, 2)->kind, AUD_COL_CATEGORICAL);
	CHECK_STR_EQ(aud_model_positive(m), "yes");
	CHECK_INT_EQ(aud_model_predict(m, b, s, NULL, &err), 0);
	for (i = 0; i < 7; i++)  /* (i + 1) - (0.25 i - 1) */
		CHECK_DBL_EQ(s[i], 0.75 * i + 2);
	log = slurp(path, &len);
	CHECK_STR_EQ(log, "x,y,c\nx,y,c\nx,y,c\n");  /* 7 rows in blocks of 3 */
	free(log);
	aud_model_free(m);
	m = NULL;

	/* defaults: positive "1" */
	o.positive = NULL;
	CHECK_INT_EQ(aud_model_open(&m, NULL, "cat", &o, &err), 0);
	CHECK_STR_EQ(aud_model_positive(m), "1");
done:
	aud_model_free(m);
	aud_batch_free(b);
	unlink(path);
	rmdir(dir);
}

void test_modelcmd__open_errors(void)
{
	struct aud_model *m = (struct aud_model *)&m;
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_model_open(&m, "m.pmml", "cat", NULL, &err), AUD_EINVAL);
	CHECK(m == NULL);
	CHECK_STR_EQ(err.msg, "give either a PMML model or a model command, not both");
	CHECK_INT_EQ(aud_model_open(&m, NULL, NULL, NULL, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "no model: give a PMML file or a model command");
	/* a command without columns (no options) */
	CHECK_INT_EQ(aud_model_open(&m, NULL, "cat", NULL, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "the model command needs at least one input column");
	CHECK(m == NULL);
	/* a PMML file that does not exist: the PMML loader's error, unchanged */
	CHECK_INT_EQ(aud_model_open(&m, "/nonexistent/model.pmml", NULL, NULL, &err), AUD_EIO);
	CHECK(strstr(err.msg, "/nonexistent/model.pmml") != NULL);
	CHECK(m == NULL);
}

void test_modelcmd__open_pmml(void)
{
	/* a logistic regression with categories no/yes: z = 1 + 2 x - 0.5 y */
	static const char pmml[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n"
	    " <Header/>\n"
	    " <DataDictionary>\n"
	    "  <DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>\n"
	    "  <DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/>\n"
	    "  <DataField name=\"t\" optype=\"categorical\" dataType=\"string\">\n"
	    "   <Value value=\"no\"/><Value value=\"yes\"/>\n"
	    "  </DataField>\n"
	    " </DataDictionary>\n"
	    " <RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">\n"
	    "  <MiningSchema>\n"
	    "   <MiningField name=\"x\"/><MiningField name=\"y\"/>\n"
	    "   <MiningField name=\"t\" usageType=\"target\"/>\n"
	    "  </MiningSchema>\n"
	    "  <RegressionTable intercept=\"1\" targetCategory=\"yes\">\n"
	    "   <NumericPredictor name=\"x\" coefficient=\"2\"/>\n"
	    "   <NumericPredictor name=\"y\" coefficient=\"-0.5\"/>\n"
	    "  </RegressionTable>\n"
	    "  <RegressionTable intercept=\"0\" targetCategory=\"no\"/>\n"
	    " </RegressionModel>\n"
	    "</PMML>\n";
	struct aud_model_open_options o = AUD_MODEL_OPEN_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_batch *b = small_batch(4);
	struct aud_error err = AUD_ERROR_INIT;
	char path[] = "/tmp/modelcmd-pmml-XXXXXX";
	double s[4];
	int fd, i, rc;

	fd = mkstemp(path);
	if (fd < 0 || write(fd, pmml, sizeof(pmml) - 1) != (ssize_t)(sizeof(pmml) - 1)) {
		aud_test_fail(__FILE__, __LINE__, "cannot write '%s'", path);
		goto done;
	}
	close(fd);
	fd = -1;
	o.positive = "no";
	rc = aud_model_open(&m, path, NULL, &o, &err);
	CHECK_INT_EQ(rc, 0);
	if (rc < 0) {
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
		goto done;
	}
	CHECK_STR_EQ(aud_model_positive(m), "no");
	CHECK_INT_EQ(aud_model_predict(m, b, s, NULL, &err), 0);
	for (i = 0; i < 4; i++) {
		/* x = i + 1, y = 0.25 i - 1: P(no) = 1 / (1 + exp(z)) */
		double z = 1 + 2 * (i + 1) - 0.5 * (0.25 * i - 1);

		CHECK_REL(s[i], 1 / (1 + exp(z)), 1e-14);
	}
done:
	if (fd >= 0)
		close(fd);
	unlink(path);
	aud_model_free(m);
	aud_batch_free(b);
}

/* ---- process groups, the timeout, inherited descriptors ---- */

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether process group pgid has no process left (an orphan killed with it
 * is reaped by init a moment later: wait up to 2 s). */
static int
group_gone(pid_t pgid)
{
	int i;

	for (i = 0; i < 200; i++) {
		struct timespec ms10 = { 0, 10000000 };
		if (kill(-pgid, 0) < 0 && errno == ESRCH)
			return 1;
		nanosleep(&ms10, NULL);
	}
	return 0;
}

/* What the on_child hook saw. */
struct seen {
	int calls, starts, ends, order_ok, leader_ok;
	pid_t pgid[16];
	int running[16];
};

static void
on_child(pid_t pgid, int running, void *payload)
{
	struct seen *s = payload;

	if (s->calls < 16) {
		s->pgid[s->calls] = pgid;
		s->running[s->calls] = running;
	}
	/* starts and ends alternate, each end for the group just started */
	if (running != (s->calls % 2 == 0) ||
	    (!running && s->calls > 0 && s->calls <= 16 && s->pgid[s->calls - 1] != pgid))
		s->order_ok = 0;
	if (running) {
		s->starts++;
		/* a group of its own, led by the shell (alive or a zombie) */
		if (pgid <= 0 || getpgid(pgid) != pgid || pgid == getpgrp())
			s->leader_ok = 0;
	} else {
		s->ends++;
	}
	s->calls++;
}

static int
predict_opts(const char *command, size_t n, const struct aud_modelcmd_options *o,
    double *score, struct aud_error *err)
{
	const char *cols[] = { "x", "y" };
	struct aud_model *m = NULL;
	struct aud_batch *b = small_batch(n);
	int rc;

	rc = aud_modelcmd_new(&m, command, 2, cols, NULL, o, err);
	if (rc == 0 && b != NULL)
		rc = aud_model_predict(m, b, score, NULL, err);
	aud_model_free(m);
	aud_batch_free(b);
	return rc;
}

void
test_modelcmd__child_hook(void)
{
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct seen s;
	double score[5];
	int i;

	memset(&s, 0, sizeof(s));
	s.order_ok = s.leader_ok = 1;
	o.batch_size = 2;
	o.on_child = on_child;
	o.payload = &s;
	/* 5 rows in batches of 2: three invocations, three groups */
	CHECK_INT_EQ(predict_opts("awk -F, 'NR > 1 { print $1 / 10 }'", 5, &o, score, &err), 0);
	for (i = 0; i < 5; i++)
		CHECK_DBL_EQ(score[i], (i + 1) / 10.0);
	CHECK_INT_EQ(s.calls, 6);
	CHECK_INT_EQ(s.starts, 3);
	CHECK_INT_EQ(s.ends, 3);
	CHECK(s.order_ok);
	CHECK(s.leader_ok);
	/* every group is gone once its end was told */
	for (i = 0; i < 6 && i < s.calls; i++)
		CHECK(group_gone(s.pgid[i]));
	check_no_children();

	/* a failing command is told of too, start and end */
	memset(&s, 0, sizeof(s));
	s.order_ok = s.leader_ok = 1;
	o.batch_size = 0;
	CHECK_INT_EQ(predict_opts("exit 3", 5, &o, score, &err), AUD_EMODEL);
	CHECK_INT_EQ(s.starts, 1);
	CHECK_INT_EQ(s.ends, 1);
	CHECK(s.order_ok);
	check_no_children();
}

void
test_modelcmd__timeout(void)
{
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct seen s;
	double score[3], t0;

	CHECK_DBL_EQ(o.timeout, 600);  /* the documented default */
	memset(&s, 0, sizeof(s));
	s.order_ok = s.leader_ok = 1;
	o.timeout = 0.3;
	o.on_child = on_child;
	o.payload = &s;
	/* the shell waits for a child: both are killed with the group */
	t0 = mono_now();
	CHECK_INT_EQ(predict_opts("sleep 30; echo 1", 3, &o, score, &err), AUD_EMODEL);
	CHECK(mono_now() - t0 < 3);
	CHECK_STR_EQ(err.msg, "model command 'sleep 30; echo 1' timed out after 0.3 s (rows 1 to 3)");
	CHECK_INT_EQ(s.ends, 1);
	CHECK(group_gone(s.pgid[0]));
	check_no_children();
	/* stderr of a timed-out command is quoted */
	CHECK_INT_EQ(predict_opts("echo loading >&2; exec sleep 30", 3, &o, score, &err), AUD_EMODEL);
	CHECK_STR_EQ(err.msg, "model command 'echo loading >&2; exec sleep 30' timed out after 0.3 s (rows 1 to 3); stderr: loading");
	/* per invocation: three of 0.2 s each pass a 0.3 s timeout */
	o.on_child = NULL;
	o.batch_size = 1;
	CHECK_INT_EQ(predict_opts("sleep 0.15; awk 'NR > 1 { print 0.5 }'", 3, &o, score, &err), 0);
	CHECK_DBL_EQ(score[2], 0.5);
	/* 0: no limit */
	o.timeout = 0;
	o.batch_size = 0;
	CHECK_INT_EQ(predict_opts("sleep 0.5; awk 'NR > 1 { print 0.5 }'", 3, &o, score, &err), 0);
	/* a negative or NaN timeout is refused */
	o.timeout = -1;
	CHECK_INT_EQ(predict_opts("cat", 3, &o, score, &err), AUD_EINVAL);
	o.timeout = NAN;
	CHECK_INT_EQ(predict_opts("cat", 3, &o, score, &err), AUD_EINVAL);
	check_no_children();
}

void
test_modelcmd__background_child_holding_stdout(void)
{
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct seen s;
	double score[3], t0;

	memset(&s, 0, sizeof(s));
	s.order_ok = s.leader_ok = 1;
	o.on_child = on_child;
	o.payload = &s;
	/* sleep keeps stdout and stderr open for 30 s: not waited for */
	t0 = mono_now();
	CHECK_INT_EQ(predict_opts("sleep 30 & awk 'NR > 1 { print 0.75 }'", 3, &o, score, &err), 0);
	CHECK(mono_now() - t0 < 3);
	CHECK_DBL_EQ(score[0], 0.75);
	CHECK_DBL_EQ(score[2], 0.75);
	CHECK_INT_EQ(s.ends, 1);
	/* and the sleep was ended with its group */
	CHECK(group_gone(s.pgid[0]));
	/* the shell exits with too few scores while the child holds stdout:
	 * judged after a short wait, not when the child exits */
	t0 = mono_now();
	CHECK_INT_EQ(predict_opts("sleep 30 & echo 0.5", 3, &o, score, &err), AUD_EMODEL);
	CHECK(mono_now() - t0 < 3);
	/* (when the shell has exited before its input was written, which a
	 * loaded machine makes likely, that is the verdict: both are right) */
	if (strcmp(err.msg, "model command 'sleep 30 & echo 0.5' exited without reading all "
	    "its input (3 rows)") != 0)
		CHECK_STR_EQ(err.msg, "model command 'sleep 30 & echo 0.5' printed 1 scores for 3 rows");
	check_no_children();
}

void
test_modelcmd__no_inherited_descriptors(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	char cmd[512];
	double score[2];
	int fd, p[2];

	/* a file and a pipe opened without close-on-exec, as an -o temporary
	 * file was: the command must not see them */
	fd = open("/dev/null", O_RDWR);
	CHECK(fd > 2);
	CHECK(pipe(p) == 0);
	snprintf(cmd, sizeof(cmd),
	    "for f in %d %d %d; do if [ -e /proc/$$/fd/$f ]; then echo \"fd $f is open\" >&2; exit 1; fi; done; "
	    "awk 'NR > 1 { print 1 }'", fd, p[0], p[1]);
	CHECK_INT_EQ(predict_small(cmd, 2, 0, score, &err), 0);
	if (err.msg[0] != '\0')
		aud_test_fail(__FILE__, __LINE__, "%s", err.msg);
	CHECK_DBL_EQ(score[1], 1);
	close(fd);
	close(p[0]);
	close(p[1]);
	check_no_children();
}

/* ---- the long-lived protocols: stream and binary ---- */

#include "modelcmd_wire.h"

/* $PY: Debian's python3 when there is one (a pyenv shim takes 0.4 s to start) */
#define FAKE_NOEXEC "\"$PY\" tests/data/modelcmd/fake_serve.py"
/* exec: python leads its group and is reaped by the library itself */
#define FAKE "exec " FAKE_NOEXEC

static int
have_python(const char *test)
{
	(void)test;
	if (access("/usr/bin/python3", X_OK) == 0)
		setenv("PY", "/usr/bin/python3", 1);
	else
		setenv("PY", "python3", 1);
	if (system("\"$PY\" -c pass >/dev/null 2>&1") == 0)
		return 1;
	aud_test_skip("python3 cannot be run");
	return 0;
}

static const char *const tricky[] = {
	"a,b", "say \"hi\"", "line\nbreak", "cr\r\nlf", "\xc3\xbc" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xe2\x9c\x93",
	" spaced ", "plain", "comma, \"quote\"\nand line"
};

/* x numeric (some missing, some tiny), c categorical (tricky texts, a
 * growing number of others, some missing), t categorical holding numbers
 * as text (some missing), for a numeric feature t. */
static struct aud_batch *
tricky_batch(size_t n)
{
	const char *names[] = { "x", "c", "t" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_CATEGORICAL, AUD_COL_CATEGORICAL };
	struct aud_batch *b = NULL;
	char buf[64];
	size_t i;

	if (aud_batch_new(&b, 3, names, kinds, n, NULL) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *s;

		b->cols[0].num[i] = i % 13 == 5 ? NAN : i % 17 == 0 ? 1e-300 * (double)(i + 1) :
		    (double)i * 0.37 - 50;
		if (i % 11 == 3) {
			b->cols[1].code[i] = -1;
		} else {
			if (i % 2 == 0) {
				s = tricky[i % (sizeof(tricky) / sizeof(tricky[0]))];
			} else {
				snprintf(buf, sizeof(buf), "cat%zu", i / 3);
				s = buf;
			}
			if (aud_dict_intern(&b->cols[1].code[i], b->cols[1].dict, s, strlen(s), NULL) < 0)
				goto fail;
		}
		if (i % 9 == 4) {
			b->cols[2].code[i] = -1;
		} else {
			snprintf(buf, sizeof(buf), "%.2f", (double)(i % 50) * 0.25);
			if (aud_dict_intern(&b->cols[2].code[i], b->cols[2].dict, buf, strlen(buf),
			    NULL) < 0)
				goto fail;
		}
	}
	b->nrows = n;
	return b;
fail:
	aud_batch_free(b);
	return NULL;
}

/* The fake command's formula (see fake_serve.py), computed here. */
static double
tricky_expected(const struct aud_batch *b, size_t r)
{
	double s = 0, x = b->cols[0].num[r];
	int32_t code;

	s += isnan(x) ? -1.0 : 1.0 * x;
	code = b->cols[1].code[r];
	if (code < 0) {
		s += -2.0;
	} else {
		const unsigned char *t = (const unsigned char *)aud_dict_str(b->cols[1].dict, code);
		size_t len = strlen((const char *)t), k, sum = 0;

		for (k = 0; k < len; k++)
			sum += t[k];
		s += 2.0 * (double)(len + sum % 97) / 1000.0;
	}
	code = b->cols[2].code[r];
	s += code < 0 ? -3.0 : 3.0 * strtod(aud_dict_str(b->cols[2].dict, code), NULL);
	return s;
}

static struct aud_model *
tricky_model(const char *command, enum aud_modelcmd_protocol protocol, size_t batch_size,
    struct aud_modelcmd_options *o)
{
	const char *cols[] = { "x", "c", "t" };
	enum aud_col_kind kinds[] = { AUD_COL_NUMERIC, AUD_COL_CATEGORICAL, AUD_COL_NUMERIC };
	struct aud_modelcmd_options d = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_error err = AUD_ERROR_INIT;

	if (o == NULL)
		o = &d;
	o->batch_size = batch_size;
	o->protocol = protocol;
	if (aud_modelcmd_new(&m, command, 3, cols, kinds, o, &err) < 0)
		aud_test_fail(__FILE__, __LINE__, "aud_modelcmd_new: %s", err.msg);
	return m;
}

/* Lines in a file (0 when absent). */
static int
count_lines(const char *path)
{
	size_t len, i;
	char *s = slurp(path, &len);
	int n = 0;

	if (s == NULL)
		return 0;
	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	free(s);
	return n;
}

void
test_modelcmd__protocols_give_the_same_scores(void)
{
	static const enum aud_modelcmd_protocol ps[] = { AUD_MODELCMD_BATCH, AUD_MODELCMD_STREAM,
		AUD_MODELCMD_BINARY };
	struct aud_batch *b;
	double *score, want;
	size_t n = 1000, r, k;
	char start[] = "/tmp/test-modelcmd-start-XXXXXX", cmd[256];
	int fd;

	if (!have_python(__func__))
		return;
	b = tricky_batch(n);
	score = malloc(n * sizeof(*score));
	CHECK(b != NULL && score != NULL);
	if (b == NULL || score == NULL)
		goto done;
	/* the formula by hand on a row with a tricky text: x = 2 * 0.37 - 50,
	 * c = "line\nbreak" (10 bytes summing to 951: 951 % 97 = 78), t = "0.50" */
	CHECK_STR_EQ(aud_dict_str(b->cols[1].dict, b->cols[1].code[2]), "line\nbreak");
	CHECK_DBL_EQ(tricky_expected(b, 2), (2 * 0.37 - 50) + 2.0 * (10 + 78) / 1000.0 + 3.0 * 0.5);
	for (k = 0; k < 3; k++) {
		struct aud_model *m;
		struct aud_error err = AUD_ERROR_INIT;
		size_t bad = 0;
		int pass;

		fd = mkstemp(start);
		CHECK(fd >= 0);
		if (fd >= 0)
			close(fd);
		snprintf(cmd, sizeof(cmd), FAKE " start=%s", start);
		m = tricky_model(cmd, ps[k], 7, NULL);
		if (m == NULL)
			break;
		/* twice over the same model: the second call reuses the process and
		 * its dictionaries */
		for (pass = 0; pass < (ps[k] == AUD_MODELCMD_BATCH ? 1 : 2); pass++) {
			memset(score, 0, n * sizeof(*score));
			CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
			if (err.msg[0] != '\0')
				aud_test_fail(__FILE__, __LINE__, "%s: %s",
				    aud_modelcmd_protocol_names[ps[k]], err.msg);
			for (r = 0; r < n; r++) {
				want = tricky_expected(b, r);
				if (!(score[r] == want) && bad++ == 0)
					aud_test_fail(__FILE__, __LINE__,
					    "%s: row %zu: %.17g, want %.17g",
					    aud_modelcmd_protocol_names[ps[k]], r, score[r], want);
			}
		}
		aud_model_free(m);
		/* batch: one process per block of 7 rows; the others: one */
		CHECK_INT_EQ(count_lines(start), ps[k] == AUD_MODELCMD_BATCH ? (n + 6) / 7 : 1);
		unlink(start);
		memcpy(start + strlen(start) - 6, "XXXXXX", 6);
	}
	check_no_children();
done:
	free(score);
	aud_batch_free(b);
}

struct thread_job {
	struct aud_model *m;
	const struct aud_batch *b;
	double score[200];
	int rc;
	char msg[512];
};

static void *
predict_thread(void *arg)
{
	struct thread_job *t = arg;
	struct aud_error err = AUD_ERROR_INIT;
	int i;

	for (i = 0; i < 5 && t->rc == 0; i++)
		t->rc = aud_model_predict(t->m, t->b, t->score, NULL, &err);
	snprintf(t->msg, sizeof(t->msg), "%s", err.msg);
	return NULL;
}

void
test_modelcmd__one_process_per_predicting_thread(void)
{
	struct thread_job t[2];
	pthread_t th[2];
	struct aud_batch *b;
	struct aud_model *m;
	char start[] = "/tmp/test-modelcmd-threads-XXXXXX", cmd[256];
	int fd, i, nstart;
	size_t r;

	if (!have_python(__func__))
		return;
	fd = mkstemp(start);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	snprintf(cmd, sizeof(cmd), FAKE " start=%s", start);
	b = tricky_batch(200);
	m = tricky_model(cmd, AUD_MODELCMD_BINARY, 50, NULL);
	CHECK(b != NULL && m != NULL);
	if (b == NULL || m == NULL)
		goto done;
	for (i = 0; i < 2; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].m = m;
		t[i].b = b;
		CHECK(pthread_create(&th[i], NULL, predict_thread, &t[i]) == 0);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT_EQ(t[i].rc, 0);
		if (t[i].rc != 0)
			aud_test_fail(__FILE__, __LINE__, "%s", t[i].msg);
		for (r = 0; r < 200; r++)
			if (!(t[i].score[r] == tricky_expected(b, r))) {
				aud_test_fail(__FILE__, __LINE__, "thread %d row %zu", i, r);
				break;
			}
	}
	/* ten calls from two threads: one or two processes, never more */
	nstart = count_lines(start);
	CHECK(nstart >= 1 && nstart <= 2);
done:
	aud_model_free(m);
	aud_batch_free(b);
	unlink(start);
	check_no_children();
}

/* One failure: protocol, command, rows, timeout, the substrings of the message. */
struct failure {
	enum aud_modelcmd_protocol protocol;
	const char *command;
	double timeout;
	const char *want[3];
};

void
test_modelcmd__persistent_failures(void)
{
	static const struct failure fs[] = {
		{ AUD_MODELCMD_STREAM, "no-such-model-command-xyz", 0,
		  { "model command 'no-such-model-command-xyz' exited with status 127 (command not found) before answering rows 1 to 7",
		    "; stderr: ", "not found" } },
		{ AUD_MODELCMD_BINARY, FAKE " exit=3 stderr=cannot-load-model", 0,
		  { "exited with status 3 before answering rows 1 to 7", "; stderr: cannot-load-model", NULL } },
		{ AUD_MODELCMD_STREAM, FAKE " die=2 stderr=dying", 0,
		  { "exited after 0 of 7 scores (rows 15 to 21); stderr: dying", NULL, NULL } },
		{ AUD_MODELCMD_BINARY, FAKE " die=2", 0,
		  { "exited after 0 of 7 scores (rows 15 to 21)", NULL, NULL } },
		{ AUD_MODELCMD_STREAM, FAKE " kill=3 stderr=note", 0,
		  { "was killed by signal 9 (SIGKILL) (rows 22 to 28); stderr: note", NULL, NULL } },
		{ AUD_MODELCMD_BINARY, FAKE " kill=1", 0,
		  { "was killed by signal 9 (SIGKILL) (rows 8 to 14)", NULL, NULL } },
		{ AUD_MODELCMD_STREAM, FAKE " hang=1 stderr=sleepy", 1,
		  { "timed out after 1 s (rows 8 to 14); stderr: sleepy", NULL, NULL } },
		{ AUD_MODELCMD_BINARY, FAKE " hang=2", 1.5,
		  { "timed out after 1.5 s (rows 15 to 21)", NULL, NULL } },
		{ AUD_MODELCMD_STREAM, FAKE " few stderr=short", 0,
		  { "exited after 6 of 7 scores (rows 1 to 7); stderr: short", NULL, NULL } },
		{ AUD_MODELCMD_BINARY, FAKE " few", 0,
		  { "exited after 6 of 7 scores (rows 1 to 7)", NULL, NULL } },
		{ AUD_MODELCMD_STREAM, FAKE " many", 0,
		  { "printed more", "scores", NULL } },
		{ AUD_MODELCMD_BINARY, FAKE " many", 0,
		  { "echoed a count of 8 for a frame of 7 rows (rows 1 to 7)", NULL, NULL } },
		{ AUD_MODELCMD_BINARY, FAKE " count stderr=oops", 0,
		  { "echoed a count of 8 for a frame of 7 rows (rows 1 to 7); stderr: oops", NULL, NULL } },
		{ AUD_MODELCMD_STREAM, FAKE " nan", 0,
		  { "output line 7: 'nan' is not a number (rows 1 to 7)", NULL, NULL } },
		{ AUD_MODELCMD_BINARY, FAKE " nan", 0,
		  { "score 7 of a frame of 7 rows is not finite (nan) (rows 1 to 7)", NULL, NULL } },
		{ AUD_MODELCMD_BINARY, FAKE " magic", 0,
		  { "the command does not speak the binary protocol (it answered 'RAIAUDBX' where 'RAIAUDB1' was expected)",
		    NULL, NULL } },
		{ AUD_MODELCMD_BINARY, "head -c 20 >/dev/null; echo 0.5; echo batch-only >&2", 0,
		  { "the command does not speak the binary protocol (it ended its output without answering the handshake); stderr: batch-only",
		    NULL, NULL } },
	};
	struct aud_batch *b;
	double score[30];
	size_t i, k;

	if (!have_python(__func__))
		return;
	b = tricky_batch(30);
	CHECK(b != NULL);
	if (b == NULL)
		return;
	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
		struct aud_error err = AUD_ERROR_INIT;
		struct aud_model *m;
		struct seen s;
		int rc;

		memset(&s, 0, sizeof(s));
		s.order_ok = s.leader_ok = 1;
		o.timeout = fs[i].timeout;
		o.on_child = on_child;
		o.payload = &s;
		m = tricky_model(fs[i].command, fs[i].protocol, 7, &o);
		if (m == NULL)
			continue;
		rc = aud_model_predict(m, b, score, NULL, &err);
		if (rc != AUD_EMODEL)
			aud_test_fail(__FILE__, __LINE__, "case %zu (%s): rc %d, %s", i,
			    fs[i].command, rc, err.msg);
		for (k = 0; k < 3 && fs[i].want[k] != NULL; k++)
			if (strstr(err.msg, fs[i].want[k]) == NULL)
				aud_test_fail(__FILE__, __LINE__, "case %zu: '%s' not in '%s'", i,
				    fs[i].want[k], err.msg);
		/* the failed process was ended with its group and not kept */
		CHECK_INT_EQ(s.starts, 1);
		CHECK_INT_EQ(s.ends, 1);
		CHECK(s.order_ok && s.leader_ok);
		if (s.calls > 0)
			CHECK(group_gone(s.pgid[0]));
		check_no_children();
		/* the model can be used after a failure: a new process */
		if (fs[i].timeout == 0) {
			rc = aud_model_predict(m, b, score, NULL, &err);
			CHECK_INT_EQ(rc, AUD_EMODEL);
			CHECK_INT_EQ(s.starts, 2);
		}
		aud_model_free(m);
		check_no_children();
	}
	aud_batch_free(b);
}

void
test_modelcmd__binary_text_in_a_numeric_feature(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b;
	struct aud_model *m;
	double score[10];

	if (!have_python(__func__))
		return;
	b = tricky_batch(10);
	CHECK(b != NULL);
	if (b == NULL)
		return;
	/* row 6 of t: "abc" */
	CHECK(aud_dict_intern(&b->cols[2].code[5], b->cols[2].dict, "abc", 3, NULL) == 0);
	m = tricky_model(FAKE, AUD_MODELCMD_BINARY, 4, NULL);
	CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), AUD_EMODEL);
	CHECK_STR_EQ(err.msg, "column 't', row 6: 'abc' is not a number, and the model "
	    "command's feature is numeric");
	/* stream sends the text as it stands */
	aud_model_free(m);
	m = tricky_model(FAKE, AUD_MODELCMD_STREAM, 4, NULL);
	CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
	CHECK_DBL_EQ(score[0], tricky_expected(b, 0));
	aud_model_free(m);
	aud_batch_free(b);
	check_no_children();
}

void
test_modelcmd__free_ends_the_processes(void)
{
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b;
	struct aud_model *m;
	struct seen s;
	double score[10], t0;
	int i;

	if (!have_python(__func__))
		return;
	b = tricky_batch(10);
	for (i = 0; i < 2; i++) {
		memset(&s, 0, sizeof(s));
		s.order_ok = s.leader_ok = 1;
		o.on_child = on_child;
		o.payload = &s;
		/* i = 1: a command that does not exit at the end of its input
		 * (its shell waits for a long sleep): killed after the grace */
		m = tricky_model(i == 0 ? FAKE : FAKE_NOEXEC "; sleep 30", AUD_MODELCMD_STREAM, 4, &o);
		CHECK_INT_EQ(aud_model_predict(m, b, score, NULL, &err), 0);
		CHECK_INT_EQ(s.starts, 1);
		CHECK_INT_EQ(s.ends, 0);
		CHECK(getpgid(s.pgid[0]) == s.pgid[0]);
		t0 = mono_now();
		aud_model_free(m);
		CHECK_INT_EQ(s.ends, 1);
		CHECK(s.order_ok && s.leader_ok);
		if (i == 0)
			CHECK(mono_now() - t0 < 1.5);
		else
			CHECK(mono_now() - t0 >= 1.9 && mono_now() - t0 < 4);
		CHECK(group_gone(s.pgid[0]));
		check_no_children();
	}
	aud_batch_free(b);
}

void
test_modelcmd__unknown_protocol(void)
{
	const char *cols[] = { "x" };
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_error err = AUD_ERROR_INIT;

	o.protocol = (enum aud_modelcmd_protocol)7;
	CHECK_INT_EQ(aud_modelcmd_new(&m, "cat", 1, cols, NULL, &o, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "unknown model command protocol 7");
	CHECK(m == NULL);
	CHECK_STR_EQ(aud_modelcmd_protocol_names[AUD_MODELCMD_BINARY], "binary");
	CHECK(aud_modelcmd_protocol_names[3] == NULL);
}

/* The answer reader, fed byte by byte and all at once. */
void
test_modelcmd__wire_reader(void)
{
	struct aud__mc_reply r;
	unsigned char bin[8 + 8 + 3 * 8];
	const double v[3] = { 0.25, -1e-300, 7 };
	double score[3];
	const char *text = " 0.25 \r\n-1e-300\n7";
	size_t i;
	int k;

	memset(&r, 0, sizeof(r));
	memcpy(bin, "RAIAUDB1", 8);
	for (k = 0; k < 8; k++)
		bin[8 + k] = (unsigned char)(k == 0 ? 3 : 0);
	for (i = 0; i < 3; i++) {
		uint64_t u;

		memcpy(&u, &v[i], 8);
		for (k = 0; k < 8; k++)
			bin[16 + 8 * i + (size_t)k] = (unsigned char)(u >> (8 * k));
	}
	aud__mc_reply_start(&r, AUD_MODELCMD_BINARY, 1, 3, score);
	for (i = 0; i < sizeof(bin); i++) {
		CHECK(!aud__mc_reply_done(&r));
		CHECK_INT_EQ(aud__mc_reply_feed(&r, (const char *)bin + i, 1), 0);
	}
	CHECK(aud__mc_reply_done(&r));
	CHECK_DBL_EQ(score[0], 0.25);
	CHECK_DBL_EQ(score[1], -1e-300);
	CHECK_DBL_EQ(score[2], 7);
	/* one byte more: too many */
	CHECK_INT_EQ(aud__mc_reply_feed(&r, "x", 1), 0);
	CHECK(r.bad);
	CHECK_STR_EQ(r.msg, "printed more than 3 scores for a frame of 3 rows");
	/* without the magic (a later frame), all at once */
	aud__mc_reply_start(&r, AUD_MODELCMD_BINARY, 0, 3, score);
	CHECK_INT_EQ(aud__mc_reply_feed(&r, (const char *)bin + 8, sizeof(bin) - 8), 0);
	CHECK(aud__mc_reply_done(&r));
	/* stream: blanks, CR, a last line without LF taken at the end */
	aud__mc_reply_start(&r, AUD_MODELCMD_STREAM, 0, 3, score);
	for (i = 0; text[i] != '\0'; i++)
		CHECK_INT_EQ(aud__mc_reply_feed(&r, text + i, 1), 0);
	CHECK(!aud__mc_reply_done(&r));
	aud__mc_reply_eof(&r);
	CHECK(aud__mc_reply_done(&r));
	CHECK_DBL_EQ(score[0], 0.25);
	CHECK_DBL_EQ(score[2], 7);
	aud__mc_reply_start(&r, AUD_MODELCMD_STREAM, 0, 3, score);
	CHECK_INT_EQ(aud__mc_reply_feed(&r, "1\n\n", 3), 0);
	CHECK(r.bad);
	CHECK_STR_EQ(r.msg, "output line 2: '' is empty where a score was expected");
	aud__mc_reply_free(&r);
}

/* The public one-shot reader: whole answers accepted, every defect refused. */
void
test_modelcmd__read_answer(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	double score[2];
	const char bin[] = "RAIAUDB1\x02\0\0\0\0\0\0\0" "\0\0\0\0\0\0\xd0\x3f" "\0\0\0\0\0\0\x1c\x40";

	CHECK_INT_EQ(aud_modelcmd_read_answer(score, AUD_MODELCMD_STREAM, 0, "0.25\n7", 6, 2, &err), 0);
	CHECK_DBL_EQ(score[0], 0.25);
	CHECK_DBL_EQ(score[1], 7);
	/* 0x3fd0000000000000 = 0.25, 0x401c000000000000 = 7 */
	CHECK_INT_EQ(aud_modelcmd_read_answer(score, AUD_MODELCMD_BINARY, 1, bin, sizeof(bin) - 1, 2,
	    &err), 0);
	CHECK_DBL_EQ(score[0], 0.25);
	CHECK_DBL_EQ(score[1], 7);
	CHECK_INT_EQ(aud_modelcmd_read_answer(score, AUD_MODELCMD_BINARY, 1, bin, sizeof(bin) - 2, 2,
	    &err), AUD_EMODEL);
	CHECK_STR_EQ(err.msg, "1 scores for a frame of 2 rows (and a part of one)");
	CHECK_INT_EQ(aud_modelcmd_read_answer(score, AUD_MODELCMD_BINARY, 1, bin, 4, 2, &err),
	    AUD_EMODEL);
	CHECK_STR_EQ(err.msg, "the answer ends before the handshake's magic");
	CHECK_INT_EQ(aud_modelcmd_read_answer(score, AUD_MODELCMD_STREAM, 0, "1\n2\n3\n", 6, 2, &err),
	    AUD_EMODEL);
	CHECK_STR_EQ(err.msg, "printed more than 2 scores for a frame of 2 rows");
	CHECK_INT_EQ(aud_modelcmd_read_answer(score, AUD_MODELCMD_BATCH, 0, "1\n", 2, 1, &err),
	    AUD_EINVAL);
}
