/*
 * modelcmd_wire.c — the reader of a long-lived model command's answers
 * (see modelcmd_wire.h and docs/model-protocol.md).
 */
#include "modelcmd_wire.h"

#include <audit/modelcmd.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>

#include "modelcmd_impl.h"

#define MAX_LINE (1024 * 1024)  /* longest score line accepted */

void
aud__mc_reply_start(struct aud__mc_reply *r, enum aud_modelcmd_protocol protocol,
    int want_magic, size_t n, double *score)
{
	char *line = r->line;
	size_t cap = r->line_cap;

	memset(r, 0, sizeof(*r));
	r->line = line;      /* the line buffer is kept from frame to frame */
	r->line_cap = cap;
	r->protocol = protocol;
	r->want_magic = protocol == AUD_MODELCMD_BINARY && want_magic;
	r->n = n;
	r->score = score;
}

void
aud__mc_reply_free(struct aud__mc_reply *r)
{
	free(r->line);
	r->line = NULL;
	r->line_cap = r->line_len = 0;
}

int
aud__mc_reply_done(const struct aud__mc_reply *r)
{
	return !r->bad && r->nscores == r->n && (r->protocol != AUD_MODELCMD_BINARY ||
	    (r->have_count && !r->want_magic));
}

static void
too_many(struct aud__mc_reply *r)
{
	snprintf(r->msg, sizeof(r->msg), "printed more than %zu scores for a frame of %zu rows",
	    r->n, r->n);
	r->bad = 1;
}

/* ---- stream: one score per line ---- */

static void
stream_line(struct aud__mc_reply *r, const char *s, size_t len)
{
	char shown[64];
	double v;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	r->lines++;
	if (r->nscores == r->n) {
		too_many(r);
		return;
	}
	if (!aud_parse_number(&v, s, len) || !isfinite(v)) {
		aud__mc_printable(shown, sizeof(shown), s, len, 40);
		snprintf(r->msg, sizeof(r->msg), "output line %llu: '%s' %s",
		    (unsigned long long)r->lines, shown,
		    len == 0 ? "is empty where a score was expected" :
		    aud_parse_number(&v, s, len) ? "is not a finite number" : "is not a number");
		r->bad = 1;
		return;
	}
	r->score[r->nscores++] = v;
}

static int
line_append(struct aud__mc_reply *r, const char *s, size_t len)
{
	if (r->line_len + len > r->line_cap) {
		size_t cap = r->line_cap > 0 ? r->line_cap : 256;
		char *p;

		while (cap < r->line_len + len)
			cap *= 2;
		p = realloc(r->line, cap);
		if (p == NULL)
			return -1;
		r->line = p;
		r->line_cap = cap;
	}
	memcpy(r->line + r->line_len, s, len);
	r->line_len += len;
	return 0;
}

static int
stream_feed(struct aud__mc_reply *r, const char *s, size_t len)
{
	while (len > 0 && !r->bad) {
		const char *nl = memchr(s, '\n', len);
		size_t part = nl != NULL ? (size_t)(nl - s) : len;

		if (r->nscores == r->n) {
			too_many(r);
			break;
		}
		if (r->line_len + part > MAX_LINE) {
			snprintf(r->msg, sizeof(r->msg), "output line %llu is longer than %d bytes",
			    (unsigned long long)r->lines + 1, MAX_LINE);
			r->bad = 1;
			break;
		}
		if (nl == NULL)
			return line_append(r, s, part);
		if (r->line_len == 0) {
			stream_line(r, s, part);
		} else {
			if (line_append(r, s, part) < 0)
				return -1;
			stream_line(r, r->line, r->line_len);
			r->line_len = 0;
		}
		s += part + 1;
		len -= part + 1;
	}
	return 0;
}

/* ---- binary: magic, count, doubles ---- */

