/*
 * csvopt.h — the CSV input options every tool that reads a CSV shares:
 * -d, --na, --no-header, --names, --no-trim, --encoding, --skip-lines.
 *
 * A tool lists the long options in its own getopt_long table with the
 * AUD_CSVOPT_* values below, and hands each of them (and -d) to
 * aud_csvopt_set(), so that the four tools parse and refuse them the same
 * way, with the same messages.
 */
#ifndef AUDIT_CSVOPT_H
#define AUDIT_CSVOPT_H

#include <audit/csv.h>
#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** getopt_long values of the shared long options (above any tool's own). */
enum {
	AUD_CSVOPT_NA = 0x1000,   /**< --na LIST */
	AUD_CSVOPT_NO_HEADER,     /**< --no-header */
	AUD_CSVOPT_NAMES,         /**< --names COLS */
	AUD_CSVOPT_NO_TRIM,       /**< --no-trim */
	AUD_CSVOPT_ENCODING,      /**< --encoding utf-8|latin1|cp1252 */
	AUD_CSVOPT_SKIP_LINES     /**< --skip-lines N */
};

/**
 * Apply one CSV option to `o`: `opt` is 'd' or an AUD_CSVOPT_* value, `arg`
 * its argument (NULL for flags; borrowed: must outlive `o`, as argv does).
 * -d takes one character or "\t"; a line break or the quote character
 * cannot separate fields and is refused.
 * @return 0, 1 when `opt` is not a CSV option, or AUD_EINVAL (a usage error;
 *   err->msg is one line naming the option, with control characters escaped)
 */
int aud_csvopt_set(struct aud_csv_options *o, int opt, const char *arg,
    struct aud_error *err);

/** What aud_csvopt_notice() needs: the program name and -q. */
struct aud_csvopt_notice_ctx {
	const char *prog;
	int quiet;
};

/**
 * A notice callback for aud_csv_options.notice: prints the reader's notice
 * as a warning ("PROG: warning: ...") unless quiet. `payload` is a
 * struct aud_csvopt_notice_ctx.
 */
void aud_csvopt_notice(const char *msg, void *payload);

#ifdef __cplusplus
}
#endif
#endif
