/*
 * font.c — fonts through fontconfig: a family or file to a face, and the
 * first installed face with a glyph the main font lacks. See font.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>
#include <fontconfig/fcfreetype.h>

#include "font.h"

struct aud__fonts {
	FcConfig *cfg;
	FcFontSet *order;  /* every font, in the order of preference for sans-serif; lazy */
};

int
aud__fonts_new(struct aud__fonts **out, struct aud_error *err)
{
	struct aud__fonts *f;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	f->cfg = FcInitLoadConfigAndFonts();
	if (f->cfg == NULL) {
		free(f);
		return AUD_ERROR(err, AUD_EIO, "fontconfig: cannot load the font configuration");
	}
	*out = f;
	return 0;
}

void
aud__fonts_free(struct aud__fonts *f)
{
	if (f == NULL)
		return;
	if (f->order != NULL)
		FcFontSetDestroy(f->order);
	FcConfigDestroy(f->cfg);
	free(f);
}

void
aud__face_clear(struct aud__face *face)
{
	free(face->path);
	face->path = NULL;
	face->index = 0;
}

/* Whether the pattern is a TrueType-outline face with a file. */
static int
truetype(FcPattern *p, const char **file, int *index)
{
	FcChar8 *s = NULL, *fmt = NULL;
	int i = 0;

	if (FcPatternGetString(p, FC_FILE, 0, &s) != FcResultMatch)
		return 0;
	if (FcPatternGetString(p, FC_FONTFORMAT, 0, &fmt) == FcResultMatch &&
	    strcmp((const char *)fmt, "TrueType") != 0)
		return 0;
	if (FcPatternGetInteger(p, FC_INDEX, 0, &i) != FcResultMatch)
		i = 0;
	*file = (const char *)s;
	*index = i;
	return 1;
}

static int
set_face(struct aud__face *out, const char *file, int index, struct aud_error *err)
{
	out->path = strdup(file);
	out->index = index;
	if (out->path == NULL)
		return err != NULL ? AUD_ERROR(err, AUD_ENOMEM, "out of memory") : AUD_ENOMEM;
	return 0;
}

/* Whether spec names a file rather than a family. */
static int
is_file(const char *spec)
{
	size_t n = strlen(spec);

	return strchr(spec, '/') != NULL || (n > 4 && (strcasecmp(spec + n - 4, ".ttf") == 0 ||
	    strcasecmp(spec + n - 4, ".ttc") == 0 || strcasecmp(spec + n - 4, ".otf") == 0));
}

/*
 * Whether the file holds a TrueType face (its first), as fontconfig reads it:
 * libharu is never given anything else (it crashes on some files that are
 * not fonts). *family gets the face's family (a new string, or NULL).
 * @return 1, 0 (not a TrueType font) or AUD_ENOMEM
 */
static int
scan_file(const char *path, char **family)
{
	FcPattern *p;
	FcChar8 *fam = NULL;
	const char *file;
	int index, count = 0, ok = 0;

	*family = NULL;
	p = FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count);
	if (p == NULL)
		return 0;
	if (truetype(p, &file, &index)) {
		ok = 1;
		if (FcPatternGetString(p, FC_FAMILY, 0, &fam) == FcResultMatch) {
			*family = strdup((const char *)fam);
			if (*family == NULL)
				ok = AUD_ENOMEM;
		}
	}
	FcPatternDestroy(p);
	return ok;
}

/* The best face fontconfig offers for the family (bold or regular), when
 * its family is the one asked for. */
static int
match_family(struct aud__fonts *f, const char *family, int bold, struct aud__face *out,
    struct aud_error *err)
{
	FcPattern *pat, *m = NULL;
	FcResult res;
	FcChar8 *fam;
	const char *file;
	int index, rc = AUD_ENOTFOUND, k, weight = 0;

	pat = FcPatternCreate();
	if (pat == NULL || !FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family) ||
	    !FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR) ||
	    !FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN) ||
	    !FcConfigSubstitute(f->cfg, pat, FcMatchPattern)) {
		if (pat != NULL)
			FcPatternDestroy(pat);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	FcDefaultSubstitute(pat);
	m = FcFontMatch(f->cfg, pat, &res);
	FcPatternDestroy(pat);
	if (m == NULL)
		return AUD_ENOTFOUND;
	/* fontconfig always offers something: only the family asked for counts */
	for (k = 0; FcPatternGetString(m, FC_FAMILY, k, &fam) == FcResultMatch; k++)
		if (strcasecmp((const char *)fam, family) == 0)
			break;
	if (FcPatternGetString(m, FC_FAMILY, k, &fam) == FcResultMatch &&
	    (!bold || (FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
	    weight >= FC_WEIGHT_DEMIBOLD)) && truetype(m, &file, &index))
		rc = set_face(out, file, index, err);
	FcPatternDestroy(m);
	return rc;
}

int
aud__fonts_find(struct aud__fonts *f, const char *spec, int bold, struct aud__face *out,
    struct aud_error *err)
{
	struct stat st;
	char *family;
	int rc;

	out->path = NULL;
	out->index = 0;
	if (is_file(spec)) {
		if (stat(spec, &st) != 0 || !S_ISREG(st.st_mode))
			return AUD_ERROR(err, AUD_EIO, "font file '%s' cannot be read", spec);
		rc = scan_file(spec, &family);
		if (rc < 0)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		if (rc == 0)
			return AUD_ERROR(err, AUD_EIO, "font file '%s' is not a TrueType font", spec);
		if (!bold) {
			free(family);
			return set_face(out, spec, 0, err);
		}
		/* the bold face of the file's family, or the file itself */
		rc = family != NULL ? match_family(f, family, 1, out, err) : AUD_ENOTFOUND;
		free(family);
		if (rc == AUD_ENOTFOUND)
			rc = set_face(out, spec, 0, err);
		return rc;
	}
	rc = match_family(f, spec, bold, out, err);
	if (rc == AUD_ENOTFOUND && bold)
		rc = match_family(f, spec, 0, out, err);
	if (rc == AUD_ENOTFOUND)
		return AUD_ERROR(err, AUD_ENOTFOUND, "fontconfig finds no TrueType font of family '%s'",
		    spec);
	return rc;
}

int
aud__fonts_fallback(struct aud__fonts *f, uint32_t c, struct aud__face *out)
{
	int i;

	out->path = NULL;
	out->index = 0;
	if (f->order == NULL) {
		FcPattern *pat = FcPatternCreate();
		FcResult res;

		if (pat == NULL)
			return AUD_ENOMEM;
		if (!FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"sans-serif") ||
		    !FcConfigSubstitute(f->cfg, pat, FcMatchPattern)) {
			FcPatternDestroy(pat);
			return AUD_ENOMEM;
		}
		FcDefaultSubstitute(pat);
		f->order = FcFontSort(f->cfg, pat, FcFalse, NULL, &res);
		FcPatternDestroy(pat);
		if (f->order == NULL)
			return 0;
	}
	for (i = 0; i < f->order->nfont; i++) {
		FcPattern *p = f->order->fonts[i];
		FcCharSet *cs = NULL;
		const char *file;
		int index;

		if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) == FcResultMatch &&
		    FcCharSetHasChar(cs, (FcChar32)c) && truetype(p, &file, &index))
			return set_face(out, file, index, NULL) < 0 ? AUD_ENOMEM : 1;
	}
	return 0;
}
