/*
 * hash.h — the sha256 of a file, as the tools record it for provenance (the
 * model file a run used, beside the input's own sha256).
 */
#ifndef AUDIT_HASH_H
#define AUDIT_HASH_H

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The sha256 of a file's bytes, as 64 lowercase hex digits.
 * @param[out] out the digest and a terminating NUL ("" on failure)
 * @param path the file
 * @param err the error, or NULL
 * @return 0 or AUD_EIO (cannot open or read)
 */
int aud_file_sha256(char out[65], const char *path, struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
