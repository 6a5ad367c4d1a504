/* test_hash.c — the sha256 of a file (hash.h), against the FIPS 180-2 examples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/hash.h>

#include "runner.h"

/* Write data to a fresh temporary file; its path in buf. */
static int
temp_file(char *buf, size_t size, const char *data, size_t len)
{
	FILE *f;
	int fd;

	snprintf(buf, size, "/tmp/test_hash_XXXXXX");
	fd = mkstemp(buf);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "wb");
	if (f == NULL) {
		close(fd);
		return -1;
	}
	if (len > 0 && fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

void
test_hash__fips_examples(void)
{
	char path[64], out[65];
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(temp_file(path, sizeof(path), "abc", 3), 0);
	CHECK_INT_EQ(aud_file_sha256(out, path, &err), 0);
	CHECK_STR_EQ(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	unlink(path);
	CHECK_INT_EQ(temp_file(path, sizeof(path), "", 0), 0);
	CHECK_INT_EQ(aud_file_sha256(out, path, &err), 0);
	CHECK_STR_EQ(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	unlink(path);
}

void
test_hash__missing_file(void)
{
	char out[65] = "x";
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud_file_sha256(out, "/nonexistent/model.pmml", &err), AUD_EIO);
	CHECK_STR_EQ(out, "");
	CHECK_STR_EQ(err.msg, "cannot open '/nonexistent/model.pmml': No such file or directory");
}
