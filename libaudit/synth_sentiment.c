/*
 * synth_sentiment.c — the "sentiment" scenario of audit-synth: short made-up
 * posts for the slicing lab, with a three-class label and two models'
 * predictions, each model planted to be weak on one kind of post. See
 * include/audit/synth.h and datasets/README.md, which documents every
 * constant of this file.
 *
 * Columns: id, source (web, android, iphone), text, words (the number of
 * words of text), hashtags (the number of hashtags in text: 0 or 1), label (negative, neutral, positive), model_a, model_b,
 * retweets (a count) and retweets_pred (a regression model's prediction of
 * it, one decimal). A text never holds a comma, a quote or a line break, so
 * no field is quoted.
 *
 * Random numbers: row i draws from aud_rng stream i / AUD_SYNTH_BLOCK_ROWS of
 * the seed, in row order and always the same number of draws per row (the
 * first n rows of a longer run equal a run of n rows).
 */
#include <audit/synth.h>

#include <audit/rng.h>

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the documented constants ---- */

enum { NEG = 0, NEU = 1, POS = 2, NCLASS = 3, NSOURCE = 3 };

static const char *const class_names[NCLASS] = { "negative", "neutral", "positive" };
static const double class_prob[NCLASS] = { 0.30, 0.35, 0.35 };

static const char *const source_names[NSOURCE] = { "web", "android", "iphone" };
static const double source_prob[NSOURCE] = { 0.50, 0.30, 0.20 };
/* P(a hashtag | source): android posts carry more hashtags. */
static const double hashtag_prob[NSOURCE] = { 0.15, 0.40, 0.20 };

static const double mention_prob = 0.20;
/* P(negation | a negative or positive post); neutral posts are never negated. */
static const double negation_prob = 0.25;
static const double long_prob = 0.15;

/* model_a: right with probability base_right, else one of the two other
 * classes at random; a negated post is read without its negation (the
 * opposite polarity) with probability negation_miss. model_b: the same base,
 * but on a post with a hashtag it is right only with probability
 * hashtag_right. */
static const double base_right = 0.85;
static const double negation_miss = 0.60;
static const double hashtag_right = 0.50;

/* retweets: round(exp(m + N(0, 0.8))) with m = 1.0, + 0.7 with a hashtag, +
 * 0.4 with a mention; retweets_pred: exp(m + N(0, s)) rounded to 1 decimal,
 * s = 0.3 (web, android) or 0.9 (iphone). */
static const double rt_base = 1.0, rt_hashtag = 0.7, rt_mention = 0.4, rt_sd = 0.8;
static const double rt_pred_sd[NSOURCE] = { 0.3, 0.3, 0.9 };

/* ---- word lists ---- */

