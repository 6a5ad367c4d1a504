/*
 * csv_private.h — internals of the CSV reader reachable from the unit tests.
 */
#ifndef AUDIT_CSV_PRIVATE_H
#define AUDIT_CSV_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <audit/csv.h>

/**
 * Bytes the reader has passed while searching for the ends of fields. Each
 * input byte is passed once, however the input arrives (a record cut by the
 * end of the buffer is resumed, not scanned again).
 */
uint64_t aud__csv_scanned(const struct aud_csv *c);

/** Limit every later read to at most n bytes (0 = no limit), as a slow pipe would. */
void aud__csv_set_read_max(struct aud_csv *c, size_t n);

/** aud_csv_open_mem() whose every read returns at most read_max bytes (0 = no limit). */
int aud__csv_open_mem_reads(struct aud_csv **out, const char *name, const char *data,
    size_t len, size_t read_max, const struct aud_csv_options *opts,
    struct aud_error *err);

#endif
