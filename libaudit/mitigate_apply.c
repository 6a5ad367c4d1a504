/*
 * mitigate_apply.c — audit-mitigate's row-wise work: reading a policy,
 * applying it to scored rows, reweighing (see mitigate_job.h), and the row
 * helpers the thresholds job shares (mitigate_rows.h).
 */
#include <audit/mitigate_job.h>
#include <audit/json.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mitigate_rows.h"

/* ---- a row's group, score ---------------------------------------------------- */

#define JOIN " & "

int
aud__mit_key_init(struct aud__mit_key *k, const struct aud_csv *csv,
    const char *const *names, size_t n, struct aud_error *err)
{
	size_t i;
	int rc;

	memset(k, 0, sizeof(*k));
	k->cols = calloc(n + 1, sizeof(*k->cols));
	if (k->cols == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	k->n = n;
	for (i = 0; i < n; i++) {
		rc = aud_csv_find(&k->cols[i], csv, names[i], err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void
aud__mit_key_free(struct aud__mit_key *k)
{
	free(k->cols);
	free(k->buf);
	memset(k, 0, sizeof(*k));
}

int
aud__mit_key_read(struct aud__mit_key *k, const struct aud_csv *csv, struct aud_error *err)
{
	size_t i, len, need = 1;
	const char *s;

	for (i = 0; i < k->n; i++) {
		if (aud_csv_is_na(csv, k->cols[i]))
			return 0;
		(void)aud_csv_field(csv, k->cols[i], &len);
		need += len + strlen(JOIN);
	}
	if (need > k->cap) {
		char *nb = realloc(k->buf, need);

		if (nb == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		k->buf = nb;
		k->cap = need;
	}
	k->len = 0;
	for (i = 0; i < k->n; i++) {
		if (i > 0) {
			memcpy(k->buf + k->len, JOIN, strlen(JOIN));
			k->len += strlen(JOIN);
		}
		s = aud_csv_field(csv, k->cols[i], &len);
		memcpy(k->buf + k->len, s, len);
		k->len += len;
	}
	k->buf[k->len] = '\0';
	return 1;
}

int
aud__mit_score(double *out, const struct aud_csv *csv, size_t col, const char *name,
    struct aud_error *err)
{
	int r = aud_csv_number(out, csv, col, err);
	size_t len;
	const char *s;

	if (r <= 0)
		return r;
	if (*out >= 0.0 && *out <= 1.0)
		return 1;
	s = aud_csv_field(csv, col, &len);
	return AUD_ERROR(err, AUD_EPARSE,
	    "%s:%llu:%llu: score '%.*s' in column '%s' is outside [0, 1]",
	    aud_csv_path(csv), (unsigned long long)aud_csv_line(csv),
	    (unsigned long long)aud_csv_column(csv, col), (int)(len > 40 ? 40 : len), s, name);
}

/* ---- the policy --------------------------------------------------------------- */

struct aud_mit_policy {
	cJSON *doc;
	struct aud_dict *names;          /* group name -> index of rules[] */
	struct aud_mit_rule *rules;
	char **protected;
	size_t nprotected;
	const char *score;               /* borrowed from doc */
};

void
aud_mit_policy_free(struct aud_mit_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nprotected; i++)
		free(p->protected[i]);
	free(p->protected);
	free(p->rules);
	aud_dict_free(p->names);
	cJSON_Delete(p->doc);
	free(p);
}

/* A threshold: a number, or the strings "-inf" and "inf" (JSON has no infinity). */
static int
read_threshold(double *out, const cJSON *v)
{
	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return 1;
	}
	if (cJSON_IsString(v) && strcmp(v->valuestring, "-inf") == 0) {
		*out = -INFINITY;
		return 1;
	}
	if (cJSON_IsString(v) && strcmp(v->valuestring, "inf") == 0) {
		*out = INFINITY;
		return 1;
	}
	return 0;
}

/* A probability member in [0, 1]. */
static int
read_prob(double *out, const cJSON *rule, const char *key)
{
	double x = aud_json_num(rule, key);

	if (!(x >= 0.0 && x <= 1.0))
		return 0;
	*out = x;
	return 1;
}

static int
read_rule(struct aud_mit_rule *r, const cJSON *rule, const char **bad)
{
	if (!read_prob(&r->p0, rule, "p0"))
		return *bad = "p0", 0;
	if (!read_threshold(&r->threshold0, aud_json_get(rule, "threshold0")))
		return *bad = "threshold0", 0;
	if (!read_prob(&r->p1, rule, "p1"))
		return *bad = "p1", 0;
	if (!read_threshold(&r->threshold1, aud_json_get(rule, "threshold1")))
		return *bad = "threshold1", 0;
	if (!read_prob(&r->p_ignore, rule, "p_ignore"))
		return *bad = "p_ignore", 0;
	if (!read_prob(&r->prediction_constant, rule, "prediction_constant"))
		return *bad = "prediction_constant", 0;
	if (fabs(r->p0 + r->p1 - 1.0) > 1e-9)
		return *bad = "p0 + p1 (not 1)", 0;
	return 1;
}

/* Split results.protected ("a" or "a,b") into p->protected. */
static int
read_protected(struct aud_mit_policy *p, const char *s, struct aud_error *err)
{
	const char *c;
	size_t n = 1, i;

	for (c = s; *c != '\0'; c++)
		n += *c == ',';
	p->protected = calloc(n, sizeof(*p->protected));
	if (p->protected == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		size_t len = strcspn(s, ",");

		p->protected[i] = malloc(len + 1);
		if (p->protected[i] == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		memcpy(p->protected[i], s, len);
		p->protected[i][len] = '\0';
		p->nprotected++;
		s += len + (s[len] == ',');
	}
	return 0;
}

int
aud_mit_policy_read(struct aud_mit_policy **out, const char *path, struct aud_error *err)
{
	struct aud_mit_policy *p;
	const cJSON *res, *sol, *groups, *g;
	const char *schema, *method, *prot, *bad = NULL;
	size_t i = 0;
	int rc;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	rc = aud_json_read_file(&p->doc, path, err);
	if (rc < 0)
		goto done;
	schema = aud_json_str(p->doc, "schema");
	if (schema == NULL || strcmp(schema, "audit.mitigate/1") != 0) {
		rc = AUD_ERROR(err, AUD_EPARSE, "%s: not a policy: schema '%s', want "
		    "'audit.mitigate/1' (write one with audit-mitigate thresholds)", path,
		    schema != NULL ? schema : "(none)");
		goto done;
	}
	res = aud_json_get(p->doc, "results");
	method = aud_json_str(res, "method");
	if (method != NULL && strcmp(method, "thresholds") == 0) {
		sol = res;
	} else if (method != NULL && strcmp(method, "frontier") == 0) {
		sol = aud_json_get(res, "chosen");
	} else {
		rc = AUD_ERROR(err, AUD_EPARSE, "%s: method '%s' has no rules to apply "
		    "(want a thresholds or frontier document)", path,
		    method != NULL ? method : "(none)");
		goto done;
	}
	groups = aud_json_get(sol, "groups");
	prot = aud_json_str(res, "protected");
	p->score = aud_json_str(res, "score");
	if (!cJSON_IsArray(groups) || cJSON_GetArraySize(groups) == 0 || prot == NULL ||
	    prot[0] == '\0' || p->score == NULL) {
		rc = AUD_ERROR(err, AUD_EPARSE, "%s: malformed policy: results need "
		    "'protected', 'score' and a non-empty 'groups'", path);
		goto done;
	}
	rc = read_protected(p, prot, err);
	if (rc == 0)
		rc = aud_dict_new(&p->names, err);
	if (rc < 0)
		goto done;
	p->rules = calloc((size_t)cJSON_GetArraySize(groups), sizeof(*p->rules));
	if (p->rules == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	cJSON_ArrayForEach(g, groups) {
		const char *name = aud_json_str(g, "group");
		int32_t code;

		if (name == NULL) {
			rc = AUD_ERROR(err, AUD_EPARSE, "%s: malformed policy: group %zu has "
			    "no name", path, i + 1);
			goto done;
		}
		if (aud_dict_find(p->names, name, strlen(name)) >= 0) {
			rc = AUD_ERROR(err, AUD_EPARSE, "%s: malformed policy: group '%s' "
			    "appears twice", path, name);
			goto done;
		}
		if (!read_rule(&p->rules[i], aud_json_get(g, "rule"), &bad)) {
			rc = AUD_ERROR(err, AUD_EPARSE, "%s: malformed policy: the rule of "
			    "group '%s' has a bad '%s'", path, name, bad);
			goto done;
		}
		rc = aud_dict_intern(&code, p->names, name, strlen(name), err);
		if (rc < 0)
			goto done;
		i++;
	}
done:
	if (rc < 0) {
		aud_mit_policy_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

size_t
aud_mit_policy_nprotected(const struct aud_mit_policy *p)
{
	return p->nprotected;
}

const char *
aud_mit_policy_protected(const struct aud_mit_policy *p, size_t i)
{
	return p->protected[i];
}

const char *
aud_mit_policy_score(const struct aud_mit_policy *p)
{
	return p->score;
}

const struct aud_mit_rule *
aud_mit_policy_rule(const struct aud_mit_policy *p, const char *name, size_t len)
{
	int32_t code = aud_dict_find(p->names, name, len);

	return code < 0 ? NULL : &p->rules[code];
}

int
aud_mit_decide(double *prob, const struct aud_mit_rule *r, double score,
    struct aud_rng *rng, uint64_t seed, uint64_t row)
{
	*prob = aud_mit_rule_prob(r, score);
	aud_rng_reseed(rng, seed, row);
	return aud_rng_uniform(rng) < *prob;
}

/* ---- writing rows ------------------------------------------------------------ */

static void
write_header(FILE *f, const struct aud_csv *csv, const char *const *more, size_t n)
{
	char sep = aud_csv_sep(csv);
	size_t i;

	for (i = 0; i < aud_csv_ncols(csv); i++) {
		if (i > 0)
			fputc(sep, f);
		aud_csv_write_field(f, aud_csv_colname(csv, i), strlen(aud_csv_colname(csv, i)),
		    sep);
	}
	for (i = 0; i < n; i++) {
		fputc(sep, f);
		aud_csv_write_field(f, more[i], strlen(more[i]), sep);
	}
	fputc('\n', f);
}

static int
write_error(FILE *f, struct aud_error *err)
{
	int e = errno;

	if (!ferror(f))
		return 0;
	return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, e, "cannot write the output: %s", strerror(e));
}

int
aud_mit_apply_write(FILE *f, struct aud_csv *csv, const struct aud_mit_policy *p,
    const struct aud_mit_apply_options *o, const struct aud_progress_cb *progress,
    struct aud_error *err)
{
	static const char *const names[] = { "pred_mitigated", "p_mitigated" };
	const char *score_col = o->score != NULL ? o->score : p->score;
	struct aud__mit_key key;
	struct aud_rng *rng = NULL;
	char sep = aud_csv_sep(csv), num[32];
	size_t iscore, len;
	int rc;

	memset(&key, 0, sizeof(key));
	rc = aud_csv_find(&iscore, csv, score_col, err);
	if (rc == 0)
		rc = aud__mit_key_init(&key, csv, (const char *const *)p->protected,
		    p->nprotected, err);
	if (rc == 0)
		rc = aud_rng_new(&rng, o->seed, 0, err);
	if (rc < 0)
		goto done;
	write_header(f, csv, names, 2);
	for (;;) {
		const struct aud_mit_rule *rule;
		const char *raw;
		double score, prob;
		int has_key, has_score, d;

		rc = aud_csv_next(csv, err);
		if (rc <= 0)
			break;
		has_key = aud__mit_key_read(&key, csv, err);
		if (has_key < 0) {
			rc = has_key;
			break;
		}
		has_score = aud__mit_score(&score, csv, iscore, score_col, err);
		if (has_score < 0) {
			rc = has_score;
			break;
		}
		raw = aud_csv_raw(csv, &len);
		fwrite(raw, 1, len, f);
		fputc(sep, f);
		if (has_key && has_score) {
			rule = aud_mit_policy_rule(p, key.buf, key.len);
			if (rule == NULL) {
				rc = AUD_ERROR(err, AUD_EPARSE, "%s:%llu:%llu: group '%.80s' is not "
				    "in the policy", aud_csv_path(csv),
				    (unsigned long long)aud_csv_line(csv),
				    (unsigned long long)aud_csv_column(csv, key.cols[0]), key.buf);
				break;
			}
			d = aud_mit_decide(&prob, rule, score, rng, o->seed, aud_csv_rows(csv) - 1);
			aud_format_double(num, prob);
			fprintf(f, "%d%c%s", d, sep, num);
		} else {
			fputc(sep, f);
		}
		fputc('\n', f);
		if ((aud_csv_rows(csv) & 0xffff) == 0) {
			rc = write_error(f, err);
			if (rc < 0)
				break;
			aud_progress_report(progress, "apply", AUD_PROGRESS_BYTES, aud_csv_bytes(csv),
			    aud_csv_size(csv));
		}
	}
	if (rc == 0)
		rc = write_error(f, err);
done:
	aud_rng_free(rng);
	aud__mit_key_free(&key);
	return rc < 0 ? rc : 0;
}

/* ---- reweighing ------------------------------------------------------------ */

int
aud__mit_cells_init(struct aud__mit_cells *c, struct aud_error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	rc = aud_dict_new(&c->groups, err);
	if (rc == 0)
		rc = aud_dict_new(&c->labels, err);
	return rc;
}

void
aud__mit_cells_free(struct aud__mit_cells *c)
{
	aud_dict_free(c->groups);
	aud_dict_free(c->labels);
	free(c->ng);
	free(c->ny);
	free(c->nyg);
	memset(c, 0, sizeof(*c));
}

/* Make room for group code g and label code y (the matrix is laid out again when it grows). */
static int
cells_grow(struct aud__mit_cells *c, size_t g, size_t y, struct aud_error *err)
{
	size_t cg = c->cap_groups, cy = c->cap_labels, i, j;
	double *ng, *ny, *nyg;

	if (g < cg && y < cy)
		return 0;
	while (g >= cg)
		cg = cg ? 2 * cg : 8;
	while (y >= cy)
		cy = cy ? 2 * cy : 4;
	ng = calloc(cg, sizeof(*ng));
	ny = calloc(cy, sizeof(*ny));
	nyg = calloc(cg * cy, sizeof(*nyg));
	if (ng == NULL || ny == NULL || nyg == NULL) {
		free(ng);
		free(ny);
		free(nyg);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < c->cap_groups; i++) {
		ng[i] = c->ng[i];
		for (j = 0; j < c->cap_labels; j++)
			nyg[i * cy + j] = c->nyg[i * c->cap_labels + j];
	}
	for (j = 0; j < c->cap_labels; j++)
		ny[j] = c->ny[j];
	free(c->ng);
	free(c->ny);
	free(c->nyg);
	c->ng = ng;
	c->ny = ny;
	c->nyg = nyg;
	c->cap_groups = cg;
	c->cap_labels = cy;
	return 0;
}

int
aud__mit_cells_add(int32_t *g, int32_t *y, struct aud__mit_cells *c, const char *group,
    size_t glen, const char *label, size_t llen, struct aud_error *err)
{
	int rc = aud_dict_intern(g, c->groups, group, glen, err);

	if (rc == 0)
		rc = aud_dict_intern(y, c->labels, label, llen, err);
	if (rc == 0)
		rc = cells_grow(c, (size_t)*g, (size_t)*y, err);
	if (rc < 0)
		return rc;
	c->ng[*g] += 1.0;
	c->ny[*y] += 1.0;
	c->nyg[(size_t)*g * c->cap_labels + (size_t)*y] += 1.0;
	c->n += 1.0;
	return 0;
}

double
aud__mit_cells_count(const struct aud__mit_cells *c, size_t g, size_t y)
{
	return c->nyg[g * c->cap_labels + y];
}

double
aud__mit_cells_weight(const struct aud__mit_cells *c, size_t g, size_t y)
{
	double nyg = aud__mit_cells_count(c, g, y);

	return nyg > 0.0 ? c->ng[g] * c->ny[y] / (c->n * nyg) : NAN;
}

/* A spooled record: its group and label codes (-1: missing) and its raw text. */
struct spooled {
	int32_t g, y;
	uint64_t len;
};

int
aud_mit_reweigh_write(FILE *f, struct aud_csv *csv, const char *label,
    const char *const *protected, size_t nprotected,
    void (*warn)(const char *msg, void *payload), void *payload,
    const struct aud_progress_cb *progress, struct aud_error *err)
{
	static const char *const names[] = { "weight" };
	struct aud__mit_key key;
	struct aud__mit_cells cells;
	struct spooled rec;
	FILE *spool = NULL;
	char *raw = NULL, sep = aud_csv_sep(csv), num[32];
	size_t ilabel, cap = 0, gi, yi;
	int rc, e;

	memset(&key, 0, sizeof(key));
	rc = aud__mit_cells_init(&cells, err);
	if (rc == 0)
		rc = aud_csv_find(&ilabel, csv, label, err);
	if (rc == 0)
		rc = aud__mit_key_init(&key, csv, protected, nprotected, err);
	if (rc < 0)
		goto done;
	spool = tmpfile();
	if (spool == NULL) {
		e = errno;
		rc = AUD_ERROR_ERRNO(err, AUD_EIO, e, "cannot make a temporary file: %s",
		    strerror(e));
		goto done;
	}
	/* pass 1: count, and spool each record with its cell */
	for (;;) {
		const char *s;
		size_t len;
		int has_key;

		rc = aud_csv_next(csv, err);
		if (rc <= 0)
			break;
		has_key = aud__mit_key_read(&key, csv, err);
		if (has_key < 0) {
			rc = has_key;
			break;
		}
		rec.g = rec.y = -1;
		if (has_key && !aud_csv_is_na(csv, ilabel)) {
			s = aud_csv_field(csv, ilabel, &len);
			rc = aud__mit_cells_add(&rec.g, &rec.y, &cells, key.buf, key.len, s, len,
			    err);
			if (rc < 0)
				break;
		} else {
			cells.skipped++;
		}
		s = aud_csv_raw(csv, &len);
		rec.len = len;
		if (fwrite(&rec, sizeof(rec), 1, spool) != 1 ||
		    (len > 0 && fwrite(s, 1, len, spool) != len)) {
			e = errno;
			rc = AUD_ERROR_ERRNO(err, AUD_EIO, e, "cannot write a temporary file: %s",
			    strerror(e));
			break;
		}
		if ((aud_csv_rows(csv) & 0xffff) == 0)
			aud_progress_report(progress, "reweigh", AUD_PROGRESS_BYTES,
			    aud_csv_bytes(csv), aud_csv_size(csv));
	}
	if (rc < 0)
		goto done;
	if (warn != NULL) {
		char msg[512];

		for (gi = 0; gi < aud_dict_size(cells.groups); gi++)
			for (yi = 0; yi < aud_dict_size(cells.labels); yi++)
				if (aud__mit_cells_count(&cells, gi, yi) == 0.0) {
					snprintf(msg, sizeof(msg), "group '%.100s' has no row of "
					    "label '%.100s': its weight is undefined (no row needs it)",
					    aud_dict_str(cells.groups, (int32_t)gi),
					    aud_dict_str(cells.labels, (int32_t)yi));
					warn(msg, payload);
				}
		if (cells.skipped > 0) {
			snprintf(msg, sizeof(msg), "%llu rows with a missing label or protected "
			    "value get no weight (an empty field)",
			    (unsigned long long)cells.skipped);
			warn(msg, payload);
		}
	}
	/* pass 2: each spooled record with its weight */
	if (fflush(spool) == EOF || fseek(spool, 0L, SEEK_SET) != 0) {
		e = errno;
		rc = AUD_ERROR_ERRNO(err, AUD_EIO, e, "cannot read a temporary file: %s",
		    strerror(e));
		goto done;
	}
	write_header(f, csv, names, 1);
	while (fread(&rec, sizeof(rec), 1, spool) == 1) {
		if (rec.len + 1 > cap) {
			char *nr = realloc(raw, rec.len + 1);

			if (nr == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			raw = nr;
			cap = rec.len + 1;
		}
		if (rec.len > 0 && fread(raw, 1, rec.len, spool) != rec.len) {
			rc = AUD_ERROR(err, AUD_EIO, "cannot read a temporary file: short read");
			goto done;
		}
		fwrite(raw, 1, rec.len, f);
		fputc(sep, f);
		if (rec.g >= 0) {
			aud_format_double(num, aud__mit_cells_weight(&cells, (size_t)rec.g,
			    (size_t)rec.y));
			fputs(num, f);
		}
		fputc('\n', f);
		if (ferror(f))
			break;
	}
	if (ferror(spool)) {
		rc = AUD_ERROR(err, AUD_EIO, "cannot read a temporary file");
		goto done;
	}
	rc = write_error(f, err);
done:
	if (spool != NULL)
		fclose(spool);
	free(raw);
	aud__mit_key_free(&key);
	aud__mit_cells_free(&cells);
	return rc < 0 ? rc : 0;
}
