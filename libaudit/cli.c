/* cli.c — helpers every tool shares (see cli.h). */
#include <audit/cli.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
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

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp <= 0x9f)   /* C1 controls: 0x9b is a terminal's CSI */
		return 0;
	return len;
}

size_t
aud_cli_escape(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, out = 0, k, len;
	char tmp[5];

	while (i < n) {
		const char *piece = tmp;
		size_t plen;

		len = utf8_len(p + i, n - i);
		if (len == 1 && p[i] >= 0x20 && p[i] != 0x7f) {
			tmp[0] = (char)p[i];
			plen = 1;
		} else if (len > 1) {
			piece = (const char *)p + i;
			plen = len;
		} else {
			if (p[i] == '\n')
				memcpy(tmp, "\\n", plen = 2);
			else if (p[i] == '\t')
				memcpy(tmp, "\\t", plen = 2);
			else if (p[i] == '\r')
				memcpy(tmp, "\\r", plen = 2);
			else {
				snprintf(tmp, sizeof(tmp), "\\x%02x", p[i]);
				plen = 4;
			}
			len = 1;
		}
		for (k = 0; k < plen; k++, out++)
			if (out + 1 < size)
				buf[out] = piece[k];
		i += len;
	}
	if (size > 0)
		buf[out < size ? out : size - 1] = '\0';
	return out;
}

/*
 * Print "<prog>: <prefix><message><suffix>" as one line, the message with its
 * control characters and invalid UTF-8 escaped: it may quote a data file or a
 * model's output, which must not reach a terminal raw.
 */
static void
print_line(const char *prog, const char *prefix, const char *suffix, const char *fmt,
    va_list ap)
{
	char small[512], esmall[2048], *msg = small, *esc = esmall;
	va_list aq;
	int n;
	size_t need;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		small[0] = '\0';
	} else if ((size_t)n >= sizeof(small)) {
		msg = malloc((size_t)n + 1);
		if (msg != NULL)
			vsnprintf(msg, (size_t)n + 1, fmt, aq);
		else
			msg = small;   /* out of memory: the truncated text */
	}
	va_end(aq);
	need = aud_cli_escape(NULL, 0, msg) + 1;
	if (need > sizeof(esmall)) {
		esc = malloc(need);
		if (esc == NULL) {
			esc = esmall;
			need = sizeof(esmall);
		}
	}
	aud_cli_escape(esc, need, msg);
	fprintf(stderr, "%s: %s%s%s\n", prog, prefix, esc, suffix);
	fflush(stderr);
	if (esc != esmall)
		free(esc);
	if (msg != small)
		free(msg);
}

static void
print_fmt(const char *prog, const char *prefix, const char *suffix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line(prog, prefix, suffix, fmt, ap);
	va_end(ap);
}

int
aud_cli_report(const char *prog, const struct aud_error *err)
{
	const char *msg = err->msg[0] != '\0' ? err->msg : aud_strerror(err->code);
	int status = aud_cli_exit_code(err->code);
	char suffix[128];

	/* a usage error says where the usage is, whoever found it */
	suffix[0] = '\0';
	if (status == AUD_EXIT_USAGE)
		snprintf(suffix, sizeof(suffix), " (see '%s --help')", prog);
	print_fmt(prog, "", suffix, "%s", msg);
	return status;
}

int
aud_cli_usage_error(const char *prog, const char *fmt, ...)
{
	char suffix[128];
	va_list ap;

	snprintf(suffix, sizeof(suffix), " (see '%s --help')", prog);
	va_start(ap, fmt);
	print_line(prog, "", suffix, fmt, ap);
	va_end(ap);
	return AUD_EXIT_USAGE;
}

