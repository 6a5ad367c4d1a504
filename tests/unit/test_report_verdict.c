/* test_report_verdict.c — the report's verdict counts requested checks only;
 * the small groups that decide a check are named with n and the interval. */
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

/* Two attributes as audit-fair writes them: 'sex' with a small group 'f'
 * (n = 4: 1 of 4 selected, Wilson interval [0.0456, 0.6994]), 'age' with
 * large groups only. */
static const char *const doc_text =
	"{\"tool\":\"audit-fair\",\"schema\":\"audit.fairness/1\",\"results\":{"
	"\"positive\":\"1\",\"attributes\":["
	"{\"attribute\":\"sex\",\"reference\":\"m\",\"groups\":["
	"{\"group\":\"m\",\"count\":60,\"metrics\":{\"selection_rate\":0.5,\"tpr\":0.7,"
	"\"fpr\":0.3},\"ci\":{\"selection_rate\":[0.38,0.62]},\"small\":false},"
	"{\"group\":\"f\",\"count\":4,\"metrics\":{\"selection_rate\":0.25,\"tpr\":0.5,"
	"\"fpr\":0},\"ci\":{\"selection_rate\":[0.0456,0.6994],\"fpr\":[0,0.7935]},"
	"\"small\":true}]},"
	"{\"attribute\":\"age\",\"reference\":\"old\",\"groups\":["
	"{\"group\":\"old\",\"count\":40,\"metrics\":{\"selection_rate\":0.5},\"small\":false},"
	"{\"group\":\"young\",\"count\":30,\"metrics\":{\"selection_rate\":0.4},"
	"\"small\":false}]}]},"
	"\"checks\":["
	"{\"id\":\"dp\",\"metric\":\"demographic_parity_ratio\",\"value\":0.5,\"op\":\">=\","
	"\"threshold\":0.8,\"status\":\"fail\",\"attribute\":\"sex\",\"requested\":true},"
	"{\"id\":\"dp\",\"metric\":\"demographic_parity_ratio\",\"value\":0.8,\"op\":\">=\","
	"\"threshold\":0.8,\"status\":\"pass\",\"attribute\":\"age\",\"requested\":true},"
	"{\"id\":\"four_fifths_rule\",\"metric\":\"favorable_rate_ratio_to_highest\","
	"\"value\":0.5,\"op\":\">=\",\"threshold\":0.8,\"status\":\"fail\","
	"\"attribute\":\"sex\",\"group\":\"f\",\"requested\":false},"
	"{\"id\":\"four_fifths_rule\",\"metric\":\"favorable_rate_ratio_to_highest\","
	"\"value\":0.8,\"op\":\">=\",\"threshold\":0.8,\"status\":\"pass\","
	"\"attribute\":\"age\",\"group\":\"young\",\"requested\":false}]}";

/* The four-fifths entries ("requested": false) are counted apart and never
 * make the verdict; an entry without the key (older documents, other tools)
 * is a requested check. */
void
test_report_verdict__requested_only(void)
{
	struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report_verdict v;
	struct aud_report *r = NULL;

	CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
	CHECK_INT_EQ(aud_report_add(r, "f.json", parse(doc_text), &err), 0);
	aud_report_verdict(&v, r);
	CHECK_INT_EQ(v.fail, 1);
	CHECK_INT_EQ(v.pass, 1);
	CHECK_INT_EQ(v.undefined, 0);
	CHECK_INT_EQ(v.reported, 2);
	CHECK_INT_EQ(v.reported_fail, 1);
	/* a robustness document whose check has no "requested" key: requested */
	CHECK_INT_EQ(aud_report_add(r, "r.json", parse("{\"schema\":\"audit.robust/1\","
	    "\"results\":{},\"checks\":[{\"id\":\"x\",\"status\":\"undefined\"}]}"), &err), 0);
	aud_report_verdict(&v, r);
	CHECK_INT_EQ(v.fail, 1);
	CHECK_INT_EQ(v.undefined, 1);
	CHECK_INT_EQ(v.reported, 2);
	aud_report_free(r);
}

/* Without any requested check (audit-fair run without --check: only the
 * four-fifths entries, two of them failing) nothing counts toward a verdict. */
void
test_report_verdict__no_requested_check(void)
{
	struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report_verdict v;
	struct aud_report *r = NULL;

	CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
	CHECK_INT_EQ(aud_report_add(r, "f.json", parse("{\"schema\":\"audit.fairness/1\","
	    "\"results\":{},\"checks\":[{\"id\":\"four_fifths_rule\",\"status\":\"fail\","
	    "\"requested\":false},{\"id\":\"four_fifths_rule\",\"status\":\"fail\","
	    "\"requested\":false}]}"), &err), 0);
	aud_report_verdict(&v, r);
	CHECK_INT_EQ(v.pass + v.fail + v.undefined, 0);
	CHECK_INT_EQ(v.reported, 2);
	CHECK_INT_EQ(v.reported_fail, 2);
	aud_report_free(r);
}

