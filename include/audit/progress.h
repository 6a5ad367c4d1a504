/*
 * progress.h — how libaudit reports the progress of long work.
 *
 * The library never draws anything: a module doing long work calls the
 * caller's aud_progress_fn with a stable label for the phase ("read",
 * "baseline", "shap", ...), the units done so far, the total (0 when the
 * end is not known, as when reading a pipe) and what the units are. The
 * tools pass one callback (aud_cli_progress() in cli.h) that draws a bar on
 * a terminal; a program embedding the library may pass its own, or none.
 *
 * A module calls the callback from one thread at a time (never from two at
 * once), with `done` never decreasing within a phase.
 */
#ifndef AUDIT_PROGRESS_H
#define AUDIT_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What the units of a progress report count. */
enum aud_progress_unit {
	AUD_PROGRESS_TASKS = 0, /**< units of work (a block of rows, a grid point) */
	AUD_PROGRESS_ROWS,      /**< data rows */
	AUD_PROGRESS_BYTES      /**< input bytes */
};

/**
 * A progress report: `done` units of `total` (0: unknown) in the phase
 * named `label` (borrowed; valid during the call). `payload` is the
 * caller's, passed back unchanged.
 */
typedef void (*aud_progress_fn)(const char *label, enum aud_progress_unit unit,
    uint64_t done, uint64_t total, void *payload);

/** A callback and its payload, as the options structs hold them. */
struct aud_progress_cb {
	aud_progress_fn fn;   /**< NULL: no reports */
	void *payload;
};
#define AUD_PROGRESS_CB_INIT { NULL, NULL }

/** Report through `cb` when it has a function (cb may be NULL). */
static inline void
aud_progress_report(const struct aud_progress_cb *cb, const char *label,
    enum aud_progress_unit unit, uint64_t done, uint64_t total)
{
	if (cb != NULL && cb->fn != NULL)
		cb->fn(label, unit, done, total, cb->payload);
}

#ifdef __cplusplus
}
#endif

#endif
