/*
 * test_parallel.c — the library's parallel loop: results that do not depend
 * on the number of threads, the first error winning, progress reports.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/error.h>
#include <audit/progress.h>

#include "parallel.h"
#include "runner.h"

#define NTASKS 1000

struct job {
	double *out;
	size_t nthreads;
	atomic_int calls;
	atomic_int bad_thread;      /* a `thread` argument out of range */
	size_t fail_from;           /* tasks >= this fail (NTASKS: none) */
};

/* Task t: a value of t alone, with some floating work so that threads overlap. */
static int
square_task(void *payload, size_t thread, size_t task, struct aud_error *err)
{
	struct job *j = payload;
	double v = 0.0;
	int i;

	atomic_fetch_add(&j->calls, 1);
	if (thread >= j->nthreads)
		atomic_store(&j->bad_thread, 1);
	if (task >= j->fail_from)
		return AUD_ERROR(err, AUD_EMODEL, "task %zu failed", task);
	for (i = 0; i < 200; i++)
		v += sin((double)task + i) * 1e-12;
	j->out[task] = (double)task * (double)task + v;
	return 0;
}

static double
run_sum(size_t nthreads, double *out)
{
	struct job j;
	double sum = 0.0;
	size_t t;

	memset(&j, 0, sizeof(j));
	j.out = out;
	j.nthreads = nthreads;
	j.fail_from = NTASKS;
	CHECK_INT_EQ(aud__parallel_for(nthreads, NTASKS, square_task, &j, NULL, "sum", NULL), 0);
	CHECK_INT_EQ(atomic_load(&j.calls), NTASKS);
	CHECK_INT_EQ(atomic_load(&j.bad_thread), 0);
	for (t = 0; t < NTASKS; t++)   /* combined in task order */
		sum += out[t];
	return sum;
}

void
test_parallel__same_for_1_2_7_threads(void)
{
	static double a[NTASKS], b[NTASKS], c[NTASKS];
	double s1 = run_sum(1, a), s2 = run_sum(2, b), s7 = run_sum(7, c);
	/* sum of t^2 for t < 1000 = 999 * 1000 * 1999 / 6, plus the tiny sin terms */
	double want = 999.0 * 1000.0 * 1999.0 / 6.0;

	CHECK_REL(s1, want, 1e-12);
	CHECK_DBL_EQ(s2, s1);
	CHECK_DBL_EQ(s7, s1);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	CHECK(memcmp(a, c, sizeof(a)) == 0);
	CHECK_REL(a[37], 1369.0, 1e-12);
}

void
test_parallel__zero_tasks(void)
{
	struct job j;
	struct aud_error err = AUD_ERROR_INIT;

	memset(&j, 0, sizeof(j));
	j.nthreads = 4;
	j.fail_from = 0;   /* any call would fail */
	CHECK_INT_EQ(aud__parallel_for(4, 0, square_task, &j, NULL, "none", &err), 0);
	CHECK_INT_EQ(atomic_load(&j.calls), 0);
	CHECK_INT_EQ(err.code, 0);
}

void
test_parallel__zero_threads_is_one(void)
{
	static double out[NTASKS];
	struct job j;

	memset(&j, 0, sizeof(j));
	j.out = out;
	j.nthreads = 1;   /* every task must see thread 0 */
	j.fail_from = NTASKS;
	CHECK_INT_EQ(aud__parallel_for(0, NTASKS, square_task, &j, NULL, NULL, NULL), 0);
	CHECK_INT_EQ(atomic_load(&j.bad_thread), 0);
	CHECK_REL(out[2], 4.0, 1e-12);
	CHECK_REL(out[999], 998001.0, 1e-12);
}

void
test_parallel__error_in_task_k_stops_and_is_returned(void)
{
	static double out[100000];
	size_t threads[] = { 1, 2, 7 }, i;

	for (i = 0; i < sizeof(threads) / sizeof(threads[0]); i++) {
		struct job j;
		struct aud_error err = AUD_ERROR_INIT;
		int rc;

		memset(&j, 0, sizeof(j));
		j.out = out;
		j.nthreads = threads[i];
		j.fail_from = 5;   /* tasks 5, 6, ... all fail: task 5's error wins */
		rc = aud__parallel_for(threads[i], 100000, square_task, &j, NULL, "k", &err);
		CHECK_INT_EQ(rc, AUD_EMODEL);
		CHECK_INT_EQ(err.code, AUD_EMODEL);
		CHECK_STR_EQ(err.msg, "task 5 failed");
		/*
		 * Tasks are handed out in order and no task is taken once one
		 * failed: each thread runs at most one task from 5 on.
		 */
		CHECK(atomic_load(&j.calls) <= 5 + (int)threads[i]);
		if (threads[i] == 1)
			CHECK_INT_EQ(atomic_load(&j.calls), 6);
	}
}

struct plog {
	pthread_t caller;
	int calls, monotone, others, wrong;
	uint64_t last, total;
};

static void
on_progress(const char *label, enum aud_progress_unit unit, uint64_t done, uint64_t total,
    void *payload)
{
	struct plog *l = payload;

	if (!pthread_equal(pthread_self(), l->caller))
		l->others = 1;     /* reports come from the calling thread only */
	if (strcmp(label, "squares") != 0 || unit != AUD_PROGRESS_TASKS)
		l->wrong = 1;
	if (done < l->last)
		l->monotone = 0;
	l->last = done;
	l->total = total;
	l->calls++;
}

void
test_parallel__progress_from_the_caller(void)
{
	static double out[NTASKS];
	size_t threads[] = { 1, 3 }, i;

	for (i = 0; i < 2; i++) {
		struct plog l;
		struct aud_progress_cb cb = { on_progress, &l };
		struct job j;

		memset(&l, 0, sizeof(l));
		l.caller = pthread_self();
		l.monotone = 1;
		memset(&j, 0, sizeof(j));
		j.out = out;
		j.nthreads = threads[i];
		j.fail_from = NTASKS;
		CHECK_INT_EQ(aud__parallel_for(threads[i], NTASKS, square_task, &j, &cb,
		    "squares", NULL), 0);
		CHECK(l.calls >= 1);
		if (threads[i] == 1)   /* after every task, then once at the end */
			CHECK_INT_EQ(l.calls, NTASKS + 1);
		CHECK(l.monotone);
		CHECK_INT_EQ(l.others, 0);
		CHECK_INT_EQ(l.wrong, 0);
		CHECK_INT_EQ(l.last, NTASKS);
		CHECK_INT_EQ(l.total, NTASKS);
	}
}
