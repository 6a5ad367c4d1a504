/* test_metrics.c — the vocabulary table, and the man pages against it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/metrics.h>

#include "runner.h"

/* A file's whole text (caller frees), NULL when it cannot be read. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL) {
			buf[fread(buf, 1, (size_t)n, f)] = '\0';
		}
	}
	fclose(f);
	return buf;
}

static int
key_char(int c)
{
	return islower(c) || isdigit(c) || c == '_';
}

/* 1 when `word` occurs in text as a whole word (not inside a longer key). */
static int
has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = strstr(text, word); p != NULL; p = strstr(p + 1, word))
		if ((p == text || !key_char((unsigned char)p[-1])) && !key_char((unsigned char)p[n]))
			return 1;
	return 0;
}

void
test_metrics__table(void)
{
	size_t i, j, n = aud_metric_info_count();

	CHECK(n >= 30);
	for (i = 0; i < n; i++) {
		const struct aud_metric_info *m = aud_metric_info_at(i);

		CHECK(m->key != NULL && m->name != NULL && m->definition != NULL);
		CHECK(aud_metric_info_find(m->key) == m);   /* keys are unique */
		for (j = 0; m->key[j] != '\0'; j++)
			CHECK(key_char((unsigned char)m->key[j]));
		if (m->kind == AUD_METRIC_KIND_GROUP)
			CHECK(m->label != NULL);
	}
	CHECK(aud_metric_info_at(n) == NULL);
	CHECK(aud_metric_info_find("no_such_metric") == NULL);
	CHECK(aud_metric_info_find(NULL) == NULL);
	CHECK_STR_EQ(aud_metric_info_find("selection_rate")->label, "sel. rate");
	CHECK_STR_EQ(aud_metric_info_find("tpr")->library, "true_positive_rate");
	CHECK_STR_EQ(aud_metric_info_find("demographic_parity_ratio")->course,
	    "independence / demographic parity");
	CHECK_INT_EQ(aud_metric_info_find("flip_rate")->kind, AUD_METRIC_KIND_ROBUSTNESS);
}

/* Every fairness key is named in audit-fair's man page, every robustness key in audit-robust's. */
void
test_metrics__man_pages_name_every_key(void)
{
	char *fair = slurp("man/audit-fair.1"), *robust = slurp("man/audit-robust.1");
	size_t i;

	CHECK(fair != NULL && robust != NULL);
	for (i = 0; fair != NULL && robust != NULL && i < aud_metric_info_count(); i++) {
		const struct aud_metric_info *m = aud_metric_info_at(i);

		if (m->kind == AUD_METRIC_KIND_GROUP || m->kind == AUD_METRIC_KIND_SUMMARY) {
			if (!has_word(fair, m->key))
				aud_test_fail(__FILE__, __LINE__, "man/audit-fair.1 never names '%s'",
				    m->key);
		} else if (m->kind == AUD_METRIC_KIND_ROBUSTNESS && !has_word(robust, m->key)) {
			aud_test_fail(__FILE__, __LINE__, "man/audit-robust.1 never names '%s'", m->key);
		}
	}
	free(fair);
	free(robust);
}

/* Check one bold word of the man page's metric sections (JSON structure words aside). */
static void
check_bold(const char *w, size_t len, int *seen)
{
	static const char *const structure[] = {
		"metrics", "overall", "count", "weight", "confusion", "confusion_rows", "tp", "fp",
		"fn", "tn", "majority_class", "null", "summary", "small",
	};
	char word[64];
	size_t i;

	if (len == 0 || len >= sizeof(word))
		return;
	for (i = 0; i < len; i++)
		if (!key_char((unsigned char)w[i]))
			return;         /* an option or a phrase: not a key */
	memcpy(word, w, len);
	word[len] = '\0';
	for (i = 0; i < sizeof(structure) / sizeof(structure[0]); i++)
		if (strcmp(word, structure[i]) == 0)
			return;
	(*seen)++;
	if (aud_metric_info_find(word) == NULL)
		aud_test_fail(__FILE__, __LINE__, "man/audit-fair.1 names the metric '%s', which "
		    "the vocabulary lacks", word);
}

/*
 * The other way: in audit-fair's sections on metrics and summaries, every
 * key set in bold (".B key", ".BR key ...", "\fBkey\fR") is in the table.
 */
void
test_metrics__man_page_names_no_unknown_metric(void)
{
	char *text = slurp("man/audit-fair.1"), *line, *save = NULL;
	int in = 0, seen = 0;

	CHECK(text != NULL);
	if (text == NULL)
		return;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *p;

		if (strncmp(line, ".SS ", 4) == 0 || strncmp(line, ".SH ", 4) == 0) {
			in = strncmp(line, ".SS Metrics", 11) == 0 || strncmp(line, ".SS Summaries", 13) == 0;
			continue;
		}
		if (!in)
			continue;
		if (strncmp(line, ".B ", 3) == 0) {
			check_bold(line + 3, strcspn(line + 3, " \""), &seen);
		} else if (strncmp(line, ".BR ", 4) == 0) {
			/* alternating bold and roman: the 1st, 3rd, ... words are bold */
			int k = 0;

			for (p = line + 4; *p != '\0'; k++) {
				size_t l;

				if (*p == '"') {
					l = strcspn(p + 1, "\"");
					if (k % 2 == 0)
						check_bold(p + 1, l, &seen);
					p += l + 1 + (p[l + 1] == '"');
				} else {
					l = strcspn(p, " ");
					if (k % 2 == 0)
						check_bold(p, l, &seen);
					p += l;
				}
				while (*p == ' ')
					p++;
			}
		}
		for (p = strstr(line, "\\fB"); p != NULL; p = strstr(p + 3, "\\fB"))
			check_bold(p + 3, strcspn(p + 3, "\\"), &seen);
	}
	CHECK(seen >= 20);   /* the sections were found and read */
	free(text);
}
