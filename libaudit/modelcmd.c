/*
 * modelcmd.c — a model served by an external command (see modelcmd.h).
 *
 * The batch protocol, and what every protocol shares: the model object,
 * CSV serialisation, spawning, stderr tails (modelcmd_impl.h); the
 * long-lived processes of stream and binary are in modelcmd_serve.c.
 *
 * One invocation ("run") per block of rows: spawn `/bin/sh -c COMMAND` with
 * three close-on-exec pipes, then one poll() loop that serialises rows into a
 * buffer as the command's stdin drains, parses its stdout line by line into
 * the caller's score array, and keeps the tail of its stderr. Nothing is
 * shared between runs, so concurrent predictions need no locking.
 */
#define _GNU_SOURCE /* pipe2(), F_SETPIPE_SZ, environ, waitid(), posix_spawn_file_actions_addclosefrom_np() */

#include <audit/modelcmd.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <audit/csv.h>

#include "model_impl.h"
#include "modelcmd_impl.h"

const char *const aud_modelcmd_protocol_names[] = { "batch", "stream", "binary", NULL };

#define INPUT_CHUNK (256 * 1024)   /* serialise this much input before writing */
#define READ_CHUNK (64 * 1024)
#define MAX_LINE (1024 * 1024)     /* longest output line accepted */
#define KILL_GRACE_MS 500          /* after an output error, wait this long for the command */
#define DRAIN_MS 500               /* after the shell exits, wait this long for missing scores */
#define SHELL_CHECK_MS 50          /* how often to look whether the shell has exited */
#define DRAIN_MAX (16 * READ_CHUNK) /* bytes read at most once the shell has exited */



/* The state of one invocation of the command on rows [first, first + n). */
struct run {
	const struct cmd_model *c;
	const struct aud_batch *b;
	const long *cols;
	size_t first, n;
	double *score;           /* n outputs */

	/* input */
	struct aud__mc_buf in;
	size_t in_off;           /* bytes of `in` already written */
	size_t next_row;         /* rows serialised so far */
	int header_sent;
	int epipe;               /* the command closed its stdin before reading it all */

	/* output */
	struct aud__mc_buf line;         /* a partial line */
	uint64_t out_lines;
	size_t nscores;
	int had_header;
	char header[64];         /* the skipped first line, for messages */
	int out_bad;             /* an output error was found (out_msg) */
	int timed_out;           /* killed when the timeout passed */
	char out_msg[200];

	/* stderr */
	char tail[AUD__MC_TAIL_MAX];
	size_t tail_len;
};

/* ---- small helpers ---- */

int
aud__mc_buf_reserve(struct aud__mc_buf *b, size_t extra)
{
	size_t cap;
	char *p;

	if (b->len + extra <= b->cap)
		return 0;
	cap = b->cap > 0 ? b->cap : 4096;
	while (cap < b->len + extra)
		cap *= 2;
	p = realloc(b->p, cap);
	if (p == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Append s (len bytes) as a CSV field: quoted when it holds , " CR or LF. */
int
aud__mc_buf_field(struct aud__mc_buf *b, const char *s, size_t len)
{
	size_t i, nq = 0;
	int quote = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			nq++;
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	}
	if (aud__mc_buf_reserve(b, len + nq + 3) < 0)
		return -1;
	if (!quote) {
		memcpy(b->p + b->len, s, len);
		b->len += len;
		return 0;
	}
	b->p[b->len++] = '"';
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			b->p[b->len++] = '"';
		b->p[b->len++] = s[i];
	}
	b->p[b->len++] = '"';
	return 0;
}

/* Copy s into out (size outsz) as one printable line: controls become ' ' or
 * '?', and a text longer than max bytes keeps its first max bytes and "...". */
void
aud__mc_printable(char *out, size_t outsz, const char *s, size_t len, size_t max)
{
	size_t i, o = 0, cut = len > max ? max : len;

	assert(outsz > 4);
	for (i = 0; i < cut && o + 4 < outsz; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\t' || ch == '\r' || ch == '\n')
			out[o++] = ' ';
		else if (ch < 0x20 || ch == 0x7f)
			out[o++] = '?';
		else
			out[o++] = (char)ch;
	}
	if (cut < len || i < cut) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/*
 * The last lines of the command's stderr as one line: at most 3 lines and
 * AUD__MC_TAIL_SHOWN bytes, joined with " | "; "" when it wrote nothing.
 */
void
aud__mc_tail_summary(char *out, size_t outsz, const char *tail, size_t tail_len)
{
	const char *s = tail;
	size_t len = tail_len, start, i, o = 0;
	int lines = 0;

	out[0] = '\0';
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return;
	start = len;
	while (start > 0) {
		if (s[start - 1] == '\n' && ++lines == 3)
			break;
		start--;
	}
	if (len - start > AUD__MC_TAIL_SHOWN) {
		start = len - AUD__MC_TAIL_SHOWN;
		/* do not begin inside a UTF-8 sequence */
		while (start < len && ((unsigned char)s[start] & 0xC0) == 0x80)
			start++;
		memcpy(out, "...", 3);
		o = 3;
	}
	for (i = start; i < len && o + 4 < outsz; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\n') {
			if (o + 7 >= outsz)
				break;
			memcpy(out + o, " | ", 3);
			o += 3;
		} else if (ch == '\r' || ch == '\t') {
			out[o++] = ' ';
		} else if (ch < 0x20 || ch == 0x7f) {
			out[o++] = '?';
		} else {
			out[o++] = (char)ch;
		}
	}
	out[o] = '\0';
}

