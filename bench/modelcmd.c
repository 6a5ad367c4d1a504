/*
 * modelcmd — benchmark driver for models served by a command: builds ROWS rows
 * of NCOLS numeric columns in memory (column c0 constant 0.5, the others
 * short decimals such as 34.2 when KIND is "short", high-entropy doubles when
 * it is "entropy"), scores them through COMMAND in blocks of BATCH rows, and
 * prints rows, seconds, nanoseconds per row and the sum of the scores (so the
 * work cannot be skipped). PROTOCOL (default batch) is --model-protocol's;
 * CALLS (default 1) splits the rows into that many predictions of equal
 * size, one after the other (Kernel SHAP's pattern: many small calls). The
 * time runs from the first call to the end of aud_model_free(), so the
 * long-lived protocols pay their processes' start and end.
 *
 * usage: modelcmd ROWS NCOLS BATCH KIND COMMAND [PROTOCOL [CALLS]]
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
	size_t rows, ncols, i, j, calls = 1, per, c;
	int status = 1, entropy;

	if (argc < 6 || argc > 8 ||
	    (strcmp(argv[4], "short") != 0 && strcmp(argv[4], "entropy") != 0)) {
		fprintf(stderr, "usage: modelcmd ROWS NCOLS BATCH short|entropy COMMAND "
		    "[batch|stream|binary [CALLS]]\n");
		return 2;
	}
	if (argc > 6) {
		for (i = 0; aud_modelcmd_protocol_names[i] != NULL; i++)
			if (strcmp(argv[6], aud_modelcmd_protocol_names[i]) == 0)
				o.protocol = (enum aud_modelcmd_protocol)i;
		if (aud_modelcmd_protocol_names[o.protocol] == NULL ||
		    strcmp(argv[6], aud_modelcmd_protocol_names[o.protocol]) != 0) {
			fprintf(stderr, "modelcmd: unknown protocol '%s'\n", argv[6]);
			return 2;
		}
	}
	if (argc > 7)
		calls = strtoul(argv[7], NULL, 10);
	entropy = strcmp(argv[4], "entropy") == 0;
	rows = strtoul(argv[1], NULL, 10);
	ncols = strtoul(argv[2], NULL, 10);
	o.batch_size = strtoul(argv[3], NULL, 10);
	if (rows == 0 || ncols == 0 || calls == 0 || rows % calls != 0) {
		fprintf(stderr, "modelcmd: ROWS and NCOLS must be positive, CALLS must divide ROWS\n");
		return 2;
	}
	per = rows / calls;
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
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* call c scores rows [c * per, (c + 1) * per): the batch's first rows
	 * moved into place (they are all built already) */
	for (c = 0; c < calls; c++) {
		if (c > 0)
			for (j = 0; j < ncols; j++)
				memmove(b->cols[j].num, b->cols[j].num + per, (rows - c * per) *
				    sizeof(double));
		b->nrows = per;
		if (aud_model_predict(m, b, score + c * per, NULL, &err) < 0) {
			fprintf(stderr, "modelcmd: %s\n", err.msg);
			goto done;
		}
	}
	aud_model_free(m);
	m = NULL;
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
