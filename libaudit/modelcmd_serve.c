/*
 * modelcmd_serve.c — the long-lived processes of the stream and binary
 * protocols (docs/model-protocol.md).
 *
 * A model keeps a mutex-protected list of idle processes. A call of
 * predict takes one (or starts one), sends each block of at most batch_size
 * rows as one frame and reads its answer, then gives the process back; so
 * there are never more processes than calls that predict at once. A frame
 * is written and its answer read in one poll() loop over non-blocking pipes
 * (the command may answer while it still reads), within the timeout. A
 * process whose frame failed is killed with its group and dropped.
 */
#define _GNU_SOURCE /* waitid() */

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <audit/csv.h>
#include <audit/dict.h>

#include "model_impl.h"
#include "modelcmd_impl.h"
#include "modelcmd_wire.h"

#define READ_CHUNK (64 * 1024)
#define END_GRACE_MS 2000   /* at the end, wait this long for a process to exit */
#define DEATH_WAIT_MS 500   /* after its output ends, wait this long for its status */

struct aud__mc_proc {
	pid_t pid;
	int in_fd, out_fd, err_fd;
	int greeted;               /* binary: the handshake was sent and answered */
	unsigned char *kind;       /* binary: per feature, 1 categorical, 0 numeric, as sent in
	                              the handshake (fixed by the first frame) */
	struct aud_dict **dict;    /* binary: per feature, the categories sent (NULL: numeric) */
	struct aud__mc_reply reply;
	char tail[AUD__MC_TAIL_MAX];
	size_t tail_len;
	struct aud__mc_proc *next;
};

/* ---- starting and ending ---- */

static void
proc_free(const struct cmd_model *c, struct aud__mc_proc *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (p->dict != NULL)
		for (i = 0; i < c->nfeatures; i++)
			aud_dict_free(p->dict[i]);
	free(p->dict);
	free(p->kind);
	aud__mc_reply_free(&p->reply);
	free(p);
}

/* Kill p's group (its shell a zombie or running), tell the caller, reap the
 * shell; *status gets its status when it had exited. */
static void
proc_reap(const struct cmd_model *c, struct aud__mc_proc *p, int *status)
{
	int st = 0;

	aud__mc_close_fd(&p->in_fd);
	aud__mc_close_fd(&p->out_fd);
	aud__mc_close_fd(&p->err_fd);
	if (p->pid > 0) {
		kill(-p->pid, SIGKILL);
		kill(p->pid, SIGKILL);
		if (c->on_child != NULL)
			c->on_child(p->pid, 0, c->payload);
		while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
			;
		p->pid = -1;
	}
	if (status != NULL)
		*status = st;
}

