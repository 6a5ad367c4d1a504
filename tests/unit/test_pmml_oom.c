/*
 * test_pmml_oom.c — loading PMML when libxml2's allocations fail.
 *
 * libxml2's allocator is replaced (xmlMemSetup) by one that fails its n-th
 * call, for n = 1, 2, ... until a load no longer reaches the failure. Every
 * load must then either succeed or end in AUD_ENOMEM with one message, and
 * nothing may be printed on stderr (libxml2 prints its own "out of memory"
 * lines unless its errors are captured).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlmemory.h>

#include <audit/model.h>
#include <audit/pmml.h>

#include "runner.h"

static long fail_at = -1;   /* the allocation that fails (1-based); -1: none */
static long calls;
static int failed;

static int
fail_now(void)
{
	calls++;
	if (fail_at > 0 && calls >= fail_at) {
		failed = 1;
		return 1;
	}
	return 0;
}

static void *
t_malloc(size_t n)
{
	return fail_now() ? NULL : malloc(n);
}

static void *
t_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : realloc(p, n);
}

static char *
t_strdup(const char *s)
{
	return fail_now() ? NULL : strdup(s);
}

static const char doc[] =
    "<?xml version=\"1.0\"?>\n<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">"
    "<Header description=\"a model with some text to copy\"/>"
    "<DataDictionary><DataField name=\"x\" optype=\"continuous\" dataType=\"double\"/>"
    "<DataField name=\"c\" optype=\"categorical\" dataType=\"string\"><Value value=\"a\"/><Value value=\"b\"/></DataField>"
    "<DataField name=\"y\" optype=\"categorical\" dataType=\"string\"><Value value=\"0\"/><Value value=\"1\"/></DataField>"
    "</DataDictionary><RegressionModel functionName=\"classification\" normalizationMethod=\"logit\">"
    "<MiningSchema><MiningField name=\"x\"/><MiningField name=\"c\"/><MiningField name=\"y\" usageType=\"target\"/></MiningSchema>"
    "<RegressionTable intercept=\"-1\" targetCategory=\"1\"><NumericPredictor name=\"x\" coefficient=\"0.5\"/>"
    "<CategoricalPredictor name=\"c\" value=\"b\" coefficient=\"1\"/></RegressionTable>"
    "<RegressionTable intercept=\"0\" targetCategory=\"0\"/></RegressionModel></PMML>\n";

void
test_pmml_oom__libxml2_allocation_failures(void)
{
	xmlFreeFunc ofree;
	xmlMallocFunc omalloc;
	xmlReallocFunc orealloc;
	xmlStrdupFunc ostrdup;
	FILE *cap;
	int saved_err, n_nomem = 0, n_ok = 0, bad = 0;
	long n;
	char line[512];

	/* libxml2's own one-time set-up first, with the real allocator */
	{
		struct aud_model *m = NULL;
		struct aud_error err = AUD_ERROR_INIT;
		CHECK_INT_EQ(aud_pmml_load_mem(&m, "t.pmml", doc, strlen(doc), NULL, &err), 0);
		aud_model_free(m);
	}
	cap = tmpfile();
	CHECK(cap != NULL);
	if (cap == NULL)
		return;
	CHECK_INT_EQ(xmlMemGet(&ofree, &omalloc, &orealloc, &ostrdup), 0);
	fflush(stderr);
	saved_err = dup(2);
	dup2(fileno(cap), 2);
	CHECK_INT_EQ(xmlMemSetup(free, t_malloc, t_realloc, t_strdup), 0);
	for (n = 1; n < 100000; n++) {
		struct aud_model *m = NULL;
		struct aud_error err = AUD_ERROR_INIT;
		int rc;

		fail_at = n;
		calls = 0;
		failed = 0;
		rc = aud_pmml_load_mem(&m, "t.pmml", doc, strlen(doc), NULL, &err);
		fail_at = -1;
		aud_model_free(m);
		if (!failed) {
			/* the load no longer reaches the n-th allocation: done */
			if (rc != 0)
				bad++;
			break;
		}
		if (rc == 0)
			n_ok++;         /* a failure libxml2 recovered from */
		else if (rc == AUD_ENOMEM && strchr(err.msg, '\n') == NULL)
			n_nomem++;
		else if (bad++ == 0)
			fprintf(cap, "allocation %ld: code %d: %s\n", n, rc, err.msg);
	}
	xmlMemSetup(ofree, omalloc, orealloc, ostrdup);
	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	CHECK(n > 20);        /* the document needs many allocations */
	CHECK(n_nomem > 0);
	CHECK_INT_EQ(bad, 0);
	/* nothing printed: libxml2's messages were captured */
	rewind(cap);
	if (fgets(line, sizeof(line), cap) != NULL) {
		aud_test_fail(__FILE__, __LINE__, "stderr was written: %s", line);
	}
	fclose(cap);
}
