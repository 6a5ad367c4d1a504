/*
 * fairtask_impl.h — private: the metric tables of audit-fair's multi-class
 * and regression tasks, shared by fairtask.c (computing), fairtask_job.c
 * (checks) and fairtask_write.c (the views).
 */
#ifndef AUDIT_FAIRTASK_IMPL_H
#define AUDIT_FAIRTASK_IMPL_H

#include <audit/fairtask.h>

/* multiclass: the group metrics that have summaries and disparities, in output order */
#define AUD__MC_NMAIN 5
extern const char *const aud__mc_main[AUD__MC_NMAIN];
/* multiclass: the per-class values, in output order */
#define AUD__MC_NPC 5
extern const char *const aud__mc_pc[AUD__MC_NPC];
/* regression: the group metrics beside count, in output order */
#define AUD__RG_NMET 7
extern const char *const aud__rg_met[AUD__RG_NMET];

/* The metric keys of a task (count not included) and how many. */
const char *const *aud__task_metrics(enum aud_fairtask_kind task, size_t *n);

#endif
