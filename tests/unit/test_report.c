/* test_report.c — the report object: envelope checks, schemas, verdict, rendering. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/report.h>

#include "report_impl.h"
#include "runner.h"

static cJSON *
parse(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	if (j == NULL)
		aud_test_fail(__FILE__, __LINE__, "bad test JSON: %s", text);
	return j;
}

static int
classify(enum aud_report_kind *k, const char *text, struct aud_error *err)
{
	cJSON *j = parse(text);
	int rc = aud_report_classify(k, j, "doc.json", err);

	cJSON_Delete(j);
	return rc;
}

void
test_report__classify_schemas(void)
{
	enum aud_report_kind k;

	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.fairness/1\",\"results\":{}}", NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_FAIRNESS);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.robust/1\",\"results\":{}}", NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_ROBUSTNESS);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.explain/1\",\"results\":{},"
	    "\"checks\":[],\"warnings\":[]}", NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_EXPLANATION);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.mitigate/1\",\"results\":{}}", NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_MITIGATION);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.mitigate/2\",\"results\":{}}", NULL),
	    AUD_EPARSE);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.data-profile/1\",\"results\":{}}", NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_DATA_PROFILE);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.data-check/1\",\"results\":{}}", NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_DATA_CHECK);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.drift/1\",\"results\":{}}", NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_DRIFT);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.data/1\",\"results\":{}}", NULL),
	    AUD_EPARSE);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.slice/1\",\"results\":{}}", NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_SLICE);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.fairness-multiclass/1\",\"results\":{}}",
	    NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_FAIRNESS_MULTICLASS);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.fairness-regression/1\",\"results\":{}}",
	    NULL), 0);
	CHECK_INT_EQ(k, AUD_REPORT_FAIRNESS_REGRESSION);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.slice/2\",\"results\":{}}", NULL),
	    AUD_EPARSE);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.fairness-binary/1\",\"results\":{}}",
	    NULL), AUD_EPARSE);
}

void
test_report__classify_errors(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	enum aud_report_kind k;

	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.fairness/2\",\"results\":{}}", &err),
	    AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "doc.json: unknown schema 'audit.fairness/2' (expected "
	    "audit.fairness/1, audit.fairness-multiclass/1, audit.fairness-regression/1, "
	    "audit.robust/1, audit.explain/1, audit.mitigate/1, audit.data-profile/1, "
	    "audit.data-check/1, audit.drift/1 or audit.slice/1)");
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.fairnes/1\",\"results\":{}}", &err),
	    AUD_EPARSE);
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.fairness\",\"results\":{}}", &err),
	    AUD_EPARSE);
	CHECK_INT_EQ(classify(&k, "[1,2]", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "doc.json: not a rai-audit result: expected a JSON object");
	CHECK_INT_EQ(classify(&k, "{\"results\":{}}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "doc.json: not a rai-audit result: no 'schema' string");
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.robust/1\",\"results\":[]}", &err),
	    AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "doc.json: not a rai-audit result: no 'results' object");
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.robust/1\",\"results\":{},"
	    "\"checks\":{}}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "doc.json: 'checks' is not an array");
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.robust/1\",\"results\":{},"
	    "\"checks\":[1]}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "doc.json: an entry of 'checks' is not an object");
	CHECK_INT_EQ(classify(&k, "{\"schema\":\"audit.robust/1\",\"results\":{},"
	    "\"warnings\":\"x\"}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "doc.json: 'warnings' is not an array");
}

void
test_report__paper(void)
{
	struct aud_error err = AUD_ERROR_INIT;
	enum aud_paper p = AUD_PAPER_A4;

	CHECK_INT_EQ(aud_paper_parse(&p, "letter", &err), 0);
	CHECK_INT_EQ(p, AUD_PAPER_LETTER);
	CHECK_INT_EQ(aud_paper_parse(&p, "A4", &err), 0);
	CHECK_INT_EQ(p, AUD_PAPER_A4);
	CHECK_INT_EQ(aud_paper_parse(&p, "a5", &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "unknown paper size 'a5' (a4 or letter)");
}

static const char *const fair_doc =
	"{\"tool\":\"audit-fair\",\"schema\":\"audit.fairness/1\",\"results\":{"
	"\"positive\":\"1\",\"overall\":{\"count\":10,\"selection_rate\":0.5},"
	"\"attributes\":[{\"attribute\":\"sex\",\"reference\":\"m\","
	"\"summary\":{\"demographic_parity_ratio\":0.5},"
	"\"groups\":[{\"group\":\"m\",\"count\":6,\"metrics\":{\"selection_rate\":0.6667},"
	"\"ci\":{\"selection_rate\":[0.3,0.9]},\"disparity\":{\"selection_rate\":"
	"{\"ratio\":1,\"difference\":0}},\"small\":true},"
	"{\"group\":\"f\",\"count\":4,\"metrics\":{\"selection_rate\":0.25,\"tpr\":null},"
	"\"disparity\":{\"selection_rate\":{\"ratio\":0.375,\"difference\":-0.4167}},"
	"\"small\":true}]}]},"
	"\"checks\":[{\"id\":\"a\",\"metric\":\"demographic_parity_ratio\",\"value\":0.5,"
	"\"op\":\">=\",\"threshold\":0.8,\"status\":\"fail\",\"attribute\":\"sex\"},"
	"{\"id\":\"b\",\"status\":\"pass\"},{\"id\":\"c\",\"status\":\"undefined\"},"
	"{\"id\":\"d\",\"status\":\"pass\"}]}";

void
test_report__verdict_and_render(void)
{
	struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report_verdict v;
	struct aud_report *r = NULL;
	unsigned char *pdf = NULL, *pdf2 = NULL;
	size_t len = 0, len2 = 0;

	o.created = 1767225600;
	CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
	/* nothing to report on */
	CHECK_INT_EQ(aud_report_render(&pdf, &len, r, &err), AUD_EINVAL);
	CHECK_STR_EQ(err.msg, "no result document to report on");
	CHECK(pdf == NULL);
	CHECK_INT_EQ(aud_report_add(r, "f.json", parse(fair_doc), &err), 0);
	/* a refused document is freed by add (ASan checks) and not counted */
	CHECK_INT_EQ(aud_report_add(r, "x.json", parse("{\"schema\":\"x/1\"}"), &err),
	    AUD_EPARSE);
	CHECK_INT_EQ(aud_report_count(r), 1);
	aud_report_verdict(&v, r);
	CHECK_INT_EQ(v.fail, 1);
	CHECK_INT_EQ(v.pass, 2);
	CHECK_INT_EQ(v.undefined, 1);
	if (aud_report_render(&pdf, &len, r, &err) < 0 && err.code == AUD_EIO) {
		aud_test_skip("DejaVu fonts not installed");
		aud_report_free(r);
		return;
	}
	CHECK(pdf != NULL && len > 1000 && memcmp(pdf, "%PDF-1.", 7) == 0);
	CHECK_INT_EQ(aud_report_render(&pdf2, &len2, r, &err), 0);
	CHECK(len == len2 && memcmp(pdf, pdf2, len) == 0);
	free(pdf);
	free(pdf2);
	aud_report_free(r);
}

