/*
 * report_words.c — numbers as sentences write them. See report_words.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_words.h"

void
aud__words_pct(char *buf, size_t size, double v)
{
	double x = v * 100, ax = fabs(x);

	if (isnan(v))
		snprintf(buf, size, "undefined");
	else if (x == 0)
		snprintf(buf, size, "0%%");
	else if (ax >= 10)
		snprintf(buf, size, "%.0f%%", x);
	else if (ax >= 1)
		snprintf(buf, size, "%.1f%%", x);
	else
		snprintf(buf, size, "%.2g%%", x);
}

void
aud__words_pct1(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "undefined");
	else
		snprintf(buf, size, "%.1f%%", v * 100);
}

const char *
aud__words_rate(const char *key)
{
	static const char *const names[][2] = {
		{ "selection_rate", "selection rate" }, { "tpr", "true positive rate" },
		{ "fpr", "false positive rate" }, { "fnr", "false negative rate" },
		{ "tnr", "true negative rate" }, { "ppv", "precision" },
		{ "for", "false omission rate" }, { "fdr", "false discovery rate" },
		{ "npv", "negative predictive value" }, { "accuracy", "accuracy" },
	};
	size_t i;

	for (i = 0; key != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], key) == 0)
			return names[i][1];
	return key != NULL ? key : "rate";
}

void
aud__words_pct_ci(char *buf, size_t size, double lo, double hi)
{
	char a[32], b[32];

	if (isnan(lo) || isnan(hi)) {
		if (size > 0)
			buf[0] = '\0';
		return;
	}
	aud__words_pct(a, sizeof(a), lo);
	aud__words_pct(b, sizeof(b), hi);
	snprintf(buf, size, " (95%% CI %s to %s)", a, b);
}

void
aud__words_num(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "undefined");
	else
		snprintf(buf, size, "%.3g", v);
}

void
aud__words_ci(char *buf, size_t size, double lo, double hi)
{
	char a[32], b[32];

	if (isnan(lo) || isnan(hi)) {
		if (size > 0)
			buf[0] = '\0';
		return;
	}
	aud__words_num(a, sizeof(a), lo);
	aud__words_num(b, sizeof(b), hi);
	snprintf(buf, size, " (95%% CI %s to %s)", a, b);
}
