/*
 * predict — benchmark driver for the PMML evaluator: reads CSV into memory,
 * repeats its rows up to ROWS, scores them with aud_model_predict() REPS times
 * and prints rows per second, the number of trees, rows per second per 100
 * trees, and the sum of the scores (so the work cannot be skipped).
 *
 * usage: predict MODEL.pmml CSV ROWS REPS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <audit/batch.h>
#include <audit/csv.h>
#include <audit/model.h>
#include <audit/pmml.h>
#include <audit/tree.h>

int
main(int argc, char **argv)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv_options co = AUD_CSV_OPTIONS_INIT;
	struct aud_model *m = NULL;
	struct aud_csv *csv = NULL;
	struct aud_batch_reader *br = NULL;
	struct aud_batch *b = NULL, *big = NULL;
	const struct aud_tree_ensemble *e = NULL;
	double *score = NULL, sum = 0, secs;
	struct timespec t0, t1, c0, c1;
	double cpu;
	size_t rows, reps, r, c, k, ntrees = 0;
	int status = 1;

	if (argc != 5) {
		fprintf(stderr, "usage: predict MODEL.pmml CSV ROWS REPS\n");
		return 2;
	}
	rows = strtoul(argv[3], NULL, 10);
	reps = strtoul(argv[4], NULL, 10);
	co.na = ",NA,N/A";
	if (aud_pmml_load(&m, argv[1], NULL, &err) < 0 ||
	    aud_csv_open(&csv, argv[2], &co, &err) < 0 ||
	    aud_batch_reader_new(&br, csv, NULL, NULL, 0, 10000000, 0, &err) < 0 ||
	    aud_batch_reader_next(&b, br, &err) != 1 ||
	    aud_batch_clone(&big, b, &err) < 0 || aud_batch_reserve(big, rows, &err) < 0)
		goto done;
	for (r = b->nrows; r < rows; r++)
		for (c = 0; c < big->ncols; c++) {
			if (big->cols[c].kind == AUD_COL_NUMERIC)
				big->cols[c].num[r] = big->cols[c].num[r % b->nrows];
			else
				big->cols[c].code[r] = big->cols[c].code[r % b->nrows];
		}
	big->nrows = rows;
	if (aud_model_trees(&e, m, &err) == 0)
		ntrees = e->ntrees;
	score = malloc(rows * sizeof(*score));
	if (score == NULL)
		goto done;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (k = 0; k < reps; k++)
		if (aud_model_predict(m, big, score, NULL, &err) < 0)
			goto done;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
	for (r = 0; r < rows; r++)
		sum += score[r];
	printf("%zu rows x %zu: %.3f s wall, %.3f s cpu: %.0f rows/s (cpu); %zu trees: %.0f rows/s per 100 trees (cpu) (checksum %.6f)\n",
	    rows, reps, secs, cpu, (double)rows * (double)reps / cpu, ntrees,
	    ntrees ? (double)rows * (double)reps / cpu * (double)ntrees / 100 : 0.0, sum);
	status = 0;
done:
	if (status != 0)
		fprintf(stderr, "predict: %s\n", err.msg);
	free(score);
	aud_batch_free(big);
	aud_batch_reader_free(br);
	aud_csv_free(csv);
	aud_model_free(m);
	return status;
}
