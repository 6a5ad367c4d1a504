/* schema.c — audit-data's schema file (schema.h): cJSON, each error with its JSON path. */
#include <audit/schema.h>

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <audit/json.h>

struct aud_schema {
	cJSON *doc;                       /* owns every string */
	struct aud_schema_column *cols;
	size_t ncols;
	const char **cats;                /* all the columns' categories, one array */
	const char **key;
	size_t nkey;
	int extra_error;
};

static int
bad(struct aud_error *err, const char *name, const char *path, const char *what)
{
	return AUD_ERROR(err, AUD_EPARSE, "%s: %s: %s", name, path, what);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *const column_members[] = { "name", "kind", "nullable", "min", "max",
	"integer", "categories", "max_missing_rate", NULL };
static const char *const top_members[] = { "schema", "columns", "key", "extra_columns", NULL };

static int
member_known(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static int
read_column(struct aud_schema *s, size_t i, const cJSON *o, const char **cats, size_t *ncats,
    const char *name, struct aud_error *err)
{
	struct aud_schema_column *c = &s->cols[i];
	char path[96];
	const cJSON *m;

	snprintf(path, sizeof(path), "columns[%zu]", i);
	if (!cJSON_IsObject(o))
		return bad(err, name, path, "expected an object");
	cJSON_ArrayForEach(m, o)
		if (!member_known(column_members, m->string)) {
			char what[160];

			snprintf(what, sizeof(what), "unknown member '%.60s' (name, kind, "
			    "nullable, min, max, integer, categories, max_missing_rate)",
			    m->string);
			return bad(err, name, path, what);
		}
	c->nullable = 1;
	c->max_missing_rate = NAN;
	m = cJSON_GetObjectItemCaseSensitive(o, "name");
	snprintf(path, sizeof(path), "columns[%zu].name", i);
	if (m == NULL)
		return bad(err, name, path, "missing (every column needs a name)");
	if (!cJSON_IsString(m) || m->valuestring[0] == '\0')
		return bad(err, name, path, "expected a non-empty string");
	c->name = m->valuestring;
	m = cJSON_GetObjectItemCaseSensitive(o, "kind");
	snprintf(path, sizeof(path), "columns[%zu].kind", i);
	if (m != NULL) {
		if (!cJSON_IsString(m))
			return bad(err, name, path, "expected a string");
		if (strcmp(m->valuestring, "numeric") == 0)
			c->kind = AUD_SCHEMA_NUMERIC;
		else if (strcmp(m->valuestring, "categorical") == 0)
			c->kind = AUD_SCHEMA_CATEGORICAL;
		else if (strcmp(m->valuestring, "any") == 0)
			c->kind = AUD_SCHEMA_ANY;
		else
			return bad(err, name, path,
			    "expected \"numeric\", \"categorical\" or \"any\"");
	}
	m = cJSON_GetObjectItemCaseSensitive(o, "nullable");
	snprintf(path, sizeof(path), "columns[%zu].nullable", i);
	if (m != NULL) {
		if (!cJSON_IsBool(m))
			return bad(err, name, path, "expected true or false");
		c->nullable = cJSON_IsTrue(m);
	}
	m = cJSON_GetObjectItemCaseSensitive(o, "integer");
	snprintf(path, sizeof(path), "columns[%zu].integer", i);
	if (m != NULL) {
		if (!cJSON_IsBool(m))
			return bad(err, name, path, "expected true or false");
		if (c->kind != AUD_SCHEMA_NUMERIC)
			return bad(err, name, path, "only a numeric column has this bound");
		c->integer = cJSON_IsTrue(m);
	}
	m = cJSON_GetObjectItemCaseSensitive(o, "min");
	snprintf(path, sizeof(path), "columns[%zu].min", i);
	if (m != NULL) {
		if (!cJSON_IsNumber(m))
			return bad(err, name, path, "expected a number");
		if (c->kind != AUD_SCHEMA_NUMERIC)
			return bad(err, name, path, "only a numeric column has this bound");
		c->has_min = 1;
		c->min = m->valuedouble;
	}
	m = cJSON_GetObjectItemCaseSensitive(o, "max");
	snprintf(path, sizeof(path), "columns[%zu].max", i);
	if (m != NULL) {
		if (!cJSON_IsNumber(m))
			return bad(err, name, path, "expected a number");
		if (c->kind != AUD_SCHEMA_NUMERIC)
			return bad(err, name, path, "only a numeric column has this bound");
		c->has_max = 1;
		c->max = m->valuedouble;
		if (c->has_min && c->max < c->min)
			return bad(err, name, path, "smaller than min");
	}
	m = cJSON_GetObjectItemCaseSensitive(o, "max_missing_rate");
	snprintf(path, sizeof(path), "columns[%zu].max_missing_rate", i);
	if (m != NULL) {
		if (!cJSON_IsNumber(m) || !(m->valuedouble >= 0.0 && m->valuedouble <= 1.0))
			return bad(err, name, path, "expected a number in [0, 1]");
		c->max_missing_rate = m->valuedouble;
	}
	m = cJSON_GetObjectItemCaseSensitive(o, "categories");
	if (m != NULL) {
		const cJSON *x;
		size_t k = 0, at = *ncats;

		snprintf(path, sizeof(path), "columns[%zu].categories", i);
		if (!cJSON_IsArray(m))
			return bad(err, name, path, "expected an array of strings");
		if (c->kind != AUD_SCHEMA_CATEGORICAL)
			return bad(err, name, path, "only a categorical column has categories");
		cJSON_ArrayForEach(x, m) {
			snprintf(path, sizeof(path), "columns[%zu].categories[%zu]", i, k);
			if (!cJSON_IsString(x))
				return bad(err, name, path, "expected a string");
			cats[(*ncats)++] = x->valuestring;
			k++;
		}
		c->categories = cats + at;
		c->ncategories = k;
		qsort(cats + at, k, sizeof(*cats), cmp_str);
	}
	return 0;
}

static size_t
count_categories(const cJSON *cols)
{
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, cols)
		n += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "categories"));
	return n;
}

