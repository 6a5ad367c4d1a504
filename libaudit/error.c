/* error.c — the error object and code texts. */
#include <audit/error.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

static int
vset(struct aud_error *err, int code, int sys_errno, const char *file,
    int line, const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	err->sys_errno = sys_errno;
	err->file = file;
	err->line = line;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int
aud_error_set(struct aud_error *err, int code, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, 0, file, line, fmt, ap);
	va_end(ap);
	return code;
}

int
aud_error_set_errno(struct aud_error *err, int code, int sys_errno,
    const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, sys_errno, file, line, fmt, ap);
	va_end(ap);
	return code;
}

void
aud_error_clear(struct aud_error *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
}

const char *
aud_strerror(int code)
{
	switch (code) {
	case AUD_OK: return "success";
	case AUD_ENOMEM: return "out of memory";
	case AUD_EINVAL: return "invalid argument";
	case AUD_EIO: return "input/output error";
	case AUD_EPARSE: return "malformed input";
	case AUD_ENOTFOUND: return "not found";
	case AUD_ENUMERIC: return "numerical failure";
	case AUD_EUNSUPPORTED: return "unsupported";
	case AUD_EMODEL: return "model failure";
	case AUD_EOUTPUT: return "cannot write output";
	case AUD_EINTERNAL: return "internal error";
	default: return "unknown error";
	}
}

void
aud_init(void)
{
	/* GSL's default handler aborts; we check every status instead. */
	gsl_set_error_handler_off();
}
