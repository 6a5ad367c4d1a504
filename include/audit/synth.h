/*
 * synth.h — synthetic datasets with a known, planted bias.
 *
 * The "credit" scenario writes loan applicants as CSV: an id, eight numeric
 * features, a residential `region` that is a proxy for the protected
 * attribute `group`, the protected attributes `sex` and `group`, the
 * recorded outcome `label` (1 = repaid) and the planted model's `score`
 * (probability of label 1) and `pred` (score >= 0.5). The generative
 * process, its parameters and what a student can find in the data are
 * documented in datasets/README.md; the constants below are the ones it
 * documents.
 *
 * Two knobs set the amount of unfairness:
 *  - label_bias B: the recorded outcome of group C has its log-odds lowered
 *    by B (historical label bias). B = 0 gives unbiased labels.
 *  - proxy_strength P: the region distribution of each group is the mixture
 *    (1 - P) * uniform + P * home(group). P = 0 makes region independent of
 *    group; P = 1 makes region reveal group.
 *
 * The planted model is a logistic regression on the eight numeric features
 * and region. It never reads sex or group; its region coefficients carry the
 * label bias through the proxy: delta_r = -B * P(group = C | region = r).
 * aud_synth_write_pmml() writes it as PMML 4.4 so that a PMML evaluator
 * reproduces the CSV's `score` column.
 *
 * Drift exercises (the CSV of the same seed, moved):
 *  - shifts: a numeric feature COL=D gets D times its documented standard
 *    deviation added (rounded to the column's decimals), after every feature
 *    is drawn and before the label and the score are computed from them (a
 *    covariate shift: the label follows the true model, the score the planted
 *    one). A categorical column (region, sex, group) COL=S: each row is set to
 *    the column's last value (west, male, C) with probability S, where the
 *    column is drawn (region and label follow a moved group, the score a
 *    moved region). label=D raises the log-odds of a recorded repayment by D
 *    in every group (a jump of the base rate the planted model does not see).
 *  - months N: a `month` column after `id` ("2025-01", "2025-02", ...); row
 *    i of n (0-based) is in month floor(i * N / n) + 1. With shift_from M,
 *    the shifts apply to the rows of months M.. only.
 * Without shifts and months the output is the same bytes as before they
 * existed.
 *
 * Slicing exercises (the model's decision `pred` replaced; `score` stays the
 * planted model's, so that pred is no longer score >= 0.5 where it changed):
 *  - error_rate R (>= 0): pred is the recorded label flipped with probability
 *    R, independently of every feature: a model whose errors no slice of the
 *    data explains.
 *  - weak: a planted weak slice, conditions on the columns (COL=VALUE,
 *    COL<NUM, COL<=NUM, COL>NUM, COL>=NUM) and a rate W: in the rows that meet
 *    every condition, pred (after error_rate) is flipped with probability W.
 * Block k's error draws come from stream AUD_SYNTH_ERROR_STREAM + k (one per
 * row) and its weak-slice draws from AUD_SYNTH_WEAK_STREAM + k (one per
 * matching row), so every other column keeps its value.
 *
 * Random numbers: rows are cut into blocks of AUD_SYNTH_BLOCK_ROWS; block k
 * (0-based) draws from aud_rng stream k of the seed, in row order; the
 * categorical shifts draw from stream AUD_SYNTH_SHIFT_STREAM + k, so the
 * other columns of a shifted row keep their values. The output
 * depends only on the options: same options, same bytes; the first n rows of
 * a longer run equal a run of n rows. Generation streams with constant memory.
 */
#ifndef AUDIT_SYNTH_H
#define AUDIT_SYNTH_H

#include <stdint.h>
#include <stdio.h>

#include <audit/error.h>
#include <audit/progress.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Rows drawn from one random stream (block k uses stream k). */
#define AUD_SYNTH_BLOCK_ROWS 65536

/** Largest --rows accepted. */
#define AUD_SYNTH_MAX_ROWS 1000000000000LL

/** Largest label bias accepted (log-odds). */
#define AUD_SYNTH_MAX_LABEL_BIAS 10.0

/** Largest |D| of a numeric or label shift. */
#define AUD_SYNTH_MAX_SHIFT 10.0

/** Most --shift columns at once. */
#define AUD_SYNTH_MAX_SHIFTS 16

/** Most months of --months. */
#define AUD_SYNTH_MAX_MONTHS 600

/** The random stream of block k's categorical shifts is this plus k. */
#define AUD_SYNTH_SHIFT_STREAM 4294967296ULL

/** The random stream of block k's --error-rate draws is this plus k. */
#define AUD_SYNTH_ERROR_STREAM 8589934592ULL

/** The random stream of block k's --weak-slice draws is this plus k. */
#define AUD_SYNTH_WEAK_STREAM 12884901888ULL

/** Most conditions of a weak slice. */
#define AUD_SYNTH_MAX_CONDS 8

/** One condition of a weak slice: a column, an operator and a value. */
struct aud_synth_cond {
	char column[32];   /**< a numeric feature, region, sex or group */
	char op[3];        /**< "=", "<", "<=", ">", ">=" (region, sex, group: "=") */
	char text[32];     /**< the value as written */
	double value;      /**< numeric features: the number */
};

