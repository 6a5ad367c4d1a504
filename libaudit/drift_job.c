/*
 * drift_job.c — audit-data drift as a job of the runner (job.h): the rules
 * between options, the reference read with its own CSV reader (the input's
 * CSV options, its own --reference-skip-lines), the current input read
 * through the runner, per group (--by) and per window (--window), the
 * audit.drift/1 document, and the check resolver of its results.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <audit/dict.h>
#include <audit/json.h>

#include "data_impl.h"
#include "drift_impl.h"

#define NONE SIZE_MAX

enum role { ROLE_FEATURE = 0, ROLE_PRED, ROLE_LABEL };

enum unit { UNIT_VALUE = 0, UNIT_DAY, UNIT_MONTH, UNIT_YEAR };
static const char *const unit_names[] = { "value", "day", "month", "year", NULL };

/* One file's (or one group's, one window's) accumulators, one per column. */
struct set {
	struct aud_colstat **cols;  /* NULL where the column is not in that file */
	uint64_t rows;
};

struct drift {
	struct aud_data_options o;
	struct aud_csv_options csv;   /* the input's, for the reference (from describe) */
	struct aud_cli_file files[1];
	struct aud__drift_rules rules;
	char *wcol;                   /* --window's column */
	enum unit wunit;

	char **names;                 /* the compared columns */
	int *role;
	size_t n, cap;
	size_t *iref, *icur;          /* their positions in each file, NONE: absent */

	struct set ref, cur;
	struct aud_dict *gdict;       /* --by: the groups of both files */
	struct set *gref, *gcur;
	size_t ngroups;
	struct aud_dict *wdict;       /* --window: the current file's windows */
	struct set *wcur;
	size_t nwindows;
	uint64_t ref_rows, missing_group_ref, missing_group_cur, missing_window;
	char ref_sha[65];

	cJSON *res, *warn;            /* built by run, moved into the document */
};

/* ---- options ----------------------------------------------------------------------- */

