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

#endif