void
aud__mc_tail_append(char *tail, size_t *tail_len, const char *s, size_t len)
{
	if (len >= AUD__MC_TAIL_MAX) {
		memcpy(tail, s + len - AUD__MC_TAIL_MAX, AUD__MC_TAIL_MAX);
		*tail_len = AUD__MC_TAIL_MAX;
		return;
	}
	if (*tail_len + len > AUD__MC_TAIL_MAX) {
		size_t drop = *tail_len + len - AUD__MC_TAIL_MAX;

		memmove(tail, tail + drop, *tail_len - drop);
		*tail_len -= drop;
	}
	memcpy(tail + *tail_len, s, len);
	*tail_len += len;
}

const char *
aud__mc_signal_name(int sig)
{
	switch (sig) {
	case SIGHUP: return "SIGHUP";
	case SIGINT: return "SIGINT";
	case SIGQUIT: return "SIGQUIT";
	case SIGILL: return "SIGILL";
	case SIGABRT: return "SIGABRT";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGKILL: return "SIGKILL";
	case SIGSEGV: return "SIGSEGV";
	case SIGPIPE: return "SIGPIPE";
	case SIGALRM: return "SIGALRM";
	case SIGTERM: return "SIGTERM";
	case SIGXCPU: return "SIGXCPU";
	case SIGXFSZ: return "SIGXFSZ";
	default: return "a signal";
	}
}

/* ---- input: rows to CSV ---- */

/*
 * Numbers are sent as aud_format_double() writes them: "%.15g", else
 * "%.16g", else "%.17g", whichever first reads back to the same double. Its
 * three snprintf() calls cost about 1 us for a high-entropy double, the whole
 * budget of a row; so for |x| in [1e-4, 1e15) (where %g writes fixed
 * notation) the same text is computed here with exact integer arithmetic:
 * with x = f * 2^e, x * 10^j = f * 5^j * 2^(e+j) is rounded (half to even,
 * as glibc's printf) to P = 15, 16, 17 significant digits, and a candidate
 * m * 10^-j reads back to x exactly when |m * 10^-j - x| is below half the
 * gap to x's neighbouring double (ties to even). Other values, and any case
 * outside the bounds below, go to aud_format_double().
 */
__extension__ typedef unsigned __int128 u128;

static const uint64_t pow5[23] = {
	1ULL, 5ULL, 25ULL, 125ULL, 625ULL, 3125ULL, 15625ULL, 78125ULL, 390625ULL,
	1953125ULL, 9765625ULL, 48828125ULL, 244140625ULL, 1220703125ULL,
	6103515625ULL, 30517578125ULL, 152587890625ULL, 762939453125ULL,
	3814697265625ULL, 19073486328125ULL, 95367431640625ULL,
	476837158203125ULL, 2384185791015625ULL
};

/* x * 10^j (x = f * 2^e) rounded half to even (round = 1) or truncated. */
static uint64_t
scale10(uint64_t f, int e, int j, int round)
{
	u128 t = (u128)f * pow5[j], q, r, half;
	int s = e + j;

	if (s >= 0)
		return (uint64_t)(t << s);
	if (-s >= 127)
		return 0;
	q = t >> -s;
	if (!round)
		return (uint64_t)q;
	r = t - (q << -s);
	half = (u128)1 << (-s - 1);
	if (r > half || (r == half && (q & 1) != 0))
		q++;
	return (uint64_t)q;
}

/* 1 when m * 10^-j reads back to x = f * 2^e (a normal double, f >= 2^52). */
static int
reads_back(uint64_t m, uint64_t f, int e, int j)
{
	u128 t = (u128)f * pow5[j], d, lim = pow5[j];
	int s = e + j;

	if (s >= 0) {
		/* both sides scaled by 10^j: x -> t << s, half gap -> 5^j 2^(s-1) */
		u128 xs = t << s;

		d = m < xs ? xs - m : m - xs;
		lim <<= s;
	} else {
		/* scaled by 10^j 2^-s: x -> t, m -> m << -s, half gap -> 5^j / 2 */
		u128 ms = (u128)m << -s;

		d = ms < t ? t - ms : ms - t;
	}
	/* (Below a power of two the gap is half as wide; but every power of two
	 * in [1e-4, 1e15) has at most 15 significant digits, so its candidate is
	 * exact (d = 0) and the narrower side never matters here.) */
	d *= 2;
	return d < lim || (d == lim && (f & 1) == 0);
}