static int
build(struct aud_schema *s, const char *name, struct aud_error *err)
{
	const cJSON *root = s->doc, *m, *cols;
	size_t i, j, ncats = 0;
	int rc;

	if (!cJSON_IsObject(root))
		return bad(err, name, "(top)", "expected an object");
	cJSON_ArrayForEach(m, root)
		if (!member_known(top_members, m->string)) {
			char what[160];

			snprintf(what, sizeof(what), "unknown member '%.60s' (schema, columns, "
			    "key, extra_columns)", m->string);
			return bad(err, name, "(top)", what);
		}
	m = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (m != NULL && (!cJSON_IsString(m) || strcmp(m->valuestring, AUD_SCHEMA_NAME) != 0))
		return bad(err, name, "schema", "expected \"" AUD_SCHEMA_NAME "\"");
	cols = cJSON_GetObjectItemCaseSensitive(root, "columns");
	if (cols == NULL)
		return bad(err, name, "columns", "missing (the list of columns)");
	if (!cJSON_IsArray(cols))
		return bad(err, name, "columns", "expected an array of objects");
	s->ncols = (size_t)cJSON_GetArraySize(cols);
	s->cols = calloc(s->ncols ? s->ncols : 1, sizeof(*s->cols));
	s->cats = calloc(count_categories(cols) + 1, sizeof(*s->cats));
	if (s->cols == NULL || s->cats == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	i = 0;
	cJSON_ArrayForEach(m, cols) {
		rc = read_column(s, i, m, s->cats, &ncats, name, err);
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(s->cols[j].name, s->cols[i].name) == 0) {
				char path[48], what[160];

				snprintf(path, sizeof(path), "columns[%zu].name", i);
				snprintf(what, sizeof(what), "column '%.80s' given twice",
				    s->cols[i].name);
				return bad(err, name, path, what);
			}
		i++;
	}
	m = cJSON_GetObjectItemCaseSensitive(root, "key");
	if (m != NULL) {
		const cJSON *x;

		if (!cJSON_IsArray(m))
			return bad(err, name, "key", "expected an array of column names");
		s->nkey = (size_t)cJSON_GetArraySize(m);
		s->key = calloc(s->nkey + 1, sizeof(*s->key));
		if (s->key == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		i = 0;
		cJSON_ArrayForEach(x, m) {
			char path[48];

			snprintf(path, sizeof(path), "key[%zu]", i);
			if (!cJSON_IsString(x) || x->valuestring[0] == '\0')
				return bad(err, name, path, "expected a column name");
			for (j = 0; j < s->ncols; j++)
				if (strcmp(s->cols[j].name, x->valuestring) == 0)
					break;
			if (j == s->ncols) {
				char what[160];

				snprintf(what, sizeof(what),
				    "'%.80s' is not a column of the schema", x->valuestring);
				return bad(err, name, path, what);
			}
			s->key[i++] = x->valuestring;
		}
	}
	m = cJSON_GetObjectItemCaseSensitive(root, "extra_columns");
	if (m != NULL) {
		if (cJSON_IsString(m) && strcmp(m->valuestring, "error") == 0)
			s->extra_error = 1;
		else if (!cJSON_IsString(m) || strcmp(m->valuestring, "ignore") != 0)
			return bad(err, name, "extra_columns", "expected \"error\" or \"ignore\"");
	}
	return 0;
}

static int
finish(struct aud_schema **out, cJSON *doc, const char *name, struct aud_error *err)
{
	struct aud_schema *s = calloc(1, sizeof(*s));
	int rc;

	if (s == NULL) {
		cJSON_Delete(doc);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	s->doc = doc;
	rc = build(s, name, err);
	if (rc < 0) {
		aud_schema_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int
aud_schema_read_file(struct aud_schema **out, const char *path, struct aud_error *err)
{
	cJSON *doc = NULL;
	int rc;

	assert(out != NULL && path != NULL);
	*out = NULL;
	rc = aud_json_read_file(&doc, path, err);
	if (rc < 0)
		return rc;
	return finish(out, doc, path, err);
}

int
aud_schema_parse(struct aud_schema **out, const char *name, const char *text, size_t len,
    struct aud_error *err)
{
	cJSON *doc = NULL;
	int rc;

	assert(out != NULL);
	*out = NULL;
	rc = aud_json_parse(&doc, name, text, len, err);
	if (rc < 0)
		return rc;
	return finish(out, doc, name, err);
}

void
aud_schema_free(struct aud_schema *s)
{
	if (s == NULL)
		return;
	cJSON_Delete(s->doc);
	free(s->cols);
	free(s->cats);
	free(s->key);
	free(s);
}

size_t
aud_schema_ncolumns(const struct aud_schema *s)
{
	return s->ncols;
}

const struct aud_schema_column *
aud_schema_column(const struct aud_schema *s, size_t i)
{
	assert(i < s->ncols);
	return &s->cols[i];
}

size_t
aud_schema_nkey(const struct aud_schema *s)
{
	return s->nkey;
}

const char *
aud_schema_key(const struct aud_schema *s, size_t i)
{
	assert(i < s->nkey);
	return s->key[i];
}

int
aud_schema_extra_error(const struct aud_schema *s)
{
	return s->extra_error;
}

int
aud_schema_allows(const struct aud_schema_column *c, const char *text)
{
	if (c->categories == NULL)
		return 1;
	return bsearch(&text, c->categories, c->ncategories, sizeof(*c->categories),
	    cmp_str) != NULL;
}