static const char *const subjects[] = {
	"the new phone", "my coffee", "this movie", "the train", "our team", "the weather",
	"the update", "the concert", "this book", "the service", "my flight", "the game",
};
static const char *const neg_words[] = {
	"terrible", "awful", "boring", "broken", "disappointing", "slow", "annoying", "bad",
};
static const char *const pos_words[] = {
	"great", "amazing", "wonderful", "fun", "excellent", "lovely", "brilliant", "good",
};
static const char *const neutral_tails[] = {
	"starts at nine", "is on the schedule", "was announced today", "comes out next week",
	"is at the station", "has a new version", "is listed online", "moved to tuesday",
};
static const char *const negations[] = { "not", "never", "hardly" };
static const char *const hashtags[] = {
	"#monday", "#news", "#fail", "#love", "#tech", "#weekend", "#travel", "#music",
};
static const char *const mentions[] = {
	"@support", "@anna", "@bob_k", "@newsdesk", "@team", "@maria",
};
static const char *const fillers[] = {
	"to be honest", "after all this time", "as far as i can tell", "if you ask me",
	"from what i saw today", "and that is all i will say about it",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- one row ---- */

struct post {
	int source, label, hashtag, mention, negated, longpost;
	int model_a, model_b;
	long retweets;
	double retweets_pred;
	char text[512];
	unsigned words;
};

static int
pick(struct aud_rng *r, const double *p, int n)
{
	double u = aud_rng_uniform(r), c = 0;

	for (int i = 0; i < n - 1; i++) {
		c += p[i];
		if (u < c)
			return i;
	}
	return n - 1;
}

static const char *
word(struct aud_rng *r, const char *const *list, size_t n)
{
	return list[aud_rng_int(r, n)];
}

/* Right with probability `right`, else one of the other two classes. Two draws. */
static int
predict(struct aud_rng *r, int truth, double right)
{
	double u = aud_rng_uniform(r);
	uint64_t k = aud_rng_int(r, 2);

	if (u < right)
		return truth;
	return (truth + 1 + (int)k) % NCLASS;
}

static void
append(struct post *p, const char *s)
{
	size_t n = strlen(p->text);

	snprintf(p->text + n, sizeof(p->text) - n, "%s%s", n > 0 ? " " : "", s);
}

/* Draw one post: every draw is made whether it is used or not. */
static void
draw_post(struct post *p, struct aud_rng *r)
{
	const char *subj, *w, *neg, *tag, *men, *fill, *tail;
	int polarity;
	double ua, e1, e2;

	memset(p, 0, sizeof(*p));
	p->source = pick(r, source_prob, NSOURCE);
	p->label = pick(r, class_prob, NCLASS);
	p->hashtag = aud_rng_uniform(r) < hashtag_prob[p->source];
	p->mention = aud_rng_uniform(r) < mention_prob;
	p->negated = aud_rng_uniform(r) < negation_prob && p->label != NEU;
	p->longpost = aud_rng_uniform(r) < long_prob;
	subj = word(r, subjects, N_OF(subjects));
	neg = word(r, negations, N_OF(negations));
	tag = word(r, hashtags, N_OF(hashtags));
	men = word(r, mentions, N_OF(mentions));
	fill = word(r, fillers, N_OF(fillers));
	tail = word(r, neutral_tails, N_OF(neutral_tails));
	/* a negated post says the opposite word: "not good" is negative */
	polarity = p->negated ? NCLASS - 1 - p->label : p->label;
	w = polarity == POS ? word(r, pos_words, N_OF(pos_words)) :
	    word(r, neg_words, N_OF(neg_words));

	if (p->mention)
		append(p, men);
	append(p, subj);
	if (p->label == NEU) {
		append(p, tail);
	} else {
		append(p, "is");
		if (p->negated)
			append(p, neg);
		append(p, w);
	}
	if (p->longpost)
		append(p, fill);
	if (p->hashtag)
		append(p, tag);
	p->words = 1;
	for (const char *s = p->text; *s != '\0'; s++)
		p->words += *s == ' ';

	/* model_a misses negations */
	ua = aud_rng_uniform(r);
	p->model_a = predict(r, p->label, base_right);
	if (p->negated && ua < negation_miss)
		p->model_a = polarity;
	/* model_b misses hashtags */
	p->model_b = predict(r, p->label, p->hashtag ? hashtag_right : base_right);

	e1 = aud_rng_gaussian(r, rt_sd);
	e2 = aud_rng_gaussian(r, rt_pred_sd[p->source]);
	{
		double m = rt_base + (p->hashtag ? rt_hashtag : 0) + (p->mention ? rt_mention : 0);

		p->retweets = lround(exp(m + e1));
		p->retweets_pred = nearbyint(exp(m + e2) * 10) / 10;
	}
}

/* ---- the CSV ---- */

int
aud_synth_write_sentiment_csv(FILE *f, const struct aud_synth_options *opts,
    struct aud_error *err)
{
	struct aud_rng *r = NULL;
	struct post p;
	int rc;

	assert(f != NULL);
	rc = aud_synth_validate(opts, err);
	if (rc < 0)
		return rc;
	rc = aud_rng_new(&r, opts->seed, 0, err);
	if (rc < 0)
		return rc;
	if (fputs("id,source,text,words,hashtags,label,model_a,model_b,retweets,"
	    "retweets_pred\n",
	    f) < 0)
		goto fail;
	for (uint64_t i = 0; i < opts->rows; i++) {
		if (i % AUD_SYNTH_BLOCK_ROWS == 0) {
			if (i > 0)
				aud_progress_report(&opts->progress, "generate",
				    AUD_PROGRESS_ROWS, i, opts->rows);
			aud_rng_reseed(r, opts->seed, i / AUD_SYNTH_BLOCK_ROWS);
		}
		draw_post(&p, r);
		if (fprintf(f, "%llu,%s,%s,%u,%d,%s,%s,%s,%ld,%.1f\n",
		    (unsigned long long)(i + 1), source_names[p.source], p.text, p.words,
		    p.hashtag, class_names[p.label],
		    class_names[p.model_a], class_names[p.model_b], p.retweets,
		    p.retweets_pred) < 0)
			goto fail;
	}
	if (fflush(f) != 0 || ferror(f))
		goto fail;
	aud_progress_report(&opts->progress, "generate", AUD_PROGRESS_ROWS, opts->rows,
	    opts->rows);
	aud_rng_free(r);
	return 0;
fail:
	aud_rng_free(r);
	return AUD_ERROR_ERRNO(err, AUD_EOUTPUT, errno, "cannot write the dataset: %s",
	    strerror(errno ? errno : EIO));
}
