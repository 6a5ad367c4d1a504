/*
 * csvscan — benchmark driver for the CSV reader: reads every record of a file
 * and parses every field as a number (like a tool that needs every column),
 * printing rows, bytes and the sum (so the work cannot be optimised away).
 */
#include <stdio.h>
#include <stdlib.h>

#include <audit/csv.h>

int
main(int argc, char **argv)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_csv *c = NULL;
	double sum = 0, v;
	size_t i, n;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: csvscan FILE\n");
		return 2;
	}
	if (aud_csv_open(&c, argv[1], NULL, &err) < 0) {
		fprintf(stderr, "csvscan: %s\n", err.msg);
		return 3;
	}
	n = aud_csv_ncols(c);
	while ((rc = aud_csv_next(c, &err)) == 1)
		for (i = 0; i < n; i++)
			if (aud_csv_number(&v, c, i, &err) == 1)
				sum += v;
	if (rc < 0) {
		fprintf(stderr, "csvscan: %s\n", err.msg);
		return 3;
	}
	printf("rows=%llu bytes=%llu sum=%.6g\n", (unsigned long long)aud_csv_rows(c),
	    (unsigned long long)aud_csv_bytes(c), sum);
	aud_csv_free(c);
	return 0;
}
