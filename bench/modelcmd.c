/*
 * modelcmd — benchmark driver for models served by a command: builds ROWS rows
 * of NCOLS numeric columns in memory (column c0 constant 0.5, the others
 * short decimals such as 34.2 when KIND is "short", high-entropy doubles when
 * it is "entropy"), scores them through COMMAND in blocks of BATCH rows, and
 * prints rows, seconds, nanoseconds per row and the sum of the scores (so the
 * work cannot be skipped).
 *
 * usage: modelcmd ROWS NCOLS BATCH KIND COMMAND
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <audit/batch.h>
#include <audit/model.h>
#include <audit/modelcmd.h>

int
main(int argc, char **argv)
{
	struct aud_modelcmd_options o = AUD_MODELCMD_OPTIONS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_batch *b = NULL;
	struct aud_model *m = NULL;
	enum aud_col_kind *kinds = NULL;
	char **names = NULL;
	double *score = NULL, sum = 0, secs;
	struct timespec t0, t1;
	size_t rows, ncols, i, j;
	int status = 1, entropy;

	if (argc != 6 || (strcmp(argv[4], "short") != 0 && strcmp(argv[4], "entropy") != 0)) {
		fprintf(stderr, "usage: modelcmd ROWS NCOLS BATCH short|entropy COMMAND\n");
		return 2;
	}
	entropy = strcmp(argv[4], "entropy") == 0;
	rows = strtoul(argv[1], NULL, 10);
	ncols = strtoul(argv[2], NULL, 10);
	o.batch_size = strtoul(argv[3], NULL, 10);
	if (rows == 0 || ncols == 0) {
		fprintf(stderr, "modelcmd: ROWS and NCOLS must be positive\n");
		return 2;
	}
	names = calloc(ncols, sizeof(*names));
	kinds = calloc(ncols, sizeof(*kinds));
	score = malloc(rows * sizeof(*score));
	if (names == NULL || kinds == NULL || score == NULL)
		goto done;
	for (j = 0; j < ncols; j++) {
		names[j] = malloc(32);
		if (names[j] == NULL)
			goto done;
		snprintf(names[j], 32, "c%zu", j);
		kinds[j] = AUD_COL_NUMERIC;
	}
	if (aud_batch_new(&b, ncols, (const char *const *)names, kinds, rows, &err) < 0 ||
	    aud_modelcmd_new(&m, argv[5], ncols, (const char *const *)names, kinds, &o, &err) < 0) {
		fprintf(stderr, "modelcmd: %s\n", err.msg);
		goto done;
	}
	for (i = 0; i < rows; i++) {
		b->cols[0].num[i] = 0.5;
		for (j = 1; j < ncols; j++)
			b->cols[j].num[i] = entropy ?
			    (double)((i * 7919 + j * 104729) % 100003) / 977.0 + (double)j :
			    (double)((i * 7919 + j * 104729) % 100003) / (j % 2 ? 10.0 : 1000.0);
	}
	b->nrows = rows;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (aud_model_predict(m, b, score, NULL, &err) < 0) {
		fprintf(stderr, "modelcmd: %s\n", err.msg);
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 0; i < rows; i++)
		sum += score[i];
	printf("rows=%zu cols=%zu seconds=%.3f ns_per_row=%.1f sum=%.6g\n", rows, ncols,
	    secs, secs / (double)rows * 1e9, sum);
	status = 0;
done:
	aud_model_free(m);
	aud_batch_free(b);
	if (names != NULL)
		for (j = 0; j < ncols; j++)
			free(names[j]);
	free(names);
	free(kinds);
	free(score);
	return status;
}
