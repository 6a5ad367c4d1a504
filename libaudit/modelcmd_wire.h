/*
 * modelcmd_wire.h — private: the reader of a long-lived model command's
 * answers (docs/model-protocol.md): score lines of the stream protocol, the
 * handshake answer, counts and doubles of the binary protocol. A pure
 * function of the bytes fed to it (no I/O), so that it can be fuzzed.
 */
#ifndef AUDIT_MODELCMD_WIRE_H
#define AUDIT_MODELCMD_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <audit/modelcmd.h>

/* The binary protocol's magic, written by the tool and answered by the command. */
#define AUD__MC_MAGIC "RAIAUDB1"

/* The reader of one frame's answer. */
struct aud__mc_reply {
	enum aud_modelcmd_protocol protocol;  /* STREAM or BINARY */
	size_t n;              /* scores expected */
	double *score;         /* n outputs (borrowed) */
	size_t nscores;        /* read so far */
	int want_magic;        /* binary: the handshake's answer comes first */
	int have_count;        /* binary: the echoed count was read */
	unsigned char part[8]; /* binary: an incomplete magic, count or double */
	size_t part_len;
	char *line;            /* stream: an incomplete line (owned) */
	size_t line_len, line_cap;
	uint64_t lines;        /* stream: lines read */
	int bad;               /* the answer is wrong: msg says how */
	int bad_magic;         /* ... because the handshake's answer was not the magic */
	char msg[200];
};

/* Start reading the answer to a frame of n rows (n >= 1) into score. */
void aud__mc_reply_start(struct aud__mc_reply *r, enum aud_modelcmd_protocol protocol,
    int want_magic, size_t n, double *score);

/*
 * Take len bytes of the command's output. Bytes past the frame's answer are
 * an error (more scores than rows). Once `bad` is set nothing more is read.
 * @return 0, -1 (out of memory)
 */
int aud__mc_reply_feed(struct aud__mc_reply *r, const char *s, size_t len);

/* 1 when every score of the frame was read (and nothing was wrong). */
int aud__mc_reply_done(const struct aud__mc_reply *r);

/*
 * The output ended: a stream answer's last line may lack its LF (it is
 * taken). Does not set `bad` for missing scores: the caller says why.
 */
void aud__mc_reply_eof(struct aud__mc_reply *r);

/* Free what the reader holds (not the scores). */
void aud__mc_reply_free(struct aud__mc_reply *r);

#endif
