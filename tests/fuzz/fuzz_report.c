/*
 * fuzz_report.c — libFuzzer harness for audit-report's readers: the input is
 * a JSON document; when it parses it is added to a report (envelope and
 * schema checks) and, when accepted, drawn, so every reader of every section
 * meets odd shapes and values. Also read as a model card.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <audit/json.h>
#include <audit/report.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report *r = NULL;
	cJSON *doc = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	char path[] = "/tmp/fuzz-card-XXXXXX";
	int fd;

	if (aud_json_parse(&doc, "fuzz.json", (const char *)data, size, &err) < 0)
		return 0;
	if (aud_report_new(&r, &o, &err) < 0) {
		cJSON_Delete(doc);
		return 0;
	}
	if (aud_report_add(r, "fuzz.json", doc, &err) == 0 &&
	    aud_report_render(&pdf, &len, r, &err) == 0)
		free(pdf);
	/* the same bytes as a model card */
	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size)
			aud_report_set_model_card(r, path, &err);
		close(fd);
		unlink(path);
	}
	aud_report_free(r);
	return 0;
}
