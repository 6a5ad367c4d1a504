/*
 * parallel.h — private to libaudit: the one deterministic parallel loop.
 *
 * Tasks 0..ntasks-1 run on up to nthreads POSIX threads (the calling thread
 * is one of them), each task taken by the next free thread. A task writes
 * only its own results (or per-thread scratch indexed by `thread`), so the
 * output does not depend on the number of threads or on the order in which
 * tasks finish. Callers that combine results do so afterwards, in task order.
 */
#ifndef AUDIT_PARALLEL_H
#define AUDIT_PARALLEL_H

#include <stddef.h>

#include <audit/error.h>
#include <audit/progress.h>

/**
 * One task. `thread` (0..nthreads-1) indexes the caller's per-thread
 * workspaces; thread 0 is the calling thread.
 * @return 0 or a negative AUD_E* code (with `err` set)
 */
typedef int (*aud__task_fn)(void *payload, size_t thread, size_t task,
    struct aud_error *err);

/**
 * Run the tasks. nthreads 0 counts as 1 (everything runs inline); more
 * threads than tasks are not started. When a thread cannot be created the
 * loop runs on the threads it has (at least the calling one), with the same
 * results.
 *
 * The first error wins: once a task fails no thread takes a new task. Tasks
 * are handed out in order, so every task below a failing one has run, and
 * the error returned is that of the lowest-numbered failing task, whatever
 * the number of threads.
 *
 * `progress` (may be NULL) receives (label, AUD_PROGRESS_TASKS, done,
 * ntasks) from the calling thread only, after each of its tasks and once
 * at the end when every task succeeded.
 *
 * @return 0 or the failing task's code (its message in `err`)
 */
int aud__parallel_for(size_t nthreads, size_t ntasks, aud__task_fn fn, void *payload,
    const struct aud_progress_cb *progress, const char *label, struct aud_error *err);

/*
 * The one lock around the dense linear algebra library. Debian's
 * single-threaded OpenBLAS (the build the tools link, see the Makefile) is
 * built without its own locking: two threads inside it at once share its
 * work buffers and now and then return wrong numbers, with no error. Every
 * LAPACKE/CBLAS call libaudit makes from a task of aud__parallel_for() is
 * made between aud__blas_lock() and aud__blas_unlock(). It is process-wide
 * because the library's buffers are: two jobs in one process share them too.
 */
void aud__blas_lock(void);
void aud__blas_unlock(void);

#endif