static uint64_t
le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* A whole 8-byte item: the magic, the count or a score. */
static void
binary_item(struct aud__mc_reply *r, const unsigned char *p)
{
	uint64_t u = le64(p);
	double v;

	if (r->want_magic) {
		if (memcmp(p, AUD__MC_MAGIC, 8) != 0) {
			char shown[64];

			aud__mc_printable(shown, sizeof(shown), (const char *)p, 8, 8);
			snprintf(r->msg, sizeof(r->msg),
			    "the command does not speak the binary protocol (it answered '%s' where '"
			    AUD__MC_MAGIC "' was expected)", shown);
			r->bad = r->bad_magic = 1;
			return;
		}
		r->want_magic = 0;
		return;
	}
	if (!r->have_count) {
		if (u != (uint64_t)r->n) {
			snprintf(r->msg, sizeof(r->msg),
			    "echoed a count of %llu for a frame of %zu rows",
			    (unsigned long long)u, r->n);
			r->bad = 1;
			return;
		}
		r->have_count = 1;
		return;
	}
	if (r->nscores == r->n) {
		too_many(r);
		return;
	}
	memcpy(&v, &u, sizeof(v));
	if (!isfinite(v)) {
		snprintf(r->msg, sizeof(r->msg), "score %zu of a frame of %zu rows is not finite (%g)",
		    r->nscores + 1, r->n, v);
		r->bad = 1;
		return;
	}
	r->score[r->nscores++] = v;
}

static void
binary_feed(struct aud__mc_reply *r, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	while (len > 0 && !r->bad) {
		if (r->have_count && r->nscores == r->n) {
			too_many(r);
			break;
		}
		if (r->part_len > 0 || len < 8) {
			size_t take = 8 - r->part_len;

			if (take > len)
				take = len;
			memcpy(r->part + r->part_len, p, take);
			r->part_len += take;
			p += take;
			len -= take;
			if (r->part_len < 8)
				break;
			r->part_len = 0;
			binary_item(r, r->part);
			continue;
		}
		binary_item(r, p);
		p += 8;
		len -= 8;
	}
}

int
aud__mc_reply_feed(struct aud__mc_reply *r, const char *s, size_t len)
{
	if (r->bad || len == 0)
		return 0;
	if (r->protocol == AUD_MODELCMD_BINARY) {
		binary_feed(r, s, len);
		return 0;
	}
	return stream_feed(r, s, len);
}

void
aud__mc_reply_eof(struct aud__mc_reply *r)
{
	if (r->protocol != AUD_MODELCMD_BINARY && !r->bad && r->line_len > 0) {
		stream_line(r, r->line, r->line_len);
		r->line_len = 0;
	}
}

int
aud_modelcmd_read_answer(double *score, enum aud_modelcmd_protocol protocol, int handshake,
    const char *bytes, size_t len, size_t n, struct aud_error *err)
{
	struct aud__mc_reply r;
	int rc = 0;

	if ((protocol != AUD_MODELCMD_STREAM && protocol != AUD_MODELCMD_BINARY) || n == 0)
		return AUD_ERROR(err, AUD_EINVAL,
		    "an answer is read for the stream or binary protocol and at least one row");
	memset(&r, 0, sizeof(r));
	aud__mc_reply_start(&r, protocol, handshake, n, score);
	if (aud__mc_reply_feed(&r, bytes, len) < 0) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	aud__mc_reply_eof(&r);
	if (r.bad)
		rc = AUD_ERROR(err, AUD_EMODEL, "%s", r.msg);
	else if (protocol == AUD_MODELCMD_BINARY && r.want_magic)
		rc = AUD_ERROR(err, AUD_EMODEL, "the answer ends before the handshake's magic");
	else if (protocol == AUD_MODELCMD_BINARY && !r.have_count)
		rc = AUD_ERROR(err, AUD_EMODEL, "the answer ends before its count");
	else if (!aud__mc_reply_done(&r) || r.part_len > 0)
		rc = AUD_ERROR(err, AUD_EMODEL, "%zu scores for a frame of %zu rows%s", r.nscores, n,
		    r.part_len > 0 ? " (and a part of one)" : "");
done:
	aud__mc_reply_free(&r);
	return rc;
}
