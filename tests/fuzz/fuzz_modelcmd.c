/*
 * fuzz_modelcmd.c — libFuzzer harness for the reader of a long-lived model
 * command's answers (the stream protocol's score lines, the binary
 * protocol's magic, count and doubles): untrusted bytes from the command.
 *
 * The first byte picks the protocol (bit 0), whether the handshake's answer
 * is expected (bit 1) and the chunk size the rest is fed in (bits 2..7); the
 * second byte the frame's row count (1..256). Invariants: never more scores
 * than rows, every score finite, a done answer is not a bad one.
 */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../libaudit/modelcmd_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud__mc_reply r;
	double score[256];
	size_t n, chunk, i, off;

	if (size < 2)
		return 0;
	memset(&r, 0, sizeof(r));
	n = (size_t)data[1] + 1;
	chunk = (size_t)(data[0] >> 2) + 1;
	aud__mc_reply_start(&r, (data[0] & 1) ? AUD_MODELCMD_BINARY : AUD_MODELCMD_STREAM,
	    (data[0] & 2) != 0, n, score);
	for (off = 2; off < size; off += chunk) {
		size_t len = size - off < chunk ? size - off : chunk;

		if (aud__mc_reply_feed(&r, (const char *)data + off, len) < 0)
			break;
		assert(r.nscores <= n);
	}
	aud__mc_reply_eof(&r);
	assert(r.nscores <= n);
	assert(!(aud__mc_reply_done(&r) && r.bad));
	for (i = 0; i < r.nscores; i++)
		assert(isfinite(score[i]));
	/* a second frame on the same reader (the line buffer is kept) */
	aud__mc_reply_start(&r, AUD_MODELCMD_STREAM, 0, 1, score);
	(void)aud__mc_reply_feed(&r, "0.5\n", 4);
	assert(aud__mc_reply_done(&r));
	aud__mc_reply_free(&r);
	return 0;
}
