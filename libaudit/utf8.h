/*
 * utf8.h — private: decoding one UTF-8 character, the one strict decoder the
 * report's renderers share (pdf.c for what it draws, html.c for what it escapes).
 */
#ifndef AUDIT_UTF8_PRIVATE_H
#define AUDIT_UTF8_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (1 to 4) of the UTF-8 character at u and its code point in *cp; 0
 * when the bytes are not one: invalid, truncated (fewer than `avail` bytes),
 * an overlong form, a surrogate or beyond U+10FFFF. avail >= 1.
 */
static inline size_t
aud__utf8_decode(const unsigned char *u, size_t avail, uint32_t *cp)
{
	size_t n, i;
	uint32_t c, min;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		n = 2;
		c = u[0] & 0x1Fu;
		min = 0x80;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		n = 3;
		c = u[0] & 0x0Fu;
		min = 0x800;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		n = 4;
		c = u[0] & 0x07u;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3Fu);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

#endif
