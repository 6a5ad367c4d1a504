/*
 * fuzz_schema.c — libFuzzer harness for audit-data's schema reader
 * (check --schema): any bytes either parse into a schema whose every column,
 * category and key can be read back, or are refused with a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <audit/schema.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_schema *s = NULL;
	size_t i, k, sum = 0;

	if (aud_schema_parse(&s, "fuzz.json", (const char *)data, size, &err) < 0) {
		if (err.msg[0] == '\0' || s != NULL)
			__builtin_trap();
		return 0;
	}
	for (i = 0; i < aud_schema_ncolumns(s); i++) {
		const struct aud_schema_column *c = aud_schema_column(s, i);

		sum += strlen(c->name);
		if (c->has_min && c->has_max && c->max < c->min)
			__builtin_trap();
		for (k = 0; k < c->ncategories; k++) {
			sum += strlen(c->categories[k]);
			if (!aud_schema_allows(c, c->categories[k]))
				__builtin_trap();
		}
	}
	for (i = 0; i < aud_schema_nkey(s); i++)
		sum += strlen(aud_schema_key(s, i));
	(void)aud_schema_extra_error(s);
	aud_schema_free(s);
	return sum == (size_t)-1;
}