void
aud_cli_warn(const char *prog, int quiet, const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	print_line(prog, "warning: ", "", fmt, ap);
	va_end(ap);
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

unsigned
aud_cli_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > AUD_MAX_THREADS ? AUD_MAX_THREADS : (unsigned)n;
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

/* ---- the process: standard descriptors, signals, temporary files, children ---- */

/*
 * A signal handler can reach only static storage, so the registry of
 * temporary files and child process groups is the one piece of process-wide
 * state in libaudit. Slots are claimed and released with atomic operations:
 * the handler may run in any thread, at any moment.
 */
#define TEMP_SLOTS 16
#define CHILD_SLOTS 64

enum { SLOT_FREE, SLOT_BUSY, SLOT_LIVE };

static struct {
	atomic_int state;
	char path[PATH_MAX];
} temp_slots[TEMP_SLOTS];

static atomic_int child_slots[CHILD_SLOTS];

static const int handled_signals[] = { SIGHUP, SIGINT, SIGPIPE, SIGTERM };

static void
cleanup_now(void)
{
	size_t i;

	for (i = 0; i < CHILD_SLOTS; i++) {
		int pg = atomic_load(&child_slots[i]);

		if (pg > 1) {
			kill(-(pid_t)pg, SIGTERM);
			kill(-(pid_t)pg, SIGCONT);
		}
	}
	for (i = 0; i < TEMP_SLOTS; i++)
		if (atomic_load(&temp_slots[i].state) == SLOT_LIVE)
			unlink(temp_slots[i].path);
}

/*
 * Installed with every handled signal blocked while it runs, so that a second
 * signal (a shell or `timeout` that signals the process and then its group)
 * cannot end the process half-way through the clean-up: the default action is
 * restored for this signal only and the signal raised again; it is delivered,
 * and ends the process, when the handler returns.
 */
static void
on_signal(int sig)
{
	int saved = errno;

	cleanup_now();
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved;
}

int
aud_cli_init(struct aud_error *err)
{
	struct sigaction sa, old;
	size_t i;
	int fd;

	/*
	 * A closed 0, 1 or 2 would be taken by the next file opened (the
	 * temporary output file), and warnings would land in it.
	 */
	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			return AUD_ERROR_ERRNO(err, AUD_EIO, errno,
			    "cannot open '/dev/null' in place of closed descriptor %d", fd);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++)
		sigaddset(&sa.sa_mask, handled_signals[i]);
	for (i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++) {
		/* a signal the caller ignores (nohup, background jobs) stays ignored */
		if (sigaction(handled_signals[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(handled_signals[i], &sa, NULL);
	}
	return 0;
}

int
aud_cli_track_child(pid_t pgid)
{
	size_t i;

	if (pgid <= 1)
		return AUD_EINVAL;
	for (i = 0; i < CHILD_SLOTS; i++) {
		int expect = 0;

		if (atomic_compare_exchange_strong(&child_slots[i], &expect, (int)pgid))
			return 0;
	}
	return AUD_ENOMEM;
}

void
aud_cli_untrack_child(pid_t pgid)
{
	size_t i;

	if (pgid <= 1)
		return;
	for (i = 0; i < CHILD_SLOTS; i++) {
		int expect = (int)pgid;

		if (atomic_compare_exchange_strong(&child_slots[i], &expect, 0))
			return;
	}
}

void
aud_cli_model_child(pid_t pgid, int running, void *payload)
{
	(void)payload;
	if (running)
		(void)aud_cli_track_child(pgid); /* a full table: the group is not ended by a signal */
	else
		aud_cli_untrack_child(pgid);
}

/* Register a temporary file to remove on a signal. @return the slot or -1 (table full) */
static int
track_temp(const char *path)
{
	size_t i, n = strlen(path);

	if (n >= PATH_MAX)
		return -1;
	for (i = 0; i < TEMP_SLOTS; i++) {
		int expect = SLOT_FREE;

		if (atomic_compare_exchange_strong(&temp_slots[i].state, &expect, SLOT_BUSY)) {
			memcpy(temp_slots[i].path, path, n + 1);
			atomic_store(&temp_slots[i].state, SLOT_LIVE);
			return (int)i;
		}
	}
	return -1;
}

static void
untrack_temp(int slot)
{
	if (slot >= 0 && slot < TEMP_SLOTS)
		atomic_store(&temp_slots[slot].state, SLOT_FREE);
}

int
aud_cli_check_address_space(size_t bytes, const char *what, struct aud_error *err)
{
	struct rlimit rl;
	void *p;

	if (getrlimit(RLIMIT_AS, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return AUD_ERROR_ERRNO(err, AUD_ENOMEM, errno,
		    "out of memory: %s needs %zu MiB of address space, more than the "
		    "limit of %llu MiB leaves", what, bytes >> 20,
		    (unsigned long long)(rl.rlim_cur >> 20));
	munmap(p, bytes);
	return 0;
}

/* ---- atomic output ---- */

struct aud_output {
	FILE *f;
	char *path;     /* the file written (symbolic links resolved), NULL for stdout */
	char *tmp;      /* temporary file */
	int slot;       /* the temporary file's slot in the signal registry, or -1 */
	int special;    /* a device, FIFO or other non-regular file written in place */
	int prepared;   /* flushed, synced and closed; only the rename is left */
	int committed;
};

/*
 * Follow the symbolic links of path's last component, as open() would, to
 * the name of the file itself (which need not exist).
 * @param[out] out caller owns; free()
 */
static int
resolve_links(char **out, const char *path, struct aud_error *err)
{
	char *cur = strdup(path), *next, buf[PATH_MAX];
	struct stat st;
	int hops;
	ssize_t n;

	*out = NULL;
	if (cur == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (hops = 0; lstat(cur, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
		const char *slash;
		size_t dirlen;

		if (hops == 40) {
			free(cur);
			return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, ELOOP, "cannot write '%s': %s",
			    path, strerror(ELOOP));
		}
		n = readlink(cur, buf, sizeof(buf) - 1);
		if (n < 0) {
			int e = errno;

			free(cur);
			return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
			    path, strerror(e));
		}
		buf[n] = '\0';
		slash = strrchr(cur, '/');
		dirlen = buf[0] == '/' || slash == NULL ? 0 : (size_t)(slash - cur + 1);
		next = malloc(dirlen + (size_t)n + 1);
		if (next == NULL) {
			free(cur);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		memcpy(next, cur, dirlen);
		memcpy(next + dirlen, buf, (size_t)n + 1);
		free(cur);
		cur = next;
	}
	*out = cur;
	return 0;
}

/* The longest file name most file systems take (NAME_MAX). */
#define NAME_BYTES 255

/* ".NAME.tmpXXXXXX" beside path, NAME cut short when the whole would be too long. */
static char *
temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - path + 1) : 0;
	size_t base = strlen(path + dirlen), room = NAME_BYTES - sizeof(".tmpXXXXXX");
	char *t;

	if (base > room)
		base = room;
	t = malloc(dirlen + base + sizeof(".") + sizeof(".tmpXXXXXX"));
	if (t == NULL)
		return NULL;
	memcpy(t, path, dirlen);
	t[dirlen] = '.';
	memcpy(t + dirlen + 1, path + dirlen, base);
	memcpy(t + dirlen + 1 + base, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
	return t;
}

static int
open_in_place(struct aud_output *o, const char *path, struct aud_error *err)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    path, strerror(e));
	}
	o->f = fdopen(fd, "w");
	if (o->f == NULL) {
		e = errno;
		close(fd);
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    path, strerror(e));
	}
	o->special = 1;
	return 0;
}

int
aud_output_open(struct aud_output **out, const char *path, struct aud_error *err)
{
	struct aud_output *o;
	struct stat st, rst;
	sigset_t block, oldmask;
	size_t i;
	int fd = -1, e, rc = 0, exists;

	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (o == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	o->slot = -1;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		*out = o;
		return 0;
	}
	exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		rc = AUD_ERROR(err, AUD_EOUTPUT, "cannot write '%s': %s", path, strerror(EISDIR));
		goto done;
	}
	/* a device, FIFO or socket (-o /dev/null, a named pipe) is written in place */
	if (exists && !S_ISREG(st.st_mode)) {
		rc = open_in_place(o, path, err);
		goto done;
	}
	/* a symbolic link: the file it names is replaced, not the link */
	rc = resolve_links(&o->path, path, err);
	if (rc < 0)
		goto done;
	if (exists && (stat(o->path, &rst) != 0 || rst.st_dev != st.st_dev ||
	    rst.st_ino != st.st_ino)) {
		/* a name the links do not lead back to (a deleted file): write in place */
		free(o->path);
		o->path = NULL;
		rc = open_in_place(o, path, err);
		goto done;
	}
	o->tmp = temp_name(o->path);
	if (o->tmp == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	/*
	 * A fatal signal between mkstemp() and track_temp() would leave the file
	 * behind: hold the handled signals back until it is tracked (a pending
	 * one is delivered when they are let through again).
	 */
	sigemptyset(&block);
	for (i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++)
		sigaddset(&block, handled_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, &oldmask);
	fd = mkstemp(o->tmp);
	e = errno;
	if (fd >= 0)
		o->slot = track_temp(o->tmp);
	pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		rc = AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    path, strerror(e));
		goto done;
	}
	/* a model command started later must not inherit the output */
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (exists) {
		/* keep the replaced file's owner and mode (a 0600 file stays 0600) */
		mode_t keep = st.st_mode & 0777;

		if (fchown(fd, st.st_uid, st.st_gid) == 0)
			keep = st.st_mode & 07777;
		else
			(void)fchown(fd, (uid_t)-1, st.st_gid);
		fchmod(fd, keep);
	} else {
		/* honour the umask as a plain open() would (mkstemp uses 0600) */
		mode_t um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	o->f = fdopen(fd, "w");
	if (o->f == NULL) {
		e = errno;
		close(fd);
		rc = AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    path, strerror(e));
	}
