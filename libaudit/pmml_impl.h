/*
 * pmml_impl.h — private: the compiled form of a PMML model.
 *
 * pmml_load.c parses the XML (libxml2) and compiles it into the flat
 * structures below; pmml_eval.c evaluates them a block of rows at a time,
 * column by column; pmml_tree.c exposes the trees (tree.h).
 *
 * Values. Every field (data, derived, output) is a "slot"; during evaluation
 * a slot is a column of doubles over the rows of a block. Numbers are
 * themselves, NAN is missing; string values are ids: >= 0 an id into the
 * model's string pool (every string constant of the document is interned),
 * < 0 a string made at evaluation time (-(k+1) indexes the call's dynamic
 * strings). Two pool ids are equal strings exactly when the ids are equal.
 */
#ifndef AUDIT_PMML_IMPL_H
#define AUDIT_PMML_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <audit/batch.h>
#include <audit/error.h>
#include <audit/pmml.h>
#include <audit/tree.h>

/* rows in a block of evaluation: a slot's column is PM_BLK doubles */
#define PM_BLK 256

/* data types of values */
enum pt { PT_DOUBLE = 0, PT_FLOAT, PT_INTEGER, PT_BOOLEAN, PT_STRING };
#define PT_IS_STR(t) ((t) == PT_STRING)

/* ---- string pool (read-only after compilation) ---- */
struct pm_pool {
	char **s;
	size_t n, cap;
	int32_t *tab;      /* open addressing, -1 empty */
	size_t tcap;
};
int32_t aud__pm_pool_intern(struct pm_pool *p, const char *s, size_t len);
int32_t aud__pm_pool_find(const struct pm_pool *p, const char *s, size_t len);

/* ---- expressions ---- */
enum ek {
	E_CONST, E_FIELD, E_NORMCONT, E_NORMDISC, E_DISCRETIZE, E_MAPVALUES,
	E_APPLY, E_CAST
};

enum fn {
	F_ADD, F_SUB, F_MUL, F_DIV, F_MIN, F_MAX, F_SUM, F_AVG, F_MEDIAN, F_PRODUCT,
	F_LOG10, F_LN, F_SQRT, F_ABS, F_EXP, F_POW, F_THRESHOLD, F_FLOOR, F_CEIL,
	F_ROUND, F_MODULO, F_ISMISSING, F_ISNOTMISSING, F_ISVALID, F_ISINVALID,
	F_EQ, F_NE, F_LT, F_LE, F_GT, F_GE, F_AND, F_OR, F_NOT, F_ISIN, F_ISNOTIN,
	F_IF, F_UPPER, F_LOWER, F_SUBSTR, F_TRIM, F_CONCAT, F_REPLACE, F_MATCHES,
	F_FORMATNUMBER, F_STRLEN, F_EXPM1, F_LOG1P, F_SIN, F_COS, F_TAN, F_ATAN,
	F_TANH, F_HYPOT, F_LOGIT, F_SIGMOID, F_RINT, F_ASIN, F_ACOS, F_SINH, F_COSH,
	F_NORMALCDF, F_NORMALPDF, F_NORMALIDF, F_STDNORMALCDF, F_STDNORMALPDF,
	F_STDNORMALIDF, F_ERF
};

enum outl { OUTL_ASIS = 0, OUTL_MISSING, OUTL_EXTREME };

struct pm_expr {
	uint8_t kind;        /* enum ek */
	uint8_t type;        /* enum pt of the result */
	uint8_t has_mm, has_dv;
	int32_t fn;          /* E_APPLY: enum fn */
	int32_t slot;        /* E_FIELD */
	double c;            /* E_CONST: number or pool id; NAN for a missing constant */
	double mm, dv;       /* mapMissingTo, defaultValue */
	int32_t nargs;       /* E_APPLY / E_CAST: argument expressions at args[a0..] */
	int32_t a0;
	int32_t d0, dn;      /* E_NORMCONT: pairs at dbl[d0..], dn pairs; E_DISCRETIZE bins; E_MAPVALUES rows */
	int32_t aux;         /* NORMCONT: outliers; MAPVALUES: number of key columns; NORMDISC: value */
	int32_t line;
};

