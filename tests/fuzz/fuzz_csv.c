/*
 * fuzz_csv.c — libFuzzer harness for the CSV reader: any bytes, with and
 * without a given separator and NA tokens, read to the end; every field is
 * also parsed as a number and the raw record is touched.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <audit/batch.h>
#include <audit/csv.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_csv_options o = AUD_CSV_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = NULL;
	struct aud_batch_reader *r = NULL;
	struct aud_batch *b = NULL;
	char hex[65];
	size_t i, n, len;
	double v;
	int rc;

	o.max_record = 1 << 16;
	if (size > 0 && (data[0] & 1))
		o.sep = ';';
	if (aud_csv_open_mem(&c, "fuzz.csv", (const char *)data, size, &o, &err) == 0) {
		n = aud_csv_ncols(c);
		while ((rc = aud_csv_next(c, &err)) == 1) {
			aud_csv_raw(c, &len);
			for (i = 0; i < n; i++) {
				aud_csv_field(c, i, &len);
				aud_csv_number(&v, c, i, &err);
				aud_csv_column(c, i);
			}
		}
		aud_csv_sha256(c, hex, &err);
		aud_csv_free(c);
	}
	/* the batch reader with inferred kinds */
	c = NULL;
	if (aud_csv_open_mem(&c, "fuzz.csv", (const char *)data, size, &o, &err) == 0) {
		if (aud_batch_reader_new(&r, c, NULL, NULL, 0, 7, 1, &err) == 0) {
			while (aud_batch_reader_next(&b, r, &err) == 1)
				for (i = 0; i < b->nrows; i++)
					aud_batch_reader_raw(r, i, &len);
			aud_batch_reader_free(r);
		}
		aud_csv_free(c);
	}
	return 0;
}