void
test_report__missing_font(void)
{
	struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report *r = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;

	o.font = "/nonexistent.ttf";
	CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
	CHECK_INT_EQ(aud_report_add(r, "f.json", parse(fair_doc), &err), 0);
	CHECK_INT_EQ(aud_report_render(&pdf, &len, r, &err), AUD_EIO);
	CHECK_STR_EQ(err.msg, "font file '/nonexistent.ttf' cannot be read");
	CHECK(pdf == NULL && len == 0);
	aud_report_free(r);
}

void
test_report__model_card_errors(void)
{
	struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report *r = NULL;
	char path[] = "/tmp/test_report_cardXXXXXX";
	FILE *f;
	int fd;

	CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
	CHECK_INT_EQ(aud_report_set_model_card(r, "/nonexistent/card.json", &err), AUD_EIO);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("[\"not\", \"an object\"]", f);
	fclose(f);
	CHECK_INT_EQ(aud_report_set_model_card(r, path, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, "a model card must be a JSON object") != NULL);
	f = fopen(path, "w");
	fputs("{\"intended_use\": \"x\",\n \"factors\": [1,}", f);
	fclose(f);
	CHECK_INT_EQ(aud_report_set_model_card(r, path, &err), AUD_EPARSE);
	CHECK(strstr(err.msg, ":2:") != NULL);    /* file:line:column */
	remove(path);
	aud_report_free(r);
}

