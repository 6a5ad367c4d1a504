/* cli_check.c — the failing checks on stderr, the same words in every tool (clicheck.h). */
#include <audit/clicheck.h>
#include <audit/check.h>

#include <stdio.h>
#include <string.h>

#include "check_impl.h"

size_t
aud_cli_checks_print_failures(FILE *f, const char *prog, const cJSON *checks,
    int allow_undefined)
{
	const cJSON *e;
	size_t n = 0;

	cJSON_ArrayForEach(e, checks) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
		char place[512], val[32];

		if (!aud_check_entry_fails(e, allow_undefined))
			continue;
		aud__check_where(place, sizeof(place), e);
		aud__check_value_text(val, e);
		fprintf(f, "%s: check failed: %s (%s%svalue %s)\n", prog, id ? id : "?", place,
		    place[0] ? ", " : "", val);
		n++;
	}
	return n;
}
