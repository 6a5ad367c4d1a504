/*
 * fuzz_modelcmd.c — libFuzzer harness for the reader of a long-lived model
 * command's answers (aud_modelcmd_read_answer(): the stream protocol's score
 * lines, the binary protocol's magic, count and doubles): untrusted bytes
 * from the command.
 *
 * The first byte picks the protocol (bit 0) and whether the handshake's
 * answer is expected (bit 1); the second the frame's row count (1..256).
 * Invariants: an accepted answer has n finite scores; a refusal is
 * AUD_EMODEL with a message.
 */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <audit/modelcmd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aud_error err = AUD_ERROR_INIT;
	double score[256];
	size_t n, i;
	int rc;

	if (size < 2)
		return 0;
	n = (size_t)data[1] + 1;
	for (i = 0; i < n; i++)
		score[i] = 0;
	rc = aud_modelcmd_read_answer(score, (data[0] & 1) ? AUD_MODELCMD_BINARY :
	    AUD_MODELCMD_STREAM, (data[0] & 2) != 0, (const char *)data + 2, size - 2, n, &err);
	if (rc == 0) {
		for (i = 0; i < n; i++)
			assert(isfinite(score[i]));
	} else {
		assert(rc == AUD_EMODEL || rc == AUD_ENOMEM);
		assert(err.msg[0] != '\0');
	}
	return 0;
}