done:
	if (rc < 0) {
		aud_output_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

FILE *
aud_output_stream(struct aud_output *o)
{
	return o->f;
}

/* Everything but the rename: flush, check, sync, close. */
static int
output_prepare(struct aud_output *o, struct aud_error *err)
{
	int e;

	if (o->prepared || o->committed)
		return 0;
	if (o->special || o->path == NULL) {
		if (fflush(o->f) == EOF || ferror(o->f)) {
			e = errno;
			if (o->path == NULL && !o->special)
				return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e,
				    "cannot write standard output: %s", strerror(e));
			return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e,
			    "cannot write output: %s", strerror(e));
		}
		o->prepared = 1;
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
	o->prepared = 1;
	return 0;
}

/* The rename into place (nothing to do for stdout and files written in place). */
static int
output_finish(struct aud_output *o, struct aud_error *err)
{
	int e;

	if (o->committed)
		return 0;
	if (!o->special && o->path != NULL && rename(o->tmp, o->path) < 0) {
		e = errno;
		return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write '%s': %s",
		    o->path, strerror(e));
	}
	untrack_temp(o->slot);
	o->slot = -1;
	o->committed = 1;
	return 0;
}

int
aud_output_commit(struct aud_output *o, struct aud_error *err)
{
	int rc = output_prepare(o, err);

	return rc < 0 ? rc : output_finish(o, err);
}

