/* test_json.c — the envelope and the JSON reader. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <audit/cli.h>
#include <audit/json.h>

#include "runner.h"

void
test_json__envelope_keys(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_input_info in = { "x.csv", 12, "abc" };
	cJSON *doc = NULL;
	char *text;

	CHECK_INT_EQ(aud_envelope_new(&doc, "audit-fair", "audit.fairness/1", 0, &in, &err), 0);
	if (doc == NULL)
		return;
	CHECK(aud_json_add_number(aud_envelope_results(doc), "undefined", NAN) != NULL);
	CHECK(aud_json_add_number(aud_envelope_results(doc), "x", 0.1) != NULL);
	CHECK_INT_EQ(aud_envelope_warn(doc, &err, "group '%s' is small", "Asian"), 0);
	text = cJSON_PrintUnformatted(doc);
	CHECK_STR_EQ(text,
	    "{\"tool\":\"audit-fair\",\"version\":\"" AUD_VERSION "\",\"schema\":\"audit.fairness/1\","
	    "\"created\":\"1970-01-01T00:00:00Z\",\"input\":{\"path\":\"x.csv\",\"rows\":12,\"sha256\":\"abc\"},"
	    "\"params\":{},\"results\":{\"undefined\":null,\"x\":0.1},\"checks\":[],"
	    "\"warnings\":[\"group 'Asian' is small\"]}");
	cJSON_free(text);
	cJSON_Delete(doc);
}

void
test_json__numbers_round_trip(void)
{
	static const double xs[] = { 0.1, 1.0 / 3.0, 0.44572261827608556, 1e-300, 6172 };
	cJSON *a = cJSON_CreateArray(), *back;
	char *text;
	size_t i;

	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		cJSON_AddItemToArray(a, aud_json_number(xs[i]));
	text = cJSON_PrintUnformatted(a);
	back = cJSON_Parse(text);
	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		CHECK_DBL_EQ(cJSON_GetArrayItem(back, (int)i)->valuedouble, xs[i]);
	cJSON_free(text);
	cJSON_Delete(a);
	cJSON_Delete(back);
}

void
test_json__parse_errors_have_positions(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *doc = NULL;
	const char *bad = "{\n  \"a\": [1, 2,,]\n}";
	char deep[1000];
	size_t i;

	CHECK_INT_EQ(aud_json_parse(&doc, "p.json", bad, strlen(bad), &err), AUD_EPARSE);
	CHECK(doc == NULL);
	CHECK(strncmp(err.msg, "p.json:2:", 9) == 0);
	CHECK(strstr(err.msg, "malformed JSON") != NULL);
	CHECK_INT_EQ(aud_json_parse(&doc, "p.json", "[1] x", 5, &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "p.json:1:5: unexpected text after the JSON document");
	for (i = 0; i < sizeof(deep); i++)
		deep[i] = '[';
	CHECK_INT_EQ(aud_json_parse(&doc, "d.json", deep, sizeof(deep), &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "nested deeper than") != NULL);
	/* an escaped NUL would end the string early in cJSON: refused, with its position */
	{
		const char *nul = "{\"schema\": \"audit.fairness/1\\u0000x\"}";
		const char *lit = "[\"a\\\\u0000\"]";  /* a backslash, then the text u0000 */

		CHECK_INT_EQ(aud_json_parse(&doc, "n.json", nul, strlen(nul), &err), AUD_EPARSE);
		CHECK(doc == NULL);
		CHECK_STR_EQ(err.msg, "n.json:1:29: a NUL character ('\\u0000') in a JSON string");
		CHECK_INT_EQ(aud_json_parse(&doc, "l.json", lit, strlen(lit), &err), 0);
		CHECK_STR_EQ(cJSON_GetArrayItem(doc, 0)->valuestring, "a\\u0000");
		cJSON_Delete(doc);
		doc = NULL;
	}
	CHECK_INT_EQ(aud_json_parse(&doc, "ok.json", " [\"a]\", {}] ", 12, &err), 0);
	CHECK(cJSON_IsArray(doc));
	cJSON_Delete(doc);
}

void
test_json__read_file_errors(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	cJSON *doc = NULL;

	CHECK_INT_EQ(aud_json_read_file(&doc, "/nonexistent.json", &err), AUD_EIO);
	CHECK_STR_EQ(err.msg, "cannot open '/nonexistent.json': No such file or directory");
	{
		char path[] = "/tmp/aud-empty-XXXXXX";
		int fd = mkstemp(path);
		char want[128];

		CHECK(fd >= 0);
		if (fd < 0)
			return;
		close(fd);
		snprintf(want, sizeof(want), "%s:1:1: empty file, expected JSON", path);
		CHECK_INT_EQ(aud_json_read_file(&doc, path, &err), AUD_EPARSE);
		CHECK_STR_EQ(err.msg, want);
		unlink(path);
	}
}

