/*
 * test_cli.c — number parsing, formats, atomic output, exit codes, time,
 * error lines, the process set-up (descriptors, signals, children).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* A fresh scratch folder; the caller removes it with rm_tree(). */
static int
scratch(char dir[32])
{
	strcpy(dir, "/tmp/aud-test-XXXXXX");
	return mkdtemp(dir) != NULL;
}

static void
rm_tree(const char *dir)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_INT_EQ(system(cmd), 0);
}

/* The first line of a file, or "" */
static void
first_line(char *buf, size_t size, const char *path)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f != NULL) {
		if (fgets(buf, (int)size, f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
}

/* Number of entries of dir whose name starts with prefix. */
static int
count_prefixed(const char *dir, const char *prefix)
{
	char cmd[256], line[32];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '^%s' || true", dir, prefix);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	if (fgets(line, sizeof(line), p) != NULL)
		n = atoi(line);
	pclose(p);
	return n;
}

static int
write_output(const char *path, const char *text)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_output *o = NULL;
	int rc = aud_output_open(&o, path, &err);

	if (rc == 0) {
		fputs(text, aud_output_stream(o));
		rc = aud_output_commit(o, &err);
	}
	aud_output_free(o);
	return rc;
}

void
test_cli__escape(void)
{
	char buf[128];

	CHECK_INT_EQ(aud_cli_escape(buf, sizeof(buf), "plain 'x'"), 9);
	CHECK_STR_EQ(buf, "plain 'x'");
	/* a terminal escape, a newline, a tab, DEL */
	aud_cli_escape(buf, sizeof(buf), "\033[31mred\n\tx\177");
	CHECK_STR_EQ(buf, "\\x1b[31mred\\n\\tx\\x7f");
	/* valid UTF-8 is kept; a lone byte, an overlong '/', a surrogate and C1 CSI are not */
	aud_cli_escape(buf, sizeof(buf), "caf\xc3\xa9 \xe2\x82\xac");
	CHECK_STR_EQ(buf, "caf\xc3\xa9 \xe2\x82\xac");
	aud_cli_escape(buf, sizeof(buf), "a\xe9" "b\xc0\xaf" "c\xed\xa0\x80" "d\xc2\x9b");
	CHECK_STR_EQ(buf, "a\\xe9b\\xc0\\xafc\\xed\\xa0\\x80d\\xc2\\x9b");
	/* a truncated sequence at the end; the length counts what did not fit */
	CHECK_INT_EQ(aud_cli_escape(buf, 4, "\xe2\x82"), 8);
	CHECK_STR_EQ(buf, "\\xe");
	CHECK_INT_EQ(aud_cli_escape(NULL, 0, "\001"), 4);
}

/* Run fn with stderr on a file; the file's text comes back in buf. */
static void
capture_stderr(char *buf, size_t size, void (*fn)(void))
{
	char path[] = "/tmp/aud-test-err-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	FILE *f;
	size_t n = 0;

	buf[0] = '\0';
	if (fd < 0 || saved < 0)
		return;
	fflush(stderr);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	f = fopen(path, "r");
	if (f != NULL) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	unlink(path);
}

static void
print_usage_error(void)
{
	CHECK_INT_EQ(aud_cli_usage_error("audit-x", "unknown option '%s'", "--y\033]0;t\007"),
	    AUD_EXIT_USAGE);
}

static void
print_report_and_warning(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	char big[3000];

	AUD_ERROR(&err, AUD_EPARSE, "a.csv:2:3: bad value 'x\ny'");
	CHECK_INT_EQ(aud_cli_report("audit-x", &err), AUD_EXIT_INPUT);
	aud_cli_warn("audit-x", 0, "group '%s' is small", "\xff");
	aud_cli_warn("audit-x", 1, "silenced");
	/* longer than any fixed buffer: printed whole */
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	aud_cli_warn("audit-x", 0, "%s|", big);
}

void
test_cli__error_lines_are_one_escaped_line(void)
{
	static char buf[8192];
	char want[4096];

	capture_stderr(buf, sizeof(buf), print_usage_error);
	CHECK_STR_EQ(buf,
	    "audit-x: unknown option '--y\\x1b]0;t\\x07' (see 'audit-x --help')\n");
	capture_stderr(buf, sizeof(buf), print_report_and_warning);
	memset(want, 'b', 2999);
	want[2999] = '\0';
	CHECK(strncmp(buf, "audit-x: a.csv:2:3: bad value 'x\\ny'\n"
	    "audit-x: warning: group '\\xff' is small\n"
	    "audit-x: warning: bbb", 97) == 0);
	CHECK(strstr(buf, want) != NULL && strstr(buf, "b|\n") != NULL);
	CHECK(strstr(buf, "silenced") == NULL);
}

void
test_cli__output_follows_symlinks(void)
{
	char dir[32], link[64], target[64], dangling[64], dtarget[64], line[32];
	struct stat st;

	if (!scratch(dir))
		return;
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	CHECK_INT_EQ(write_output(target, "old\n"), 0);
	CHECK_INT_EQ(symlink("target", link), 0);
	CHECK_INT_EQ(write_output(link, "new\n"), 0);
	/* the link is still a link, and the file it names holds the result */
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	first_line(line, sizeof(line), target);
	CHECK_STR_EQ(line, "new\n");
	/* a dangling link: its target is created */
	snprintf(dangling, sizeof(dangling), "%s/dangling", dir);
	snprintf(dtarget, sizeof(dtarget), "%s/created", dir);
	CHECK_INT_EQ(symlink("created", dangling), 0);
	CHECK_INT_EQ(write_output(dangling, "made\n"), 0);
	CHECK(lstat(dangling, &st) == 0 && S_ISLNK(st.st_mode));
	first_line(line, sizeof(line), dtarget);
	CHECK_STR_EQ(line, "made\n");
	/* /dev/fd/N, a link to whatever N is: here a regular file */
	{
		char fdpath[32], stdpath[64];
		int fd;

		snprintf(stdpath, sizeof(stdpath), "%s/std", dir);
		fd = open(stdpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		CHECK(fd >= 0);
		snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", fd);
		CHECK_INT_EQ(write_output(fdpath, "via fd\n"), 0);
		close(fd);
		first_line(line, sizeof(line), stdpath);
		CHECK_STR_EQ(line, "via fd\n");
	}
	CHECK_INT_EQ(count_prefixed(dir, "\\."), 0);
	rm_tree(dir);
}

void
test_cli__output_keeps_mode(void)
{
	char dir[32], path[64];
	struct stat st;
	mode_t um;

	if (!scratch(dir))
		return;
	snprintf(path, sizeof(path), "%s/secret.json", dir);
	CHECK_INT_EQ(write_output(path, "1\n"), 0);
	CHECK_INT_EQ(chmod(path, 0600), 0);
	CHECK_INT_EQ(write_output(path, "2\n"), 0);
	CHECK(stat(path, &st) == 0);
	CHECK_INT_EQ(st.st_mode & 07777, 0600);
	CHECK_INT_EQ(chmod(path, 0640), 0);
	CHECK_INT_EQ(write_output(path, "3\n"), 0);
	CHECK(stat(path, &st) == 0);
	CHECK_INT_EQ(st.st_mode & 07777, 0640);
	unlink(path);
	/* a new file: 0666 & ~umask, as open(2) would give */
	um = umask(027);
	CHECK_INT_EQ(write_output(path, "4\n"), 0);
	umask(um);
	CHECK(stat(path, &st) == 0);
	CHECK_INT_EQ(st.st_mode & 07777, 0640);
	rm_tree(dir);
}

void
test_cli__output_long_name(void)
{
	char dir[32], path[400], line[16];
	size_t n;

	if (!scratch(dir))
		return;
	/* 255 bytes, the most a file name can have; and 245 */
	for (n = 245; n <= 255; n += 10) {
		size_t d = strlen(dir);

		memcpy(path, dir, d);
		path[d] = '/';
		memset(path + d + 1, 'n', n);
		path[d + 1 + n] = '\0';
		CHECK_INT_EQ(write_output(path, "long\n"), 0);
		first_line(line, sizeof(line), path);
		CHECK_STR_EQ(line, "long\n");
	}
	CHECK_INT_EQ(count_prefixed(dir, "\\."), 0);
	rm_tree(dir);
}

void
test_cli__commit_all_or_none(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_output *a = NULL, *b = NULL;
	char dir[32], pa[64], pb[64];
	struct stat st;

	if (!scratch(dir))
		return;
	snprintf(pa, sizeof(pa), "%s/rows.csv", dir);
	snprintf(pb, sizeof(pb), "%s/out.json", dir);
	CHECK_INT_EQ(aud_output_open(&a, pa, &err), 0);
	CHECK_INT_EQ(aud_output_open(&b, pb, &err), 0);
	fputs("rows\n", aud_output_stream(a));
	fputs("{}\n", aud_output_stream(b));
	/* the second cannot be renamed into place: a folder took its name */
	CHECK_INT_EQ(mkdir(pb, 0755), 0);
	{
		struct aud_output *const both[] = { a, b };

		CHECK_INT_EQ(aud_output_commit_all(both, 2, &err), AUD_EOUTPUT);
	}
	aud_output_free(a);
	aud_output_free(b);
	CHECK(stat(pa, &st) != 0);
	CHECK_INT_EQ(count_prefixed(dir, "\\."), 0);
	rmdir(pb);
	/* and both when both can */
	CHECK_INT_EQ(aud_output_open(&a, pa, &err), 0);
	CHECK_INT_EQ(aud_output_open(&b, pb, &err), 0);
	{
		struct aud_output *const both[] = { a, NULL, b };

		CHECK_INT_EQ(aud_output_commit_all(both, 3, &err), 0);
	}
	aud_output_free(a);
	aud_output_free(b);
	CHECK(stat(pa, &st) == 0 && stat(pb, &st) == 0);
	rm_tree(dir);
}

void
test_cli__same_file(void)
{
	char dir[32], a[64], b[64], c[64], cwd[PATH_MAX];

	if (!scratch(dir))
		return;
	snprintf(a, sizeof(a), "%s/a.csv", dir);
	snprintf(b, sizeof(b), "%s/b.csv", dir);
	snprintf(c, sizeof(c), "%s/../%s/a.csv", dir, strrchr(dir, '/') + 1);
	CHECK_INT_EQ(write_output(a, "x\n"), 0);
	CHECK_INT_EQ(aud_cli_same_file(a, a), 1);
	CHECK_INT_EQ(aud_cli_same_file(a, c), 1);
	CHECK_INT_EQ(symlink("a.csv", b), 0);
	CHECK_INT_EQ(aud_cli_same_file(a, b), 1);
	unlink(b);
	CHECK_INT_EQ(link(a, b), 0);
	CHECK_INT_EQ(aud_cli_same_file(b, a), 1);
	unlink(b);
	/* neither exists: the same folder and name */
	CHECK_INT_EQ(aud_cli_same_file(b, b), 1);
	if (getcwd(cwd, sizeof(cwd)) != NULL && chdir(dir) == 0) {
		CHECK_INT_EQ(aud_cli_same_file("./b.csv", b), 1);
		CHECK_INT_EQ(aud_cli_same_file("b.csv", "c.csv"), 0);
		CHECK_INT_EQ(chdir(cwd), 0);
	}
	/* one exists, the other not; stdin; devices are not "the same output" */
	CHECK_INT_EQ(aud_cli_same_file(a, b), 0);
	CHECK_INT_EQ(aud_cli_same_file("-", "-"), 0);
	CHECK_INT_EQ(aud_cli_same_file(NULL, a), 0);
	CHECK_INT_EQ(aud_cli_same_file("/dev/null", "/dev/null"), 0);
	rm_tree(dir);
}

static const char *check_dir;

static void
print_check_files(void)
{
	char a[64], m[64];
	const struct aud_cli_file outs[] = { { "--model-out", m }, { "-o", m } };
	const struct aud_cli_file ins[] = { { "the input", a } };
	const struct aud_cli_file outs2[] = { { "-o", a } };

	snprintf(a, sizeof(a), "%s/a.csv", check_dir);
	snprintf(m, sizeof(m), "%s/m.pmml", check_dir);
	CHECK_INT_EQ(aud_cli_check_files("audit-x", outs, 2, NULL, 0), AUD_EXIT_USAGE);
	CHECK_INT_EQ(aud_cli_check_files("audit-x", outs2, 1, ins, 1), AUD_EXIT_USAGE);
	CHECK_INT_EQ(aud_cli_check_files("audit-x", outs, 1, ins, 1), 0);
}

void
test_cli__check_files_refuses_overwriting(void)
{
	static char buf[1024], want[1024];
	char dir[32], a[64];

	if (!scratch(dir))
		return;
	check_dir = dir;
	snprintf(a, sizeof(a), "%s/a.csv", dir);
	CHECK_INT_EQ(write_output(a, "x\n"), 0);
	capture_stderr(buf, sizeof(buf), print_check_files);
	snprintf(want, sizeof(want),
	    "audit-x: --model-out and -o name the same file '%s/m.pmml' (see 'audit-x --help')\n"
	    "audit-x: -o and the input name the same file '%s/a.csv': it would be overwritten"
	    " (see 'audit-x --help')\n", dir, dir);
	CHECK_STR_EQ(buf, want);
	rm_tree(dir);
}

/* Wait for a child; its status, or -1. */
static int
wait_for(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

void
test_cli__init_reopens_closed_descriptors(void)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct aud_error err = AUD_ERROR_INIT;
		int fd;

		close(0);
		close(2);
		if (aud_cli_init(&err) < 0)
			_exit(10);
		/* 0 and 2 are open again, so a new file gets 3 or more */
		fd = open("/dev/null", O_RDONLY);
		_exit(fd > 2 && fcntl(0, F_GETFD) >= 0 && fcntl(2, F_GETFD) >= 0 ? 0 : 11);
	}
	CHECK(pid > 0);
	st = wait_for(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

void
test_cli__signal_removes_temporary_files_and_kills_children(void)
{
	char dir[32], path[64];
	pid_t pid, grandchild = -1;
	int pfd[2], st;

	if (!scratch(dir) || pipe(pfd) < 0)
		return;
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	/* this process reaps the orphaned grandchild, to see how it died */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct aud_error err = AUD_ERROR_INIT;
		struct aud_output *o = NULL, *o2 = NULL;
		char p2[80];
		pid_t g;

		close(pfd[0]);
		if (aud_cli_init(&err) < 0 || aud_output_open(&o, path, &err) < 0)
			_exit(10);
		snprintf(p2, sizeof(p2), "%s/model.pmml", dir);
		if (aud_output_open(&o2, p2, &err) < 0)
			_exit(11);
		fputs("partial", aud_output_stream(o));
		fflush(aud_output_stream(o));
		g = fork();
		if (g == 0) {
			setpgid(0, 0);
			for (;;)
				pause();
		}
		setpgid(g, g);
		if (aud_cli_track_child(g) < 0 || write(pfd[1], &g, sizeof(g)) != sizeof(g))
			_exit(12);
		raise(SIGTERM);
		_exit(13);   /* not reached */
	}
	close(pfd[1]);
	CHECK(pid > 0);
	if (read(pfd[0], &grandchild, sizeof(grandchild)) != sizeof(grandchild))
		grandchild = -1;
	close(pfd[0]);
	st = wait_for(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	CHECK_INT_EQ(count_prefixed(dir, "\\."), 0);
	CHECK(grandchild > 1);
	if (grandchild > 1) {
		st = wait_for(grandchild);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	rm_tree(dir);
}

void
test_cli__track_child_bounds(void)
{
	int i, rc = 0;

	CHECK_INT_EQ(aud_cli_track_child(0), AUD_EINVAL);
	CHECK_INT_EQ(aud_cli_track_child(1), AUD_EINVAL);
	CHECK_INT_EQ(aud_cli_track_child(-5), AUD_EINVAL);
	/* 64 slots, then full; untracking frees one */
	for (i = 0; i < 64; i++)
		rc |= aud_cli_track_child(1000000 + i);
	CHECK_INT_EQ(rc, 0);
	CHECK_INT_EQ(aud_cli_track_child(2000000), AUD_ENOMEM);
	aud_cli_untrack_child(1000005);
	aud_cli_untrack_child(12345);   /* unknown: ignored */
	CHECK_INT_EQ(aud_cli_track_child(2000000), 0);
	for (i = 0; i < 64; i++)
		aud_cli_untrack_child(1000000 + i);
	aud_cli_untrack_child(2000000);
}

void
test_cli__address_space_check(void)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct aud_error err = AUD_ERROR_INIT;
		struct rlimit rl;
		unsigned long pages = 0;
		char want[128];
		FILE *f = fopen("/proc/self/statm", "r");

		/* no limit: anything goes */
		if (aud_cli_check_address_space((size_t)1 << 40, "x", &err) != 0)
			_exit(10);
		/* 256 MiB more than now (a sanitizer maps a lot): 1 GiB cannot fit, 1 MiB can */
		if (f == NULL || fscanf(f, "%lu", &pages) != 1)
			_exit(0);
		fclose(f);
		rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) +
		    ((rlim_t)256 << 20);
		if (setrlimit(RLIMIT_AS, &rl) < 0)
			_exit(0);
		if (aud_cli_check_address_space((size_t)1 << 30, "the test", &err) != AUD_ENOMEM)
			_exit(11);
		snprintf(want, sizeof(want), "out of memory: the test needs 1024 MiB of address "
		    "space, more than the limit of %llu MiB leaves",
		    (unsigned long long)(rl.rlim_cur >> 20));
		if (strcmp(err.msg, want) != 0)
			_exit(12);
		_exit(aud_cli_check_address_space((size_t)1 << 20, "x", &err) == 0 ? 0 : 13);
	}
	CHECK(pid > 0);
	st = wait_for(pid);
	CHECK(WIFEXITED(st));
	CHECK_INT_EQ(WEXITSTATUS(st), 0);
}

/* ---- the progress line ---- */

void
test_cli__progress_format_known_total(void)
{
	char buf[160];
	size_t n;

	/* 5 MB of 10 in 2 s: 2.5 MB/s, 2 s to go */
	n = aud_progress_format(buf, sizeof(buf), "input", 5000000, 10000000,
	    AUD_PROGRESS_BYTES, 2.0);
	CHECK_STR_EQ(buf, "input [##########..........]  50% 5.0 MB/10.0 MB, 2.5 MB/s, ETA 0:02");
	CHECK_INT_EQ(n, strlen(buf));
	/* 1500 of 6000 rows in 0.5 s: 3000 rows/s, 4500 rows left: 1.5 s, shown 0:02 */
	aud_progress_format(buf, sizeof(buf), "generate", 1500, 6000, AUD_PROGRESS_ROWS, 0.5);
	CHECK_STR_EQ(buf, "generate [#####...............]  25% 1500/6000 rows, 3.0k rows/s, ETA 0:02");
	/* one task a second, 9999 to go: 2 h 46 min 39 s */
	aud_progress_format(buf, sizeof(buf), "gaussian", 1, 10000, AUD_PROGRESS_TASKS, 1.0);
	CHECK_STR_EQ(buf, "gaussian [....................]   0% 1/10000 tasks, 1 tasks/s, ETA 2:46:39");
	/* nothing done, no time yet: no rate, no ETA */
	aud_progress_format(buf, sizeof(buf), "shap", 0, 12, AUD_PROGRESS_TASKS, 0.0);
	CHECK_STR_EQ(buf, "shap [....................]   0% 0/12 tasks");
	/* done: a full bar and no ETA */
	aud_progress_format(buf, sizeof(buf), "pdp", 20, 20, AUD_PROGRESS_TASKS, 4.0);
	CHECK_STR_EQ(buf, "pdp [####################] 100% 20/20 tasks, 5 tasks/s");
}

void
test_cli__progress_format_unknown_total(void)
{
	char buf[160];

	/* a pipe: 12.3 MB in 3 s */
	aud_progress_format(buf, sizeof(buf), "input", 12300000, 0, AUD_PROGRESS_BYTES, 3.0);
	CHECK_STR_EQ(buf, "input 12.3 MB read, 4.1 MB/s");
	aud_progress_format(buf, sizeof(buf), "generate", 1200, 0, AUD_PROGRESS_ROWS, 4.0);
	CHECK_STR_EQ(buf, "generate 1200 rows, 300 rows/s");
	aud_progress_format(buf, sizeof(buf), "input", 999, 0, AUD_PROGRESS_BYTES, 0.0);
	CHECK_STR_EQ(buf, "input 999 B read");
	/* 999.95 kB rounds up to the next unit, never "1000.0 kB" */
	aud_progress_format(buf, sizeof(buf), "input", 999950, 0, AUD_PROGRESS_BYTES, 0.0);
	CHECK_STR_EQ(buf, "input 1.0 MB read");
	aud_progress_format(buf, sizeof(buf), "input", 2500000000ULL, 0, AUD_PROGRESS_BYTES, 0.0);
	CHECK_STR_EQ(buf, "input 2.5 GB read");
}

void
test_cli__progress_format_truncates(void)
{
	char buf[10];
	size_t n;

	n = aud_progress_format(buf, sizeof(buf), "generate", 1200, 0, AUD_PROGRESS_ROWS, 4.0);
	CHECK_INT_EQ(n, 9);
	CHECK_STR_EQ(buf, "generate ");
	CHECK_INT_EQ(aud_progress_format(buf, 0, "x", 1, 2, AUD_PROGRESS_ROWS, 1.0), 0);
}

void
test_cli__progress_disabled_is_silent(void)
{
	struct aud_cli_progress bar = AUD_CLI_PROGRESS_INIT;

	/* a disabled bar (stderr not a terminal, or -q) never draws, even after a second */
	aud_cli_progress_init(&bar, 0);
	bar.start -= 10.0;
	aud_cli_progress("input", AUD_PROGRESS_BYTES, 10, 100, &bar);
	CHECK_INT_EQ(bar.drawn, 0);
	aud_cli_progress_end(&bar);
	CHECK_INT_EQ(bar.drawn, 0);
}

/* ---- --threads ---- */

/* (--threads itself is parsed by the option table: test_opt) */
void
test_cli__default_threads(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned want = cores < 1 ? 1 : cores > AUD_MAX_THREADS ? AUD_MAX_THREADS : (unsigned)cores;

	CHECK_INT_EQ(aud_cli_default_threads(), want);
}