/** A planted weak slice (see the overview). */
struct aud_synth_weak {
	struct aud_synth_cond cond[AUD_SYNTH_MAX_CONDS];
	size_t nconds;     /**< 1..AUD_SYNTH_MAX_CONDS */
	double rate;       /**< W in [0, 1]: the probability that pred is flipped */
};

/** One planted shift: a column and its amount (see the overview). */
struct aud_synth_shift {
	char column[32];   /**< a numeric feature, region, sex, group or label */
	double amount;     /**< D in sds (numeric), S in [0, 1] (categorical), D log-odds (label) */
};

/** Options of the generators. */
struct aud_synth_options {
	const char *scenario;      /**< "credit" or "sentiment" */
	uint64_t rows;             /**< data rows to write */
	uint64_t seed;             /**< random seed */
	double label_bias;         /**< B in [0, AUD_SYNTH_MAX_LABEL_BIAS], log-odds penalty of group C's label */
	double proxy_strength;     /**< P in [0, 1], how strongly region reveals group */
	/** the planted shifts (borrowed; NULL when nshifts is 0) */
	const struct aud_synth_shift *shifts;
	size_t nshifts;            /**< at most AUD_SYNTH_MAX_SHIFTS, each column once */
	unsigned months;           /**< 0: no month column; else 1..AUD_SYNTH_MAX_MONTHS */
	unsigned shift_from;       /**< 0: every row shifted; M >= 1: from month M on */
	/** rows written so far in phase "generate", every AUD_SYNTH_BLOCK_ROWS rows and at the end */
	struct aud_progress_cb progress;
	/** R in [0, 1]: pred = the label flipped with probability R; < 0: off */
	double error_rate;
	const struct aud_synth_weak *weak;   /**< a planted weak slice (borrowed), or NULL */
};
#define AUD_SYNTH_OPTIONS_INIT { "credit", 5000, 42, 1.5, 0.8, NULL, 0, 0, 0, \
	AUD_PROGRESS_CB_INIT, -1.0, NULL }

/**
 * Parse a shift "COL=X" (--shift): a known column and an amount in its range
 * (numeric features and label: [-10, 10]; region, sex, group: [0, 1]).
 * @return 0 or AUD_EINVAL ("--shift 'x': unknown column 'x' (shiftable: ...)")
 */
int aud_synth_shift_parse(struct aud_synth_shift *out, const char *spec,
    struct aud_error *err);

/**
 * Parse a weak slice "COND[,COND...]:W" (--weak-slice), each COND COL=VALUE
 * (region, sex, group: one of their values; a numeric feature: a number),
 * COL<NUM, COL<=NUM, COL>NUM or COL>=NUM (a numeric feature), W in [0, 1].
 * @return 0 or AUD_EINVAL ("--weak-slice 'x': expected COND[,COND...]:RATE")
 */
int aud_synth_weak_parse(struct aud_synth_weak *out, const char *spec,
    struct aud_error *err);

/**
 * Check the options (scenario name, parameter ranges, shifts, months).
 * @return 0 or AUD_EINVAL ("unknown scenario 'x'", "label bias ... out of range")
 */
int aud_synth_validate(const struct aud_synth_options *opts, struct aud_error *err);

/**
 * Write the dataset as CSV (LF line ends, a header row) to f.
 * @param f     an open stream; not closed
 * @param opts  the options (validated first)
 * @param err   may be NULL
 * @return 0, AUD_EINVAL (bad options), AUD_ENOMEM, AUD_EOUTPUT (a write failed)
 */
int aud_synth_write_csv(FILE *f, const struct aud_synth_options *opts,
    struct aud_error *err);

/**
 * Write the "sentiment" scenario's CSV (aud_synth_write_csv() calls it for
 * that scenario): made-up short posts for the slicing lab. Columns: id,
 * source (web, android, iphone), text (a few words; some with a hashtag,
 * some with a mention, some long, some negated: "is not good"), words (the
 * number of words of text), hashtags (0 or 1), label (negative, neutral,
 * positive), model_a
 * (planted to miss negations: a negated post is read as the opposite
 * polarity 60% of the time), model_b (planted to be weak on posts with a
 * hashtag: right 50% of the time there, 85% elsewhere), retweets (a count)
 * and retweets_pred (a regression model's prediction of it, noisier for
 * iphone). datasets/README.md documents every probability. label_bias and
 * proxy_strength do not apply; shifts and months are refused.
 * @return 0, AUD_EINVAL (bad options), AUD_ENOMEM, AUD_EOUTPUT (a write failed)
 */
int aud_synth_write_sentiment_csv(FILE *f, const struct aud_synth_options *opts,
    struct aud_error *err);

/**
 * Write the planted model as PMML 4.4 (a RegressionModel, classification,
 * logit normalisation) to f. The model does not depend on rows or seed.
 * @return 0, AUD_EINVAL (bad options; the sentiment scenario has no
 *         planted model), AUD_EOUTPUT (a write failed)
 */
int aud_synth_write_pmml(FILE *f, const struct aud_synth_options *opts,
    struct aud_error *err);

#ifdef __cplusplus
}
#endif
#endif
