/* parallel.c — the deterministic parallel loop of parallel.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"

struct loop {
	pthread_mutex_t lock;
	size_t next, ntasks, done;
	size_t failed_task;          /* lowest failing task, or ntasks */
	struct aud_error failed_err;
	int failed_rc;
	aud__task_fn fn;
	void *payload;
	const struct aud_progress_cb *progress;
	const char *label;
};

struct worker {
	struct loop *loop;
	size_t id;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct loop *p = w->loop;
	struct aud_error err = AUD_ERROR_INIT;

	for (;;) {
		size_t task, done;
		int rc;

		pthread_mutex_lock(&p->lock);
		/* stop taking tasks once one failed: later ones cannot matter */
		if (p->next >= p->ntasks || p->failed_task < p->ntasks) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		task = p->next++;
		pthread_mutex_unlock(&p->lock);
		rc = p->fn(p->payload, w->id, task, &err);
		pthread_mutex_lock(&p->lock);
		if (rc < 0 && task < p->failed_task) {
			p->failed_task = task;
			p->failed_rc = rc;
			p->failed_err = err;
		}
		done = ++p->done;
		pthread_mutex_unlock(&p->lock);
		/* only the calling thread reports, so the callback never runs twice at once */
		if (w->id == 0 && rc == 0)
			aud_progress_report(p->progress, p->label, AUD_PROGRESS_TASKS,
			    done, p->ntasks);
	}
	return NULL;
}

int
aud__parallel_for(size_t nthreads, size_t ntasks, aud__task_fn fn, void *payload,
    const struct aud_progress_cb *progress, const char *label, struct aud_error *err)
{
	struct loop p;
	struct worker *workers = NULL;
	pthread_t *tids = NULL;
	size_t i, started = 0;
	int rc = 0;

	if (ntasks == 0)
		return 0;
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > ntasks)
		nthreads = ntasks;
	memset(&p, 0, sizeof(p));
	p.ntasks = ntasks;
	p.failed_task = ntasks;
	p.fn = fn;
	p.payload = payload;
	p.progress = progress;
	p.label = label != NULL ? label : "";
	if (pthread_mutex_init(&p.lock, NULL) != 0)
		return AUD_ERROR(err, AUD_EINTERNAL, "cannot create a mutex");
	workers = calloc(nthreads, sizeof(*workers));
	tids = calloc(nthreads, sizeof(*tids));
	if (workers == NULL || tids == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < nthreads; i++) {
		workers[i].loop = &p;
		workers[i].id = i;
	}
	/* threads 1..n-1 are started; a failure to start one leaves fewer */
	for (i = 1; i < nthreads; i++) {
		if (pthread_create(&tids[i], NULL, work, &workers[i]) != 0)
			break;
		started++;
	}
	work(&workers[0]);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	if (p.failed_task < ntasks) {
		rc = p.failed_rc;
		if (err != NULL)
			*err = p.failed_err;
	} else {
		aud_progress_report(progress, p.label, AUD_PROGRESS_TASKS, ntasks, ntasks);
	}
done:
	pthread_mutex_destroy(&p.lock);
	free(workers);
	free(tids);
	return rc;
}

/* ---- the lock around OpenBLAS (see parallel.h) ---- */

static pthread_mutex_t blas_mutex = PTHREAD_MUTEX_INITIALIZER;

void
aud__blas_lock(void)
{
	pthread_mutex_lock(&blas_mutex);
}

void
aud__blas_unlock(void)
{
	pthread_mutex_unlock(&blas_mutex);
}