int
aud_output_commit_all(struct aud_output *const *outs, size_t n, struct aud_error *err)
{
	size_t i, j;
	int rc;

	for (i = 0; i < n; i++) {
		if (outs[i] == NULL)
			continue;
		rc = output_prepare(outs[i], err);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < n; i++) {
		if (outs[i] == NULL)
			continue;
		rc = output_finish(outs[i], err);
		if (rc < 0) {
			/* the ones already renamed go too: all or none */
			for (j = 0; j < i; j++)
				if (outs[j] != NULL && !outs[j]->special && outs[j]->path != NULL)
					unlink(outs[j]->path);
			return rc;
		}
	}
	return 0;
}

void
aud_output_free(struct aud_output *o)
{
	if (o == NULL)
		return;
	if (o->f != NULL && o->f != stdout)
		fclose(o->f);
	if (!o->committed && o->tmp != NULL)
		unlink(o->tmp);
	untrack_temp(o->slot);
	free(o->path);
	free(o->tmp);
	free(o);
}

/* ---- the same file named twice ---- */

/* "DIR/NAME" with DIR's real path, for names that do not exist yet. */
static char *
canonical_name(const char *path)
{
	char *res = NULL, *dir, *full, *real;
	const char *base, *slash;

	if (resolve_links(&res, path, NULL) < 0)
		return NULL;
	slash = strrchr(res, '/');
	base = slash != NULL ? slash + 1 : res;
	dir = slash == NULL ? strdup(".") : slash == res ? strdup("/") :
	    strndup(res, (size_t)(slash - res));
	real = dir != NULL ? realpath(dir, NULL) : NULL;
	full = real != NULL ? malloc(strlen(real) + strlen(base) + 2) : NULL;
	if (full != NULL)
		sprintf(full, "%s/%s", real, base);
	free(real);
	free(dir);
	free(res);
	return full;
}