/* ---- MiningSchema treatment of one field ---- */
enum invt { INV_RETURN = 0, INV_ASIS, INV_MISSING, INV_VALUE };
struct pm_treat {
	int32_t src, dst;    /* slots */
	uint8_t type;        /* enum pt */
	uint8_t invalid;     /* enum invt */
	uint8_t outliers;    /* enum outl */
	uint8_t check;       /* 1: check validity against the data field */
	int32_t df;          /* data field index or -1 */
	double repl_missing; /* NAN: none */
	double repl_invalid;
	double low, high;
	const char *name;    /* borrowed from the slot */
};

/* ---- data fields ---- */
struct pm_interval { double lo, hi; uint8_t lo_closed, hi_closed; };
struct pm_datafield {
	char *name;
	uint8_t type, categorical;
	size_t nvalid;
	double *valid;            /* values (numbers or pool ids) with property valid */
	size_t nmissing;
	double *missing;          /* values with property missing */
	size_t ninvalid;
	double *invalid;
	size_t nint;
	struct pm_interval *intervals;
};

/* ---- trees ---- */
enum pop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_ISMISSING, OP_NOTMISSING,
	OP_IN, OP_NOTIN, OP_TRUE, OP_FALSE, OP_INBITS, OP_NOTINBITS,
	OP_FORK /* weightedConfidence/aggregateNodes: follow every child, pairs (entry, weight) at set[t] */ };

/* A test node: evaluates a predicate on one slot; next[0] on TRUE, next[1] on
 * FALSE, next[2] on UNKNOWN. A next value >= 0 is a test node, < 0 the leaf ~v. */
struct pm_tnode {
	int32_t slot;
	uint8_t op;
	uint8_t fcast;            /* compare in float (field is a float) */
	uint16_t nset;
	double t;                 /* threshold / value; OP_IN: offset into tree set array */
	int32_t next[3];
};

/*
 * A test of the fast form (pmml_fast.c): a row goes from this node to node
 * (kid >> 3) + idx, idx = 1 when x > t (or x < t when kid & 4: an equality
 * test), else 0, and (kid & 3) when x is missing; x is vals[off + row]. A
 * leaf points to itself.
 */
struct pm_fnode {
	double t;
	int32_t off;              /* slot * PM_BLK */
	uint32_t kid;
};

struct pm_leaf {
	double value;             /* regression: score; classification: label pool id; NAN null */
	int32_t prob;             /* classification: offset into probs (ncat values), -1 none */
	double count;             /* recordCount (aggregation), NAN unknown */
	uint8_t inner;            /* the prediction of a Node that has children (no true
	                             child, or a missing value): no training cover of its own */
};

struct pm_tree {
	int32_t root;             /* entry: test node or ~leaf */
	size_t ntest, nleaf;
	struct pm_tnode *tests;
	struct pm_leaf *leaves;
	double *set;              /* values of OP_IN sets */
	size_t nset;
	double *probs;
	size_t nprobs;
	uint8_t fork;             /* 1: weightedConfidence, 2: aggregateNodes (has OP_FORK nodes) */
	uint8_t all_le;           /* every test is OP_LE (the walker's fast path) */
	struct pm_fnode *fast;    /* pmml_fast.c: the fast form, NULL when not eligible */
	int32_t *fleaf;           /* per fast node: its leaf, -1 a test */
	size_t nfast;
	int32_t *foffs;           /* the offsets (slot * PM_BLK) the fast form reads */
	size_t nfoffs;            /* 0: too many to scan for missing values */
	uint32_t fdepth;          /* levels a row walks down to any leaf */
	uint8_t feq;              /* the fast form has equality tests */
	uint32_t *fword;          /* set tests: per fast node, word offset of its map in fbits */
	uint64_t *fbits;          /* maps over ids [fblo, fblo + fbn), bit fbn: any other value */
	double fblo;
	uint32_t fbn;
	double *fsoa;             /* numeric trees: thresholds, then int32 offsets, then
	                             uint32 first children of the fast nodes */
	uint64_t *bits;           /* OP_INBITS sets over string pool ids: t = word offset */
	size_t nbits;             /* pool ids covered (bits per set) */
};

