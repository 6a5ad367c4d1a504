/* cli.c — helpers every tool shares (see cli.h). */
#include <audit/cli.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <audit/csv.h>

int
aud_cli_exit_code(int code)
{
	switch (code) {
	case AUD_OK: return AUD_EXIT_OK;
	case AUD_EINVAL: return AUD_EXIT_USAGE;
	case AUD_EIO:
	case AUD_EPARSE:
	case AUD_ENOTFOUND:
	case AUD_EUNSUPPORTED: return AUD_EXIT_INPUT;
	case AUD_EMODEL: return AUD_EXIT_MODEL;
	case AUD_EOUTPUT: return AUD_EXIT_OUTPUT;
	default: return AUD_EXIT_INTERNAL;
	}
}

int
aud_cli_report(const char *prog, const struct aud_error *err)
{
	const char *msg = err->msg[0] != '\0' ? err->msg : aud_strerror(err->code);

	fprintf(stderr, "%s: %s\n", prog, msg);
	return aud_cli_exit_code(err->code);
}

int
aud_cli_usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return AUD_EXIT_USAGE;
}

void
aud_cli_warn(const char *prog, int quiet, const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	fprintf(stderr, "%s: warning: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
aud_cli_version(const char *prog)
{
	printf("%s (rai-audit) %s\n", prog, AUD_VERSION);
}

int
aud_parse_long(long *out, const char *s, long min, long max, const char *what,
    struct aud_error *err)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return AUD_ERROR(err, AUD_EINVAL, "%s: empty number", what);
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || end == s || s[0] == ' ')
		return AUD_ERROR(err, AUD_EINVAL, "%s: '%s' is not a whole number", what, s);
	if (errno == ERANGE || v < min || v > max)
		return AUD_ERROR(err, AUD_EINVAL, "%s: %s is out of range [%ld, %ld]",
		    what, s, min, max);
	*out = v;
	return 0;
}

int
aud_parse_double(double *out, const char *s, double min, double max,
    const char *what, struct aud_error *err)
{
	double v;

	if (s == NULL || *s == '\0')
		return AUD_ERROR(err, AUD_EINVAL, "%s: empty number", what);
	if (aud_parse_number(&v, s, strlen(s)) != 1 || s[0] == ' ')
		return AUD_ERROR(err, AUD_EINVAL, "%s: '%s' is not a number", what, s);
	if (!(v >= min && v <= max))
		return AUD_ERROR(err, AUD_EINVAL, "%s: %s is out of range [%g, %g]",
		    what, s, min, max);
	*out = v;
	return 0;
}

int
aud_parse_seed(uint64_t *out, const char *s, struct aud_error *err)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return AUD_ERROR(err, AUD_EINVAL, "--seed: '%s' is not a whole number >= 0",
		    s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return AUD_ERROR(err, AUD_EINVAL, "--seed: '%s' is not a whole number >= 0", s);
	*out = (uint64_t)v;
	return 0;
}

int
aud_parse_format(enum aud_format *out, const char *s, struct aud_error *err)
{
	if (strcmp(s, "json") == 0)
		*out = AUD_FORMAT_JSON;
	else if (strcmp(s, "table") == 0)
		*out = AUD_FORMAT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = AUD_FORMAT_CSV;
	else if (strcmp(s, "md") == 0)
		*out = AUD_FORMAT_MD;
	else
		return AUD_ERROR(err, AUD_EINVAL,
		    "--format: '%s' is not one of json, table, csv, md", s);
	return 0;
}

enum aud_format
aud_default_format(const char *out_path)
{
	if ((out_path == NULL || strcmp(out_path, "-") == 0) && isatty(1))
		return AUD_FORMAT_TABLE;
	return AUD_FORMAT_JSON;
}

int
aud_cli_time(time_t *out, const char *sde, struct aud_error *err)
{
	char *end;
	long long v;

	if (sde != NULL && *sde != '\0') {
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (*end != '\0' || errno == ERANGE || v < 0)
			return AUD_ERROR(err, AUD_EINVAL,
			    "SOURCE_DATE_EPOCH: '%s' is not a whole number of seconds", sde);
		*out = (time_t)v;
		return 0;
	}
	*out = time(NULL);
	return 0;
}

