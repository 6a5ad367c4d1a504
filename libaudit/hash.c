/* hash.c — the sha256 of a file's bytes, for provenance (hash.h). */
#include <audit/hash.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

int
aud_file_sha256(char out[65], const char *path, struct aud_error *err)
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	unsigned char buf[65536];
	size_t k;
	FILE *f;
	int i, bad;

	out[0] = '\0';
	f = fopen(path, "rb");
	if (f == NULL)
		return AUD_ERROR(err, AUD_EIO, "cannot open '%s': %s", path, strerror(errno));
	sha256_init(&ctx);
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		sha256_update(&ctx, k, buf);
	bad = ferror(f);
	fclose(f);
	if (bad)
		return AUD_ERROR(err, AUD_EIO, "cannot read '%s'", path);
	sha256_digest(&ctx, sizeof(d), d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
	return 0;
}