static int
proc_start(const struct cmd_model *c, struct aud__mc_proc **out, const sigset_t *mask,
    struct aud_error *err)
{
	struct aud__mc_proc *p;
	int rc;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	p->pid = -1;
	p->in_fd = p->out_fd = p->err_fd = -1;
	if (c->protocol == AUD_MODELCMD_BINARY) {
		p->dict = calloc(c->nfeatures, sizeof(*p->dict));
		p->kind = calloc(c->nfeatures, sizeof(*p->kind));
		if (p->dict == NULL || p->kind == NULL) {
			proc_free(c, p);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
	}
	rc = aud__mc_spawn(&p->pid, &p->in_fd, &p->out_fd, &p->err_fd, c->command, mask, err);
	if (rc < 0) {
		proc_free(c, p);
		return rc;
	}
	if (c->on_child != NULL)
		c->on_child(p->pid, 1, c->payload);
	*out = p;
	return 0;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Read and drop what p's stdout and stderr hold now (stderr into the tail). */
static void
drain_now(struct aud__mc_proc *p)
{
	char buf[4096];
	ssize_t got;

	while (p->out_fd >= 0) {
		got = read(p->out_fd, buf, sizeof(buf));
		if (got > 0)
			continue;
		if (got < 0 && errno == EINTR)
			continue;
		if (got == 0)
			aud__mc_close_fd(&p->out_fd);
		break;
	}
	while (p->err_fd >= 0) {
		got = read(p->err_fd, buf, sizeof(buf));
		if (got > 0) {
			aud__mc_tail_append(p->tail, &p->tail_len, buf, (size_t)got);
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got == 0)
			aud__mc_close_fd(&p->err_fd);
		break;
	}
}

void
aud__mc_serve_end(struct cmd_model *c)
{
	struct aud__mc_proc *list, *p;
	int64_t deadline;

	if (!c->lock_ok)
		return;
	pthread_mutex_lock(&c->lock);
	list = c->idle;
	c->idle = NULL;
	pthread_mutex_unlock(&c->lock);
	if (list == NULL)
		return;
	/* end of input for all at once, then one grace for all */
	for (p = list; p != NULL; p = p->next)
		aud__mc_close_fd(&p->in_fd);
	deadline = aud__mc_now_ms() + END_GRACE_MS;
	for (p = list; p != NULL; p = p->next) {
		long nap = 1;

		while (!aud__mc_shell_exited(p->pid) && aud__mc_now_ms() < deadline) {
			drain_now(p);
			nap_ms(nap);
			if (nap < 20)
				nap *= 2;
		}
	}
	while (list != NULL) {
		p = list;
		list = p->next;
		/* a non-zero status now is not a failure: every score was received */
		proc_reap(c, p, NULL);
		proc_free(c, p);
	}
}

/* ---- one frame ---- */

static void
put_u32(unsigned char *q, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		q[i] = (unsigned char)(v >> (8 * i));
}

static void
put_u64(unsigned char *q, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		q[i] = (unsigned char)(v >> (8 * i));
}

static int
buf_u32(struct aud__mc_buf *o, uint32_t v)
{
	if (aud__mc_buf_reserve(o, 4) < 0)
		return -1;
	put_u32((unsigned char *)o->p + o->len, v);
	o->len += 4;
	return 0;
}

static int
buf_u64(struct aud__mc_buf *o, uint64_t v)
{
	if (aud__mc_buf_reserve(o, 8) < 0)
		return -1;
	put_u64((unsigned char *)o->p + o->len, v);
	o->len += 8;
	return 0;
}

static int
buf_string(struct aud__mc_buf *o, const char *s, size_t len)
{
	if (len > UINT32_MAX || buf_u32(o, (uint32_t)len) < 0 ||
	    aud__mc_buf_reserve(o, len) < 0)
		return -1;
	memcpy(o->p + o->len, s, len);
	o->len += len;
	return 0;
}

static int
stream_frame(struct aud__mc_buf *o, const struct cmd_model *c, const struct aud_batch *b,
    const long *cols, size_t first, size_t n)
{
	char head[40];
	int len = snprintf(head, sizeof(head), "@batch %zu\n", n);
	size_t i;

	if (aud__mc_buf_reserve(o, (size_t)len) < 0)
		return -1;
	memcpy(o->p + o->len, head, (size_t)len);
	o->len += (size_t)len;
	if (aud__mc_csv_header(o, c) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (aud__mc_csv_row(o, c, b, cols, first + i) < 0)
			return -1;
	return 0;
}

static int
nomem(struct aud_error *err)
{
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

/*
 * A categorical feature's codes in p's dictionary (as doubles) into val[0..n),
 * its new categories appended to o after their count.
 */
static int
binary_categories(struct aud__mc_buf *o, double *val, struct aud_dict *d,
    const struct aud_column *col, size_t first, size_t n, struct aud_error *err)
{
	size_t count_at = o->len, before = aud_dict_size(d), i;
	int32_t *cache = NULL;
	char num[32];
	int rc = 0;

	if (buf_u32(o, 0) < 0)
		return nomem(err);
	if (col->kind == AUD_COL_CATEGORICAL) {
		size_t nc = aud_dict_size(col->dict);

		/* the batch's code -> the process's code, looked up once each */
		cache = malloc((nc > 0 ? nc : 1) * sizeof(*cache));
		if (cache == NULL)
			return nomem(err);
		for (i = 0; i < nc; i++)
			cache[i] = -1;
	}
	for (i = 0; i < n; i++) {
		const char *s;
		size_t len;
		int32_t code;

		if (col->kind == AUD_COL_CATEGORICAL) {
			int32_t bc = col->code[first + i];

			if (bc < 0) {
				val[i] = NAN;
				continue;
			}
			if (cache[bc] >= 0) {
				val[i] = (double)cache[bc];
				continue;
			}
			s = aud_dict_str(col->dict, bc);
			len = strlen(s);
		} else {
			if (isnan(col->num[first + i])) {
				val[i] = NAN;
				continue;
			}
			len = aud__mc_format_number(num, col->num[first + i]);
			s = num;
		}
		code = aud_dict_find(d, s, len);
		if (code < 0) {
			rc = aud_dict_intern(&code, d, s, len, err);
			if (rc < 0)
				goto done;
			if (buf_string(o, s, len) < 0) {
				rc = nomem(err);
				goto done;
			}
		}
		if (cache != NULL)
			cache[col->code[first + i]] = code;
		val[i] = (double)code;
	}
	put_u32((unsigned char *)o->p + count_at, (uint32_t)(aud_dict_size(d) - before));
done:
	free(cache);
	return rc;
}

/* A numeric feature's values into val[0..n): text columns are read as numbers. */
static int
binary_numbers(double *val, const struct cmd_model *c, size_t f, const struct aud_column *col,
    size_t first, size_t n, struct aud_error *err)
{
	size_t i;

	if (col->kind != AUD_COL_CATEGORICAL) {
		memcpy(val, col->num + first, n * sizeof(*val));
		return 0;
	}
	for (i = 0; i < n; i++) {
		int32_t code = col->code[first + i];
		const char *s;
		char shown[64];

		if (code < 0) {
			val[i] = NAN;
			continue;
		}
		s = aud_dict_str(col->dict, code);
		if (aud_parse_number(&val[i], s, strlen(s)) == 1)
			continue;
		aud__mc_printable(shown, sizeof(shown), s, strlen(s), 40);
		return AUD_ERROR(err, AUD_EMODEL,
		    "column '%s', row %zu: '%s' is not a number, and the model command's feature is numeric",
		    c->features[f].name, first + i + 1, shown);
	}
	return 0;
}

static int
binary_frame(struct aud__mc_buf *o, struct aud__mc_proc *p, const struct cmd_model *c,
    const struct aud_batch *b, const long *cols, size_t first, size_t n,
    struct aud_error *err)
{
	double *val;
	size_t f, i;
	int rc = 0;

	val = malloc(c->nfeatures * n * sizeof(*val));
	if (val == NULL)
		return nomem(err);
	if (!p->greeted) {
		/* a categorical feature whose column holds numbers is sent as
		 * numbers (audit-predict takes every column as text, as it
		 * stands, and reads the columns of numbers as numbers) */
		for (f = 0; f < c->nfeatures; f++) {
			p->kind[f] = c->features[f].kind == AUD_COL_CATEGORICAL &&
			    b->cols[cols[f]].kind == AUD_COL_CATEGORICAL;
			if (p->kind[f] && p->dict[f] == NULL) {
				rc = aud_dict_new(&p->dict[f], err);
				if (rc < 0)
					goto done;
			}
		}
	}
	/* numeric features first: a value that is not a number stops the frame
	 * before any category enters a dictionary */
	for (f = 0; f < c->nfeatures && rc == 0; f++)
		if (!p->kind[f])
			rc = binary_numbers(val + f * n, c, f, &b->cols[cols[f]], first, n, err);
	if (rc < 0)
		goto done;
	if (!p->greeted) {
		if (aud__mc_buf_reserve(o, 12) < 0) {
			rc = nomem(err);
			goto done;
		}
		memcpy(o->p + o->len, AUD__MC_MAGIC, 8);
		o->len += 8;
		if (buf_u32(o, (uint32_t)c->nfeatures) < 0) {
			rc = nomem(err);
			goto done;
		}
		for (f = 0; f < c->nfeatures; f++) {
			const char *name = c->features[f].name;

			if (aud__mc_buf_reserve(o, 1) < 0) {
				rc = nomem(err);
				goto done;
			}
			o->p[o->len++] = (char)p->kind[f];
			if (buf_string(o, name, strlen(name)) < 0) {
				rc = nomem(err);
				goto done;
			}
		}
	}
	if (buf_u64(o, (uint64_t)n) < 0) {
		rc = nomem(err);
		goto done;
	}
	for (f = 0; f < c->nfeatures; f++) {
		if (!p->kind[f])
			continue;
		rc = binary_categories(o, val + f * n, p->dict[f], &b->cols[cols[f]], first, n, err);
		if (rc < 0)
			goto done;
	}
	if (aud__mc_buf_reserve(o, c->nfeatures * n * 8) < 0) {
		rc = nomem(err);
		goto done;
	}
	for (i = 0; i < c->nfeatures * n; i++) {
		uint64_t u;

		memcpy(&u, &val[i], sizeof(u));
		put_u64((unsigned char *)o->p + o->len, u);
		o->len += 8;
	}
done:
	free(val);
	return rc;
}

/* The verdict on a frame that failed; p is reaped here. */
static int
frame_failed(const struct cmd_model *c, struct aud__mc_proc *p, size_t first, size_t n,
    int timed_out, int eof, int epipe, struct aud_error *err)
{
	const struct aud__mc_reply *r = &p->reply;
	char cmd[80], tail[AUD__MC_TAIL_SHOWN + 64], rows[64];
	const char *sep, *hint = "";
	int status = 0, exited = 0;

	if (eof || epipe) {
		/* it is ending: give it a moment to exit, for its status */
		int64_t until = aud__mc_now_ms() + DEATH_WAIT_MS;
		long nap = 1;

		while (!(exited = aud__mc_shell_exited(p->pid)) && aud__mc_now_ms() < until) {
			drain_now(p);
			nap_ms(nap);
			if (nap < 20)
				nap *= 2;
		}
	}
	drain_now(p);
	proc_reap(c, p, &status);

	aud__mc_printable(cmd, sizeof(cmd), c->command, strlen(c->command), 60);
	aud__mc_tail_summary(tail, sizeof(tail), p->tail, p->tail_len);
	sep = tail[0] != '\0' ? "; stderr: " : "";
	snprintf(rows, sizeof(rows), "rows %zu to %zu", first + 1, first + n);
	if (timed_out) {
		char secs[32];

		snprintf(secs, sizeof(secs), "%.10g", c->timeout);
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' timed out after %s s (%s)%s%s", cmd, secs, rows, sep, tail);
	}
	if (r->bad)
		return AUD_ERROR(err, AUD_EMODEL, "model command '%s': %s (%s)%s%s", cmd, r->msg,
		    rows, sep, tail);
	if (exited && WIFSIGNALED(status))
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' was killed by signal %d (%s) (%s)%s%s", cmd,
		    WTERMSIG(status), aud__mc_signal_name(WTERMSIG(status)), rows, sep, tail);
	if (exited && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		if (WEXITSTATUS(status) == 127)
			hint = " (command not found)";
		else if (WEXITSTATUS(status) == 126)
			hint = " (command not executable)";
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s' exited with status %d%s before answering %s%s%s", cmd,
		    WEXITSTATUS(status), hint, rows, sep, tail);
	}
	if (c->protocol == AUD_MODELCMD_BINARY && r->want_magic)
		return AUD_ERROR(err, AUD_EMODEL,
		    "model command '%s': the command does not speak the binary protocol (it ended "
		    "its output without answering the handshake)%s%s", cmd, sep, tail);
	return AUD_ERROR(err, AUD_EMODEL,
	    "model command '%s' %s after %zu of %zu scores (%s)%s%s", cmd,
	    exited ? "exited" : "closed its output", r->nscores, n, rows, sep, tail);
}

/*
 * Send rows [first, first + n) of b to p as one frame and read its answer
 * into score. On failure p is reaped (and *dead set): it must not be reused.
 */
static int
frame(const struct cmd_model *c, struct aud__mc_proc *p, const struct aud_batch *b,
    const long *cols, size_t first, size_t n, double *score, char *rbuf, int *dead,
    int *raised_sigpipe, struct aud_error *err)
{
	struct aud__mc_buf o = { NULL, 0, 0 };
	size_t off = 0;
	int64_t t_end = -1;
	int rc = 0, timed_out = 0, eof = 0, epipe = 0;

	*dead = 0;
	if (c->protocol == AUD_MODELCMD_BINARY)
		rc = binary_frame(&o, p, c, b, cols, first, n, err);
	else if (stream_frame(&o, c, b, cols, first, n) < 0)
		rc = nomem(err);
	if (rc < 0)
		goto fail;
	aud__mc_reply_start(&p->reply, c->protocol, c->protocol == AUD_MODELCMD_BINARY &&
	    !p->greeted, n, score);
	/* what it printed since its last frame was answered is one score too many */
	for (;;) {
		ssize_t got = read(p->out_fd, rbuf, READ_CHUNK);

		if (got > 0) {
			snprintf(p->reply.msg, sizeof(p->reply.msg),
			    "printed more scores than its previous frame had rows");
			p->reply.bad = 1;
			goto verdict;
		}
		if (got == 0) {
			eof = 1;
			goto verdict;
		}
		if (errno != EINTR)
			break;
	}
	if (c->timeout > 0)
		t_end = aud__mc_now_ms() + (int64_t)ceil(c->timeout * 1000);
	while (!aud__mc_reply_done(&p->reply) && !p->reply.bad) {
		struct aud__mc_ready ready;
		int timeout = -1, pr;

		if (t_end >= 0) {
			int64_t now = aud__mc_now_ms();

			if (now >= t_end) {
				timed_out = 1;
				break;
			}
			timeout = (int)(t_end - now);
		}
		if (p->out_fd < 0) {
			eof = 1;
			break;
		}
		pr = aud__mc_poll(p->in_fd, off < o.len, p->out_fd, p->err_fd, timeout, &ready);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			rc = AUD_ERROR_ERRNO(err, AUD_EMODEL, errno,
			    "cannot wait for the model command: %s", strerror(errno));
			goto fail;
		}
		if (ready.in && aud__mc_write_some(&p->in_fd, o.p, o.len, &off, raised_sigpipe) != 0)
			epipe = 1;
		if (ready.err)
			aud__mc_read_err(&p->err_fd, rbuf, READ_CHUNK, p->tail, &p->tail_len);
		if (ready.out) {
			ssize_t got = read(p->out_fd, rbuf, READ_CHUNK);

			if (got > 0) {
				if (aud__mc_reply_feed(&p->reply, rbuf, (size_t)got) < 0) {
					rc = nomem(err);
					goto fail;
				}
			} else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
				aud__mc_reply_eof(&p->reply);
				aud__mc_close_fd(&p->out_fd);
				if (!aud__mc_reply_done(&p->reply)) {
					eof = 1;
					break;
				}
			}
		}
	}
	if (aud__mc_reply_done(&p->reply) && !timed_out) {
		if (c->protocol == AUD_MODELCMD_BINARY)
			p->greeted = 1;
		free(o.p);
		return 0;
	}
verdict:
	free(o.p);
	*dead = 1;
	return frame_failed(c, p, first, n, timed_out, eof, epipe, err);
fail:
	free(o.p);
	*dead = 1;
	proc_reap(c, p, NULL);
	return rc;
}

