/* json.c — the result envelope and cJSON helpers (see json.h). */
#include <audit/json.h>

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <audit/text.h>
#include <audit/csv.h>

#define MAX_JSON_BYTES ((size_t)256 << 20)
#define MAX_JSON_DEPTH 200

cJSON *
aud_json_number(double x)
{
	return isfinite(x) ? cJSON_CreateNumber(x) : cJSON_CreateNull();
}

cJSON *
aud_json_add_number(cJSON *obj, const char *key, double x)
{
	cJSON *item = aud_json_number(x);

	if (item == NULL)
		return NULL;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

cJSON *
aud_json_add_strings(cJSON *obj, const char *key, const char *const *v, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(obj, key);
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(v[i])))
			return NULL;
	return a;
}

int
aud_envelope_new(cJSON **out, const char *tool, const char *schema,
    time_t created, const struct aud_input_info *input, struct aud_error *err)
{
	cJSON *doc, *in;
	char when[21];

	*out = NULL;
	doc = cJSON_CreateObject();
	if (doc == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	aud_format_time(when, created);
	if (cJSON_AddStringToObject(doc, "tool", tool) == NULL ||
	    cJSON_AddStringToObject(doc, "version", AUD_VERSION) == NULL ||
	    cJSON_AddStringToObject(doc, "schema", schema) == NULL ||
	    cJSON_AddStringToObject(doc, "created", when) == NULL)
		goto nomem;
	if (input != NULL) {
		in = cJSON_AddObjectToObject(doc, "input");
		if (in == NULL ||
		    cJSON_AddStringToObject(in, "path", input->path ? input->path : "-") == NULL ||
		    cJSON_AddNumberToObject(in, "rows", (double)input->rows) == NULL ||
		    cJSON_AddStringToObject(in, "sha256", input->sha256 ? input->sha256 : "") == NULL)
			goto nomem;
	}
	if (cJSON_AddObjectToObject(doc, "params") == NULL ||
	    cJSON_AddObjectToObject(doc, "results") == NULL ||
	    cJSON_AddArrayToObject(doc, "checks") == NULL ||
	    cJSON_AddArrayToObject(doc, "warnings") == NULL)
		goto nomem;
	*out = doc;
	return 0;
nomem:
	cJSON_Delete(doc);
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

cJSON *
aud_envelope_params(cJSON *doc)
{
	return cJSON_GetObjectItemCaseSensitive(doc, "params");
}

cJSON *
aud_envelope_results(cJSON *doc)
{
	return cJSON_GetObjectItemCaseSensitive(doc, "results");
}

cJSON *
aud_envelope_checks(cJSON *doc)
{
	return cJSON_GetObjectItemCaseSensitive(doc, "checks");
}

cJSON *
aud_envelope_warnings(cJSON *doc)
{
	return cJSON_GetObjectItemCaseSensitive(doc, "warnings");
}

int
aud_envelope_warn(cJSON *doc, struct aud_error *err, const char *fmt, ...)
{
	char buf[1024];
	cJSON *w = aud_envelope_warnings(doc), *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (w == NULL)
		return AUD_ERROR(err, AUD_EINTERNAL, "document has no warnings array");
	s = cJSON_CreateString(buf);
	if (s == NULL || !cJSON_AddItemToArray(w, s)) {
		cJSON_Delete(s);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * cJSON prints a number with 15 significant digits whenever they read back
 * within one DBL_EPSILON of it, so 7/17 would be saved as 0.411764705882353,
 * not the double it is. Such a number is printed instead as
 * aud_format_double() writes it (the fewest digits, up to 17, that read back
 * exactly): a saved document holds the values computed, and a view printed
 * from it equals the view printed by the run.
 */
static int
lossy(const cJSON *v)
{
	char buf[32];
	double back;

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return 0;
	snprintf(buf, sizeof(buf), "%1.15g", v->valuedouble);
	back = strtod(buf, NULL);
	/* not exact, yet close enough for cJSON to keep the 15 digits */
	return back != v->valuedouble &&
	    fabs(back - v->valuedouble) <= fmax(fabs(back), fabs(v->valuedouble)) * DBL_EPSILON;
}

static int
has_lossy(const cJSON *o)
{
	const cJSON *c;

	if (lossy(o))
		return 1;
	for (c = o != NULL ? o->child : NULL; c != NULL; c = c->next)
		if (has_lossy(c))
			return 1;
	return 0;
}

/* Replace every lossy number under o by a raw item holding its exact text. */
static int
make_exact(cJSON *o)
{
	cJSON *c, *next, *raw;
	char buf[32];

	for (c = o->child; c != NULL; c = next) {
		next = c->next;
		if (lossy(c)) {
			aud_format_double(buf, c->valuedouble);
			raw = cJSON_CreateRaw(buf);
			if (raw == NULL)
				return -1;
			/* the member's name moves to the raw item */
			raw->string = c->string;
			raw->type |= c->type & cJSON_StringIsConst;
			c->string = NULL;
			cJSON_ReplaceItemViaPointer(o, c, raw);
		} else if (c->child != NULL && make_exact(c) < 0) {
			return -1;
		}
	}
	return 0;
}

int
aud_json_write(const cJSON *doc, FILE *f, struct aud_error *err)
{
	cJSON *exact = NULL;
	char *text;
	size_t len;
	int rc = 0;

	if (has_lossy(doc)) {
		exact = cJSON_Duplicate(doc, 1);
		if (exact == NULL || make_exact(exact) < 0) {
			cJSON_Delete(exact);
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		}
	}
	text = cJSON_Print(exact != NULL ? exact : doc);
	cJSON_Delete(exact);
	if (text == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	len = strlen(text);
	if (fwrite(text, 1, len, f) != len || putc('\n', f) == EOF)
		rc = AUD_ERROR_ERRNO(err, AUD_EOUTPUT, errno, "cannot write output: %s",
		    strerror(errno));
	cJSON_free(text);
	return rc;
}

/* Line and column (1-based) of byte offset `off` in text. */
static void
position(const char *text, size_t off, unsigned long *line, unsigned long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int
aud_json_parse(cJSON **out, const char *name, const char *text, size_t len,
    struct aud_error *err)
{
	const char *end = NULL;
	unsigned long line, col;
	size_t i, depth = 0, maxdepth = 0;
	int instr = 0;
	cJSON *doc;

	*out = NULL;
	if (memchr(text, '\0', len) != NULL) {
		position(text, (size_t)((const char *)memchr(text, '\0', len) - text), &line, &col);
		return AUD_ERROR(err, AUD_EPARSE, "%s:%lu:%lu: NUL byte in JSON", name, line, col);
	}
	/* bound the nesting before cJSON recurses; refuse \u0000 in strings */
	for (i = 0; i < len; i++) {
		char ch = text[i];

		if (instr) {
			if (ch == '\\' && i + 5 < len && memcmp(text + i + 1, "u0000", 5) == 0) {
				/* cJSON would cut the string at the NUL, so "a\u0000b"
				 * would read as "a": refuse it rather than read less */
				position(text, i, &line, &col);
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%lu:%lu: a NUL character ('\\u0000') in a JSON string", name,
				    line, col);
			}
			if (ch == '\\')
				i++;
			else if (ch == '"')
				instr = 0;
		} else if (ch == '"') {
			instr = 1;
		} else if (ch == '[' || ch == '{') {
			if (++depth > maxdepth)
				maxdepth = depth;
			if (depth > MAX_JSON_DEPTH) {
				position(text, i, &line, &col);
				return AUD_ERROR(err, AUD_EPARSE,
				    "%s:%lu:%lu: JSON nested deeper than %d levels", name,
				    line, col, MAX_JSON_DEPTH);
			}
		} else if ((ch == ']' || ch == '}') && depth > 0) {
			depth--;
		}
	}
	doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (doc == NULL) {
		size_t off = end != NULL && end >= text && end <= text + len ?
		    (size_t)(end - text) : 0;

		position(text, off, &line, &col);
		return AUD_ERROR(err, AUD_EPARSE, "%s:%lu:%lu: malformed JSON", name,
		    line, col);
	}
	/* only white space may follow the document */
	if (end != NULL) {
		const char *p = end;

		while (p < text + len && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
			p++;
		if (p < text + len) {
			position(text, (size_t)(p - text), &line, &col);
			cJSON_Delete(doc);
			return AUD_ERROR(err, AUD_EPARSE,
			    "%s:%lu:%lu: unexpected text after the JSON document", name,
			    line, col);
		}
	}
	*out = doc;
	return 0;
}

int
aud_json_read_file(cJSON **out, const char *path, struct aud_error *err)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc, e;

	*out = NULL;
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		e = errno;
		return AUD_ERROR_ERRNO(err, AUD_EIO, e, "cannot open '%s': %s", path,
		    strerror(e));
	}
	for (;;) {
		if (len + 65536 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 131072;
			if (cap > MAX_JSON_BYTES + 65536) {
				rc = AUD_ERROR(err, AUD_EPARSE,
				    "%s: JSON larger than %zu bytes", path, MAX_JSON_BYTES);
				goto done;
			}
			nb = realloc(buf, cap);
			if (nb == NULL) {
				rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
				goto done;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		e = errno;
		rc = AUD_ERROR_ERRNO(err, AUD_EIO, e, "cannot read '%s': %s", path,
		    strerror(e));
		goto done;
	}
	if (len == 0) {
		rc = AUD_ERROR(err, AUD_EPARSE, "%s:1:1: empty file, expected JSON", path);
		goto done;
	}
	rc = aud_json_parse(out, path, buf, len, err);
done:
	if (f != stdin)
		fclose(f);
	free(buf);
	return rc;
}

/* ---- reading documents ---- */

const cJSON *
aud_json_get(const cJSON *o, const char *key)
{
	if (o == NULL || !cJSON_IsObject(o))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

const cJSON *
aud_json_path(const cJSON *o, const char *dotted)
{
	char key[128];
	const char *p = dotted;

	while (o != NULL && *p != '\0') {
		size_t n = strcspn(p, ".");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		if (cJSON_IsArray(o) && n > 0 && strspn(key, "0123456789") == n)
			o = n < 10 ? cJSON_GetArrayItem(o, atoi(key)) : NULL;
		else
			o = aud_json_get(o, key);
		p += n;
		if (*p == '.')
			p++;
	}
	return o;
}

double
aud_json_num(const cJSON *o, const char *key)
{
	const cJSON *v = aud_json_get(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *
aud_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = aud_json_get(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
aud_json_bool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(aud_json_get(o, key));
}

void
aud_json_ci(const cJSON *arr, double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (cJSON_IsArray(arr) && cJSON_GetArraySize(arr) == 2) {
		const cJSON *a = cJSON_GetArrayItem(arr, 0);
		const cJSON *b = cJSON_GetArrayItem(arr, 1);

		if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
			*lo = a->valuedouble;
			*hi = b->valuedouble;
		}
	}
}

void
aud_json_text(char *buf, size_t size, const cJSON *v)
{
	buf[0] = '\0';
	if (v == NULL || size == 0)
		return;
	if (cJSON_IsString(v)) {
		size_t n = strlen(v->valuestring);

		if (n < size || size < 8) {
			snprintf(buf, size, "%s", v->valuestring);
		} else {
			/* too long: cut between characters, with a visible "…" */
			n = size - 4;
			while (n > 0 && ((unsigned char)v->valuestring[n] & 0xC0) == 0x80)
				n--;
			memcpy(buf, v->valuestring, n);
			memcpy(buf + n, "\xE2\x80\xA6", 4);
		}
	} else if (cJSON_IsNumber(v)) {
		snprintf(buf, size, "%.6g", v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNull(v)) {
		snprintf(buf, size, "null");
	} else if (cJSON_IsArray(v)) {
		const cJSON *e;
		size_t used = 0;

		cJSON_ArrayForEach(e, v) {
			char item[256];
			int n;

			aud_json_text(item, sizeof(item), e);
			n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", item);
			if (n < 0 || (size_t)n >= size - used)
				break;
			used += (size_t)n;
		}
	} else {
		char *s = cJSON_PrintUnformatted(v);

		if (s != NULL) {
			snprintf(buf, size, "%s", s);
			cJSON_free(s);
		}
	}
}

void
aud_json_cell_num(struct aud_table *t, size_t col, const cJSON *o, const char *key, int exact)
{
	const cJSON *v = aud_json_get(o, key);
	char buf[AUD_NUMBUF];

	if (!cJSON_IsNumber(v)) {
		aud_table_set(t, col, "%s", exact ? "" : "-");
		return;
	}
	if (exact)
		aud_format_double(buf, v->valuedouble);
	else
		aud_format_sig(buf, v->valuedouble, 4, 1, NULL);
	aud_table_set(t, col, "%s", buf);
}
