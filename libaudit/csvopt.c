/*
 * csvopt.c — the CSV input options shared by the tools (see csvopt.h).
 */
#include <audit/csvopt.h>
#include <audit/cli.h>

#include <stdio.h>
#include <string.h>

/* arg with control bytes escaped, at most about 40 characters, for a one-line message */
static void
escape(char *out, size_t size, const char *arg)
{
	size_t n = 0;
	const char *s;

	for (s = arg; *s != '\0' && n + 8 < size; s++) {
		unsigned char u = (unsigned char)*s;

		if (n >= 40) {
			strcpy(out + n, "...");
			return;
		}
		if (u == '\n')
			n += (size_t)snprintf(out + n, size - n, "\\n");
		else if (u == '\t')
			n += (size_t)snprintf(out + n, size - n, "\\t");
		else if (u == '\r')
			n += (size_t)snprintf(out + n, size - n, "\\r");
		else if (u < 0x20 || u == 0x7F)
			n += (size_t)snprintf(out + n, size - n, "\\x%02X", u);
		else
			out[n++] = (char)u;
	}
	out[n] = '\0';
}

static int
set_sep(struct aud_csv_options *o, const char *arg, struct aud_error *err)
{
	char shown[64], name[8];

	if (strcmp(arg, "\\t") == 0) {
		o->sep = '\t';
		return 0;
	}
	if (strlen(arg) != 1) {
		escape(shown, sizeof(shown), arg);
		return AUD_ERROR(err, AUD_EINVAL, "-d: expected one character, got '%s'",
		    shown);
	}
	aud_csv_char_name(name, arg[0]);
	if (arg[0] == '\n' || arg[0] == '\r')
		return AUD_ERROR(err, AUD_EINVAL,
		    "-d: %s cannot separate fields: it ends a line", name);
	if (arg[0] == '"')
		return AUD_ERROR(err, AUD_EINVAL,
		    "-d: %s cannot separate fields: it is the quote character", name);
	o->sep = arg[0];
	return 0;
}

static int
set_names(struct aud_csv_options *o, const char *arg, struct aud_error *err)
{
	const char *s = arg;
	size_t k = 1;

	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma != NULL ? (size_t)(comma - s) : strlen(s);

		if (len == 0)
			return AUD_ERROR(err, AUD_EINVAL, "--names: name %zu is empty", k);
		if (comma == NULL)
			break;
		s = comma + 1;
		k++;
	}
	o->names = arg;
	return 0;
}

static int
set_encoding(struct aud_csv_options *o, const char *arg, struct aud_error *err)
{
	char shown[64];

	if (strcmp(arg, "utf-8") == 0 || strcmp(arg, "utf8") == 0)
		o->encoding = AUD_CSV_UTF8;
	else if (strcmp(arg, "latin1") == 0 || strcmp(arg, "iso-8859-1") == 0)
		o->encoding = AUD_CSV_LATIN1;
	else if (strcmp(arg, "cp1252") == 0 || strcmp(arg, "windows-1252") == 0)
		o->encoding = AUD_CSV_CP1252;
	else {
		escape(shown, sizeof(shown), arg);
		return AUD_ERROR(err, AUD_EINVAL,
		    "--encoding: expected utf-8, latin1 or cp1252, got '%s'", shown);
	}
	return 0;
}

int
aud_csvopt_set(struct aud_csv_options *o, int opt, const char *arg,
    struct aud_error *err)
{
	long n;
	int rc;

	switch (opt) {
	case 'd':
		return set_sep(o, arg, err);
	case AUD_CSVOPT_NA:
		o->na = arg;
		return 0;
	case AUD_CSVOPT_NO_HEADER:
		o->no_header = 1;
		return 0;
	case AUD_CSVOPT_NAMES:
		return set_names(o, arg, err);
	case AUD_CSVOPT_NO_TRIM:
		o->trim = AUD_CSV_TRIM_NEVER;
		return 0;
	case AUD_CSVOPT_ENCODING:
		return set_encoding(o, arg, err);
	case AUD_CSVOPT_SKIP_LINES:
		rc = aud_parse_long(&n, arg, 0, 1000000, "--skip-lines", err);
		if (rc < 0)
			return rc;
		o->skip_lines = (unsigned long)n;
		return 0;
	default:
		return 1;
	}
}

void
aud_csvopt_notice(const char *msg, void *payload)
{
	const struct aud_csvopt_notice_ctx *ctx = payload;

	aud_cli_warn(ctx->prog, ctx->quiet, "%s", msg);
}
