/*
 * schema.h — the data schema of audit-data (`check --schema`, written by
 * `profile --emit-schema`): an editable JSON object
 *
 *   {"schema": "audit.data-schema/1",
 *    "columns": [{"name": "age", "kind": "numeric", "nullable": false,
 *                 "min": 17, "max": 90, "integer": true,
 *                 "max_missing_rate": 0},
 *                {"name": "sex", "kind": "categorical",
 *                 "categories": ["Female", "Male"]}],
 *    "key": ["id"], "extra_columns": "error"}
 *
 * Only "name" is required in a column. "kind" is "numeric", "categorical"
 * or "any" (the default: no kind is checked); "min", "max" and "integer"
 * only go with "numeric", "categories" only with "categorical";
 * "nullable" defaults to true and "max_missing_rate" (in [0, 1]) to none;
 * "key" (column names that together identify a row) defaults to none and
 * "extra_columns" ("error" or "ignore") to "ignore". Unknown members are
 * refused, so that a misspelt bound is not silently ignored. Every error
 * names the file and the JSON path of the offending member
 * ("s.json: columns[2].min: expected a number").
 */
#ifndef AUDIT_SCHEMA_H
#define AUDIT_SCHEMA_H

#include <stddef.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The schema name of the file. */
#define AUD_SCHEMA_NAME "audit.data-schema/1"

/** What a schema column promises about its values' kind. */
enum aud_schema_kind {
	AUD_SCHEMA_ANY = 0,        /**< nothing */
	AUD_SCHEMA_NUMERIC,        /**< every present value is a finite number */
	AUD_SCHEMA_CATEGORICAL     /**< texts (from `categories` when given) */
};

/** One column of a schema. Borrowed from the schema. */
struct aud_schema_column {
	const char *name;
	enum aud_schema_kind kind;
	int nullable;              /**< 0: a missing value is a violation */
	int has_min, has_max;
	double min, max;           /**< bounds (inclusive) when has_min / has_max */
	int integer;               /**< 1: numbers must be whole */
	const char *const *categories; /**< NULL: any text; sorted by strcmp */
	size_t ncategories;
	double max_missing_rate;   /**< NaN: no bound */
};

struct aud_schema;

/**
 * Read a schema file.
 * @param[out] out caller owns; free with aud_schema_free()
 * @return 0, AUD_EIO (unreadable), AUD_EPARSE ("FILE:LINE:COLUMN: ..." for
 *   malformed JSON, "FILE: PATH: ..." for a member that breaks the rules),
 *   AUD_ENOMEM
 */
int aud_schema_read_file(struct aud_schema **out, const char *path, struct aud_error *err);

/** Parse a schema from text (`name` is used in messages). Returns as above. */
int aud_schema_parse(struct aud_schema **out, const char *name, const char *text, size_t len,
    struct aud_error *err);

/** Free. NULL is allowed. */
void aud_schema_free(struct aud_schema *s);

/** Number of columns and column i. Borrowed; valid until the schema is freed. */
size_t aud_schema_ncolumns(const struct aud_schema *s);
const struct aud_schema_column *aud_schema_column(const struct aud_schema *s, size_t i);

/** The key columns (possibly none). Borrowed. */
size_t aud_schema_nkey(const struct aud_schema *s);
const char *aud_schema_key(const struct aud_schema *s, size_t i);

/** 1 when columns absent from the schema are violations. */
int aud_schema_extra_error(const struct aud_schema *s);

/** 1 when `text` (NUL-terminated) is one of the column's categories (or it has none). */
int aud_schema_allows(const struct aud_schema_column *c, const char *text);

#ifdef __cplusplus
}
#endif
#endif
