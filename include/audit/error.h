/*
 * error.h — error codes and the caller-owned error object of libaudit.
 *
 * Every fallible function of libaudit returns an int: 0 on success or a
 * negative AUD_E* code, and fills a `struct aud_error` that the caller owns
 * (NULL is allowed). Messages follow git's wording rules: lowercase first
 * word, no final full stop; where a position exists the message starts with
 * "FILE:LINE:COLUMN: ". A tool prints "<progname>: <msg>".
 */
#ifndef AUDIT_ERROR_H
#define AUDIT_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes (negative). */
enum aud_error_code {
	AUD_OK = 0,
	AUD_ENOMEM = -1,      /**< out of memory */
	AUD_EINVAL = -2,      /**< invalid argument or option (usage) */
	AUD_EIO = -3,         /**< input cannot be opened or read */
	AUD_EPARSE = -4,      /**< malformed input (CSV, PMML, JSON, expression) */
	AUD_ENOTFOUND = -5,   /**< unknown column, field, group */
	AUD_ENUMERIC = -6,    /**< numerical failure (GSL, BLAS) */
	AUD_EUNSUPPORTED = -7,/**< valid input using an unsupported feature */
	AUD_EMODEL = -8,      /**< model failure (external command, garbage output) */
	AUD_EOUTPUT = -9,     /**< output cannot be written */
	AUD_EINTERNAL = -10   /**< broken invariant that is not a programmer error */
};

/** Caller-owned error detail. Set only through AUD_ERROR(). */
struct aud_error {
	int code;         /**< the AUD_E* code */
	int sys_errno;    /**< errno at the failure, or 0 */
	const char *file; /**< source file that raised it */
	int line;         /**< source line that raised it */
	char msg[512];    /**< human-readable message */
};

#define AUD_ERROR_INIT { 0, 0, 0, 0, { 0 } }

/**
 * Record an error. Use through AUD_ERROR(), which adds __FILE__/__LINE__.
 * @param err  may be NULL
 * @return code, so that `return AUD_ERROR(err, AUD_EPARSE, "...")` works
 */
int aud_error_set(struct aud_error *err, int code, const char *file, int line,
    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/** Record an error together with errno (saved before formatting). */
int aud_error_set_errno(struct aud_error *err, int code, int sys_errno,
    const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#define AUD_ERROR(err, code, ...) \
	aud_error_set((err), (code), __FILE__, __LINE__, __VA_ARGS__)
#define AUD_ERROR_ERRNO(err, code, e, ...) \
	aud_error_set_errno((err), (code), (e), __FILE__, __LINE__, __VA_ARGS__)

/** Reset an error object to "no error". @param err may be NULL */
void aud_error_clear(struct aud_error *err);

/** Fixed text for an AUD_E* code ("out of memory", ...). Never NULL. */
const char *aud_strerror(int code);

/**
 * One-time library initialisation (turns GSL's aborting error handler off).
 * Safe to call more than once. Tools call it first thing in main().
 */
void aud_init(void);

#ifdef __cplusplus
}
#endif
#endif
