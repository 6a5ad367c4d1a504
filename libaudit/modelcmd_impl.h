/*
 * modelcmd_impl.h — private: what modelcmd.c (one process per block) and
 * modelcmd_serve.c (long-lived processes) share: the command model, CSV
 * serialisation, spawning, stderr tails and messages.
 */
#ifndef AUDIT_MODELCMD_IMPL_H
#define AUDIT_MODELCMD_IMPL_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <audit/modelcmd.h>

#define AUD__MC_TAIL_MAX 4096   /* stderr bytes kept */
#define AUD__MC_TAIL_SHOWN 240  /* stderr bytes quoted in a message */

struct aud__mc_proc;

struct cmd_model {
	char *command;
	size_t batch_size;
	double timeout;                      /* seconds per invocation or frame; 0: none */
	aud_model_child_fn on_child;
	void *payload;
	size_t nfeatures;
	const struct aud_feature *features;  /* borrowed from the model */
	enum aud_modelcmd_protocol protocol;
	/* stream and binary: the idle long-lived processes */
	pthread_mutex_t lock;
	int lock_ok;
	struct aud__mc_proc *idle;
};

/* A growing byte buffer. */
struct aud__mc_buf {
	char *p;
	size_t len, cap;
};

/* @return 0, -1 (out of memory) */
int aud__mc_buf_reserve(struct aud__mc_buf *b, size_t extra);
/* Append s as a CSV field, quoted when it holds , " CR or LF. @return 0, -1 */
int aud__mc_buf_field(struct aud__mc_buf *b, const char *s, size_t len);
/* The features' names as a CSV line. @return 0, -1 */
int aud__mc_csv_header(struct aud__mc_buf *in, const struct cmd_model *c);
/* Row `row` of b (feature i in column cols[i]) as a CSV line. @return 0, -1 */
int aud__mc_csv_row(struct aud__mc_buf *in, const struct cmd_model *c, const struct aud_batch *b,
    const long *cols, size_t row);
/* x as the shortest text that reads back to it ("" for NaN); @return its length */
size_t aud__mc_format_number(char buf[32], double x);

/* s as one printable line of at most max bytes ("..." when cut). */
void aud__mc_printable(char *out, size_t outsz, const char *s, size_t len, size_t max);
/* The last lines of a stderr tail as one line ("" when empty). */
void aud__mc_tail_summary(char *out, size_t outsz, const char *tail, size_t tail_len);
/* Keep the last AUD__MC_TAIL_MAX bytes of a stderr stream. */
void aud__mc_tail_append(char *tail, size_t *tail_len, const char *s, size_t len);
const char *aud__mc_signal_name(int sig);

void aud__mc_close_fd(int *fd);
int64_t aud__mc_now_ms(void);

/* Which of a command's three pipes aud__mc_poll() found ready. */
struct aud__mc_ready {
	int in, out, err;
};
/*
 * One wait on a command's pipes, as every protocol does it: in_fd for
 * writing when want_in (and open), out_fd and err_fd for reading when open;
 * a closed pipe is -1. timeout in ms, -1: no limit.
 * @return poll()'s result: > 0 (*ready says which), 0 (timed out), -1 (errno)
 */
int aud__mc_poll(int in_fd, int want_in, int out_fd, int err_fd, int timeout,
    struct aud__mc_ready *ready);
/*
 * Write what the command's stdin takes of p[*off .. len), advancing *off,
 * until all is written or the pipe is full.
 * @return 0, or 1 when the command closed its stdin: *in_fd is closed, and
 * *raised_sigpipe set when the write raised SIGPIPE (EPIPE)
 */
int aud__mc_write_some(int *in_fd, const char *p, size_t len, size_t *off,
    int *raised_sigpipe);
/* Read what the command's stderr holds into its tail; close *err_fd at its end. */
void aud__mc_read_err(int *err_fd, char *rbuf, size_t rbufsz, char *tail, size_t *tail_len);
/*
 * Start `/bin/sh -c command` in a process group of its own (*pid), its
 * stdin, stdout and stderr on non-blocking pipes; `mask` is the caller's
 * signal mask before SIGPIPE was blocked. @return 0, AUD_EMODEL, AUD_ENOMEM
 */
int aud__mc_spawn(pid_t *pid, int *in_fd, int *out_fd, int *err_fd, const char *command,
    const sigset_t *mask, struct aud_error *err);
/* Whether the shell has exited (it is left a zombie, keeping its group's id). */
int aud__mc_shell_exited(pid_t pid);

/* Score the rows of b over long-lived processes (stream and binary). */
int aud__mc_serve_predict(struct cmd_model *c, const struct aud_batch *b, const long *cols,
    double *score, struct aud_error *err);
/* End every idle process: close its stdin, wait up to 2 s, kill its group. */
void aud__mc_serve_end(struct cmd_model *c);

#endif