void
aud_format_time(char buf[21], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- atomic output ---- */

struct aud_output {
	FILE *f;
	char *path;     /* destination, NULL for stdout */
	char *tmp;      /* temporary file */
	int special;    /* a device or FIFO opened directly */
	int committed;
};

int
aud_output_open(struct aud_output **out, const char *path, struct aud_error *err)
{
	struct aud_output *o;
	const char *slash;
	size_t dirlen;
	int fd, e;

	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (o == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		*out = o;
		return 0;
	}
	{
		struct stat st;

		/* a device or FIFO (-o /dev/null, a named pipe) is written in place */
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			if (S_ISDIR(st.st_mode)) {
				free(o);
				return AUD_ERROR(err, AUD_EOUTPUT, "cannot write '%s': %s",
				    path, strerror(EISDIR));
			}
			o->f = fopen(path, "w");
			if (o->f == NULL) {
				e = errno;
				free(o);
				return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e,
				    "cannot write '%s': %s", path, strerror(e));
			}
			o->special = 1;
			*out = o;
			return 0;
		}
	}
	o->path = strdup(path);
	slash = strrchr(path, '/');
	dirlen = slash != NULL ? (size_t)(slash - path + 1) : 0;
	o->tmp = malloc(dirlen + strlen(path + dirlen) + 32);
	if (o->path == NULL || o->tmp == NULL) {
		aud_output_free(o);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	memcpy(o->tmp, path, dirlen);
	sprintf(o->tmp + dirlen, ".%s.tmpXXXXXX", path + dirlen);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		e = errno;
		free(o->tmp);
		o->tmp = NULL;
		aud_output_free(o);
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    path, strerror(e));
	}
	{
		/* honour the umask as a plain open() would (mkstemp uses 0600) */
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	o->f = fdopen(fd, "w");
	if (o->f == NULL) {
		e = errno;
		close(fd);
		aud_output_free(o);
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    path, strerror(e));
	}
	*out = o;
	return 0;
}

FILE *
aud_output_stream(struct aud_output *o)
{
	return o->f;
}

int
aud_output_commit(struct aud_output *o, struct aud_error *err)
{
	int e;

	if (o->special) {
		if (fflush(o->f) == EOF || ferror(o->f))
			return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, errno,
			    "cannot write output: %s", strerror(errno));
		o->committed = 1;
		return 0;
	}
	if (o->path == NULL) {
		if (fflush(stdout) == EOF || ferror(stdout))
			return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, errno,
			    "cannot write standard output: %s", strerror(errno));
		o->committed = 1;
		return 0;
	}
	if (fflush(o->f) == EOF || ferror(o->f) || fsync(fileno(o->f)) < 0) {
		e = errno;
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    o->path, strerror(e));
	}
	if (fclose(o->f) == EOF) {
		e = errno;
		o->f = NULL;
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    o->path, strerror(e));
	}
	o->f = NULL;
	if (rename(o->tmp, o->path) < 0) {
		e = errno;
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    o->path, strerror(e));
	}
	o->committed = 1;
	return 0;
}

void
aud_output_free(struct aud_output *o)
{
	if (o == NULL)
		return;
	if (o->special && o->f != NULL)
		fclose(o->f);
	if (o->path != NULL) {
		if (o->f != NULL)
			fclose(o->f);
		if (!o->committed && o->tmp != NULL)
			unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	free(o);
}

/* ---- progress ---- */

struct aud_progress {
	char *label;
	uint64_t total;
	int enabled;
	int drawn;
	double start;
	double last;
};

static double
now_seconds(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int
aud_stderr_is_tty(void)
{
	return isatty(2);
}

int
aud_progress_new(struct aud_progress **out, const char *label, uint64_t total,
    int enabled, struct aud_error *err)
{
	struct aud_progress *p;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	p->label = strdup(label != NULL ? label : "");
	if (p->label == NULL) {
		free(p);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	p->total = total;
	p->enabled = enabled;
	p->start = p->last = now_seconds();
	*out = p;
	return 0;
}

void
aud_progress_update(struct aud_progress *p, uint64_t done)
{
	double t;

	if (p == NULL || !p->enabled)
		return;
	t = now_seconds();
	if (t - p->start < 1.0 || t - p->last < 0.1)
		return;
	p->last = t;
	p->drawn = 1;
	if (p->total > 0) {
		double frac = (double)done / (double)p->total;
		int width = 30, fill, i;
		char bar[31];

		if (frac > 1)
			frac = 1;
		fill = (int)(frac * width);
		for (i = 0; i < width; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[width] = '\0';
		fprintf(stderr, "\r%s [%s] %3.0f%%", p->label, bar, frac * 100);
	} else {
		fprintf(stderr, "\r%s %llu", p->label, (unsigned long long)done);
	}
	fflush(stderr);
}

void
aud_progress_free(struct aud_progress *p)
{
	if (p == NULL)
		return;
	if (p->drawn)
		fprintf(stderr, "\r\033[K");
	free(p->label);
	free(p);
}