int
aud_cli_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	int ea, eb, same = 0;
	char *ca, *cb;

	if (a == NULL || b == NULL || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	ea = stat(a, &sa) == 0;
	eb = stat(b, &sb) == 0;
	if (ea && eb)
		return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	if (ea || eb)
		return 0;
	if (strcmp(a, b) == 0)
		return 1;
	ca = canonical_name(a);
	cb = canonical_name(b);
	same = ca != NULL && cb != NULL && strcmp(ca, cb) == 0;
	free(ca);
	free(cb);
	return same;
}

int
aud_cli_check_files(const char *prog, const struct aud_cli_file *outputs, size_t n_outputs,
    const struct aud_cli_file *inputs, size_t n_inputs)
{
	size_t i, j;

	for (i = 0; i < n_outputs; i++) {
		if (outputs[i].path == NULL)
			continue;
		for (j = 0; j < n_inputs; j++)
			if (aud_cli_same_file(outputs[i].path, inputs[j].path))
				return aud_cli_usage_error(prog,
				    "%s and %s name the same file '%s': it would be overwritten",
				    outputs[i].option, inputs[j].option, outputs[i].path);
		for (j = 0; j < i; j++)
			if (aud_cli_same_file(outputs[i].path, outputs[j].path))
				return aud_cli_usage_error(prog,
				    "%s and %s name the same file '%s'",
				    outputs[j].option, outputs[i].option, outputs[i].path);
	}
	return 0;
}

/* ---- progress ---- */

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

/* An amount scaled by thousands: "12.3 MB", "4.1k" (`sep` between number and suffix). */
static void
scaled(char *buf, size_t size, double v, const char *const *suffix, const char *sep)
{
	size_t k = 0;

	while (v >= 999.95 && suffix[k + 1] != NULL) {
		v /= 1000.0;
		k++;
	}
	if (k == 0 && v == (double)(uint64_t)v)
		snprintf(buf, size, "%.0f%s%s", v, suffix[0][0] != '\0' ? sep : "", suffix[0]);
	else
		snprintf(buf, size, "%.1f%s%s", v, suffix[k][0] != '\0' ? sep : "", suffix[k]);
}

static const char *const byte_suffix[] = { "B", "kB", "MB", "GB", "TB", NULL };
static const char *const count_suffix[] = { "", "k", "M", "G", NULL };

static const char *
unit_name(enum aud_progress_unit unit)
{
	return unit == AUD_PROGRESS_ROWS ? "rows" : unit == AUD_PROGRESS_BYTES ? "B" : "tasks";
}

/* "1.2 MB" or "1234 rows" */
static void
amount(char *buf, size_t size, enum aud_progress_unit unit, uint64_t v)
{
	if (unit == AUD_PROGRESS_BYTES)
		scaled(buf, size, (double)v, byte_suffix, " ");
	else
		snprintf(buf, size, "%llu %s", (unsigned long long)v, unit_name(unit));
}

