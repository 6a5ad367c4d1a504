/* expr.c — check expressions: [ATTRIBUTE:] PATH OP NUMBER. */
#include <audit/expr.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <audit/csv.h>
#include <audit/json.h>

#define MAX_PARTS 8

struct aud_expr {
	char *text;              /* canonical form */
	char *scope;             /* NULL: every attribute */
	int scope_blank;         /* a blank followed the ':' as written */
	char *path;              /* dotted */
	char *parts_buf;         /* path with NULs between parts */
	const char *parts[MAX_PARTS];
	size_t nparts;
	enum aud_expr_op op;
	double threshold;
};

static const char *const op_str[] = { "<", "<=", ">", ">=", "==", "!=" };

const char *
aud_expr_op_str(enum aud_expr_op op)
{
	return op_str[op];
}

int
aud_expr_holds(enum aud_expr_op op, double v, double t)
{
	if (isnan(v) || isnan(t))
		return 0;
	switch (op) {
	case AUD_EXPR_LT: return v < t;
	case AUD_EXPR_LE: return v <= t;
	case AUD_EXPR_GT: return v > t;
	case AUD_EXPR_GE: return v >= t;
	case AUD_EXPR_EQ: return v == t;
	case AUD_EXPR_NE: return v != t;
	}
	return 0;
}