size_t
aud__mc_format_number(char buf[32], double x)
{
	static const uint64_t p10[] = { 1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL,
		100000ULL, 1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL,
		10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
		100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL };
	double ax = fabs(x);
	uint64_t bits, f, m = 0;
	int e, X, P, XP = 0, found = 0, i, nd, o = 0;
	char digits[24];

	if (!(ax >= 1e-4 && ax < 1e15))
		goto slow;
	memcpy(&bits, &ax, sizeof(bits));
	f = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
	e = (int)((bits >> 52) & 0x7ff) - 1075;
	/* X = floor(log10(ax)), made exact: 10^16 <= ax * 10^(16-X) < 10^17 */
	/* floor(log2(ax)) * log10(2) is at most one below floor(log10(ax)) */
	X = (int)floor((e + 52) * 0.30102999566398120);
	for (i = 0; i < 2; i++) {
		uint64_t q;

		if (X < -4 || X > 14)
			goto slow;
		q = scale10(f, e, 16 - X, 0);
		if (q >= p10[17])
			X++;
		else if (q < p10[16])
			X--;
		else
			break;
	}
	if (i == 2)
		goto slow;
	for (P = 15; P <= 17 && !found; P++) {
		int j = P - 1 - X;

		m = scale10(f, e, j, 1);
		if (!reads_back(m, f, e, j))
			continue;
		XP = X;
		if (m == p10[P]) {  /* rounded up to the next power of ten */
			m = p10[P - 1];
			XP++;
		}
		if (XP < -4 || XP >= P)
			goto slow;
		found = 1;
	}
	if (!found)
		goto slow;
	nd = 0;
	while (m % 10 == 0)
		m /= 10;
	do {
		digits[nd++] = (char)('0' + m % 10);
		m /= 10;
	} while (m > 0);
	if (x < 0)
		buf[o++] = '-';
	if (XP < 0) {
		buf[o++] = '0';
		buf[o++] = '.';
		for (i = 0; i < -XP - 1; i++)
			buf[o++] = '0';
		while (nd > 0)
			buf[o++] = digits[--nd];
	} else {
		for (i = 0; i <= XP; i++)
			buf[o++] = nd > 0 ? digits[--nd] : '0';
		if (nd > 0) {
			buf[o++] = '.';
			while (nd > 0)
				buf[o++] = digits[--nd];
		}
	}
	buf[o] = '\0';
	return (size_t)o;
slow:
	aud_format_double(buf, x);
	return strlen(buf);
}

/* Append the CSV header line: the features' names. @return 0, -1 (out of memory) */
int
aud__mc_csv_header(struct aud__mc_buf *in, const struct cmd_model *c)
{
	size_t i;

	for (i = 0; i < c->nfeatures; i++) {
		const char *name = c->features[i].name;

		if (aud__mc_buf_reserve(in, 1) < 0)
			return -1;
		if (i > 0)
			in->p[in->len++] = ',';
		if (aud__mc_buf_field(in, name, strlen(name)) < 0)
			return -1;
	}
	if (aud__mc_buf_reserve(in, 1) < 0)
		return -1;
	in->p[in->len++] = '\n';
	return 0;
}

/* Append row `row` of b as a CSV line. @return 0, -1 (out of memory) */
int
aud__mc_csv_row(struct aud__mc_buf *in, const struct cmd_model *c, const struct aud_batch *b,
    const long *cols, size_t row)
{
	char num[32];
	size_t i;

	for (i = 0; i < c->nfeatures; i++) {
		const struct aud_column *col = &b->cols[cols[i]];

		if (i > 0) {
			if (aud__mc_buf_reserve(in, 1) < 0)
				return -1;
			in->p[in->len++] = ',';
		}
		if (col->kind == AUD_COL_CATEGORICAL) {
			int32_t code = col->code[row];
			const char *s;

			if (code < 0)
				continue;
			s = aud_dict_str(col->dict, code);
			if (aud__mc_buf_field(in, s, strlen(s)) < 0)
				return -1;
		} else if (!isnan(col->num[row])) {
			size_t len = aud__mc_format_number(num, col->num[row]);

			if (aud__mc_buf_reserve(in, len) < 0)
				return -1;
			memcpy(in->p + in->len, num, len);
			in->len += len;
		}
	}
	if (aud__mc_buf_reserve(in, 1) < 0)
		return -1;
	in->p[in->len++] = '\n';
	return 0;
}

/* Serialise rows into r->in until it holds about INPUT_CHUNK bytes or every row is in. */
static int
fill_input(struct run *r)
{
	r->in.len = 0;
	r->in_off = 0;
	if (!r->header_sent) {
		if (aud__mc_csv_header(&r->in, r->c) < 0)
			return -1;
		r->header_sent = 1;
	}
	while (r->next_row < r->n && r->in.len < INPUT_CHUNK) {
		if (aud__mc_csv_row(&r->in, r->c, r->b, r->cols, r->first + r->next_row) < 0)
			return -1;
		r->next_row++;
	}
	return 0;
}

/* ---- output: one score per line ---- */

static void
output_error_value(struct run *r, const char *what, const char *s, size_t len)
{
	char shown[64];

	aud__mc_printable(shown, sizeof(shown), s, len, 40);
	snprintf(r->out_msg, sizeof(r->out_msg), "output line %llu: '%s' %s",
	    (unsigned long long)r->out_lines, shown, what);
	r->out_bad = 1;
}

