/* fuzz_json.c — libFuzzer harness for the JSON reader (policies, model cards, results). */
#include <stddef.h>
#include <stdint.h>

#include <audit/json.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *doc = NULL;

	if (aud_json_parse(&doc, "fuzz.json", (const char *)data, size, &err) == 0)
		cJSON_Delete(doc);
	return 0;
}
