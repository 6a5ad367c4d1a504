/*
 * explain_impl.h — private to the explanation modules (explain, importance,
 * pdp): a deterministic parallel loop over tasks.
 */
#ifndef AUDIT_EXPLAIN_IMPL_H
#define AUDIT_EXPLAIN_IMPL_H

#include <stddef.h>

#include <audit/cli.h>
#include <audit/error.h>

/* One task: `thread` (0..nthreads-1) indexes the caller's per-thread workspaces. */
typedef int (*aud__task_fn)(void *payload, size_t thread, size_t task,
    struct aud_error *err);

/*
 * Run tasks 0..ntasks-1 on nthreads threads (POSIX threads; 1 runs inline),
 * each task taken by the next free thread. Every task writes only its own
 * results, so the output does not depend on nthreads. On failure the error
 * of the lowest failing task is returned (the same whatever the thread
 * count); tasks after it may not run. `progress` (may be NULL) is advanced
 * by one per task.
 */
int aud__parallel_for(size_t nthreads, size_t ntasks, aud__task_fn fn, void *payload,
    struct aud_progress *progress, struct aud_error *err);

#endif