/* ---- models ---- */
enum mk { MK_REGRESSION, MK_GENREG, MK_TREE, MK_MINING, MK_NN };
enum norm { N_NONE, N_SOFTMAX, N_LOGIT, N_PROBIT, N_CLOGLOG, N_EXP, N_LOGLOG,
	N_CAUCHIT, N_SIMPLEMAX, N_IDENTITY, N_LOG, N_POWER, N_ODDSPOWER };
enum mm { MM_SUM, MM_AVERAGE, MM_WAVERAGE, MM_MEDIAN, MM_WMEDIAN, MM_MAX,
	MM_MAJORITY, MM_WMAJORITY, MM_SELECTFIRST, MM_CHAIN, MM_SELECTALL };

/* A step run before a model body: a derived field or a schema treatment. */
struct pm_step {
	int32_t dst;
	int32_t expr;            /* >= 0: expression; -1: treatment */
	int32_t treat;           /* index into treats */
};

/* An output field computed from a model's result. */
enum of { OF_PREDICTED, OF_DISPLAY, OF_PROBABILITY, OF_TRANSFORMED, OF_MARGIN };
struct pm_output {
	char *name;
	int32_t slot;
	uint8_t feature;         /* enum of */
	uint8_t type;            /* enum pt; PT_STRING for labels */
	uint8_t final;           /* isFinalResult */
	int32_t cat;             /* probability: index into the model's categories; -1 predicted */
	int32_t expr;            /* transformedValue */
};

struct pm_rtable {           /* RegressionModel table / GLM category */
	int32_t cat;             /* index into categories, -1 regression */
	double intercept;
	int32_t t0, tn;          /* terms at terms[t0..t0+tn] */
};
/* a term: coef * product of factors at fac[f0..f0+fn] */
struct pm_term { double coef; int32_t f0, fn; };
/* factor: numeric slot^exp (kind 0), or (slot == value) indicator (kind 1) */
struct pm_factor { int32_t slot; uint8_t kind; double v; };

struct pm_neuron { double bias; double width; double alt; int32_t c0, cn; uint8_t act; };
struct pm_con { int32_t from; double w; };
struct pm_layer { int32_t n0, nn; uint8_t act, norm; };

struct pm_model;
struct pm_segment {
	struct pm_tree pred;     /* predicate compiled as a tree (leaf value 1 true, 0 false, NAN unknown) */
	double weight;
	struct pm_model *model;
};

struct pm_model {
	uint8_t kind;            /* enum mk */
	uint8_t classification;
	uint8_t fctx;            /* x-mathContext="float" */
	uint8_t norm;            /* enum norm (regression, GLM link, NN output) */
	double link_param;
	size_t ncat;
	int32_t *cats;           /* pool ids of the categories, model order */
	char *name;              /* element name, for messages */
	int32_t line;
	size_t nsteps;
	struct pm_step *steps;
	/* Targets */
	uint8_t has_rescale, cast_int;
	double rfactor, rconst, tmin, tmax, tdefault;
	double *display;         /* per category: pool id of displayValue or NAN */
	/* outputs computed after this model (modelChain segments, top model) */
	size_t nouts;
	struct pm_output *outs;
	/* regression / general regression */
	size_t ntables;
	struct pm_rtable *tables;
	struct pm_term *terms;
	size_t nterms;
	struct pm_factor *fac;
	size_t nfac;
	int32_t ref_cat;         /* GLM reference category, -1 */
	int32_t glm_type;        /* 0 regression-like, 1 binomial, 2 multinomial */
	int32_t offset_slot;     /* GLM offsetVariable, -1 */
	double offset_value;
	/* tree */
	struct pm_tree tree;
	/* mining */
	uint8_t method;          /* enum mm */
	uint8_t skip_missing;    /* missingPredictionTreatment=skipSegment */
	size_t nseg;
	struct pm_segment *segs;
	/* neural network */
	size_t nnin;             /* inputs: expressions computed into neuron values 0..nnin-1 */
	int32_t *nn_in_expr;
	size_t nneurons;
	struct pm_neuron *neurons;
	size_t nlayers;
	struct pm_layer *layers;
	struct pm_con *cons;
	size_t ncons;
	size_t nnout;
	int32_t *nn_out_neuron;  /* per output */
	int32_t *nn_out_cat;     /* classification: category index; regression -1 */
	int32_t *nn_out_expr;    /* regression NormContinuous output: expression idx or -1 */
	double nn_out_a, nn_out_b;  /* regression: value = a + b * neuron (inverse norm) */
	/* tree.h exposure (top model only) */
};

