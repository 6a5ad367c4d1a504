/*
 * json.h — the JSON envelope every computing tool writes (docs/json.md), and small
 * cJSON helpers used by every module that builds or reads results.
 *
 * Documents are cJSON trees; modules add to them with cJSON's own API and
 * the helpers below (which turn a non-finite number into null, since an
 * undefined metric is JSON null, never 0 or NaN).
 */
#ifndef AUDIT_JSON_H
#define AUDIT_JSON_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cjson/cJSON.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What the envelope says about the input. */
struct aud_input_info {
	const char *path;    /**< as given, "-" for standard input */
	uint64_t rows;       /**< data rows read */
	const char *sha256;  /**< hex digest of the input bytes */
};

/**
 * A new envelope: {"tool", "version", "schema", "created", "input",
 * "params": {}, "results": {}, "checks": [], "warnings": []}.
 * @param[out] out caller owns; free with cJSON_Delete()
 * @param input may be NULL (no "input" key)
 */
int aud_envelope_new(cJSON **out, const char *tool, const char *schema,
    time_t created, const struct aud_input_info *input, struct aud_error *err);

/** The envelope's "params"/"results"/"checks"/"warnings" member. Borrowed. */
cJSON *aud_envelope_params(cJSON *doc);
cJSON *aud_envelope_results(cJSON *doc);
cJSON *aud_envelope_checks(cJSON *doc);
cJSON *aud_envelope_warnings(cJSON *doc);

/** Append a warning string (printf format). @return 0 or AUD_ENOMEM */
int aud_envelope_warn(cJSON *doc, struct aud_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Add a number, or null when x is NaN/infinite. @return the item or NULL (no memory) */
cJSON *aud_json_add_number(cJSON *obj, const char *key, double x);

/** Add `key`: an array of the n strings of v. @return the array, or NULL (out of memory) */
cJSON *aud_json_add_strings(cJSON *obj, const char *key, const char *const *v, size_t n);
/** A number item, or null when x is not finite. */
cJSON *aud_json_number(double x);

/**
 * Print a document (indented) followed by a newline to f.
 * @return 0, AUD_ENOMEM or AUD_EOUTPUT
 */
int aud_json_write(const cJSON *doc, FILE *f, struct aud_error *err);

/**
 * Read and parse a JSON file (bounded size and nesting depth). A NUL byte,
 * or a string holding the escape \u0000 (which would cut the string short),
 * is malformed.
 * @param[out] out caller owns; free with cJSON_Delete()
 * @return 0, AUD_EIO, or AUD_EPARSE with "PATH:LINE:COLUMN: ..."
 */
int aud_json_read_file(cJSON **out, const char *path, struct aud_error *err);

/** Parse JSON text; `name` is used in messages. Same returns as aud_json_read_file(). */
int aud_json_parse(cJSON **out, const char *name, const char *text, size_t len,
    struct aud_error *err);

/*
 * Reading documents: each getter returns NULL (or NaN, or 0) when the value
 * is absent or of another type, so that a path through a document can be
 * followed without a check at every step; `o` may be NULL.
 */

/** Member `key` of object o. Borrowed; valid until the document is freed. */
const cJSON *aud_json_get(const cJSON *o, const char *key);

/**
 * The member at a dotted path ("results.overall.count"); a segment of digits
 * indexes an array ("perturbations.0.flips"). Borrowed, as above.
 */
const cJSON *aud_json_path(const cJSON *o, const char *dotted);

/** Number member `key`, NaN when absent, null or not a number. */
double aud_json_num(const cJSON *o, const char *key);

/** String member `key`, NULL when absent or not a string. Borrowed, as above. */
const char *aud_json_str(const cJSON *o, const char *key);

/** 1 when member `key` is true, else 0. */
int aud_json_bool(const cJSON *o, const char *key);

/** An interval [lo, hi] from a two-number array; both NaN otherwise. */
void aud_json_ci(const cJSON *arr, double *lo, double *hi);

struct aud_table;

/**
 * Set a table cell (text.h) to the number o.key of a document: for people
 * with 4 significant digits, or exactly (`exact`, the csv view); a missing or
 * null value is "-" for people and "" exactly.
 */
void aud_json_cell_num(struct aud_table *t, size_t col, const cJSON *o, const char *key,
    int exact);

/**
 * Any JSON value as short text into buf (size bytes): a string as it is (cut
 * between characters with "…" when too long), a number "%.6g", a boolean,
 * "null", an array's items comma-separated, an object compact.
 */
void aud_json_text(char *buf, size_t size, const cJSON *v);

#ifdef __cplusplus
}
#endif
#endif