void
test_json__getters(void)
{
	static const char text[] = "{\"a\": {\"n\": 2.5, \"z\": null, \"s\": \"x|y\", \"t\": true,"
	    " \"f\": 1, \"ci\": [0.25, 0.75], \"bad\": [1], \"arr\": [{\"k\": 7}, {\"k\": 8}],"
	    " \"mix\": [1, \"two\", null]}}";
	cJSON *doc = cJSON_Parse(text);
	const cJSON *a = aud_json_get(doc, "a");
	double lo = 0, hi = 0;
	char buf[64];

	CHECK(doc != NULL && a != NULL);
	CHECK_REL(aud_json_num(a, "n"), 2.5, 0);
	CHECK(isnan(aud_json_num(a, "z")));        /* null */
	CHECK(isnan(aud_json_num(a, "absent")));
	CHECK(isnan(aud_json_num(a, "s")));        /* another type */
	CHECK(isnan(aud_json_num(NULL, "n")));
	CHECK_STR_EQ(aud_json_str(a, "s"), "x|y");
	CHECK(aud_json_str(a, "n") == NULL);
	CHECK_INT_EQ(aud_json_bool(a, "t"), 1);
	CHECK_INT_EQ(aud_json_bool(a, "f"), 0);   /* 1 is not true */
	CHECK(aud_json_get(aud_json_get(a, "arr"), "k") == NULL);  /* an array has no members */
	/* a dotted path; digits index an array */
	CHECK_REL(aud_json_num(aud_json_path(doc, "a.arr.1"), "k"), 8, 0);
	CHECK_REL(aud_json_path(doc, "a.arr.0.k")->valuedouble, 7, 0);
	CHECK(aud_json_path(doc, "a.arr.2.k") == NULL);
	CHECK(aud_json_path(doc, "a.n.x") == NULL);
	CHECK(aud_json_path(doc, "a") == a);
	aud_json_ci(aud_json_get(a, "ci"), &lo, &hi);
	CHECK_REL(lo, 0.25, 0);
	CHECK_REL(hi, 0.75, 0);
	aud_json_ci(aud_json_get(a, "bad"), &lo, &hi);
	CHECK(isnan(lo) && isnan(hi));
	aud_json_text(buf, sizeof(buf), aud_json_get(a, "mix"));
	CHECK_STR_EQ(buf, "1, two, null");
	aud_json_text(buf, sizeof(buf), aud_json_get(a, "n"));
	CHECK_STR_EQ(buf, "2.5");
	/* cut between characters: "é" is two bytes and is not split */
	{
		cJSON *s = cJSON_CreateString("abcd\xc3\xa9xyz");

		aud_json_text(buf, 9, s);
		CHECK_STR_EQ(buf, "abcd\xE2\x80\xA6");
		cJSON_Delete(s);
	}
	cJSON_Delete(doc);
}

/* Print doc with aud_json_write() and parse it back (caller deletes). */
static cJSON *
round_trip(const cJSON *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cJSON *back;

	if (f == NULL)
		return NULL;
	CHECK_INT_EQ(aud_json_write(doc, f, NULL), 0);
	fclose(f);
	back = cJSON_Parse(buf);
	free(buf);
	return back;
}

void
test_json__numbers_exact(void)
{
	/* 7/17 and 0.1 + 0.2: their 15 digits read back within one epsilon, not exactly */
	double x[] = { 7.0 / 17.0, 0.1 + 0.2, 1.0 / 3.0, 0.5, 1e-300, 123456789.0, -2.0 / 3.0 };
	size_t i, n = sizeof(x) / sizeof(x[0]);
	cJSON *doc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(doc, "a"), *back;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(x[i]));
	cJSON_AddNumberToObject(doc, "seventeenth", 7.0 / 17.0);
	back = round_trip(doc);
	CHECK(back != NULL);
	for (i = 0; back != NULL && i < n; i++)
		CHECK(aud_json_path(back, "a") != NULL &&
		    cJSON_GetArrayItem(aud_json_path(back, "a"), (int)i)->valuedouble == x[i]);
	/* a member keeps its name */
	CHECK(aud_json_num(back, "seventeenth") == 7.0 / 17.0);
	/* the document written is not changed */
	CHECK(cJSON_IsNumber(cJSON_GetArrayItem(arr, 0)));
	cJSON_Delete(back);
	cJSON_Delete(doc);
}