/* "4.1 MB/s" or "4.1k rows/s" */
static void
rate_text(char *buf, size_t size, enum aud_progress_unit unit, double r)
{
	char num[32];

	if (unit == AUD_PROGRESS_BYTES) {
		scaled(num, sizeof(num), r, byte_suffix, " ");
		snprintf(buf, size, "%s/s", num);
	} else {
		scaled(num, sizeof(num), r, count_suffix, "");
		snprintf(buf, size, "%s %s/s", num, unit_name(unit));
	}
}

size_t
aud_progress_format(char *buf, size_t size, const char *label, uint64_t done, uint64_t total,
    enum aud_progress_unit unit, double elapsed)
{
	char amt[48], tot[48], rate[48] = "", eta[32] = "";
	double r = elapsed > 0 ? (double)done / elapsed : 0.0;
	int n;

	if (size == 0)
		return 0;
	if (label == NULL)
		label = "";
	if (elapsed > 0 && done > 0)
		rate_text(rate, sizeof(rate), unit, r);
	if (total > 0) {
		char bar[21];
		double frac = done >= total ? 1.0 : (double)done / (double)total;
		int fill = (int)(frac * 20), i;

		for (i = 0; i < 20; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[20] = '\0';
		if (rate[0] != '\0' && done < total) {
			uint64_t s = (uint64_t)((double)(total - done) / r + 0.5);

			if (s >= 3600)
				snprintf(eta, sizeof(eta), ", ETA %llu:%02u:%02u",
				    (unsigned long long)(s / 3600), (unsigned)(s / 60 % 60),
				    (unsigned)(s % 60));
			else
				snprintf(eta, sizeof(eta), ", ETA %u:%02u", (unsigned)(s / 60),
				    (unsigned)(s % 60));
		}
		if (unit == AUD_PROGRESS_BYTES) {
			scaled(amt, sizeof(amt), (double)done, byte_suffix, " ");
			scaled(tot, sizeof(tot), (double)total, byte_suffix, " ");
		} else {
			snprintf(amt, sizeof(amt), "%llu", (unsigned long long)done);
			amount(tot, sizeof(tot), unit, total);
		}
		n = snprintf(buf, size, "%s [%s] %3.0f%% %s/%s%s%s%s", label, bar,
		    floor(frac * 100.0), amt, tot, rate[0] != '\0' ? ", " : "", rate, eta);
	} else {
		amount(amt, sizeof(amt), unit, done);
		n = snprintf(buf, size, "%s %s%s%s%s", label, amt,
		    unit == AUD_PROGRESS_BYTES ? " read" : "", rate[0] != '\0' ? ", " : "", rate);
	}
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < size ? (size_t)n : size - 1;
}

void
aud_cli_progress_init(struct aud_cli_progress *p, int enabled)
{
	memset(p, 0, sizeof(*p));
	p->enabled = enabled;
	p->start = p->phase_start = p->last = now_seconds();
}

void
aud_cli_progress(const char *label, enum aud_progress_unit unit, uint64_t done,
    uint64_t total, void *payload)
{
	struct aud_cli_progress *p = payload;
	char line[160];
	double t;

	if (p == NULL || !p->enabled)
		return;
	if (label == NULL)
		label = "";
	t = now_seconds();
	if (strncmp(p->label, label, sizeof(p->label) - 1) != 0) {
		/* a new phase: its rate and ETA start afresh */
		snprintf(p->label, sizeof(p->label), "%s", label);
		p->phase_start = t;
	}
	/* nothing for work shorter than about a second; at most ten lines a second */
	if (t - p->start < 1.0 || (p->drawn && t - p->last < 0.1))
		return;
	p->last = t;
	p->drawn = 1;
	aud_progress_format(line, sizeof(line), label, done, total, unit, t - p->phase_start);
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
}

void
aud_cli_progress_end(struct aud_cli_progress *p)
{
	if (p != NULL && p->drawn) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
		p->drawn = 0;
	}
}
