/*
 * drift_write.c — the table, Markdown and CSV views of an audit.drift/1
 * document, written from the document alone.
 */
#include "data_impl.h"

int
aud__drift_write(const cJSON *doc, enum aud_format format, FILE *f, struct aud_error *err)
{
	(void)doc;
	(void)format;
	(void)f;
	return AUD_ERROR(err, AUD_EUNSUPPORTED, "drift: no text view yet");
}
