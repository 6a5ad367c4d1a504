/* test_dict.c — string dictionaries. */
#include <stdio.h>
#include <string.h>

#include <audit/dict.h>

#include "runner.h"

void
test_dict__interns_and_finds(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_dict *d = NULL, *c = NULL;
	int32_t code;
	char buf[32];
	int i;

	CHECK_INT_EQ(aud_dict_new(&d, &err), 0);
	if (d == NULL)
		return;
	/* enough strings to force several rehashes */
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "v%d", i);
		CHECK_INT_EQ(aud_dict_intern(&code, d, buf, strlen(buf), &err), 0);
		CHECK_INT_EQ(code, i);
	}
	CHECK_INT_EQ(aud_dict_size(d), 1000);
	CHECK_INT_EQ(aud_dict_intern(&code, d, "v17", 3, &err), 0);
	CHECK_INT_EQ(code, 17);
	CHECK_INT_EQ(aud_dict_find(d, "v999", 4), 999);
	CHECK_INT_EQ(aud_dict_find(d, "v1000", 5), -1);
	CHECK_STR_EQ(aud_dict_str(d, 42), "v42");
	CHECK(aud_dict_str(d, 1000) == NULL);
	CHECK(aud_dict_str(d, -1) == NULL);
	CHECK_INT_EQ(aud_dict_clone(&c, d, &err), 0);
	CHECK_INT_EQ(aud_dict_find(c, "v500", 4), 500);
	aud_dict_free(c);
	aud_dict_free(d);
}

/* Strings are compared by their bytes and length: a prefix, the empty string
 * and a string with a NUL byte are distinct entries. */
void
test_dict__lengths_count(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_dict *d = NULL;
	int32_t a, ab, e, z;

	CHECK_INT_EQ(aud_dict_new(&d, &err), 0);
	if (d == NULL)
		return;
	CHECK_INT_EQ(aud_dict_intern(&ab, d, "ab", 2, &err), 0);
	CHECK_INT_EQ(aud_dict_intern(&a, d, "abc", 1, &err), 0);
	CHECK_INT_EQ(aud_dict_intern(&e, d, "", 0, &err), 0);
	CHECK_INT_EQ(aud_dict_intern(&z, d, "a\0b", 3, &err), 0);
	CHECK_INT_EQ(ab, 0);
	CHECK_INT_EQ(a, 1);
	CHECK_INT_EQ(e, 2);
	CHECK_INT_EQ(z, 3);
	CHECK_INT_EQ(aud_dict_size(d), 4);
	CHECK_STR_EQ(aud_dict_str(d, a), "a");
	CHECK_STR_EQ(aud_dict_str(d, e), "");
	CHECK_INT_EQ(aud_dict_find(d, "a", 1), 1);
	CHECK_INT_EQ(aud_dict_find(d, "a\0b", 3), 3);
	CHECK_INT_EQ(aud_dict_find(d, "b", 1), -1);
	aud_dict_free(d);
	aud_dict_free(NULL);
}
