/* check.c — check sets over a tool's results, their entries and JUnit XML. */
#include <audit/check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include <audit/json.h>

#include "check_impl.h"

struct aud_check_set {
	const struct aud_check_resolver *r;
	struct aud_expr **e;
	size_t n;
	int allow_undefined;
};

struct aud_check_sink {
	const struct aud_expr *e;
	cJSON *checks;
	cJSON *warnings;
	size_t nvalues;
	size_t nfailed;
	int allow_undefined;
};

int
aud_check_set_new(struct aud_check_set **out, const struct aud_check_resolver *r,
    struct aud_error *err)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	(*out)->r = r;
	return 0;
}

void
aud_check_set_free(struct aud_check_set *s)
{
	if (s == NULL)
		return;
	aud_expr_list_free(s->e, s->n);
	free(s);
}

static int
push(struct aud_check_set *s, struct aud_expr *e, struct aud_error *err)
{
	struct aud_expr **p = realloc(s->e, (s->n + 1) * sizeof(*p));

	if (p == NULL) {
		aud_expr_free(e);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	s->e = p;
	s->e[s->n++] = e;
	return 0;
}

/* The same words in every tool. */
static int
refuse(const struct aud_expr *e, struct aud_error *err)
{
	return AUD_ERROR(err, AUD_EPARSE, "unknown path '%s' in check '%s'",
	    aud_expr_path(e), aud_expr_text(e));
}

int
aud_check_set_add(struct aud_check_set *s, const char *text, struct aud_error *err)
{
	struct aud_expr *e = NULL;
	int rc;

	rc = aud_expr_parse(&e, text, err);
	if (rc < 0)
		return rc;
	if (!s->r->known(e)) {
		rc = refuse(e, err);
		aud_expr_free(e);
		return rc;
	}
	return push(s, e, err);
}

int
aud_check_set_add_policy(struct aud_check_set *s, const char *path, struct aud_error *err)
{
	struct aud_expr **list = NULL;
	size_t n = 0, i;
	int rc;

	rc = aud_expr_policy_read(&list, &n, path, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (!s->r->known(list[i])) {
			rc = AUD_ERROR(err, AUD_EPARSE, "%s: entry %zu: unknown path '%s' in check '%s'",
			    path, i + 1, aud_expr_path(list[i]), aud_expr_text(list[i]));
			goto done;
		}
	}
	for (i = 0; i < n; i++) {
		rc = push(s, list[i], err);
		list[i] = NULL;
		if (rc < 0)
			goto done;
	}
done:
	aud_expr_list_free(list, n);
	return rc;
}

void
aud_check_set_allow_undefined(struct aud_check_set *s, int allow)
{
	s->allow_undefined = allow != 0;
}

int
aud_check_set_allows_undefined(const struct aud_check_set *s)
{
	return s->allow_undefined;
}

size_t
aud_check_set_size(const struct aud_check_set *s)
{
	return s->n;
}

const struct aud_expr *
aud_check_set_expr(const struct aud_check_set *s, size_t i)
{
	return i < s->n ? s->e[i] : NULL;
}

static int
add_str(cJSON *o, const char *key, const char *v)
{
	return v == NULL || cJSON_AddStringToObject(o, key, v) != NULL ? 0 : -1;
}

static int
warn_undefined(cJSON *warnings, const struct aud_expr *e, const struct aud_check_value *v)
{
	char buf[1024];
	cJSON *w;

	if (warnings == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "check '%s': undefined%s%s%s%s%s%s%s%s%s "
	    "(allowed by --allow-undefined, not counted as failed)", aud_expr_text(e),
	    v->attribute ? " for " : "", v->attribute ? v->attribute : "",
	    v->group ? " group '" : "", v->group ? v->group : "", v->group ? "'" : "",
	    v->subject ? " for " : "", v->subject ? v->subject_key : "",
	    v->subject ? " " : "", v->subject ? v->subject : "");
	w = cJSON_CreateString(buf);
	if (w == NULL || !cJSON_AddItemToArray(warnings, w)) {
		cJSON_Delete(w);
		return -1;
	}
	return 0;
}

int
aud_check_emit(struct aud_check_sink *k, const struct aud_check_value *v,
    struct aud_error *err)
{
	enum aud_expr_op op = aud_expr_op(k->e);
	double t = aud_expr_threshold(k->e);
	const char *st = isnan(v->value) ? "undefined" :
	    aud_expr_holds(op, v->value, t) ? "pass" : "fail";
	cJSON *c = cJSON_CreateObject();

	if (c == NULL || !cJSON_AddItemToArray(k->checks, c)) {
		cJSON_Delete(c);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	if (cJSON_AddStringToObject(c, "id", aud_expr_text(k->e)) == NULL ||
	    cJSON_AddStringToObject(c, "metric",
	    v->metric != NULL ? v->metric : aud_expr_path(k->e)) == NULL ||
	    aud_json_add_number(c, "value", v->value) == NULL ||
	    cJSON_AddStringToObject(c, "op", aud_expr_op_str(op)) == NULL ||
	    aud_json_add_number(c, "threshold", t) == NULL ||
	    cJSON_AddStringToObject(c, "status", st) == NULL ||
	    add_str(c, "attribute", v->attribute) < 0 || add_str(c, "group", v->group) < 0 ||
	    (v->subject != NULL && add_str(c, v->subject_key, v->subject) < 0) ||
	    cJSON_AddBoolToObject(c, "requested", 1) == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	k->nvalues++;
	if (aud_check_entry_fails(c, k->allow_undefined))
		k->nfailed++;
	if (*st == 'u' && k->allow_undefined && warn_undefined(k->warnings, k->e, v) < 0)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	return 0;
}

int
aud_check_entry_fails(const cJSON *entry, int allow_undefined)
{
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(entry, "requested");
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "status"));

	if (cJSON_IsFalse(req) || st == NULL)
		return 0;
	if (strcmp(st, "fail") == 0)
		return 1;
	return strcmp(st, "undefined") == 0 && !allow_undefined;
}

int
aud__check_run_exprs(const struct aud_check_resolver *r, struct aud_expr *const *exprs,
    size_t n, int allow_undefined, const cJSON *results, cJSON *checks, cJSON *warnings,
    size_t *nfailed, struct aud_error *err)
{
	struct aud_check_sink k;
	size_t i;
	int rc;

	*nfailed = 0;
	memset(&k, 0, sizeof(k));
	k.checks = checks;
	k.warnings = warnings;
	k.allow_undefined = allow_undefined;
	for (i = 0; i < n; i++) {
		k.e = exprs[i];
		k.nvalues = 0;
		rc = r->resolve(results, exprs[i], &k, r->payload, err);
		if (rc < 0)
			return rc;
		if (k.nvalues == 0) {
			struct aud_check_value none = { NAN, NULL, NULL, NULL, NULL, NULL };

			rc = aud_check_emit(&k, &none, err);
			if (rc < 0)
				return rc;
		}
	}
	if (r->reported != NULL) {
		rc = r->reported(results, checks, r->payload, err);
		if (rc < 0)
			return rc;
	}
	*nfailed = k.nfailed;
	return 0;
}

int
aud_check_set_run(struct aud_check_set *s, const cJSON *results, cJSON *checks,
    cJSON *warnings, size_t *nfailed, struct aud_error *err)
{
	return aud__check_run_exprs(s->r, s->e, s->n, s->allow_undefined, results, checks,
	    warnings, nfailed, err);
}

/* ---- JUnit XML ---- */

static const char *
jstr(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

void
aud__check_where(char *buf, size_t size, const cJSON *c)
{
	const char *a = jstr(c, "attribute"), *g = jstr(c, "group");
	const char *p = jstr(c, "perturbation"), *f = jstr(c, "feature");
	size_t used;

	buf[0] = '\0';
	if (p != NULL)
		snprintf(buf, size, "perturbation %s", p);
	else if (f != NULL)
		snprintf(buf, size, "feature %s", f);
	used = strlen(buf);
	if (a != NULL)
		snprintf(buf + used, size - used, "%s%s%s%s", used ? ", " : "", a,
		    g ? " / " : "", g ? g : "");
	used = strlen(buf);
	/* audit-data check: where a violation was first seen */
	if (jstr(c, "first") != NULL)
		snprintf(buf + used, size - used, "%sfirst at %s", used ? ", " : "",
		    jstr(c, "first"));
}

void
aud__check_value_text(char buf[32], const cJSON *c)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "value");

	if (cJSON_IsNumber(v))
		snprintf(buf, 32, "%.6g", v->valuedouble);
	else
		snprintf(buf, 32, "undefined");
}

