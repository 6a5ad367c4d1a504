/*
 * fairness_sort.c — sort the exact-score rows by score.
 *
 * Two in-place bucket passes (American flag, 256 buckets each) on
 * floor(score * 256) and floor(score * 65536), both monotone in the score, so
 * equal scores share a bucket and buckets come in score order; then each of
 * the 65536 runs is sorted on its own: insertion sort when small, else an
 * in-place MSD radix sort on the bits of the double (for non-negative doubles
 * their bits order as the values do), starting at the first byte where the
 * run's smallest and largest keys differ. First-level buckets are
 * independent, so two threads sort halves of them and the result is the same
 * array whatever the thread count.
 */
#include "fairness_sort.h"
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

#define SMALL 48                /* insertion sort below this */
#define PARALLEL_MIN 262144     /* rows below which one thread sorts */

static uint64_t
bits_of(double x)
{
	uint64_t b;

	memcpy(&b, &x, sizeof(b));
	return b;
}

static void
insertion(struct aud__srow *a, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++) {
		struct aud__srow v = a[i];
		size_t j = i;

		while (j > 0 && a[j - 1].score > v.score) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

/* In-place MSD radix sort on byte (shift / 8) and below of the score's bits. */
static void
radix(struct aud__srow *a, size_t n, int shift)
{
	size_t count[256], start[256], end[256], i, off;

	if (n < SMALL) {
		insertion(a, n);
		return;
	}
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
		count[(bits_of(a[i].score) >> shift) & 0xff]++;
	start[0] = 0;
	for (i = 1; i < 256; i++)
		start[i] = start[i - 1] + count[i - 1];
	for (i = 0; i < 256; i++)
		end[i] = start[i] + count[i];
	for (i = 0; i < 256; i++) {
		while (start[i] < end[i]) {
			struct aud__srow v = a[start[i]];
			size_t d = (bits_of(v.score) >> shift) & 0xff;

			if (d == i) {
				start[i]++;
				continue;
			}
			do {
				struct aud__srow tmp = a[start[d]];

				a[start[d]++] = v;
				v = tmp;
				d = (bits_of(v.score) >> shift) & 0xff;
			} while (d != i);
			a[start[i]++] = v;
		}
	}
	if (shift == 0)
		return;
	for (i = 0, off = 0; i < 256; i++) {
		if (count[i] > 1)
			radix(a + off, count[i], shift - 8);
		off += count[i];
	}
}

/* Sort one run whose keys may share leading bytes. */
static void
sort_run(struct aud__srow *a, size_t n)
{
	uint64_t lo, hi, x;
	size_t i;
	int shift = 0;

	if (n < SMALL) {
		insertion(a, n);
		return;
	}
	lo = hi = bits_of(a[0].score);
	for (i = 1; i < n; i++) {
		uint64_t b = bits_of(a[i].score);

		if (b < lo)
			lo = b;
		if (b > hi)
			hi = b;
	}
	x = lo ^ hi;
	if (x == 0)
		return;                 /* all equal */
	while (shift + 8 < 64 && (x >> (shift + 8)) != 0)
		shift += 8;
	radix(a, n, shift);
}

/*
 * In-place American flag pass: rows into 'nd' buckets by digit(score); bstart
 * gets nd + 1 offsets. Few buckets keep the writes local (a table of 65536
 * in one pass misses the cache and the TLB on every row).
 */
#define FLAG_PASS(a, n, nd, bstart, DIGIT) do {					\
	size_t cnt_[257], st_[257], i_;						\
										\
	memset(cnt_, 0, sizeof(cnt_));						\
	for (i_ = 0; i_ < (n); i_++)						\
		cnt_[DIGIT((a)[i_].score)]++;					\
	(bstart)[0] = 0;							\
	for (i_ = 0; i_ < (nd); i_++)						\
		(bstart)[i_ + 1] = (bstart)[i_] + cnt_[i_];			\
	memcpy(st_, (bstart), (nd) * sizeof(size_t));				\
	for (i_ = 0; i_ < (nd); i_++) {						\
		size_t e_ = (bstart)[i_ + 1];					\
										\
		while (st_[i_] < e_) {						\
			struct aud__srow v_ = (a)[st_[i_]];			\
			size_t d_ = DIGIT(v_.score);				\
										\
			if (d_ == i_) {						\
				st_[i_]++;					\
				continue;					\
			}							\
			do {							\
				struct aud__srow t_ = (a)[st_[d_]];		\
										\
				(a)[st_[d_]++] = v_;				\
				v_ = t_;					\
				d_ = DIGIT(v_.score);				\
			} while (d_ != i_);					\
			(a)[st_[i_]++] = v_;					\
		}							\
	}								\
} while (0)

/* floor(s * 256), 256 for s == 1: monotone in s. */
#define DIGIT1(s) ((size_t)((s) * 256.0) > 256 ? (size_t)256 : (size_t)((s) * 256.0))
/* within a DIGIT1 bucket b < 256, floor(s * 65536) - 256 b (scaling by 2^k is exact) */
#define DIGIT2(s) ((size_t)((s) * 65536.0) & 0xff)

/* Sort a level-1 bucket (b < 256): 256 sub-buckets, each sorted on its own. */
static void
sort_bucket(struct aud__srow *a, size_t n)
{
	size_t sub[257], i;

	if (n < SMALL * 4) {
		sort_run(a, n);
		return;
	}
	FLAG_PASS(a, n, 256, sub, DIGIT2);
	for (i = 0; i < 256; i++)
		sort_run(a + sub[i], sub[i + 1] - sub[i]);
}

struct job {
	struct aud__srow *a;
	const size_t *bstart;       /* 258 offsets */
	size_t b0, b1;              /* level-1 buckets [b0, b1), all < 256 */
};

static void
sort_buckets(const struct job *j)
{
	size_t b;

	for (b = j->b0; b < j->b1; b++)
		sort_bucket(j->a + j->bstart[b], j->bstart[b + 1] - j->bstart[b]);
}

/* Bucket range `task` of the parallel loop (jobs[0] or jobs[1]). */
static int
sort_task(void *payload, size_t thread, size_t task, struct aud_error *err)
{
	(void)thread;
	(void)err;
	sort_buckets((const struct job *)payload + task);
	return 0;
}

void
aud__srow_sort(struct aud__srow *a, size_t n, int nthreads)
{
	size_t bstart[258];
	struct job jobs[2];

	if (n < 4096) {
		sort_run(a, n);
		return;
	}
	FLAG_PASS(a, n, 257, bstart, DIGIT1);
	/* bucket 256 holds the scores equal to 1: nothing to sort */
	jobs[0].a = jobs[1].a = a;
	jobs[0].bstart = jobs[1].bstart = bstart;
	jobs[0].b0 = 0;
	jobs[0].b1 = jobs[1].b1 = 256;
	if (nthreads > 1 && n >= PARALLEL_MIN) {
		size_t mid = 0;

		while (mid < 256 && bstart[mid] < bstart[256] / 2)
			mid++;
		jobs[0].b1 = jobs[1].b0 = mid;
		/* the tasks cannot fail; a loop that cannot start (no mutex) sorts inline */
		if (aud__parallel_for(2, 2, sort_task, jobs, NULL, NULL, NULL) < 0) {
			sort_buckets(&jobs[0]);
			sort_buckets(&jobs[1]);
		}
	} else
		sort_buckets(&jobs[0]);
}