void
test_report__json_helpers(void)
{
	cJSON *j = parse("{\"a\":{\"b\":[0.25,0.75],\"s\":\"x\",\"n\":null,\"t\":true},"
	    "\"l\":[1,\"two\",false]}");
	char buf[64];
	double lo, hi;

	CHECK_STR_EQ(aud_json_str(aud_json_path(j, "a"), "s"), "x");
	CHECK(aud_json_path(j, "a.b.c") == NULL);
	CHECK(isnan(aud_json_num(aud_json_get(j, "a"), "n")));
	CHECK(isnan(aud_json_num(aud_json_get(j, "a"), "s")));
	CHECK_INT_EQ(aud_json_bool(aud_json_get(j, "a"), "t"), 1);
	aud_json_ci(aud_json_path(j, "a.b"), &lo, &hi);
	CHECK_DBL_EQ(lo, 0.25);
	CHECK_DBL_EQ(hi, 0.75);
	aud_json_ci(aud_json_get(j, "l"), &lo, &hi);
	CHECK(isnan(lo) && isnan(hi));
	aud_json_text(buf, sizeof(buf), aud_json_get(j, "l"));
	CHECK_STR_EQ(buf, "1, two, false");
	aud__fmt_value(buf, sizeof(buf), 0.78431372549019607);
	CHECK_STR_EQ(buf, "0.7843");
	aud__fmt_value(buf, sizeof(buf), 3760);
	CHECK_STR_EQ(buf, "3760");
	aud__fmt_value(buf, sizeof(buf), 1.1e-9);
	CHECK_STR_EQ(buf, "1.1e-09");
	aud__fmt_value(buf, sizeof(buf), NAN);
	CHECK_STR_EQ(buf, "undefined");
	aud__fmt_rate(buf, sizeof(buf), 0.5812);
	CHECK_STR_EQ(buf, "0.581");
	CHECK_STR_EQ(aud__metric_name("fpr"), "false positive rate (separation / equalized odds)");
	CHECK(aud__metric_name("no_such_metric") == NULL);
	cJSON_Delete(j);
}

static int
check_card(const char *text, struct aud_error *err)
{
	cJSON *j = parse(text);
	int rc = aud_report_check_card(j, "card.json", err);

	cJSON_Delete(j);
	return rc;
}

