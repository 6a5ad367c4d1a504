/* test_html.c — the HTML report's buffer, escaping and document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "runner.h"

static char *
esc(const char *s, size_t len, int flags)
{
	static char out[512];
	struct aud__hbuf b = AUD__HBUF_INIT;

	aud__html_escape(&b, s, len, flags);
	snprintf(out, sizeof(out), "%s", b.s != NULL ? b.s : "");
	aud__hbuf_release(&b);
	return out;
}
#define ESC(s, f) esc((s), sizeof(s) - 1, (f))

void
test_html__escape_markup(void)
{
	CHECK_STR_EQ(ESC("<script>alert('x')</script>", 0),
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	CHECK_STR_EQ(ESC("A & B \"q\"", 0), "A &amp; B &quot;q&quot;");
	CHECK_STR_EQ(ESC("tab\there", 0), "tab\there");
	/* newlines: <br> only when asked */
	CHECK_STR_EQ(ESC("a\nb", AUD__ESC_NEWLINES), "a<br>b");
	CHECK_STR_EQ(ESC("a\nb", 0), "a\xE2\x9F\xA6U+000A\xE2\x9F\xA7" "b");
}

void
test_html__escape_utf8(void)
{
	/* valid characters of 2, 3 and 4 bytes are kept */
	CHECK_STR_EQ(ESC("\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80", 0),
	    "\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80");
	/* a byte that is not UTF-8, a truncated sequence, an overlong form, a
	 * surrogate: each byte a placeholder */
	CHECK_STR_EQ(ESC("a\xFF" "b", 0), "a\xE2\x9F\xA6" "0xFF\xE2\x9F\xA7" "b");
	CHECK_STR_EQ(ESC("\xC3", 0), "\xE2\x9F\xA6" "0xC3\xE2\x9F\xA7");
	CHECK_STR_EQ(ESC("\xC0\xAF", 0),
	    "\xE2\x9F\xA6" "0xC0\xE2\x9F\xA7\xE2\x9F\xA6" "0xAF\xE2\x9F\xA7");
	CHECK_STR_EQ(ESC("\xED\xA0\x80", 0),
	    "\xE2\x9F\xA6" "0xED\xE2\x9F\xA7\xE2\x9F\xA6" "0xA0\xE2\x9F\xA7"
	    "\xE2\x9F\xA6" "0x80\xE2\x9F\xA7");
	/* controls and direction overrides */
	CHECK_STR_EQ(ESC("\x01", 0), "\xE2\x9F\xA6U+0001\xE2\x9F\xA7");
	CHECK_STR_EQ(ESC("\xE2\x80\xAE", 0), "\xE2\x9F\xA6U+202E\xE2\x9F\xA7");
	/* the placeholder's brackets in data become placeholders, so data never
	 * looks like a placeholder; text already as drawn keeps them */
	CHECK_STR_EQ(ESC("\xE2\x9F\xA6x\xE2\x9F\xA7", 0),
	    "\xE2\x9F\xA6U+27E6\xE2\x9F\xA7x\xE2\x9F\xA6U+27E7\xE2\x9F\xA7");
	CHECK_STR_EQ(ESC("\xE2\x9F\xA6x\xE2\x9F\xA7", AUD__ESC_DRAWN), "\xE2\x9F\xA6x\xE2\x9F\xA7");
	/* a NUL inside the length is a control character */
	CHECK_STR_EQ(esc("a\0b", 3, 0), "a\xE2\x9F\xA6U+0000\xE2\x9F\xA7" "b");
}

void
test_html__numbers(void)
{
	struct aud__hbuf b = AUD__HBUF_INIT;

	aud__hbuf_num(&b, 12.5);
	aud__hbuf_puts(&b, " ");
	aud__hbuf_num(&b, 3);
	aud__hbuf_puts(&b, " ");
	aud__hbuf_num(&b, -0.001);   /* rounds to -0: written 0 */
	aud__hbuf_puts(&b, " ");
	aud__hbuf_num(&b, 841.89 - 50);
	aud__hbuf_puts(&b, " ");
	aud__hbuf_num(&b, -7.25);
	aud__hbuf_puts(&b, " ");
	aud__hbuf_num(&b, 0.0 / 0.0);  /* not finite: 0 */
	CHECK_STR_EQ(b.s, "12.5 3 0 791.89 -7.25 0");
	CHECK_INT_EQ(b.len, strlen(b.s));
	aud__hbuf_release(&b);
}

