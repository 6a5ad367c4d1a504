/*
 * fuzz_rowexpr.c — libFuzzer harness for the row expressions of audit-slice
 * --slice: the input's first line is an expression, the rest a CSV whose
 * records it is evaluated on once it parses and binds; the canonical text
 * must parse again to itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>
#include <audit/rowexpr.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_rowexpr *e = NULL, *again = NULL;
	struct aud_csv *csv = NULL;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t elen = nl != NULL ? (size_t)(nl - data) : size, i;
	char *text = malloc(elen + 1);
	int rows = 0;

	if (text == NULL)
		return 0;
	memcpy(text, data, elen);
	text[elen] = '\0';
	if (strlen(text) != elen || aud_rowexpr_parse(&e, text, &err) < 0)
		goto done;
	for (i = 0; i < aud_rowexpr_ncolumns(e); i++)
		aud_rowexpr_column(e, i);
	if (aud_rowexpr_parse(&again, aud_rowexpr_text(e), &err) < 0 ||
	    strcmp(aud_rowexpr_text(again), aud_rowexpr_text(e)) != 0)
		abort();
	if (nl == NULL || aud_csv_open_mem(&csv, "fuzz.csv", (const char *)nl + 1,
	    size - elen - 1, NULL, &err) < 0 || aud_rowexpr_bind(e, csv, &err) < 0)
		goto done;
	while (rows++ < 1000 && aud_csv_next(csv, &err) == 1)
		(void)aud_rowexpr_eval(e, csv);
done:
	aud_csv_free(csv);
	aud_rowexpr_free(again);
	aud_rowexpr_free(e);
	free(text);
	return 0;
}
