/*
 * fuzz_policy.c — libFuzzer harness for the check expressions of audit-fair
 * (--check EXPR) and its policy files (a JSON list of expressions).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/expr.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_expr *e = NULL, **list = NULL;
	char *text = malloc(size + 1), path[] = "/tmp/fuzz-policy-XXXXXX";
	size_t n = 0, i;
	int fd;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (aud_expr_parse(&e, text, &err) == 0) {
		aud_expr_text(e);
		aud_expr_scope(e);
		aud_expr_path(e);
		for (i = 0; i < aud_expr_depth(e); i++)
			aud_expr_part(e, i);
		aud_expr_free(e);
	}
	free(text);
	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size &&
		    aud_expr_policy_read(&list, &n, path, &err) == 0)
			aud_expr_list_free(list, n);
		close(fd);
		unlink(path);
	}
	return 0;
}