void
test_report_verdict__small_note(void)
{
	cJSON *doc = parse(doc_text);
	const cJSON *ck = aud_json_get(doc, "checks");
	char buf[512];

	/* demographic parity on 'sex': the lowest selection rate is the small 'f' */
	aud__check_small_note(buf, sizeof(buf), doc, cJSON_GetArrayItem(ck, 0));
	CHECK_STR_EQ(buf, "'f': n = 4, small, selection_rate interval [0.0456, 0.6994]");
	/* 'age': no small group, no note */
	aud__check_small_note(buf, sizeof(buf), doc, cJSON_GetArrayItem(ck, 1));
	CHECK_STR_EQ(buf, "");
	/* the four-fifths entry names its group; its interval is of favorable_rate,
	 * which this document does not carry */
	aud__check_small_note(buf, sizeof(buf), doc, cJSON_GetArrayItem(ck, 2));
	CHECK_STR_EQ(buf, "'f': n = 4, small");
	cJSON_Delete(doc);
}

/* Equalized odds compares TPR and FPR: the small group at the lowest FPR decides. */
void
test_report_verdict__small_note_equalized_odds(void)
{
	cJSON *doc = parse(doc_text);
	cJSON *ck = parse("{\"metric\":\"equalized_odds_difference\",\"attribute\":\"sex\"}");
	char buf[512];

	aud__check_small_note(buf, sizeof(buf), doc, ck);
	CHECK_STR_EQ(buf, "'f': n = 4, small");
	cJSON_Delete(ck);
	ck = parse("{\"metric\":\"disparity.fpr.ratio\",\"attribute\":\"sex\",\"group\":\"f\"}");
	aud__check_small_note(buf, sizeof(buf), doc, ck);
	CHECK_STR_EQ(buf, "'f': n = 4, small, fpr interval [0, 0.7935]");
	cJSON_Delete(ck);
	cJSON_Delete(doc);
}

/* Checks of audit-robust and audit-explain documents, as those tools write
 * them ("requested": true, the perturbation or feature named beside the
 * attribute and group): counted by the verdict like fairness ones, and the
 * checks table says where each applies. */
void
test_report_verdict__robust_explain_checks(void)
{
	struct aud_report_options o = AUD_REPORT_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_report_verdict v;
	struct aud_report *r = NULL;
	cJSON *rob, *exp;
	char buf[256];

	rob = parse("{\"tool\":\"audit-robust\",\"schema\":\"audit.robustness/1\","
	    "\"results\":{\"perturbations\":[]},\"checks\":["
	    "{\"id\":\"flip:sex.flip_rate == 0\",\"metric\":\"flip_rate\",\"value\":0.4,"
	    "\"op\":\"==\",\"threshold\":0,\"status\":\"fail\",\"perturbation\":\"flip:sex\","
	    "\"requested\":true},"
	    "{\"id\":\"flip:sex.by_group.flip_rate <= 0.5\",\"metric\":\"by_group.flip_rate\","
	    "\"value\":0.4,\"op\":\"<=\",\"threshold\":0.5,\"status\":\"pass\","
	    "\"attribute\":\"sex\",\"group\":\"F\",\"perturbation\":\"flip:sex\","
	    "\"requested\":true}]}");
	exp = parse("{\"tool\":\"audit-explain\",\"schema\":\"audit.explanation/1\","
	    "\"results\":{},\"checks\":["
	    "{\"id\":\"protected.share == 0\",\"metric\":\"protected.share\",\"value\":null,"
	    "\"op\":\"==\",\"threshold\":0,\"status\":\"undefined\",\"attribute\":\"sex\","
	    "\"requested\":true},"
	    "{\"id\":\"importance.mean_abs <= 2\",\"metric\":\"importance.mean_abs\","
	    "\"value\":2.4,\"op\":\"<=\",\"threshold\":2,\"status\":\"fail\","
	    "\"feature\":\"x\",\"requested\":true}]}");
	CHECK_INT_EQ(aud_report_new(&r, &o, &err), 0);
	CHECK_INT_EQ(aud_report_add(r, "r.json", rob, &err), 0);
	CHECK_INT_EQ(aud_report_add(r, "e.json", exp, &err), 0);
	aud_report_verdict(&v, r);
	CHECK_INT_EQ(v.fail, 2);
	CHECK_INT_EQ(v.pass, 1);
	CHECK_INT_EQ(v.undefined, 1);
	CHECK_INT_EQ(v.reported, 0);
	aud__check_where_cell(buf, sizeof(buf), cJSON_GetArrayItem(cJSON_GetObjectItem(rob, "checks"), 0));
	CHECK_STR_EQ(buf, "perturbation flip:sex");
	aud__check_where_cell(buf, sizeof(buf), cJSON_GetArrayItem(cJSON_GetObjectItem(rob, "checks"), 1));
	CHECK_STR_EQ(buf, "perturbation flip:sex\nsex / F");
	aud__check_where_cell(buf, sizeof(buf), cJSON_GetArrayItem(cJSON_GetObjectItem(exp, "checks"), 0));
	CHECK_STR_EQ(buf, "sex");
	aud__check_where_cell(buf, sizeof(buf), cJSON_GetArrayItem(cJSON_GetObjectItem(exp, "checks"), 1));
	CHECK_STR_EQ(buf, "feature x");
	aud_report_free(r);
}