int
aud__mc_serve_predict(struct cmd_model *c, const struct aud_batch *b, const long *cols,
    double *score, struct aud_error *err)
{
	struct aud__mc_proc *p = NULL;
	sigset_t pipeset, oldmask, pending;
	int pipe_was_pending = 0, raised_sigpipe = 0, dead = 0, rc = 0;
	char *rbuf = NULL;
	size_t start;

	if (b->nrows == 0)
		return 0;
	rbuf = malloc(READ_CHUNK);
	if (rbuf == NULL)
		return nomem(err);
	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	sigemptyset(&pending);
	if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1)
		pipe_was_pending = 1;
	pthread_sigmask(SIG_BLOCK, &pipeset, &oldmask);

	pthread_mutex_lock(&c->lock);
	p = c->idle;
	if (p != NULL)
		c->idle = p->next;
	pthread_mutex_unlock(&c->lock);
	if (p == NULL) {
		rc = proc_start(c, &p, &oldmask, err);
		if (rc < 0)
			goto done;
	}
	p->next = NULL;
	for (start = 0; start < b->nrows; start += c->batch_size) {
		size_t n = b->nrows - start;

		if (n > c->batch_size)
			n = c->batch_size;
		rc = frame(c, p, b, cols, start, n, score + start, rbuf, &dead, &raised_sigpipe,
		    err);
		if (rc < 0)
			break;
	}
	if (dead) {
		proc_free(c, p);
	} else {
		pthread_mutex_lock(&c->lock);
		p->next = c->idle;
		c->idle = p;
		pthread_mutex_unlock(&c->lock);
	}
done:
	if (raised_sigpipe && !pipe_was_pending) {
		struct timespec zero = { 0, 0 };

		sigemptyset(&pending);
		while (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1 &&
		    sigtimedwait(&pipeset, NULL, &zero) == SIGPIPE)
			sigemptyset(&pending);
	}
	pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	free(rbuf);
	return rc;
}
