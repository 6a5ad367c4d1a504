/* test_font.c — fonts through fontconfig: families, files, bold faces, fallback. */
#include <stdlib.h>
#include <string.h>

#include "font.h"
#include "runner.h"

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The default family is found by name, with its bold face (Debian's
 * fonts-dejavu-core: DejaVuSans.ttf and DejaVuSans-Bold.ttf). */
void
test_font__family(void)
{
	struct aud__fonts *f = NULL;
	struct aud__face face = { NULL, 0 };
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud__fonts_new(&f, &err), 0);
	if (f == NULL)
		return;
	if (aud__fonts_find(f, AUD__FONT_DEFAULT_FAMILY, 0, &face, &err) == AUD_ENOTFOUND) {
		aud_test_skip("DejaVu Sans not installed");
		aud__fonts_free(f);
		return;
	}
	CHECK(ends_with(face.path, "/DejaVuSans.ttf"));
	CHECK_INT_EQ(face.index, 0);
	aud__face_clear(&face);
	CHECK_INT_EQ(aud__fonts_find(f, "dejavu sans", 1, &face, &err), 0);
	CHECK(face.path != NULL && ends_with(face.path, "/DejaVuSans-Bold.ttf"));
	aud__face_clear(&face);
	/* a file: itself; its bold face: the bold of its family */
	CHECK_INT_EQ(aud__fonts_find(f, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0,
	    &face, &err), 0);
	CHECK_STR_EQ(face.path, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	aud__face_clear(&face);
	CHECK_INT_EQ(aud__fonts_find(f, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 1,
	    &face, &err), 0);
	CHECK(face.path != NULL && ends_with(face.path, "/DejaVuSans-Bold.ttf"));
	aud__face_clear(&face);
	aud__fonts_free(f);
}

/* No substitute for a family that is not installed; a file that is not there. */
void
test_font__errors(void)
{
	struct aud__fonts *f = NULL;
	struct aud__face face = { NULL, 0 };
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(aud__fonts_new(&f, &err), 0);
	if (f == NULL)
		return;
	CHECK_INT_EQ(aud__fonts_find(f, "No Such Family 42", 0, &face, &err), AUD_ENOTFOUND);
	CHECK_STR_EQ(err.msg, "fontconfig finds no TrueType font of family 'No Such Family 42'");
	CHECK(face.path == NULL);
	CHECK_INT_EQ(aud__fonts_find(f, "No Such Family 42", 1, &face, &err), AUD_ENOTFOUND);
	CHECK_INT_EQ(aud__fonts_find(f, "missing.ttf", 0, &face, &err), AUD_EIO);
	CHECK_STR_EQ(err.msg, "font file 'missing.ttf' cannot be read");
	CHECK_INT_EQ(aud__fonts_find(f, "/nonexistent/x", 0, &face, &err), AUD_EIO);
	aud__fonts_free(f);
}

/* The fallback for an ideograph has it; Latin 'A' is in the first font of
 * the order. */
void
test_font__fallback(void)
{
	struct aud__fonts *f = NULL;
	struct aud__face face = { NULL, 0 };
	struct aud_error err = AUD_ERROR_INIT;
	int rc;

	CHECK_INT_EQ(aud__fonts_new(&f, &err), 0);
	if (f == NULL)
		return;
	rc = aud__fonts_fallback(f, 0x4E2D, &face);
	if (rc == 0) {
		aud_test_skip("no installed font has U+4E2D (install fonts-droid-fallback)");
		aud__fonts_free(f);
		return;
	}
	CHECK_INT_EQ(rc, 1);
	CHECK(face.path != NULL && face.path[0] == '/');
	CHECK(face.path != NULL && !ends_with(face.path, "/DejaVuSans.ttf"));
	aud__face_clear(&face);
	CHECK_INT_EQ(aud__fonts_fallback(f, 'A', &face), 1);
	aud__face_clear(&face);
	aud__fonts_free(f);
}