static char *
dup_range(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_ident(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

void
aud_expr_free(struct aud_expr *e)
{
	if (e == NULL)
		return;
	free(e->text);
	free(e->scope);
	free(e->path);
	free(e->parts_buf);
	free(e);
}

int
aud_expr_parse(struct aud_expr **out, const char *text, struct aud_error *err)
{
	struct aud_expr *e = NULL;
	const char *s = text, *colon, *p, *path_start, *path_end, *num_start, *num_end;
	size_t i, oplen, tlen;
	int rc = 0;
	char buf[32];

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	while (is_blank(*s))
		s++;
	if (*s == '\0') {
		rc = AUD_ERROR(err, AUD_EPARSE, "bad check expression '%s': empty", text);
		goto done;
	}
	/* The scope is everything before the last ':' (attribute names may hold blanks). */
	colon = strrchr(s, ':');
	if (colon != NULL) {
		const char *a = s, *b = colon;

		while (b > a && is_blank(b[-1]))
			b--;
		if (b == a) {
			rc = AUD_ERROR(err, AUD_EPARSE,
			    "bad check expression '%s': empty attribute before ':'", text);
			goto done;
		}
		e->scope = dup_range(a, (size_t)(b - a));
		if (e->scope == NULL) {
			rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		s = colon + 1;
		e->scope_blank = is_blank(*s);
		while (is_blank(*s))
			s++;
	}
	path_start = s;
	for (;;) {
		/* After a scope, or after the first part, a part may start with a
		 * digit ("gaussian:0.5.flip_rate": the perturbation gaussian:0.5). */
		if (!is_ident(*s, s == path_start && e->scope == NULL)) {
			rc = AUD_ERROR(err, AUD_EPARSE,
			    "bad check expression '%s': expected a metric name at column %zu",
			    text, (size_t)(s - text) + 1);
			goto done;
		}
		while (is_ident(*s, 0))
			s++;
		if (e->nparts == MAX_PARTS) {
			rc = AUD_ERROR(err, AUD_EPARSE,
			    "bad check expression '%s': metric name has too many parts", text);
			goto done;
		}
		e->nparts++;
		if (*s != '.')
			break;
		s++;
	}
	path_end = s;
	while (is_blank(*s))
		s++;
	oplen = 0;
	if ((s[0] == '<' || s[0] == '>' || s[0] == '=' || s[0] == '!') && s[1] == '=')
		oplen = 2;
	else if (s[0] == '<' || s[0] == '>')
		oplen = 1;
	if (oplen == 0) {
		rc = AUD_ERROR(err, AUD_EPARSE,
		    "bad check expression '%s': expected one of <, <=, >, >=, ==, != at column %zu",
		    text, (size_t)(s - text) + 1);
		goto done;
	}
	for (i = 0; i < 6; i++)
		if (strlen(op_str[i]) == oplen && strncmp(op_str[i], s, oplen) == 0)
			e->op = (enum aud_expr_op)i;
	s += oplen;
	while (is_blank(*s))
		s++;
	num_start = s;
	num_end = s + strlen(s);
	while (num_end > num_start && is_blank(num_end[-1]))
		num_end--;
	if (num_end == num_start ||
	    aud_parse_number(&e->threshold, num_start, (size_t)(num_end - num_start)) != 1 ||
	    !isfinite(e->threshold)) {
		rc = AUD_ERROR(err, AUD_EPARSE,
		    "bad check expression '%s': expected a number after '%s'", text,
		    op_str[e->op]);
		goto done;
	}
	e->path = dup_range(path_start, (size_t)(path_end - path_start));
	e->parts_buf = dup_range(path_start, (size_t)(path_end - path_start));
	if (e->path == NULL || e->parts_buf == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	e->parts[0] = e->parts_buf;
	for (i = 1, p = e->parts_buf; *p != '\0'; p++) {
		if (*p == '.') {
			e->parts_buf[p - e->parts_buf] = '\0';
			e->parts[i++] = p + 1;
		}
	}
	aud_format_double(buf, e->threshold);
	tlen = (e->scope ? strlen(e->scope) + 2 : 0) + strlen(e->path) + 4 + strlen(buf) + 1;
	e->text = malloc(tlen);
	if (e->text == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	snprintf(e->text, tlen, "%s%s%s %s %s", e->scope ? e->scope : "",
	    e->scope == NULL ? "" : e->scope_blank ? ": " : ":", e->path, op_str[e->op], buf);
done:
	if (rc < 0)
		aud_expr_free(e);
	else
		*out = e;
	return rc;
}

const char *
aud_expr_text(const struct aud_expr *e)
{
	return e->text;
}

const char *
aud_expr_scope(const struct aud_expr *e)
{
	return e->scope;
}

const char *
aud_expr_path(const struct aud_expr *e)
{
	return e->path;
}

size_t
aud_expr_depth(const struct aud_expr *e)
{
	return e->nparts;
}

const char *
aud_expr_part(const struct aud_expr *e, size_t i)
{
	return i < e->nparts ? e->parts[i] : NULL;
}

enum aud_expr_op
aud_expr_op(const struct aud_expr *e)
{
	return e->op;
}

double
aud_expr_threshold(const struct aud_expr *e)
{
	return e->threshold;
}

void
aud_expr_list_free(struct aud_expr **list, size_t n)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < n; i++)
		aud_expr_free(list[i]);
	free(list);
}

int
aud_expr_policy_read(struct aud_expr ***out, size_t *n, const char *path,
    struct aud_error *err)
{
	cJSON *doc = NULL, *item;
	struct aud_expr **list = NULL;
	size_t count = 0, i = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = aud_json_read_file(&doc, path, err);
	if (rc < 0)
		goto done;
	if (!cJSON_IsArray(doc)) {
		rc = AUD_ERROR(err, AUD_EPARSE,
		    "%s: a policy must be a JSON array of check expressions", path);
		goto done;
	}
	count = (size_t)cJSON_GetArraySize(doc);
	list = calloc(count ? count : 1, sizeof(*list));
	if (list == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	cJSON_ArrayForEach(item, doc) {
		struct aud_error sub = AUD_ERROR_INIT;

		if (!cJSON_IsString(item)) {
			rc = AUD_ERROR(err, AUD_EPARSE,
			    "%s: entry %zu: a check expression must be a string", path, i + 1);
			goto done;
		}
		rc = aud_expr_parse(&list[i], item->valuestring, &sub);
		if (rc < 0) {
			rc = AUD_ERROR(err, rc, "%s: entry %zu: %s", path, i + 1, sub.msg);
			goto done;
		}
		i++;
	}
	*out = list;
	*n = count;
	list = NULL;
done:
	aud_expr_list_free(list, i);
	cJSON_Delete(doc);
	return rc;
}
