/*
 * font.h — finding fonts through fontconfig (private to libaudit).
 *
 * font.c is the only file of libaudit that calls Fc*. It holds its own
 * fontconfig configuration (no global state of ours) and answers two
 * questions: which file draws a font given by family name or by file, and
 * which installed font has a glyph for a character the main font lacks.
 * Only TrueType outlines are offered (libharu embeds nothing else); a font
 * collection (.ttc) is named by its file and the face's index.
 */
#ifndef AUDIT_FONT_PRIVATE_H
#define AUDIT_FONT_PRIVATE_H

#include <stdint.h>

#include <audit/error.h>

struct aud__fonts;

/** A font file and the index of the face in it (0 unless a collection). */
struct aud__face {
	char *path;  /**< owned */
	int index;
};

/** The default family of the report. */
#define AUD__FONT_DEFAULT_FAMILY "DejaVu Sans"

/**
 * Load the installed fonts' configuration.
 * @return 0, AUD_ENOMEM or AUD_EIO (fontconfig cannot be initialised)
 */
int aud__fonts_new(struct aud__fonts **out, struct aud_error *err);
void aud__fonts_free(struct aud__fonts *f);

/**
 * The face that draws `spec`: a file when spec names an existing file
 * (contains '/' or ends in .ttf, .ttc or .otf), else a family name that
 * fontconfig must find as such (its substitutes do not count). With `bold`,
 * the bold face: of the family, or of the family of the file `spec`; when
 * none is installed, the regular face itself (bold == 1 only).
 * @return 0; AUD_ENOTFOUND (no such family, or no TrueType face of it),
 *         AUD_EIO (the file cannot be read) or AUD_ENOMEM
 */
int aud__fonts_find(struct aud__fonts *f, const char *spec, int bold, struct aud__face *out,
    struct aud_error *err);

/**
 * The first installed TrueType face (in fontconfig's order for the default
 * sans-serif family) that has a glyph for code point c.
 * @return 1 (found: out filled, caller frees out->path), 0 (no installed font
 *         has it) or AUD_ENOMEM
 */
int aud__fonts_fallback(struct aud__fonts *f, uint32_t c, struct aud__face *out);

/** Free a face's path. */
void aud__face_clear(struct aud__face *face);

#endif