/* A model card of the wrong shape is refused, naming the key and what was expected. */
void
test_report__model_card_shape(void)
{
	struct aud_error err = AUD_ERROR_INIT;

	CHECK_INT_EQ(check_card("{\"model_details\":{\"name\":\"m\",\"version\":1,"
	    "\"inputs\":[\"a\",\"b\"]},\"intended_use\":\"x\",\"factors\":[\"a\",{\"b\":true}],"
	    "\"extra\":\"other sections are allowed\"}", &err), 0);
	CHECK_INT_EQ(check_card("42", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: a model card must be a JSON object, not a number");
	CHECK_INT_EQ(check_card("{\"name\":\"m\",\"purpose\":\"x\"}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: model card: none of its keys is a section of a model "
	    "card (model_details, intended_use, factors, metrics, evaluation_data, "
	    "training_data, quantitative_analyses, ethical_considerations, "
	    "caveats_and_recommendations)");
	CHECK_INT_EQ(check_card("{\"model_details\":{},\"intended_use\":42}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: model card: 'intended_use' is a number, expected a "
	    "string, a list or an object");
	CHECK_INT_EQ(check_card("{\"model_details\":{\"name\":{\"first\":\"m\"}}}", &err),
	    AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: model card: 'model_details.name' is an object, "
	    "expected a string");
	CHECK_INT_EQ(check_card("{\"factors\":{\"relevant\":[\"a\",null]}}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: model card: 'factors.relevant[1]' is null, expected "
	    "a string, a number, a boolean or an object");
	CHECK_INT_EQ(check_card("{\"metrics\":[[\"a\"]]}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: model card: 'metrics[0]' is a list, expected a "
	    "string, a number, a boolean or an object");
	CHECK_INT_EQ(check_card("{\"metrics\":{\"a\":null}}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: model card: 'metrics.a' is null, expected a string, "
	    "a number, a boolean, a list or an object");
	CHECK_INT_EQ(check_card("{\"metrics\":{\"a\":{\"b\":{\"c\":{\"d\":\"e\"}}}}}", &err),
	    AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: model card: 'metrics.a.b.c.d' is nested deeper than "
	    "4 levels");
	CHECK_INT_EQ(check_card("{\"caveats_and_recommendations\":true}", &err), AUD_EPARSE);
	CHECK_STR_EQ(err.msg, "card.json: model card: 'caveats_and_recommendations' is a "
	    "boolean, expected a string, a list or an object");
}

/* Long strings are drawn (cut with a mark), never a libharu error; characters
 * the font cannot draw give one warning naming the first text. */
void
test_report__hostile_strings(void)
{
	struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report *r = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0, i;
	char *title = malloc(70001);
	int rc;

	CHECK(title != NULL);
	if (title == NULL)
		return;
	for (i = 0; i < 70000; i++)
		title[i] = 'T';
	title[70000] = '\0';
	o.title = title;
	o.created = 1767225600;
	CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
	CHECK_INT_EQ(aud_report_add(r, "f.json", parse(fair_doc), &err), 0);
	rc = aud_report_render(&pdf, &len, r, &err);
	if (rc < 0 && (err.code == AUD_EIO || err.code == AUD_ENOTFOUND)) {
		aud_test_skip("DejaVu fonts not installed");
		goto done;
	}
	CHECK_INT_EQ(rc, 0);
	CHECK(pdf != NULL && len > 1000);
	CHECK(aud_report_warning(r) == NULL);
	free(pdf);
	pdf = NULL;
	aud_report_free(r);
	r = NULL;
	/* private use (U+E000): no installed font draws it as itself */
	o.title = "Audit \xEE\x80\x80\x01";
	CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
	CHECK_INT_EQ(aud_report_add(r, "f.json", parse(fair_doc), &err), 0);
	CHECK_INT_EQ(aud_report_render(&pdf, &len, r, &err), 0);
	CHECK_STR_EQ(aud_report_warning(r), "no installed font draws some characters faithfully: "
	    "they are drawn as placeholders, the first \xE2\x9F\xA6U+E000\xE2\x9F\xA7 in 'Audit "
	    "\xEE\x80\x80\\x01'");
done:
	free(pdf);
	aud_report_free(r);
	free(title);
}

/* The report fuzzer's seeds of hostile shapes (tests/fuzz/corpus/report):
 * each, as a document and as a model card, is drawn or refused as bad
 * input, never an internal error. */
void
test_report__fuzz_seeds(void)
{
	const char *dir = "tests/fuzz/corpus/report";
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	int n = 0;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
		struct aud_error err = AUD_ERROR_INIT;
		struct aud_report *r = NULL;
		unsigned char *pdf = NULL;
		size_t len = 0;
		int rc;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
		rc = aud_report_add_file(r, path, &err);
		if (rc == 0) {
			rc = aud_report_render(&pdf, &len, r, &err);
			if (rc == AUD_EIO)
				rc = 0;  /* no fonts: the render test says so */
			CHECK_INT_EQ(rc, 0);
			free(pdf);
		} else {
			CHECK_INT_EQ(rc, AUD_EPARSE);
		}
		rc = aud_report_set_model_card(r, path, &err);
		CHECK(rc == 0 || rc == AUD_EPARSE);
		if (rc == AUD_EPARSE)
			CHECK(strncmp(err.msg, path, strlen(path)) == 0);
		aud_report_free(r);
		n++;
	}
	closedir(d);
	CHECK(n >= 9);
}