static int
parse_window(struct drift *j, struct aud_error *err)
{
	const char *w = j->o.window, *eq = strchr(w, '=');
	size_t k;

	j->wunit = UNIT_VALUE;
	if (eq != NULL) {
		for (k = 0; unit_names[k] != NULL; k++)
			if (strcmp(eq + 1, unit_names[k]) == 0)
				break;
		if (unit_names[k] == NULL)
			return AUD_ERROR(err, AUD_EINVAL, "--window '%s': the unit must be value, "
			    "day, month or year", w);
		j->wunit = (enum unit)k;
	}
	k = eq != NULL ? (size_t)(eq - w) : strlen(w);
	if (k == 0)
		return AUD_ERROR(err, AUD_EINVAL, "--window '%s': no column", w);
	j->wcol = malloc(k + 1);
	if (j->wcol == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	memcpy(j->wcol, w, k);
	j->wcol[k] = '\0';
	return 0;
}

static void
set_free(struct set *s, size_t n)
{
	size_t i;

	if (s->cols == NULL)
		return;
	for (i = 0; i < n; i++)
		aud_colstat_free(s->cols[i]);
	free(s->cols);
	s->cols = NULL;
}

static void
drift_free(void *self)
{
	struct drift *j = self;
	size_t i;

	if (j == NULL)
		return;
	set_free(&j->ref, j->n);
	set_free(&j->cur, j->n);
	for (i = 0; i < j->ngroups; i++) {
		set_free(&j->gref[i], j->n);
		set_free(&j->gcur[i], j->n);
	}
	for (i = 0; i < j->nwindows; i++)
		set_free(&j->wcur[i], j->n);
	free(j->gref);
	free(j->gcur);
	free(j->wcur);
	aud_dict_free(j->gdict);
	aud_dict_free(j->wdict);
	for (i = 0; i < j->n; i++)
		free(j->names[i]);
	free(j->names);
	free(j->role);
	free(j->iref);
	free(j->icur);
	free(j->wcol);
	cJSON_Delete(j->res);
	cJSON_Delete(j->warn);
	free(j);
}

static int
is_stdin(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

static int
describe(void *self, struct aud_job *job, struct aud_error *err)
{
	struct drift *j = self;

	if (is_stdin(job->input))
		return AUD_ERROR(err, AUD_EINVAL, "drift reads the current data from a file, not "
		    "from standard input");
	j->csv = job->csv;
	j->csv.notice = NULL;
	j->csv.notice_payload = NULL;
	if (j->o.reference_skip_set)
		j->csv.skip_lines = j->o.reference_skip_lines;
	j->files[0].option = "--reference";
	j->files[0].path = j->o.reference;
	job->inputs = j->files;
	job->ninputs = 1;
	return 0;
}

/* ---- reading ----------------------------------------------------------------------- */

static int
add_name(struct drift *j, const char *name, int role, struct aud_error *err)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->names[i], name) == 0) {
			if (role != ROLE_FEATURE)
				j->role[i] = role;
			return 0;
		}
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 16;
		char **nn = realloc(j->names, cap * sizeof(*nn));
		int *nr;

		if (nn == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		j->names = nn;
		nr = realloc(j->role, cap * sizeof(*nr));
		if (nr == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		j->role = nr;
		j->cap = cap;
	}
	j->names[j->n] = strdup(name);
	if (j->names[j->n] == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	j->role[j->n++] = role;
	return 0;
}

/* 1 when `name` is a column of csv. */
static int
has_column(const struct aud_csv *csv, const char *name)
{
	size_t i;

	for (i = 0; i < aud_csv_ncols(csv); i++)
		if (strcmp(aud_csv_colname(csv, i), name) == 0)
			return 1;
	return 0;
}

static int
excluded(const struct drift *j, const char *name)
{
	return j->wcol != NULL && strcmp(name, j->wcol) == 0;
}

/*
 * The compared columns: --columns (each in one file at least), or the
 * current's then the reference's.
 */
static int
columns_of(struct drift *j, const struct aud_csv *ref, const struct aud_csv *cur,
    struct aud_error *err)
{
	size_t i;
	int rc = 0;

	if (j->o.columns != NULL) {
		for (i = 0; rc == 0 && i < j->o.ncolumns; i++) {
			if (!has_column(cur, j->o.columns[i]) && !has_column(ref, j->o.columns[i]))
				return aud_csv_unknown_column(cur, j->o.columns[i], err);
			if (!excluded(j, j->o.columns[i]))
				rc = add_name(j, j->o.columns[i], ROLE_FEATURE, err);
		}
	} else {
		for (i = 0; rc == 0 && i < aud_csv_ncols(cur); i++)
			if (!excluded(j, aud_csv_colname(cur, i)))
				rc = add_name(j, aud_csv_colname(cur, i), ROLE_FEATURE, err);
		for (i = 0; rc == 0 && i < aud_csv_ncols(ref); i++)
			if (!excluded(j, aud_csv_colname(ref, i)))
				rc = add_name(j, aud_csv_colname(ref, i), ROLE_FEATURE, err);
	}
	if (rc == 0 && j->o.pred != NULL)
		rc = add_name(j, j->o.pred, ROLE_PRED, err);
	if (rc == 0 && j->o.label != NULL)
		rc = add_name(j, j->o.label, ROLE_LABEL, err);
	if (rc < 0)
		return rc;
	j->iref = malloc((j->n + 1) * sizeof(*j->iref));
	j->icur = malloc((j->n + 1) * sizeof(*j->icur));
	if (j->iref == NULL || j->icur == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < j->n; i++) {
		if (aud_csv_find(&j->iref[i], ref, j->names[i], NULL) < 0)
			j->iref[i] = NONE;
		if (aud_csv_find(&j->icur[i], cur, j->names[i], NULL) < 0)
			j->icur[i] = NONE;
	}
	return 0;
}

static int
set_init(struct set *s, const struct drift *j, const size_t *idx, struct aud_error *err)
{
	size_t i;
	int rc;

	s->cols = calloc(j->n + 1, sizeof(*s->cols));
	if (s->cols == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < j->n; i++)
		if (idx[i] != NONE) {
			rc = aud_colstat_new(&s->cols[i], j->names[i], &j->o.col, err);
			if (rc < 0)
				return rc;
		}
	return 0;
}

/* The set of key `code` in a growing array of sets (both files' for groups). */
static int
grow(struct set **arr, size_t n, struct aud_error *err)
{
	struct set *a;

	if ((n & (n - 1)) != 0 && n != 0)
		return 0;
	a = realloc(*arr, (n ? 2 * n : 4) * sizeof(*a));
	if (a == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	*arr = a;
	return 0;
}

static int
group_of(struct drift *j, const char *s, size_t len, size_t *out, struct aud_error *err)
{
	int32_t code;
	int rc;

	rc = aud_dict_intern(&code, j->gdict, s, len, err);
	if (rc < 0)
		return rc;
	*out = (size_t)code;
	if ((size_t)code < j->ngroups)
		return 0;
	rc = grow(&j->gref, j->ngroups, err);
	if (rc == 0)
		rc = grow(&j->gcur, j->ngroups, err);
	if (rc < 0)
		return rc;
	memset(&j->gref[j->ngroups], 0, sizeof(struct set));
	memset(&j->gcur[j->ngroups], 0, sizeof(struct set));
	j->ngroups++;
	rc = set_init(&j->gref[code], j, j->iref, err);
	if (rc == 0)
		rc = set_init(&j->gcur[code], j, j->icur, err);
	return rc;
}

/* The window key of a date-or-value field (*klen bytes of s), or an error. */
static int
window_key(const struct drift *j, const struct aud_csv *csv, size_t col, const char *s,
    size_t len, size_t *klen, struct aud_error *err)
{
	static const size_t need[] = { 0, 10, 7, 4 };
	size_t k, n = need[j->wunit];

	*klen = len;
	if (j->wunit == UNIT_VALUE)
		return 0;
	for (k = 0; k < n; k++) {
		int digit = s[k] >= '0' && s[k] <= '9';

		if (k >= len || ((k == 4 || k == 7) ? s[k] != '-' : !digit))
			return AUD_ERROR(err, AUD_EPARSE, "%s:%llu:%llu: '%.*s' in column '%s' is "
			    "not an ISO 8601 date (--window %s=%s)", aud_csv_path(csv),
			    (unsigned long long)aud_csv_line(csv),
			    (unsigned long long)aud_csv_column(csv, col),
			    (int)(len > 40 ? 40 : len), s, j->wcol, j->wcol, unit_names[j->wunit]);
	}
	*klen = n;
	return 0;
}

static int
window_of(struct drift *j, const char *s, size_t len, size_t *out, struct aud_error *err)
{
	int32_t code;
	int rc;

	rc = aud_dict_intern(&code, j->wdict, s, len, err);
	if (rc < 0)
		return rc;
	*out = (size_t)code;
	if ((size_t)code < j->nwindows)
		return 0;
	rc = grow(&j->wcur, j->nwindows, err);
	if (rc < 0)
		return rc;
	memset(&j->wcur[j->nwindows], 0, sizeof(struct set));
	j->nwindows++;
	return set_init(&j->wcur[code], j, j->icur, err);
}

/* The field's length once the trailing --strip-suffix characters of a text are dropped. */
static size_t
stripped(const struct drift *j, const char *s, size_t len)
{
	double x;

	if (j->o.strip_suffix == NULL || aud_parse_number(&x, s, len) == 1)
		return len;
	while (len > 0 && strchr(j->o.strip_suffix, s[len - 1]) != NULL)
		len--;
	return len;
}

/* Read every row of one file into the overall set, its group's and (current) its window's. */
static int
read_file(struct drift *j, struct aud_csv *csv, int is_ref,
    const struct aud_progress_cb *progress, struct aud_error *err)
{
	const size_t *idx = is_ref ? j->iref : j->icur;
	struct set *all = is_ref ? &j->ref : &j->cur, *sets[3];
	size_t iby = NONE, iwin = NONE, i, k, len, g = 0, w = 0, nsets;
	const char *s;
	int rc, na;

	rc = set_init(all, j, idx, err);
	if (rc == 0 && j->o.by != NULL)
		rc = aud_csv_find(&iby, csv, j->o.by, err);
	if (rc == 0 && !is_ref && j->wcol != NULL)
		rc = aud_csv_find(&iwin, csv, j->wcol, err);
	while (rc == 0) {
		rc = aud_csv_next(csv, err);
		if (rc <= 0)
			break;
		rc = 0;
		nsets = 0;
		sets[nsets++] = all;
		all->rows++;
		if (iby != NONE) {
			if (aud_csv_is_na(csv, iby)) {
				if (is_ref)
					j->missing_group_ref++;
				else
					j->missing_group_cur++;
			} else {
				s = aud_csv_field(csv, iby, &len);
				rc = group_of(j, s, stripped(j, s, len), &g, err);
				if (rc < 0)
					break;
				sets[nsets] = is_ref ? &j->gref[g] : &j->gcur[g];
				sets[nsets++]->rows++;
			}
		}
		if (iwin != NONE) {
			if (aud_csv_is_na(csv, iwin)) {
				j->missing_window++;
			} else {
				s = aud_csv_field(csv, iwin, &len);
				rc = window_key(j, csv, iwin, s, len, &len, err);
				if (rc == 0)
					rc = window_of(j, s, len, &w, err);
				if (rc < 0)
					break;
				sets[nsets] = &j->wcur[w];
				sets[nsets++]->rows++;
			}
		}
		for (i = 0; rc == 0 && i < j->n; i++) {
			if (idx[i] == NONE)
				continue;
			na = aud_csv_is_na(csv, idx[i]);
			s = aud_csv_field(csv, idx[i], &len);
			if (!na)
				len = stripped(j, s, len);
			for (k = 0; rc == 0 && k < nsets; k++)
				rc = aud_colstat_add(sets[k]->cols[i], s, len, na,
				    aud_csv_line(csv), err);
		}
		if ((all->rows & 0xffff) == 0)
			aud_progress_report(progress, is_ref ? "reference" : "input",
			    AUD_PROGRESS_BYTES, aud_csv_bytes(csv), aud_csv_size(csv));
	}
	return rc < 0 ? rc : 0;
}

static int
job_read(void *self, struct aud_csv *cur, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	struct drift *j = self;
	struct aud_csv *ref = NULL;
	int rc;

	if (strcmp(aud_csv_path(cur), "-") == 0)
		return AUD_ERROR(err, AUD_EINVAL, "drift reads the current data from a file, not "
		    "from standard input");
	rc = aud_csv_open(&ref, j->o.reference, &j->csv, err);
	if (rc == 0 && j->o.by != NULL && !has_column(ref, j->o.by))
		rc = aud_csv_unknown_column(ref, j->o.by, err);
	if (rc == 0 && j->o.by != NULL && !has_column(cur, j->o.by))
		rc = aud_csv_unknown_column(cur, j->o.by, err);
	if (rc == 0 && j->wcol != NULL && !has_column(cur, j->wcol))
		rc = aud_csv_unknown_column(cur, j->wcol, err);
	if (rc == 0 && j->o.pred != NULL && !has_column(cur, j->o.pred))
		rc = aud_csv_unknown_column(cur, j->o.pred, err);
	if (rc == 0 && j->o.label != NULL && !has_column(cur, j->o.label))
		rc = aud_csv_unknown_column(cur, j->o.label, err);
	if (rc == 0)
		rc = columns_of(j, ref, cur, err);
	if (rc == 0)
		rc = read_file(j, ref, 1, progress, err);
	if (rc == 0)
		rc = aud_csv_sha256(ref, j->ref_sha, err);
	if (rc == 0)
		j->ref_rows = aud_csv_rows(ref);
	aud_csv_free(ref);
	if (rc == 0 && j->ref_rows == 0)
		rc = AUD_ERROR(err, AUD_EPARSE, "%s: the reference has no rows", j->o.reference);
	if (rc == 0)
		rc = read_file(j, cur, 0, progress, err);
	if (rc == 0 && j->cur.rows == 0)
		rc = AUD_ERROR(err, AUD_EPARSE, "%s: the current data has no rows",
		    aud_csv_path(cur));
	return rc;
}

/* ---- running: the comparisons --------------------------------------------------------- */

static int
warnf(struct drift *j, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int
warnf(struct drift *j, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cJSON_AddItemToArray(j->warn, cJSON_CreateString(msg)) ? 0 : -1;
}

/*
 * Compare two sets into obj: columns[], the summary, prediction and label.
 * skip: a column left out (the --by column within its groups), or NONE.
 */
static int
compare(cJSON *obj, struct drift *j, struct set *ref, struct set *cur, size_t skip,
    cJSON *warnings, const char *where, struct aud_error *err)
{
	cJSON *cols = cJSON_AddArrayToObject(obj, "columns"), *c;
	size_t i;
	int rc;

	if (cols == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < j->n; i++) {
		if (i == skip)
			continue;
		c = cJSON_CreateObject();
		if (c == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		if (j->role[i] == ROLE_FEATURE ? !cJSON_AddItemToArray(cols, c) :
		    !cJSON_AddItemToObject(obj, j->role[i] == ROLE_PRED ? "prediction" : "label",
		    c)) {
			cJSON_Delete(c);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
		rc = aud__drift_column(c, j->names[i], ref->cols[i], cur->cols[i], &j->rules,
		    warnings, where, err);
		if (rc < 0)
			return rc;
	}
	return aud__drift_summary(obj, cols, j->rules.share, err);
}

/* Indices 0..n-1 of a dictionary's strings, in byte order of the strings. */
static size_t *
sorted_keys(const struct aud_dict *d, size_t n)
{
	size_t *k = malloc((n + 1) * sizeof(*k)), i;

	if (k == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		k[i] = i;
	/* insertion sort: no global state, and the keys are few */
	for (i = 1; i < n; i++) {
		size_t x = k[i], m = i;

		while (m > 0 && strcmp(aud_dict_str(d, (int32_t)k[m - 1]),
		    aud_dict_str(d, (int32_t)x)) > 0) {
			k[m] = k[m - 1];
			m--;
		}
		k[m] = x;
	}
	return k;
}

static int
run_groups(struct drift *j, struct aud_error *err)
{
	cJSON *arr = cJSON_AddArrayToObject(j->res, "groups"), *g;
	size_t *order = sorted_keys(j->gdict, j->ngroups), i, k, skip = NONE;
	const char *name;
	int rc = 0;

	if (arr == NULL || order == NULL) {
		free(order);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < j->n; i++)
		if (strcmp(j->names[i], j->o.by) == 0)
			skip = i;
	for (i = 0; rc == 0 && i < j->ngroups; i++) {
		k = order[i];
		name = aud_dict_str(j->gdict, (int32_t)k);
		if (j->gref[k].rows == 0 || j->gcur[k].rows == 0) {
			rc = warnf(j, "group '%s' of '%s' is only in the %s: not compared", name,
			    j->o.by, j->gref[k].rows == 0 ? "current data" : "reference") < 0 ?
			    AUD_ERROR(err, AUD_ENOMEM, "out of memory") : 0;
			continue;
		}
		g = cJSON_CreateObject();
		if (g == NULL || !cJSON_AddItemToArray(arr, g) ||
		    cJSON_AddStringToObject(g, "by", j->o.by) == NULL ||
		    cJSON_AddStringToObject(g, "group", name) == NULL ||
		    aud_json_add_number(g, "reference_rows", (double)j->gref[k].rows) == NULL ||
		    aud_json_add_number(g, "rows", (double)j->gcur[k].rows) == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			break;
		}
		rc = compare(g, j, &j->gref[k], &j->gcur[k], skip, NULL, "", err);
	}
	free(order);
	return rc;
}

static int
run_windows(struct drift *j, struct aud_error *err)
{
	cJSON *arr = cJSON_AddArrayToObject(j->res, "windows"), *w;
	size_t *order = sorted_keys(j->wdict, j->nwindows), i, k;
	int rc = 0;

	if (arr == NULL || order == NULL) {
		free(order);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; rc == 0 && i < j->nwindows; i++) {
		k = order[i];
		w = cJSON_CreateObject();
		if (w == NULL || !cJSON_AddItemToArray(arr, w) ||
		    cJSON_AddStringToObject(w, "window",
		    aud_dict_str(j->wdict, (int32_t)k)) == NULL ||
		    aud_json_add_number(w, "rows", (double)j->wcur[k].rows) == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			break;
		}
		rc = compare(w, j, &j->ref, &j->wcur[k], NONE, NULL, "", err);
	}
	free(order);
	return rc;
}

static int
job_run(void *self, const struct aud_progress_cb *progress, struct aud_error *err)
{
	struct drift *j = self;
	int rc;

	(void)progress;
	j->res = cJSON_CreateObject();
	j->warn = cJSON_CreateArray();
	if (j->res == NULL || j->warn == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = compare(j->res, j, &j->ref, &j->cur, NONE, j->warn, "", err);
	if (rc == 0 && j->o.by != NULL)
		rc = run_groups(j, err);
	if (rc == 0 && j->wcol != NULL)
		rc = run_windows(j, err);
	if (rc == 0 && j->missing_group_ref + j->missing_group_cur > 0 &&
	    warnf(j, "%llu reference and %llu current rows with a missing '%s' are in no group",
	    (unsigned long long)j->missing_group_ref, (unsigned long long)j->missing_group_cur,
	    j->o.by) < 0)
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (rc == 0 && j->missing_window > 0 && warnf(j, "%llu current rows with a missing "
	    "'%s' are in no window", (unsigned long long)j->missing_window, j->wcol) < 0)
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	if (rc == 0 && aud_json_num(j->res, "tested") == 0 &&
	    warnf(j, "no column could be tested: drift_share and dataset_drift are "
	    "undefined (null)") < 0)
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return rc;
}

/* ---- the document ------------------------------------------------------------------ */

static int
put_params(cJSON *p, const struct drift *j)
{
	cJSON *s;

	if (cJSON_AddStringToObject(p, "command", "drift") == NULL ||
	    cJSON_AddStringToObject(p, "reference", j->o.reference) == NULL ||
	    aud_json_add_number(p, "reference_skip_lines", (double)j->csv.skip_lines) == NULL ||
	    cJSON_AddStringToObject(p, "method", aud_drift_method_names[j->o.method]) == NULL ||
	    aud_json_add_number(p, "threshold", j->o.threshold) == NULL ||
	    aud_json_add_number(p, "share", j->o.share) == NULL)
		return -1;
	if ((j->o.columns != NULL ? aud_json_add_strings(p, "columns", j->o.columns,
	    j->o.ncolumns) : cJSON_AddNullToObject(p, "columns")) == NULL)
		return -1;
	if ((j->o.pred ? cJSON_AddStringToObject(p, "pred", j->o.pred) :
	    cJSON_AddNullToObject(p, "pred")) == NULL ||
	    (j->o.label ? cJSON_AddStringToObject(p, "label", j->o.label) :
	    cJSON_AddNullToObject(p, "label")) == NULL ||
	    (j->o.by ? cJSON_AddStringToObject(p, "by", j->o.by) :
	    cJSON_AddNullToObject(p, "by")) == NULL ||
	    (j->o.window ? cJSON_AddStringToObject(p, "window", j->o.window) :
	    cJSON_AddNullToObject(p, "window")) == NULL ||
	    (j->o.strip_suffix ? cJSON_AddStringToObject(p, "strip_suffix", j->o.strip_suffix) :
	    cJSON_AddNullToObject(p, "strip_suffix")) == NULL ||
	    aud_json_add_number(p, "max_categories", (double)j->o.col.max_categories) == NULL)
		return -1;
	if (!j->o.col.sketch)
		return cJSON_AddFalseToObject(p, "sketch") == NULL ? -1 : 0;
	s = cJSON_AddObjectToObject(p, "sketch");
	if (s == NULL || aud_json_add_number(s, "eps", j->o.col.sketch_eps) == NULL ||
	    cJSON_AddStringToObject(s, "quantiles", "within eps in rank") == NULL ||
	    aud_json_add_number(s, "ks_statistic_bound", 2 * j->o.col.sketch_eps) == NULL ||
	    cJSON_AddStringToObject(s, "wasserstein_bound", "2 eps (max - min)") == NULL ||
	    cJSON_AddStringToObject(s, "ks_pvalue", "from the approximate statistic") == NULL ||
	    cJSON_AddStringToObject(s, "psi", "bins cut at the sketch's deciles") == NULL)
		return -1;
	return 0;
}

static int
job_document(void *self, cJSON *params, cJSON *results, cJSON *warnings,
    struct aud_error *err)
{
	struct drift *j = self;
	cJSON *x;

	if (put_params(params, j) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	while ((x = j->res->child) != NULL) {
		cJSON_DetachItemViaPointer(j->res, x);
		cJSON_AddItemToObject(results, x->string, x);
	}
	while ((x = j->warn->child) != NULL) {
		cJSON_DetachItemViaPointer(j->warn, x);
		cJSON_AddItemToArray(warnings, x);
	}
	return 0;
}

static int
input_info(void *self, cJSON *input, struct aud_error *err)
{
	struct drift *j = self;
	cJSON *r = cJSON_AddObjectToObject(input, "reference");

	if (r == NULL || cJSON_AddStringToObject(r, "path", j->o.reference) == NULL ||
	    aud_json_add_number(r, "rows", (double)j->ref_rows) == NULL ||
	    cJSON_AddStringToObject(r, "sha256", j->ref_sha) == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}

static int
describe_job(void *self, struct aud_job *job, struct aud_error *err)
{
	int rc = describe(self, job, err);

	if (rc == 0)
		job->input_info = input_info;
	return rc;
}

/* ---- checks ------------------------------------------------------------------------ */

static const char *const stat_keys[] = { "ks_statistic", "ks_pvalue", "wasserstein",
	"wasserstein_normed", "psi", "chisquare_statistic", "chisquare_pvalue",
	"contingency_statistic", "contingency_pvalue", "jensenshannon",
	"z_statistic", "z_pvalue", "drift", "value", "threshold", "missing_reference",
	"missing_current", "reference_rows", "current_rows", NULL };
static const char *const summary_keys[] = { "share", "dataset", "drifted", "tested", NULL };
static const char *const summary_doc[] = { "drift_share", "dataset_drift", "drifted", "tested" };

static int
in(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* The scope's kind ("column", "group", "window") and the name after "KIND:" (or NULL). */
static const char *
scope_kind(const char *scope, const char **name)
{
	static const char *const kinds[] = { "column", "group", "window", NULL };
	size_t i, n;

	*name = NULL;
	if (scope == NULL)
		return NULL;
	for (i = 0; kinds[i] != NULL; i++) {
		n = strlen(kinds[i]);
		if (strncmp(scope, kinds[i], n) == 0 && (scope[n] == '\0' || scope[n] == ':')) {
			*name = scope[n] == ':' ? scope + n + 1 : NULL;
			return kinds[i];
		}
	}
	return NULL;
}

static int
known(const struct aud_expr *e)
{
	size_t d = aud_expr_depth(e);
	const char *name, *kind = scope_kind(aud_expr_scope(e), &name);
	const char *last = aud_expr_part(e, d - 1);

	if (aud_expr_scope(e) == NULL)
		return d == 2 && strcmp(aud_expr_part(e, 0), "drift") == 0 &&
		    in(summary_keys, last);
	if (kind == NULL)
		return 0;
	if (strcmp(kind, "column") == 0)
		return ((d == 2 && name == NULL) || (d == 1 && name != NULL)) &&
		    in(stat_keys, last);
	/* group / window: drift_share, dataset_drift, drifted, tested */
	if (!((d == 2 && name == NULL) || d == 1))
		return 0;
	return strcmp(last, "drift_share") == 0 || strcmp(last, "dataset_drift") == 0 ||
	    strcmp(last, "drifted") == 0 || strcmp(last, "tested") == 0;
}

static double
num_or_bool(const cJSON *o, const char *key)
{
	const cJSON *v = aud_json_get(o, key);

	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? 1.0 : 0.0;
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int
resolve_column(const cJSON *results, const struct aud_expr *e, const char *name,
    const char *stat, struct aud_check_sink *sink, struct aud_error *err)
{
	struct aud_check_value v = { NAN, NULL, NULL, "column", NULL, stat };
	const cJSON *c = NULL, *x;

	cJSON_ArrayForEach(x, aud_json_get(results, "columns"))
		if (aud_json_str(x, "column") != NULL &&
		    strcmp(aud_json_str(x, "column"), name) == 0)
			c = x;
	if (c == NULL && aud_json_str(aud_json_get(results, "prediction"), "column") != NULL &&
	    strcmp(aud_json_str(aud_json_get(results, "prediction"), "column"), name) == 0)
		c = aud_json_get(results, "prediction");
	if (c == NULL && aud_json_str(aud_json_get(results, "label"), "column") != NULL &&
	    strcmp(aud_json_str(aud_json_get(results, "label"), "column"), name) == 0)
		c = aud_json_get(results, "label");
	if (c == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no column '%s'", aud_expr_text(e),
		    name);
	v.subject = name;
	v.value = num_or_bool(c, stat);
	return aud_check_emit(sink, &v, err);
}

static int
resolve(const cJSON *results, const struct aud_expr *e, struct aud_check_sink *sink,
    const void *payload, struct aud_error *err)
{
	struct aud_check_value v = { NAN, NULL, NULL, NULL, NULL, NULL };
	size_t d = aud_expr_depth(e), k;
	const char *name, *kind = scope_kind(aud_expr_scope(e), &name), *last, *key;
	const cJSON *arr, *x;
	int matched = 0, rc;

	(void)payload;
	last = aud_expr_part(e, d - 1);
	if (kind == NULL) {
		for (k = 0; summary_keys[k] != NULL && strcmp(summary_keys[k], last) != 0; k++)
			;
		v.value = num_or_bool(results, summary_doc[k]);
		return aud_check_emit(sink, &v, err);
	}
	if (d == 2)
		name = aud_expr_part(e, 0);
	if (strcmp(kind, "column") == 0)
		return resolve_column(results, e, name, last, sink, err);
	key = strcmp(kind, "group") == 0 ? "group" : "window";
	arr = aud_json_get(results, strcmp(kind, "group") == 0 ? "groups" : "windows");
	cJSON_ArrayForEach(x, arr) {
		const char *g = aud_json_str(x, key);

		if (g == NULL || (name != NULL && strcmp(g, name) != 0))
			continue;
		matched = 1;
		if (strcmp(kind, "group") == 0) {
			v.attribute = aud_json_str(x, "by");
			v.group = g;
		} else {
			v.subject_key = "window";
			v.subject = g;
		}
		v.value = num_or_bool(x, last);
		rc = aud_check_emit(sink, &v, err);
		if (rc < 0)
			return rc;
	}
	if (name != NULL && !matched)
		return AUD_ERROR(err, AUD_EINVAL, "check '%s': no %s '%s'", aud_expr_text(e), kind,
		    name);
	return 0;
}

static void
job_checks(void *self, struct aud_check_resolver *out)
{
	(void)self;
	out->known = known;
	out->resolve = resolve;
	out->reported = NULL;
	out->payload = NULL;
}

static int
job_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	return aud__drift_write(doc, format, f, err);
}

static const struct aud_job_ops drift_ops = {
	"audit.drift/1",
	job_read,
	job_run,
	job_document,
	job_checks,
	job_write,
	0, NULL, NULL, NULL
};

int
aud__drift_job_new(struct aud__data_sub *out, const struct aud_data_options *o,
    struct aud_error *err)
{
	struct drift *j;
	int rc;

	memset(out, 0, sizeof(*out));
	if (o->reference == NULL)
		return AUD_ERROR(err, AUD_EINVAL, "drift needs --reference FILE");
	if (is_stdin(o->reference))
		return AUD_ERROR(err, AUD_EINVAL, "--reference: drift reads the reference from a "
		    "file, not from standard input");
	if (!isnan(o->threshold) && !(o->threshold > 0 && isfinite(o->threshold)))
		return AUD_ERROR(err, AUD_EINVAL, "--threshold %g: must be above 0", o->threshold);
	if (!isnan(o->threshold) && o->threshold >= 1 && (o->method == AUD_DRIFT_AUTO ||
	    aud__drift_is_pvalue(o->method)))
		return AUD_ERROR(err, AUD_EINVAL, "--threshold %g: a p-value threshold must be "
		    "below 1", o->threshold);
	if (!(o->share > 0 && o->share <= 1))
		return AUD_ERROR(err, AUD_EINVAL, "--share %g: must be in (0, 1]", o->share);
	if (o->by != NULL && o->window != NULL && strncmp(o->window, o->by, strlen(o->by)) == 0 &&
	    (o->window[strlen(o->by)] == '\0' || o->window[strlen(o->by)] == '='))
		return AUD_ERROR(err, AUD_EINVAL, "--by and --window name the same column '%s'",
		    o->by);
	if (o->strip_suffix != NULL && o->strip_suffix[0] == '\0')
		return AUD_ERROR(err, AUD_EINVAL, "--strip-suffix: no character");
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	j->o = *o;
	j->rules.method = o->method;
	j->rules.threshold = o->threshold;
	j->rules.share = o->share;
	j->csv.skip_lines = o->reference_skip_lines;
	rc = o->window != NULL ? parse_window(j, err) : 0;
	if (rc == 0)
		rc = aud_dict_new(&j->gdict, err);
	if (rc == 0)
		rc = aud_dict_new(&j->wdict, err);
	if (rc < 0) {
		drift_free(j);
		return rc;
	}
	out->ops = &drift_ops;
	out->self = j;
	out->free = drift_free;
	out->describe = describe_job;
	return 0;
}
