/*
 * fairness_sort.h — private: the rows kept for exact score metrics and their
 * sort by score (fairness_sort.c), shared by fairness.c and the unit tests.
 */
#ifndef AUDIT_FAIRNESS_SORT_H
#define AUDIT_FAIRNESS_SORT_H

#include <stddef.h>
#include <stdint.h>

/* A row kept for exact score metrics: 24 bytes (8 of them padding after key). */
struct aud__srow {
	double score;               /* in [0, 1], never -0.0 */
	double w;                   /* the weight relative to the first positive weight */
	uint32_t key;               /* cell id << 1 | label */
};

/*
 * Sort a[0..n) by ascending score, in place (no memory that grows with n
 * beyond a fixed bucket table). Rows with equal scores end up adjacent in an
 * unspecified but deterministic order: the result is the same for any
 * nthreads (1 or 2 are used). Scores must lie in [0, 1] and not be NaN.
 */
void aud__srow_sort(struct aud__srow *a, size_t n, int nthreads);

#endif