static void
parse_line(struct run *r, const char *s, size_t len)
{
	double v;

	if (r->out_bad)
		return;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	r->out_lines++;
	if (!aud_parse_number(&v, s, len) || !isfinite(v)) {
		if (r->out_lines == 1) {
			r->had_header = 1;
			aud__mc_printable(r->header, sizeof(r->header), s, len, 40);
			return;
		}
		if (len == 0)
			output_error_value(r, "is empty where a score was expected", s, len);
		else
			output_error_value(r, "is not a number", s, len);
		return;
	}
	if (r->nscores == r->n) {
		snprintf(r->out_msg, sizeof(r->out_msg),
		    "printed more than %zu scores for %zu rows", r->n, r->n);
		r->out_bad = 1;
		return;
	}
	r->score[r->nscores++] = v;
}

/* Consume len bytes of stdout. @return 0, -1 (out of memory) */
static int
take_output(struct run *r, const char *s, size_t len)
{
	while (len > 0 && !r->out_bad) {
		const char *nl = memchr(s, '\n', len);
		size_t part = nl != NULL ? (size_t)(nl - s) : len;

		if (r->line.len + part > MAX_LINE) {
			r->out_lines++;
			snprintf(r->out_msg, sizeof(r->out_msg),
			    "output line %llu is longer than %d bytes",
			    (unsigned long long)r->out_lines, MAX_LINE);
			r->out_bad = 1;
			break;
		}
		if (nl == NULL) {
			if (aud__mc_buf_reserve(&r->line, part) < 0)
				return -1;
			memcpy(r->line.p + r->line.len, s, part);
			r->line.len += part;
			break;
		}
		if (r->line.len == 0) {
			parse_line(r, s, part);
		} else {
			if (aud__mc_buf_reserve(&r->line, part) < 0)
				return -1;
			memcpy(r->line.p + r->line.len, s, part);
			r->line.len += part;
			parse_line(r, r->line.p, r->line.len);
			r->line.len = 0;
		}
		s += part + 1;
		len -= part + 1;
	}
	return 0;
}

/* ---- the child process ---- */

void
aud__mc_close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

int
aud__mc_poll(int in_fd, int want_in, int out_fd, int err_fd, int timeout,
    struct aud__mc_ready *ready)
{
	struct pollfd pfd[3];
	int np = 0, ii = -1, io = -1, ie = -1, pr;

	if (in_fd >= 0 && want_in) {
		ii = np;
		pfd[np].fd = in_fd;
		pfd[np++].events = POLLOUT;
	}
	if (out_fd >= 0) {
		io = np;
		pfd[np].fd = out_fd;
		pfd[np++].events = POLLIN;
	}
	if (err_fd >= 0) {
		ie = np;
		pfd[np].fd = err_fd;
		pfd[np++].events = POLLIN;
	}
	pr = poll(pfd, (nfds_t)np, timeout);
	ready->in = pr > 0 && ii >= 0 && pfd[ii].revents != 0;
	ready->out = pr > 0 && io >= 0 && pfd[io].revents != 0;
	ready->err = pr > 0 && ie >= 0 && pfd[ie].revents != 0;
	return pr;
}

int
aud__mc_write_some(int *in_fd, const char *p, size_t len, size_t *off, int *raised_sigpipe)
{
	while (*off < len) {
		ssize_t w = write(*in_fd, p + *off, len - *off);

		if (w > 0) {
			*off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return 0;
		/* EPIPE (the command closed its stdin: it is ending) or another error */
		if (w < 0 && errno == EPIPE)
			*raised_sigpipe = 1;
		aud__mc_close_fd(in_fd);
		return 1;
	}
	return 0;
}

void
aud__mc_read_err(int *err_fd, char *rbuf, size_t rbufsz, char *tail, size_t *tail_len)
{
	ssize_t got = read(*err_fd, rbuf, rbufsz);

	if (got > 0)
		aud__mc_tail_append(tail, tail_len, rbuf, (size_t)got);
	else if (got == 0 || (errno != EINTR && errno != EAGAIN))
		aud__mc_close_fd(err_fd);
}

/* Move fd above 2 (so the child's dup2() onto 0..2 cannot clobber it). */
static int
fd_above_stdio(int *fd)
{
	int nfd;

	if (*fd > 2)
		return 0;
	nfd = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
	if (nfd < 0)
		return -1;
	close(*fd);
	*fd = nfd;
	return 0;
}

static int
make_pipe(int p[2])
{
	p[0] = p[1] = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if (fd_above_stdio(&p[0]) < 0 || fd_above_stdio(&p[1]) < 0) {
		int e = errno;

		aud__mc_close_fd(&p[0]);
		aud__mc_close_fd(&p[1]);
		errno = e;
		return -1;
	}
	return 0;
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return 0;
}

int64_t
aud__mc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Close every descriptor above 2 in the child: whatever the caller opened
 * without close-on-exec (an output file, a socket) stays out of the command.
 */
static int
close_others(posix_spawn_file_actions_t *fa)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	return posix_spawn_file_actions_addclosefrom_np(fa, 3);
#else
	long max = sysconf(_SC_OPEN_MAX), fd;
	int e = 0;

	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max && e == 0; fd++) {
		int fl = fcntl((int)fd, F_GETFD);
		if (fl >= 0 && !(fl & FD_CLOEXEC))
			e = posix_spawn_file_actions_addclose(fa, (int)fd);
	}
	return e;