static char *
document(void)
{
	struct aud__html *h = NULL;
	unsigned char *out = NULL;
	size_t len = 0;
	char *s;

	if (aud__html_new(&h, NULL) < 0)
		return NULL;
	aud__hbuf_puts(aud__html_body(h), "<p>cover</p>\n");
	aud__html_heading(h, 0, "One & two");
	aud__html_bullet(h, "first", NULL);
	aud__html_bullet(h, "second <b>", "\xE2\x9F\xA6" "cut\xE2\x9F\xA7");
	aud__html_heading(h, 1, "Sub");
	aud__html_heading(h, 2, "Not in the contents");
	aud__html_heading(h, 0, "Three");
	if (aud__html_finish(&out, &len, h, "T <1>", "DejaVu Sans\"}", "foot", NULL) < 0) {
		aud__html_free(h);
		return NULL;
	}
	aud__html_free(h);
	s = malloc(len + 1);
	if (s != NULL) {
		memcpy(s, out, len);
		s[len] = '\0';
	}
	CHECK_INT_EQ(strlen((char *)s), len);
	free(out);
	return s;
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

void
test_html__document(void)
{
	char *a = document(), *b = document();
	const char *nav, *cover, *h1;

	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		goto done;
	CHECK_STR_EQ(a, b);  /* deterministic */
	CHECK(strncmp(a, "<!DOCTYPE html>\n", 16) == 0);
	CHECK(strstr(a, "<meta charset=\"utf-8\">") != NULL);
	CHECK(strstr(a, "<title>T &lt;1&gt;</title>") != NULL);
	/* the font name keeps only letters, digits, spaces and hyphens */
	CHECK(strstr(a, "font:15px/1.45 \"DejaVu Sans\",") != NULL);
	/* the cover, then the contents, then the sections */
	cover = strstr(a, "<p>cover</p>");
	nav = strstr(a, "<nav");
	h1 = strstr(a, "<h1 id=\"s1\">One &amp; two</h1>");
	CHECK(cover != NULL && nav != NULL && h1 != NULL && cover < nav && nav < h1);
	/* ids in order; levels 0 and 1 in the contents, level 2 not */
	CHECK(strstr(a, "<h2 id=\"s2\">Sub</h2>") != NULL);
	CHECK(strstr(a, "<h3 id=\"s3\">Not in the contents</h3>") != NULL);
	CHECK(strstr(a, "<h1 id=\"s4\">Three</h1>") != NULL);
	CHECK(strstr(a, "<li><a href=\"#s1\">One &amp; two</a>\n<ul>\n"
	    "<li><a href=\"#s2\">Sub</a></li>\n</ul></li>\n"
	    "<li><a href=\"#s4\">Three</a></li>\n</ul>\n</nav>") != NULL);
	CHECK_INT_EQ(count(a, "href=\"#s3\""), 0);
	/* two bullets in one list, closed before the next heading; the mark as is */
	CHECK(strstr(a, "<ul>\n<li>first</li>\n<li>second &lt;b&gt;<br><b>\xE2\x9F\xA6"
	    "cut\xE2\x9F\xA7</b></li>\n</ul>\n<h2") != NULL);
	CHECK(strstr(a, "<footer>foot</footer>\n</main>\n</body>\n</html>\n") != NULL);
	/* nothing external */
	CHECK(strstr(a, "<script") == NULL && strstr(a, "src=") == NULL &&
	    strstr(a, "url(") == NULL && strstr(a, "@import") == NULL);
done:
	free(a);
	free(b);
}
