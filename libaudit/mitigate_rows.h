/*
 * mitigate_rows.h — private to mitigate_job.c and mitigate_apply.c: a row's
 * group key, label and score as audit-mitigate reads them, and the (group,
 * label) cells of reweighing.
 */
#ifndef AUDIT_MITIGATE_ROWS_H
#define AUDIT_MITIGATE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include <audit/csv.h>
#include <audit/dict.h>
#include <audit/error.h>

/** The columns of a row's group, found in a CSV. */
struct aud__mit_key {
	size_t *cols;       /**< the protected columns' indexes */
	size_t n;
	char *buf;          /**< the key of the current row, NUL-terminated */
	size_t len, cap;
};

/** Find the protected columns. @return 0, AUD_ENOTFOUND, AUD_ENOMEM */
int aud__mit_key_init(struct aud__mit_key *k, const struct aud_csv *csv,
    const char *const *names, size_t n, struct aud_error *err);
void aud__mit_key_free(struct aud__mit_key *k);
/**
 * The key of the current record into k->buf: the values joined with " & ".
 * @return 1, 0 when a value is missing, AUD_ENOMEM
 */
int aud__mit_key_read(struct aud__mit_key *k, const struct aud_csv *csv, struct aud_error *err);

/**
 * The score of field `col`: 1 (in *out), 0 missing, AUD_EPARSE (not a number,
 * or outside [0, 1]: "PATH:LINE:COL: score 'x' in column 'c' is outside [0, 1]").
 */
int aud__mit_score(double *out, const struct aud_csv *csv, size_t col, const char *name,
    struct aud_error *err);

/** Counts of reweighing: per group, per label value, per (group, label). */
struct aud__mit_cells {
	struct aud_dict *groups, *labels;
	double *ng, *ny;        /**< per group code, per label code */
	double *nyg;            /**< [group * cap_labels + label] */
	size_t cap_groups, cap_labels;
	double n;
	uint64_t skipped;       /**< rows with a missing label or group */
};

int aud__mit_cells_init(struct aud__mit_cells *c, struct aud_error *err);
void aud__mit_cells_free(struct aud__mit_cells *c);
/** Count one row. @param[out] g, y  the codes of its group and label */
int aud__mit_cells_add(int32_t *g, int32_t *y, struct aud__mit_cells *c, const char *group,
    size_t glen, const char *label, size_t llen, struct aud_error *err);
/** Rows of (group g, label y). */
double aud__mit_cells_count(const struct aud__mit_cells *c, size_t g, size_t y);
/** n_g n_y / (n n_gy); NaN when the cell is empty. */
double aud__mit_cells_weight(const struct aud__mit_cells *c, size_t g, size_t y);

#endif