#endif
}

/*
 * Spawn the command with its stdin, stdout and stderr on new pipes; the
 * parent's ends come back non-blocking and close-on-exec. The child gets the
 * caller's signal mask without SIGPIPE and SIGPIPE's default action, a
 * process group of its own (its id is *pid) and no other descriptor.
 */
int
aud__mc_spawn(pid_t *pid, int *in_fd, int *out_fd, int *err_fd, const char *command,
    const sigset_t *mask, struct aud_error *err)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int fa_ok = 0, at_ok = 0, rc = 0, e;
	sigset_t childmask, def;
	char *argv[4];

	*pid = -1;
	if (make_pipe(pin) < 0 || make_pipe(pout) < 0 || make_pipe(perr) < 0) {
		rc = AUD_ERROR_ERRNO(err, AUD_EMODEL, errno,
		    "cannot create pipes for the model command: %s", strerror(errno));
		goto done;
	}
	e = posix_spawn_file_actions_init(&fa);
	if (e == 0) {
		fa_ok = 1;
		e = posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	}
	if (e == 0)
		e = posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	if (e == 0)
		e = posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	if (e == 0)
		e = close_others(&fa);
	if (e == 0) {
		e = posix_spawnattr_init(&at);
		at_ok = e == 0;
	}
	childmask = *mask;
	sigdelset(&childmask, SIGPIPE);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	if (e == 0)
		e = posix_spawnattr_setsigmask(&at, &childmask);
	if (e == 0)
		e = posix_spawnattr_setsigdefault(&at, &def);
	if (e == 0)
		e = posix_spawnattr_setpgroup(&at, 0);  /* a group of its own */
	if (e == 0)
		e = posix_spawnattr_setflags(&at,
		    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	if (e != 0) {
		rc = e == ENOMEM ? AUD_ERROR(err, AUD_ENOMEM, "out of memory")
		    : AUD_ERROR_ERRNO(err, AUD_EMODEL, e,
		    "cannot prepare the model command: %s", strerror(e));
		goto done;
	}
	argv[0] = (char *)"sh";
	argv[1] = (char *)"-c";
	argv[2] = (char *)command;
	argv[3] = NULL;
	e = posix_spawn(pid, "/bin/sh", &fa, &at, argv, environ);
	if (e != 0) {
		*pid = -1;
		rc = AUD_ERROR_ERRNO(err, AUD_EMODEL, e,
		    "cannot run '/bin/sh' for the model command: %s", strerror(e));
		goto done;
	}
	/* Bigger pipes mean fewer wake-ups; refusal (limits) is harmless. */
	(void)fcntl(pin[1], F_SETPIPE_SZ, 1024 * 1024);
	(void)fcntl(pout[0], F_SETPIPE_SZ, 1024 * 1024);
	if (set_nonblock(pin[1]) < 0 || set_nonblock(pout[0]) < 0 ||
	    set_nonblock(perr[0]) < 0) {
		rc = AUD_ERROR_ERRNO(err, AUD_EMODEL, errno,
		    "cannot set up pipes for the model command: %s", strerror(errno));
		goto done;
	}
	*in_fd = pin[1];
	*out_fd = pout[0];
	*err_fd = perr[0];
	pin[1] = pout[0] = perr[0] = -1;
done:
	if (rc < 0 && *pid > 0) {
		int st;

		kill(-*pid, SIGKILL);
		kill(*pid, SIGKILL);
		while (waitpid(*pid, &st, 0) < 0 && errno == EINTR)
			;
		*pid = -1;
	}
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	if (at_ok)
		posix_spawnattr_destroy(&at);
	aud__mc_close_fd(&pin[0]);
	aud__mc_close_fd(&pin[1]);
	aud__mc_close_fd(&pout[0]);
	aud__mc_close_fd(&pout[1]);
	aud__mc_close_fd(&perr[0]);
	aud__mc_close_fd(&perr[1]);
	return rc;
}

/* ---- one invocation ---- */