static int
write_case(xmlTextWriterPtr w, const cJSON *c, const char *suite, int allow_undefined)
{
	const char *id = jstr(c, "id"), *st = jstr(c, "status");
	char place[512], name[1024], val[32], msg[1200];
	int rc = 0;

	aud__check_where(place, sizeof(place), c);
	snprintf(name, sizeof(name), "%s%s%s%s", id ? id : "?", place[0] ? " [" : "",
	    place, place[0] ? "]" : "");
	aud__check_value_text(val, c);
	snprintf(msg, sizeof(msg), "value %s", val);
	rc |= xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST suite) < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name) < 0;
	if (aud_check_entry_fails(c, allow_undefined)) {
		rc |= xmlTextWriterStartElement(w, BAD_CAST "failure") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST msg) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "type",
		    BAD_CAST (st != NULL ? st : "fail")) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	} else if (st != NULL && strcmp(st, "undefined") == 0) {
		rc |= xmlTextWriterStartElement(w, BAD_CAST "skipped") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "message",
		    BAD_CAST "value undefined (allowed by --allow-undefined)") < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	return rc ? -1 : 0;
}

int
aud_check_junit_write(const cJSON *checks, const char *suite, int allow_undefined,
    FILE *f, struct aud_error *err)
{
	xmlBufferPtr buf = NULL;
	xmlTextWriterPtr w = NULL;
	const cJSON *c;
	size_t n = 0, nfail = 0, nskip = 0;
	char num[32];
	int rc = 0, bad = 0;

	cJSON_ArrayForEach(c, checks) {
		const char *st = jstr(c, "status");

		if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(c, "requested")))
			continue;
		n++;
		if (aud_check_entry_fails(c, allow_undefined))
			nfail++;
		else if (st != NULL && strcmp(st, "undefined") == 0)
			nskip++;
	}
	buf = xmlBufferCreate();
	if (buf != NULL)
		w = xmlNewTextWriterMemory(buf, 0);
	if (w == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	bad |= xmlTextWriterSetIndent(w, 1) < 0;
	bad |= xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0;
	bad |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	bad |= xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0;
	bad |= xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;
	bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST suite) < 0;
	snprintf(num, sizeof(num), "%zu", n);
	bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "tests", BAD_CAST num) < 0;
	snprintf(num, sizeof(num), "%zu", nfail);
	bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "failures", BAD_CAST num) < 0;
	bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0") < 0;
	snprintf(num, sizeof(num), "%zu", nskip);
	bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "skipped", BAD_CAST num) < 0;
	cJSON_ArrayForEach(c, checks) {
		if (bad)
			break;
		if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(c, "requested")))
			continue;
		bad |= write_case(w, c, suite, allow_undefined) < 0;
	}
	bad |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w); /* flushes into buf */
	w = NULL;
	if (bad) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "cannot build the JUnit XML");
		goto done;
	}
	if (fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), f) !=
	    (size_t)xmlBufferLength(buf))
		rc = AUD_ERROR(err, AUD_EOUTPUT, "cannot write the JUnit XML");
done:
	xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	return rc;
}
