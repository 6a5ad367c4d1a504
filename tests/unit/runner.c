/* runner.c — see runner.h. */
#include "runner.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int failures_in_case;
static int skipped_case;
static const char *current_case;

void
aud_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: %s:%d: [%s] ", file, line, current_case);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures_in_case++;
}

int
aud_test_rel(double got, double want, double tol)
{
	double scale;

	if (isnan(want))
		return isnan(got);
	if (isinf(want))
		return got == want;
	scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
	return fabs(got - want) <= tol * scale;
}

const char *
aud_test_shared(void)
{
	static const char *const candidates[] = { "../shared", "../../shared" };
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (stat(candidates[i], &st) == 0 && S_ISDIR(st.st_mode))
			return candidates[i];
	return NULL;
}

void
aud_test_skip(const char *why)
{
	printf("SKIP: [%s] %s\n", current_case, why);
	skipped_case = 1;
}

int
aud_test_main(const struct aud_test_case *cases, size_t n, int argc, char **argv)
{
	size_t i;
	int passed = 0, failed = 0, skipped = 0;
	const char *only = argc > 1 ? argv[1] : NULL;

	for (i = 0; i < n; i++) {
		if (only != NULL && strstr(cases[i].name, only) == NULL)
			continue;
		current_case = cases[i].name;
		failures_in_case = 0;
		skipped_case = 0;
		cases[i].fn();
		fflush(stdout);
		if (failures_in_case > 0)
			failed++;
		else if (skipped_case)
			skipped++;
		else
			passed++;
	}
	if (skipped > 0)
		printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	else
		printf("%d passed, %d failed\n", passed, failed);
	return failed > 0 ? 1 : 0;
}