/* The final verdict on a run whose I/O loop finished. */
static int
judge(const struct run *r, int status, struct aud_error *err)
{
	char cmd[80], tail[AUD__MC_TAIL_SHOWN + 64];
	const char *hint = "", *sep;

	aud__mc_printable(cmd, sizeof(cmd), r->c->command, strlen(r->c->command), 60);
	aud__mc_tail_summary(tail, sizeof(tail), r->tail, r->tail_len);
	sep = tail[0] != '\0' ? "; stderr: " : "";

	if (r->timed_out) {
		char secs[32];

		snprintf(secs, sizeof(secs), "%.10g", r->c->timeout);
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' timed out after %s s (rows %zu to %zu)%s%s", cmd,
		    secs, r->first + 1, r->first + r->n, sep, tail);
	}
	if (r->out_bad)
		return AUD_ERROR(err, AUD_EMODEL, "model command '%s': %s%s%s",
		    cmd, r->out_msg, sep, tail);
	if (WIFSIGNALED(status))
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' was killed by signal %d (%s)%s%s", cmd,
		    WTERMSIG(status), aud__mc_signal_name(WTERMSIG(status)), sep, tail);
	if (!WIFEXITED(status))
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' ended abnormally (status %d)%s%s", cmd,
		    status, sep, tail);
	if (WEXITSTATUS(status) != 0) {
		if (WEXITSTATUS(status) == 127)
			hint = " (command not found)";
		else if (WEXITSTATUS(status) == 126)
			hint = " (command not executable)";
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' exited with status %d%s%s%s", cmd,
		    WEXITSTATUS(status), hint, sep, tail);
	}
	if (r->epipe)
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' exited without reading all its input (%zu rows)%s%s",
		    cmd, r->n, sep, tail);
	if (r->out_lines == 0)
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' printed nothing for %zu rows%s%s", cmd, r->n,
		    sep, tail);
	if (r->nscores < r->n) {
		if (r->had_header)
			return AUD_ERROR(err, AUD_EMODEL,
			    "model command '%s' printed %zu scores for %zu rows (its first line '%s' was taken as a header)%s%s",
			    cmd, r->nscores, r->n, r->header, sep, tail);
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' printed %zu scores for %zu rows%s%s", cmd,
		    r->nscores, r->n, sep, tail);
	}
	return 0;
}

/* Whether the shell has exited (left a zombie: its id stays reserved). */
int
aud__mc_shell_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno == ECHILD;  /* reaped by someone else: gone */
	return si.si_pid == pid;
}

/*
 * End an invocation: wait for the shell to exit (until `deadline` when one
 * is given, then kill it; past `t_end`, the timeout, it is marked timed out),
 * kill what is left of its process group, tell the caller, and reap the
 * shell. @return 0, or -1 with errno (ECHILD: someone else reaped it)
 */
