/*
 * test_regress.c — inputs the fuzzers once crashed or hung on
 * (tests/fuzz/regress/csv/), replayed through the CSV and batch readers in
 * every `make check` (and so under ASan and valgrind too): each must end,
 * with a record count or a positioned error, without a crash.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/batch.h>
#include <audit/csv.h>

#include "runner.h"

static void
replay(const char *path)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = NULL;
	struct aud_batch_reader *r = NULL;
	struct aud_batch *b = NULL;
	int rc;

	rc = aud_csv_open(&c, path, NULL, &err);
	if (rc < 0) {
		CHECK(strncmp(err.msg, path, strlen(path)) == 0);
		return;
	}
	rc = aud_batch_reader_new(&r, c, NULL, NULL, 0, 7, 1, &err);
	if (rc == 0) {
		while ((rc = aud_batch_reader_next(&b, r, &err)) == 1)
			;
		if (rc < 0)
			CHECK(strncmp(err.msg, path, strlen(path)) == 0);
	}
	aud_batch_reader_free(r);
	aud_csv_free(c);
}

void
test_regress__fuzz_inputs_of_the_csv_reader(void)
{
	const char *dir = "tests/fuzz/regress/csv";
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	int n = 0;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		replay(path);
		n++;
	}
	closedir(d);
	CHECK(n >= 3);
}