struct pm_slot {
	char *name;
	uint8_t type;
	uint8_t categorical;
	int32_t df;              /* data field, or -1 */
	int32_t feature;         /* model feature, or -1 */
	int32_t alias_of;        /* for tree.h: slot this one copies (-1 none) */
	uint8_t alias_float;     /* the copy casts to float */
};

/* The whole compiled document. Immutable after compilation. */
struct pm_doc {
	struct pm_pool pool;
	size_t nslots;
	struct pm_slot *slots;
	size_t ndf;
	struct pm_datafield *dfs;
	size_t nexpr;
	struct pm_expr *exprs;
	int32_t *args;
	size_t nargs;
	double *dbl;             /* constants of expressions (NormContinuous pairs, bins, tables) */
	size_t ndbl;
	size_t ntreats;
	struct pm_treat *treats;
	struct pm_model *top;
	/* inputs: feature i is read into slot in_slot[i] of type in_type[i] */
	size_t nfeat;
	int32_t *in_slot;
	int32_t *in_df;
	uint8_t *in_invalid;     /* top-level invalid value treatment (for unparseable input) */
	double *in_repl_invalid;
	/* categories of the top target */
	size_t ncat;
	int32_t *cats;
	const char **cat_names;  /* pool strings of cats */
	uint8_t target_type;
	int32_t positive;        /* index into cats, -1 regression */
	/* final results */
	size_t nres;
	char **res_name;
	int32_t *res_slot;       /* slot of each result field */
	uint8_t *res_type;
	int32_t target_slot;     /* slot holding the predicted value */
	int32_t margin_kind;     /* 0 none; 1 margin computed */
	size_t maxdepth;         /* scratch sizing */
	/* categories of each feature: declared values, else the values the model's
	 * trees compare the feature with (pmml_tree.c) */
	double **fcats;
	size_t *nfcats;
	/* tree.h (pmml_tree.c) */
	struct pm_trees *trees;  /* NULL when the model is not a tree ensemble */
	char trees_why[200];
};

/* pmml_eval.c */
/* The trees of a PMML document (tree.h), or AUD_EUNSUPPORTED saying why not. */
int aud__pm_trees(const void *impl, const struct aud_tree_ensemble **out,
    struct aud_error *err);
int aud__pm_predict(const void *impl, const struct aud_batch *b, double *score,
    double *margin, struct aud_error *err);
int aud__pm_outputs(const struct pm_doc *d, const struct aud_batch *b,
    struct aud_pmml_value *out, struct aud_error *err);
void aud__pm_doc_free(struct pm_doc *d);
void aud__pm_model_free(struct pm_model *m);
/* Evaluate one tree node's predicate on a slot value: 0 true, 1 false, 2 unknown. */
int aud__pm_test(const struct pm_tree *t, const struct pm_tnode *n, double x);

/* pmml_fast.c */
/* Build t->fast: 0 built, 1 not eligible (t unchanged), -1 out of memory. */
int aud__pm_fast_build(struct pm_tree *t);
/* Leaves reached by rows [r0, r0 + n) of a block (n <= PM_BLK), t->fast != NULL. */
void aud__pm_fast_walk(const struct pm_tree *t, const double *vals, size_t r0, size_t n,
    int32_t *leaf);
/* Free the fast form of t (and forget it). */
void aud__pm_fast_free(struct pm_tree *t);

struct pm_trees;
/* pmml_tree.c */
int aud__pm_trees_build(struct pm_doc *d, struct aud_error *err);
void aud__pm_trees_free(struct pm_doc *d);
int aud__pm_feature_cats(struct pm_doc *d, struct aud_error *err);
int aud__pm_set_bits(struct pm_doc *d, struct aud_error *err);

#endif