static int
end_group(const struct cmd_model *c, struct run *r, pid_t pid, int64_t deadline,
    int64_t t_end, int *status)
{
	pid_t got;
	long nap_ns = 50000;  /* it usually exits right after closing its output */

	while (!aud__mc_shell_exited(pid)) {
		struct timespec nap = { 0, 0 };
		int64_t now;

		if (deadline < 0 && t_end < 0) {
			siginfo_t si;
			/* no limit: block until it exits, leaving it a zombie */
			if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 && errno != EINTR)
				break;
			continue;
		}
		now = aud__mc_now_ms();
		if (t_end >= 0 && now >= t_end) {
			r->timed_out = 1;
			break;
		}
		if (deadline >= 0 && now >= deadline)
			break;
		nap.tv_nsec = nap_ns;
		nanosleep(&nap, NULL);
		if (nap_ns < 10000000)
			nap_ns *= 2;
	}
	/* the shell is a zombie or still running: the group's id is still
	 * ours, so this cannot reach another process */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	if (c->on_child != NULL)
		c->on_child(pid, 0, c->payload);
	for (;;) {
		got = waitpid(pid, status, 0);
		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * Once the shell has exited, what is left in its pipes may be read without
 * waiting (a process it left behind may keep them open).
 */
static int
drain(struct run *r, int *out_fd, int *err_fd, char *rbuf)
{
	size_t total = 0;
	ssize_t got;

	while (*out_fd >= 0 && total < DRAIN_MAX) {
		got = read(*out_fd, rbuf, READ_CHUNK);
		if (got > 0) {
			total += (size_t)got;
			if (take_output(r, rbuf, (size_t)got) < 0)
				return -1;
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		break;
	}
	/* a last line without its LF: whatever follows it, it is complete */
	if (r->line.len > 0 && !r->out_bad) {
		parse_line(r, r->line.p, r->line.len);
		r->line.len = 0;
	}
	total = 0;
	while (*err_fd >= 0 && total < DRAIN_MAX) {
		got = read(*err_fd, rbuf, READ_CHUNK);
		if (got > 0) {
			total += (size_t)got;
			aud__mc_tail_append(r->tail, &r->tail_len, rbuf, (size_t)got);
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		break;
	}
	aud__mc_close_fd(out_fd);
	aud__mc_close_fd(err_fd);
	return 0;
}

/*
 * Run the command on rows [first, first + n) of b, scores into score[0..n).
 * SIGPIPE is blocked in this thread meanwhile; one raised by our writes is
 * consumed before the mask is restored.
 */
static int
run_block(const struct cmd_model *c, const struct aud_batch *b,
    const long *cols, size_t first, size_t n, double *score,
    struct aud_error *err)
{
	struct run *r;
	sigset_t pipeset, oldmask, pending;
	int pipe_was_pending = 0, raised_sigpipe = 0;
	int in_fd = -1, out_fd = -1, err_fd = -1;
	int rc = 0, status = 0, shell_done = 0;
	int64_t deadline = -1, t_end = -1, drain_end = -1;
	pid_t pid = -1;
	char *rbuf = NULL;

	r = calloc(1, sizeof(*r));
	rbuf = malloc(READ_CHUNK);
	if (r == NULL || rbuf == NULL) {
		free(r);
		free(rbuf);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	r->c = c;
	r->b = b;
	r->cols = cols;
	r->first = first;
	r->n = n;
	r->score = score;

	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	sigemptyset(&pending);
	if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1)
		pipe_was_pending = 1;
	pthread_sigmask(SIG_BLOCK, &pipeset, &oldmask);

	rc = aud__mc_spawn(&pid, &in_fd, &out_fd, &err_fd, c->command, &oldmask, err);
	if (rc < 0)
		goto done;
	if (c->on_child != NULL)
		c->on_child(pid, 1, c->payload);
	if (c->timeout > 0)
		t_end = aud__mc_now_ms() + (int64_t)ceil(c->timeout * 1000);

	while (in_fd >= 0 || out_fd >= 0 || err_fd >= 0) {
		struct aud__mc_ready ready;
		int timeout = -1, pr;
		int64_t now, wake = -1;

		if (in_fd >= 0 && r->in_off == r->in.len) {
			if (r->header_sent && r->next_row == r->n) {
				aud__mc_close_fd(&in_fd);
			} else if (fill_input(r) < 0) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
		}
		if (r->out_bad && deadline < 0) {
			/* The answer is garbage: stop feeding and reading; give
			 * the command a moment to finish its stderr. */
			aud__mc_close_fd(&in_fd);
			aud__mc_close_fd(&out_fd);
			deadline = aud__mc_now_ms() + KILL_GRACE_MS;
		}
		now = aud__mc_now_ms();
		if (t_end >= 0 && now >= t_end) {
			r->timed_out = 1;
			kill(-pid, SIGKILL);
			break;
		}
		if (deadline >= 0) {
			if (deadline <= now) {
				kill(-pid, SIGKILL);
				aud__mc_close_fd(&err_fd);
				break;
			}
			wake = deadline;
		}
		if (!shell_done && aud__mc_shell_exited(pid)) {
			/* What is still open is held by processes it left behind:
			 * read what is there, wait a little for missing scores,
			 * never for them to exit. */
			shell_done = 1;
			if (in_fd >= 0) {
				if (!(r->header_sent && r->next_row == r->n && r->in_off == r->in.len))
					r->epipe = 1;
				aud__mc_close_fd(&in_fd);
			}
			drain_end = now + DRAIN_MS;
		}
		if (shell_done) {
			if (r->nscores >= r->n || r->out_bad || out_fd < 0 || now >= drain_end) {
				if (drain(r, &out_fd, &err_fd, rbuf) < 0) {
					rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
					goto done;
				}
				break;
			}
			if (wake < 0 || drain_end < wake)
				wake = drain_end;
		} else if (wake < 0 || now + SHELL_CHECK_MS < wake) {
			wake = now + SHELL_CHECK_MS;
		}
		if (t_end >= 0 && t_end < wake)
			wake = t_end;
		timeout = (int)(wake - now);
		if (in_fd < 0 && out_fd < 0 && err_fd < 0)
			break;
		pr = aud__mc_poll(in_fd, 1, out_fd, err_fd, timeout, &ready);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			rc = AUD_ERROR_ERRNO(err, AUD_EMODEL, errno,
			    "cannot wait for the model command: %s", strerror(errno));
			goto done;
		}
		while (ready.in && in_fd >= 0) {
			if (r->in_off == r->in.len) {
				if (r->next_row == r->n)
					break;
				if (fill_input(r) < 0) {
					rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
					goto done;
				}
			}
			if (aud__mc_write_some(&in_fd, r->in.p, r->in.len, &r->in_off,
			    &raised_sigpipe) != 0)
				r->epipe = 1;
			else if (r->in_off < r->in.len)
				break;   /* the pipe is full */
		}
		if (ready.out) {
			ssize_t got = read(out_fd, rbuf, READ_CHUNK);

			if (got > 0) {
				if (take_output(r, rbuf, (size_t)got) < 0) {
					rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
					goto done;
				}
			} else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
				aud__mc_close_fd(&out_fd);
				/* a last line without its LF */
				if (r->line.len > 0 && !r->out_bad) {
					parse_line(r, r->line.p, r->line.len);
					r->line.len = 0;
				}
			}
		}
		if (ready.err)
			aud__mc_read_err(&err_fd, rbuf, READ_CHUNK, r->tail, &r->tail_len);
	}

	if (end_group(c, r, pid, deadline, t_end, &status) < 0) {
		rc = AUD_ERROR_ERRNO(err, AUD_EMODEL, errno,
		    "cannot get the exit status of the model command: %s",
		    strerror(errno));
		pid = -1;
		goto done;
	}
	pid = -1;
	rc = judge(r, status, err);
done:
	aud__mc_close_fd(&in_fd);
	aud__mc_close_fd(&out_fd);
	aud__mc_close_fd(&err_fd);
	if (pid > 0) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		if (c->on_child != NULL)
			c->on_child(pid, 0, c->payload);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (raised_sigpipe && !pipe_was_pending) {
		struct timespec zero = { 0, 0 };

		sigemptyset(&pending);
		while (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1 &&
		    sigtimedwait(&pipeset, NULL, &zero) == SIGPIPE)
			sigemptyset(&pending);
	}
	pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	free(r->in.p);
	free(r->line.p);
	free(r);
	free(rbuf);
	return rc;
}

static int
cmd_predict(const void *impl, const struct aud_batch *b, double *score,
    double *margin, struct aud_error *err)
{
	const struct cmd_model *c = impl;
	long *cols;
	size_t i, start;
	int rc = 0;

	cols = malloc(c->nfeatures * sizeof(*cols));
	if (cols == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < c->nfeatures; i++) {
		cols[i] = aud_batch_find(b, c->features[i].name);
		if (cols[i] < 0) {
			rc = AUD_ERROR(err, AUD_ENOTFOUND,
			    "the model's feature '%s' is not a column of the input",
			    c->features[i].name);
			goto done;
		}
	}
	if (c->protocol != AUD_MODELCMD_BATCH) {
		rc = aud__mc_serve_predict((struct cmd_model *)c, b, cols, score, err);
		if (rc < 0)
			goto done;
	}
	for (start = c->protocol != AUD_MODELCMD_BATCH ? b->nrows : 0; start < b->nrows;
	    start += c->batch_size) {
		size_t n = b->nrows - start;

		if (n > c->batch_size)
			n = c->batch_size;
		rc = run_block(c, b, cols, start, n, score + start, err);
		if (rc < 0)
			goto done;
	}
	if (margin != NULL)
		memcpy(margin, score, b->nrows * sizeof(*margin));
done:
	free(cols);
	return rc;
}

static void
cmd_free(void *impl)
{
	struct cmd_model *c = impl;

	if (c == NULL)
		return;
	aud__mc_serve_end(c);
	if (c->lock_ok)
		pthread_mutex_destroy(&c->lock);
	free(c->command);
	free(c);
}

static const struct aud_model_ops cmd_ops = { cmd_predict, cmd_free, NULL };

int
aud_modelcmd_new(struct aud_model **out, const char *command, size_t ncolumns,
    const char *const *columns, const enum aud_col_kind *kinds,
    const struct aud_modelcmd_options *opts, struct aud_error *err)
{
	struct aud_modelcmd_options defaults = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct cmd_model *c = NULL;
	const char *positive;
	size_t i, j;
	int rc = 0;

	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if (command == NULL || command[strspn(command, " \t\r\n")] == '\0')
		return AUD_ERROR(err, AUD_EINVAL, "the model command is empty");
	if (ncolumns == 0)
		return AUD_ERROR(err, AUD_EINVAL,
		    "the model command needs at least one input column");
	if (opts->protocol != AUD_MODELCMD_BATCH && opts->protocol != AUD_MODELCMD_STREAM &&
	    opts->protocol != AUD_MODELCMD_BINARY)
		return AUD_ERROR(err, AUD_EINVAL, "unknown model command protocol %d",
		    (int)opts->protocol);
	if (!(opts->timeout >= 0) || opts->timeout > 1e9)
		return AUD_ERROR(err, AUD_EINVAL,
		    "the model command's timeout must be between 0 and 1e9 seconds");
	for (i = 0; i < ncolumns; i++) {
		if (kinds != NULL && kinds[i] != AUD_COL_NUMERIC &&
		    kinds[i] != AUD_COL_CATEGORICAL)
			return AUD_ERROR(err, AUD_EINVAL,
			    "column '%s' of the model command must be numeric or categorical",
			    columns[i]);
		for (j = 0; j < i; j++)
			if (strcmp(columns[i], columns[j]) == 0)
				return AUD_ERROR(err, AUD_EINVAL,
				    "column '%s' is given twice to the model command",
				    columns[i]);
	}
	rc = aud__model_new(&m, ncolumns, err);
	if (rc < 0)
		return rc;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c);
		c = NULL;
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	c->lock_ok = 1;
	c->protocol = opts->protocol;
	c->command = strdup(command);
	if (c->command == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	c->batch_size = opts->batch_size > 0 ? opts->batch_size : AUD_MODELCMD_BATCH_SIZE;
	c->timeout = opts->timeout;
	c->on_child = opts->on_child;
	c->payload = opts->payload;
	c->nfeatures = ncolumns;
	c->features = m->features;
	m->ops = &cmd_ops;
	m->impl = c;
	c = NULL;
	for (i = 0; i < ncolumns; i++) {
		m->features[i].name = strdup(columns[i]);
		if (m->features[i].name == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		m->features[i].kind = kinds != NULL ? kinds[i] : AUD_COL_NUMERIC;
	}
	m->task = opts->task;
	m->has_margin = 0;
	if (m->task == AUD_TASK_CLASSIFICATION) {
		positive = opts->positive != NULL ? opts->positive : "1";
		m->positive = strdup(positive);
		if (m->positive == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
	}
	m->description = strdup("command");
	if (m->description == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	*out = m;
	m = NULL;
done:
	cmd_free(c);
	aud_model_free(m);
	return rc;
}
