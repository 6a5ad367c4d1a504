/*
 * dict.h — a string dictionary: interned strings with dense codes 0..n-1,
 * in the order they were first seen. Categorical columns of a batch hold
 * their values as codes into one; the CSV reader uses one to find duplicate
 * column names. Codes never change once given, so a dictionary that grows
 * across batches keeps the earlier batches' codes valid.
 */
#ifndef AUDIT_DICT_H
#define AUDIT_DICT_H

#include <stddef.h>
#include <stdint.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Interned strings with dense codes 0..n-1. */
struct aud_dict;

/** @param[out] out caller owns; free with aud_dict_free() */
int aud_dict_new(struct aud_dict **out, struct aud_error *err);
/** Free d and its strings; NULL is allowed. */
void aud_dict_free(struct aud_dict *d);
/** A deep copy. @param[out] out caller owns */
int aud_dict_clone(struct aud_dict **out, const struct aud_dict *d, struct aud_error *err);
/** Code of s (len bytes), adding it when new. @return 0 or AUD_ENOMEM */
int aud_dict_intern(int32_t *out, struct aud_dict *d, const char *s, size_t len,
    struct aud_error *err);
/** Code of s, or -1 when absent. */
int32_t aud_dict_find(const struct aud_dict *d, const char *s, size_t len);
/** The string of a code (NUL-terminated). Borrowed; valid until d is freed. */
const char *aud_dict_str(const struct aud_dict *d, int32_t code);
/** Number of strings. */
size_t aud_dict_size(const struct aud_dict *d);

#ifdef __cplusplus
}
#endif
#endif
