/*
 * pmml_load.c — read a PMML document safely with libxml2 and compile it into
 * the flat structures of pmml_impl.h.
 *
 * Element names are matched by local name, so every PMML namespace (3.x, 4.x)
 * works. Every element the compiler walks is either understood, explicitly
 * informational (Extension, ModelStats, ModelVerification, ...), or an error
 * naming the element and its line: an unsupported construct never turns into
 * a silent wrong prediction.
 */
#include <audit/pmml.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "model_impl.h"
#include "pmml_impl.h"

#define MAX_INLINE 32      /* nesting of user-defined function calls */
#define MAX_PRED_DEPTH 12  /* nesting of compound predicates (each level may double the tests) */
#define MAX_TESTS (1 << 22)  /* compiled tests of one tree (128 MiB) */
#define MAX_EXPRS (1 << 20)  /* compiled expression nodes (inlined functions multiply them) */
#define MAX_SEG_DEPTH 32   /* nesting of MiningModels */
#define XML_MAX_NESTING 256 /* libxml2's limit on element nesting (no XML_PARSE_HUGE) */
#define MAX_TREE_DEPTH 256 /* levels of a TreeModel, as deep as libxml2 lets elements nest */
#define MAX_NODE_KIDS 4096 /* children of one tree node */

/* ---- string pool ---- */

static uint32_t
hash_str(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

int32_t
aud__pm_pool_find(const struct pm_pool *p, const char *s, size_t len)
{
	size_t i;

	if (p->tcap == 0)
		return -1;
	i = hash_str(s, len) & (p->tcap - 1);
	for (;;) {
		int32_t id = p->tab[i];
		if (id < 0)
			return -1;
		if (strlen(p->s[id]) == len && memcmp(p->s[id], s, len) == 0)
			return id;
		i = (i + 1) & (p->tcap - 1);
	}
}

static int
pool_grow(struct pm_pool *p)
{
	size_t ncap = p->tcap ? p->tcap * 2 : 256, i;
	int32_t *nt = malloc(ncap * sizeof(*nt));

	if (nt == NULL)
		return -1;
	for (i = 0; i < ncap; i++)
		nt[i] = -1;
	for (i = 0; i < p->n; i++) {
		size_t j = hash_str(p->s[i], strlen(p->s[i])) & (ncap - 1);
		while (nt[j] >= 0)
			j = (j + 1) & (ncap - 1);
		nt[j] = (int32_t)i;
	}
	free(p->tab);
	p->tab = nt;
	p->tcap = ncap;
	return 0;
}

/* Returns the id, or -1 when out of memory. */
int32_t
aud__pm_pool_intern(struct pm_pool *p, const char *s, size_t len)
{
	int32_t id = aud__pm_pool_find(p, s, len);
	size_t j;
	char *c;

	if (id >= 0)
		return id;
	if ((p->n + 1) * 2 > p->tcap && pool_grow(p) < 0)
		return -1;
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 64;
		char **ns = realloc(p->s, ncap * sizeof(*ns));
		if (ns == NULL)
			return -1;
		p->s = ns;
		p->cap = ncap;
	}
	c = malloc(len + 1);
	if (c == NULL)
		return -1;
	memcpy(c, s, len);
	c[len] = '\0';
	p->s[p->n] = c;
	j = hash_str(s, len) & (p->tcap - 1);
	while (p->tab[j] >= 0)
		j = (j + 1) & (p->tcap - 1);
	p->tab[j] = (int32_t)p->n;
	return (int32_t)p->n++;
}

/* ---- compiler state ---- */

struct scope_ent { const char *name; int32_t slot; };
struct bind { const char *name; int32_t expr; };
struct fdef { const char *name; xmlNode *node; };

struct cc {
	const char *path;
	struct aud_error *err;
	struct pm_doc *d;
	size_t cap_slots, cap_exprs, cap_args, cap_dbl, cap_treats;
	struct scope_ent *scope;
	size_t nscope, cap_scope;
	struct fdef *funcs;
	size_t nfuncs, cap_funcs;
	struct bind *binds;
	size_t nbinds, cap_binds, bind_base;
	int inline_depth;
	/* steps of the model being compiled */
	struct pm_step *steps;
	size_t nsteps, cap_steps;
	int fctx;                 /* float math context of the model being compiled */
	int seg_depth;
	const char *target;       /* name of the target field */
	int cats_open;            /* categories may still be added (no declared values) */
};

#define GROW(ptr, n, cap, extra) grow_((void **)&(ptr), &(cap), (n) + (extra), sizeof(*(ptr)))

static int
grow_(void **p, size_t *cap, size_t need, size_t sz)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * sz);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

static int
oom(struct cc *c)
{
	return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
}

static long
line_of(const xmlNode *n)
{
	return n != NULL ? xmlGetLineNo(n) : 0;
}

static const char *
lname(const xmlNode *n)
{
	return (const char *)n->name;
}

static int
is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && strcmp(lname(n), name) == 0;
}

#define UNSUP(c, n, ...) unsup_((c), (n), __FILE__, __LINE__, __VA_ARGS__)
#define BAD(c, n, ...) bad_((c), (n), __FILE__, __LINE__, __VA_ARGS__)

static int
unsup_(struct cc *c, const xmlNode *n, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int
bad_(struct cc *c, const xmlNode *n, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
unsup_(struct cc *c, const xmlNode *n, const char *file, int line, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return aud_error_set(c->err, AUD_EUNSUPPORTED, file, line, "%s:%ld: %s",
	    c->path, line_of(n), buf);
}

static int
bad_(struct cc *c, const xmlNode *n, const char *file, int line, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return aud_error_set(c->err, AUD_EPARSE, file, line, "%s:%ld: %s",
	    c->path, line_of(n), buf);
}

/* Attribute value (no allocation; NULL when absent). */
static const char *
attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, name) == 0) {
			if (a->children == NULL)
				return "";
			if (a->children->type == XML_TEXT_NODE && a->children->next == NULL)
				return (const char *)a->children->content;
			return NULL;
		}
	}
	return NULL;
}

static int
attr_eq(const xmlNode *n, const char *name, const char *v)
{
	const char *a = attr(n, name);

	return a != NULL && strcmp(a, v) == 0;
}

/* First element child. */
static xmlNode *
first_el(const xmlNode *n)
{
	xmlNode *k;

	for (k = n->children; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return k;
	return NULL;
}

static xmlNode *
next_el(const xmlNode *n)
{
	xmlNode *k;

	for (k = n->next; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return k;
	return NULL;
}

static xmlNode *
child(const xmlNode *n, const char *name)
{
	xmlNode *k;

	for (k = first_el(n); k != NULL; k = next_el(k))
		if (is(k, name))
			return k;
	return NULL;
}

/* Elements that carry no semantics for scoring. */
static int
informational(const xmlNode *n)
{
	static const char *const names[] = {
		"Extension", "Header", "ModelStats", "ModelExplanation",
		"ModelVerification", "MiningBuildTask", "Annotation", "Timestamp",
		"Application", "LocalTransformations", "MiningSchema", "Output",
		"Targets", NULL
	};
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (is(n, names[i]))
			return 1;
	return 0;
}

/* Text content of an element (text and CDATA children only). Caller frees. */
static char *
text_of(const xmlNode *n)
{
	size_t len = 0, k;
	const xmlNode *t;
	char *s;

	for (t = n->children; t != NULL; t = t->next)
		if (t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE)
			len += strlen((const char *)t->content);
	s = malloc(len + 1);
	if (s == NULL)
		return NULL;
	k = 0;
	for (t = n->children; t != NULL; t = t->next)
		if (t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) {
			size_t l = strlen((const char *)t->content);
			memcpy(s + k, t->content, l);
			k += l;
		}
	s[k] = '\0';
	return s;
}

static char *
trim(char *s)
{
	char *e;

	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* A whole number in the C locale (strtod: no setlocale is called by libaudit). */
static int
parse_num(const char *s, double *out)
{
	char *end;
	double v;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0' || end == s)
		return -1;
	*out = v;
	return 0;
}

static int
num_attr(struct cc *c, const xmlNode *n, const char *name, double dflt, double *out)
{
	const char *a = attr(n, name);

	if (a == NULL) {
		*out = dflt;
		return 0;
	}
	if (parse_num(a, out) < 0)
		return BAD(c, n, "attribute '%s' of '%s' is not a number: '%s'", name,
		    lname(n), a);
	return 0;
}

/* A number attribute, rounded to float in a float math context. */
static int
num_attr_f(struct cc *c, const xmlNode *n, const char *name, double dflt, double *out)
{
	int rc = num_attr(c, n, name, dflt, out);

	if (rc == 0 && c->fctx)
		*out = attr(n, name) != NULL ? (double)strtof(attr(n, name), NULL) : (double)(float)dflt;
	return rc;
}

static int
parse_type(const char *s, uint8_t *out)
{
	if (s == NULL || strcmp(s, "double") == 0)
		*out = PT_DOUBLE;
	else if (strcmp(s, "float") == 0)
		*out = PT_FLOAT;
	else if (strcmp(s, "integer") == 0)
		*out = PT_INTEGER;
	else if (strcmp(s, "boolean") == 0)
		*out = PT_BOOLEAN;
	else if (strcmp(s, "string") == 0)
		*out = PT_STRING;
	else
		return -1;
	return 0;
}

/* Shortest decimal text of a number that parses back to it. */
static void
fmt_num(char buf[32], double x)
{
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(buf, 32, "%.0f", x);
		if (strcmp(buf, "-0") == 0)
			strcpy(buf, "0");
		return;
	}
	snprintf(buf, 32, "%.15g", x);
	if (strtod(buf, NULL) != x)
		snprintf(buf, 32, "%.17g", x);
}

/* Convert a text constant to a value of the given type. */
static int
conv(struct cc *c, const xmlNode *where, uint8_t type, const char *text, double *out)
{
	double v;

	if (PT_IS_STR(type)) {
		int32_t id = aud__pm_pool_intern(&c->d->pool, text, strlen(text));
		if (id < 0)
			return oom(c);
		*out = id;
		return 0;
	}
	if (type == PT_BOOLEAN) {
		if (strcmp(text, "true") == 0 || strcmp(text, "TRUE") == 0 || strcmp(text, "1") == 0)
			*out = 1;
		else if (strcmp(text, "false") == 0 || strcmp(text, "FALSE") == 0 || strcmp(text, "0") == 0)
			*out = 0;
		else
			return BAD(c, where, "'%s' is not a boolean", text);
		return 0;
	}
	if (parse_num(text, &v) < 0)
		return BAD(c, where, "'%s' is not a number (in '%s')", text, lname(where));
	if (type == PT_FLOAT)
		v = (double)strtof(text, NULL);
	*out = v;
	return 0;
}

/* Category label id: numeric labels are canonicalised ("1.0" -> "1"). */
static int
cat_id(struct cc *c, const xmlNode *where, const char *text, int32_t *out)
{
	char buf[32];
	double v;
	int32_t id;

	if (!PT_IS_STR(c->d->target_type) && c->d->target_type != PT_BOOLEAN &&
	    parse_num(text, &v) == 0) {
		fmt_num(buf, v);
		text = buf;
	}
	(void)where;
	id = aud__pm_pool_intern(&c->d->pool, text, strlen(text));
	if (id < 0)
		return oom(c);
	*out = id;
	return 0;
}

/* Index of a category (adding it when the target declares no values). */
static int
cat_index(struct cc *c, const xmlNode *where, const char *text, int32_t *out)
{
	struct pm_doc *d = c->d;
	int32_t id = -1;
	size_t i;
	int rc;

	rc = cat_id(c, where, text, &id);
	if (rc < 0)
		return rc;
	for (i = 0; i < d->ncat; i++)
		if (d->cats[i] == id) {
			*out = (int32_t)i;
			return 0;
		}
	if (!c->cats_open)
		return BAD(c, where, "'%s' is not a category of the target field", text);
	{
		int32_t *n = realloc(d->cats, (d->ncat + 1) * sizeof(*n));
		if (n == NULL)
			return oom(c);
		d->cats = n;
		d->cats[d->ncat] = id;
		*out = (int32_t)d->ncat++;
	}
	return 0;
}

/* ---- slots, scope ---- */

static int
new_slot(struct cc *c, const char *name, uint8_t type, int categorical, int32_t *out)
{
	struct pm_doc *d = c->d;
	struct pm_slot *s;

	if (GROW(d->slots, d->nslots, c->cap_slots, 1) < 0)
		return oom(c);
	s = &d->slots[d->nslots];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name != NULL ? name : "");
	if (s->name == NULL)
		return oom(c);
	s->type = type;
	s->categorical = (uint8_t)categorical;
	s->df = -1;
	s->feature = -1;
	s->alias_of = -1;
	*out = (int32_t)d->nslots++;
	return 0;
}

/* Make slot visible under its name (name is the slot's own name). */
static int
push_scope(struct cc *c, int32_t slot)
{
	if (GROW(c->scope, c->nscope, c->cap_scope, 1) < 0)
		return oom(c);
	c->scope[c->nscope].name = c->d->slots[slot].name;
	c->scope[c->nscope].slot = slot;
	c->nscope++;
	return 0;
}

static int32_t
lookup(struct cc *c, const char *name)
{
	size_t i;

	for (i = c->nscope; i-- > 0;)
		if (strcmp(c->scope[i].name, name) == 0)
			return c->scope[i].slot;
	return -1;
}

static int
field_slot(struct cc *c, const xmlNode *n, const char *aname, int32_t *out)
{
	const char *f = attr(n, aname);

	if (f == NULL)
		return BAD(c, n, "'%s' has no '%s' attribute", lname(n), aname);
	*out = lookup(c, f);
	if (*out < 0)
		return BAD(c, n, "unknown field '%s' in '%s'", f, lname(n));
	return 0;
}

/* ---- expressions ---- */

static int
new_expr(struct cc *c, uint8_t kind, uint8_t type, const xmlNode *n, int32_t *out)
{
	struct pm_doc *d = c->d;
	struct pm_expr *e;

	if (d->nexpr >= MAX_EXPRS)
		return UNSUP(c, n, "expressions expand to more than %d nodes (nested function calls?)",
		    MAX_EXPRS);
	if (GROW(d->exprs, d->nexpr, c->cap_exprs, 1) < 0)
		return oom(c);
	e = &d->exprs[d->nexpr];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->type = type;
	e->slot = -1;
	e->c = NAN;
	e->mm = NAN;
	e->dv = NAN;
	e->line = (int32_t)line_of(n);
	*out = (int32_t)d->nexpr++;
	return 0;
}

static int
push_dbl(struct cc *c, double v)
{
	if (GROW(c->d->dbl, c->d->ndbl, c->cap_dbl, 1) < 0)
		return oom(c);
	c->d->dbl[c->d->ndbl++] = v;
	return 0;
}

static int cexpr(struct cc *c, const xmlNode *n, int32_t *out);

/* mapMissingTo / defaultValue, converted to the expression's type. */
static int
mm_dv(struct cc *c, const xmlNode *n, int32_t e)
{
	const char *a;
	double v;
	int rc;
	uint8_t t = c->d->exprs[e].type;

	a = attr(n, "mapMissingTo");
	if (a != NULL) {
		rc = conv(c, n, t, a, &v);
		if (rc < 0)
			return rc;
		c->d->exprs[e].has_mm = 1;
		c->d->exprs[e].mm = v;
	}
	a = attr(n, "defaultValue");
	if (a != NULL) {
		rc = conv(c, n, t, a, &v);
		if (rc < 0)
			return rc;
		c->d->exprs[e].has_dv = 1;
		c->d->exprs[e].dv = v;
	}
	return 0;
}

static const struct { const char *name; int fn; int nargs; uint8_t type; } fns[] = {
	/* nargs: -1 any >= 1; type 255: numeric of args, 254: type of arg 2 */
	{ "+", F_ADD, 2, PT_DOUBLE }, { "-", F_SUB, 2, PT_DOUBLE },
	{ "*", F_MUL, 2, PT_DOUBLE }, { "/", F_DIV, 2, PT_DOUBLE },
	{ "min", F_MIN, -1, PT_DOUBLE }, { "max", F_MAX, -1, PT_DOUBLE },
	{ "sum", F_SUM, -1, PT_DOUBLE }, { "avg", F_AVG, -1, PT_DOUBLE },
	{ "median", F_MEDIAN, -1, PT_DOUBLE }, { "product", F_PRODUCT, -1, PT_DOUBLE },
	{ "log10", F_LOG10, 1, PT_DOUBLE }, { "ln", F_LN, 1, PT_DOUBLE },
	{ "sqrt", F_SQRT, 1, PT_DOUBLE }, { "abs", F_ABS, 1, PT_DOUBLE },
	{ "exp", F_EXP, 1, PT_DOUBLE }, { "pow", F_POW, 2, PT_DOUBLE },
	{ "threshold", F_THRESHOLD, 2, PT_INTEGER }, { "floor", F_FLOOR, 1, PT_INTEGER },
	{ "ceil", F_CEIL, 1, PT_INTEGER }, { "round", F_ROUND, 1, PT_INTEGER },
	{ "rint", F_RINT, 1, PT_DOUBLE }, { "modulo", F_MODULO, 2, PT_DOUBLE },
	{ "isMissing", F_ISMISSING, 1, PT_BOOLEAN },
	{ "isNotMissing", F_ISNOTMISSING, 1, PT_BOOLEAN },
	{ "isValid", F_ISVALID, 1, PT_BOOLEAN }, { "isNotValid", F_ISINVALID, 1, PT_BOOLEAN },
	{ "isInvalid", F_ISINVALID, 1, PT_BOOLEAN },
	{ "equal", F_EQ, 2, PT_BOOLEAN }, { "notEqual", F_NE, 2, PT_BOOLEAN },
	{ "lessThan", F_LT, 2, PT_BOOLEAN }, { "lessOrEqual", F_LE, 2, PT_BOOLEAN },
	{ "greaterThan", F_GT, 2, PT_BOOLEAN }, { "greaterOrEqual", F_GE, 2, PT_BOOLEAN },
	{ "and", F_AND, -1, PT_BOOLEAN }, { "or", F_OR, -1, PT_BOOLEAN },
	{ "not", F_NOT, 1, PT_BOOLEAN }, { "isIn", F_ISIN, -1, PT_BOOLEAN },
	{ "isNotIn", F_ISNOTIN, -1, PT_BOOLEAN }, { "if", F_IF, -1, 254 },
	{ "uppercase", F_UPPER, 1, PT_STRING }, { "lowercase", F_LOWER, 1, PT_STRING },
	{ "substring", F_SUBSTR, 3, PT_STRING }, { "trimBlanks", F_TRIM, 1, PT_STRING },
	{ "concat", F_CONCAT, -1, PT_STRING }, { "replace", F_REPLACE, 3, PT_STRING },
	{ "matches", F_MATCHES, 2, PT_BOOLEAN }, { "formatNumber", F_FORMATNUMBER, 2, PT_STRING },
	{ "stringLength", F_STRLEN, 1, PT_INTEGER },
	{ "expm1", F_EXPM1, 1, PT_DOUBLE }, { "log1p", F_LOG1P, 1, PT_DOUBLE },
	{ "sin", F_SIN, 1, PT_DOUBLE }, { "cos", F_COS, 1, PT_DOUBLE },
	{ "tan", F_TAN, 1, PT_DOUBLE }, { "atan", F_ATAN, 1, PT_DOUBLE },
	{ "asin", F_ASIN, 1, PT_DOUBLE }, { "acos", F_ACOS, 1, PT_DOUBLE },
	{ "sinh", F_SINH, 1, PT_DOUBLE }, { "cosh", F_COSH, 1, PT_DOUBLE },
	{ "tanh", F_TANH, 1, PT_DOUBLE }, { "hypot", F_HYPOT, 2, PT_DOUBLE },
	{ "logit", F_LOGIT, 1, PT_DOUBLE }, { "sigmoid", F_SIGMOID, 1, PT_DOUBLE },
	{ "erf", F_ERF, 1, PT_DOUBLE },
	{ "normalCDF", F_NORMALCDF, 3, PT_DOUBLE }, { "normalPDF", F_NORMALPDF, 3, PT_DOUBLE },
	{ "normalIDF", F_NORMALIDF, 3, PT_DOUBLE },
	{ "stdNormalCDF", F_STDNORMALCDF, 1, PT_DOUBLE },
	{ "stdNormalPDF", F_STDNORMALPDF, 1, PT_DOUBLE },
	{ "stdNormalIDF", F_STDNORMALIDF, 1, PT_DOUBLE },
	{ NULL, 0, 0, 0 }
};

static const xmlNode *
find_func(struct cc *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nfuncs; i++)
		if (strcmp(c->funcs[i].name, name) == 0)
			return c->funcs[i].node;
	return NULL;
}

/* Wrap expression e in a cast to type t when its type differs. */
static int
cast_to(struct cc *c, const xmlNode *n, int32_t e, uint8_t t, int32_t *out)
{
	int32_t k;
	int rc;

	if (c->d->exprs[e].type == t ||
	    (!PT_IS_STR(t) && !PT_IS_STR(c->d->exprs[e].type) && t != PT_FLOAT &&
	    t != PT_INTEGER)) {
		*out = e;
		return 0;
	}
	rc = new_expr(c, E_CAST, t, n, &k);
	if (rc < 0)
		return rc;
	if (GROW(c->d->args, c->d->nargs, c->cap_args, 1) < 0)
		return oom(c);
	c->d->exprs[k].a0 = (int32_t)c->d->nargs;
	c->d->exprs[k].nargs = 1;
	c->d->args[c->d->nargs++] = e;
	*out = k;
	return 0;
}

static int
c_apply_user(struct cc *c, const xmlNode *n, const xmlNode *f, int32_t *args, int32_t nargs,
    int32_t *out)
{
	const xmlNode *k, *body = NULL;
	size_t saved_base = c->bind_base, saved_n = c->nbinds, np = 0;
	uint8_t t;
	int rc = 0;

	if (c->inline_depth >= MAX_INLINE)
		return UNSUP(c, n, "user-defined functions nested deeper than %d", MAX_INLINE);
	for (k = first_el(f); k != NULL; k = next_el(k)) {
		if (is(k, "ParameterField")) {
			const char *pn = attr(k, "name");
			if (pn == NULL)
				return BAD(c, k, "'ParameterField' has no 'name'");
			if ((int32_t)np >= nargs)
				return BAD(c, n, "function '%s' called with %d arguments, wants more",
				    attr(f, "name"), (int)nargs);
			if (GROW(c->binds, c->nbinds, c->cap_binds, 1) < 0)
				return oom(c);
			c->binds[c->nbinds].name = pn;
			c->binds[c->nbinds].expr = args[np++];
			c->nbinds++;
		} else if (is(k, "Extension")) {
			continue;
		} else if (body == NULL) {
			body = k;
		} else {
			return UNSUP(c, k, "unsupported element '%s' in 'DefineFunction'", lname(k));
		}
	}
	if ((int32_t)np != nargs) {
		c->nbinds = saved_n;
		return BAD(c, n, "function '%s' takes %zu arguments, called with %d",
		    attr(f, "name"), np, (int)nargs);
	}
	if (body == NULL) {
		c->nbinds = saved_n;
		return BAD(c, f, "'DefineFunction' '%s' has no expression", attr(f, "name"));
	}
	c->bind_base = saved_n;
	c->inline_depth++;
	rc = cexpr(c, body, out);
	c->inline_depth--;
	c->bind_base = saved_base;
	c->nbinds = saved_n;
	if (rc < 0)
		return rc;
	if (parse_type(attr(f, "dataType"), &t) == 0 && attr(f, "dataType") != NULL)
		rc = cast_to(c, f, *out, t, out);
	return rc;
}

static int
c_apply(struct cc *c, const xmlNode *n, int32_t *out)
{
	const char *fname = attr(n, "function");
	const xmlNode *k, *user;
	int32_t args[64], na = 0, e;
	size_t i;
	int rc, fi = -1;
	uint8_t t;

	if (fname == NULL)
		return BAD(c, n, "'Apply' has no 'function'");
	for (k = first_el(n); k != NULL; k = next_el(k)) {
		if (is(k, "Extension"))
			continue;
		if (na == 64)
			return UNSUP(c, k, "'Apply' with more than 64 arguments");
		rc = cexpr(c, k, &args[na]);
		if (rc < 0)
			return rc;
		na++;
	}
	user = find_func(c, fname);
	if (user != NULL) {
		rc = c_apply_user(c, n, user, args, na, out);
		if (rc < 0)
			return rc;
		return mm_dv(c, n, *out) < 0 ? -1 : 0;
	}
	{
		const char *fnm = strncmp(fname, "x-", 2) == 0 ? fname + 2 : fname;
		for (i = 0; fns[i].name != NULL; i++)
			if (strcmp(fns[i].name, fnm) == 0) {
				fi = (int)i;
				break;
			}
	}
	if (fi < 0)
		return UNSUP(c, n, "unsupported function '%s' in 'Apply'", fname);
	if ((fns[fi].nargs > 0 && na != fns[fi].nargs &&
	    !(fns[fi].fn == F_ROUND && na == 1)) || na == 0 ||
	    (fns[fi].fn == F_IF && na != 2 && na != 3) ||
	    ((fns[fi].fn == F_ISIN || fns[fi].fn == F_ISNOTIN) && na < 2))
		return BAD(c, n, "function '%s' called with %d arguments", fname, (int)na);
	t = fns[fi].type;
	if (t == 254)
		t = c->d->exprs[args[1]].type;
	if (t == PT_DOUBLE && c->fctx)
		t = PT_FLOAT;
	rc = new_expr(c, E_APPLY, t, n, &e);
	if (rc < 0)
		return rc;
	if (GROW(c->d->args, c->d->nargs, c->cap_args, (size_t)na) < 0)
		return oom(c);
	c->d->exprs[e].fn = fns[fi].fn;
	c->d->exprs[e].nargs = na;
	c->d->exprs[e].a0 = (int32_t)c->d->nargs;
	for (i = 0; i < (size_t)na; i++)
		c->d->args[c->d->nargs++] = args[i];
	{
		const char *ivt = attr(n, "invalidValueTreatment");
		if (ivt != NULL && strcmp(ivt, "returnInvalid") != 0 &&
		    strcmp(ivt, "asMissing") != 0 && strcmp(ivt, "asIs") != 0)
			return UNSUP(c, n, "unsupported invalidValueTreatment '%s' in 'Apply'", ivt);
	}
	*out = e;
	return mm_dv(c, n, e);
}

static int
c_constant(struct cc *c, const xmlNode *n, int32_t *out)
{
	char *txt = text_of(n);
	const char *dt = attr(n, "dataType");
	char *s;
	uint8_t t;
	double v;
	int rc;
	size_t i;

	if (txt == NULL)
		return oom(c);
	s = trim(txt);
	/* SAS quirk: <Constant>PARAM</Constant> inside a DefineFunction means
	 * <FieldRef field="PARAM"/> (jpmml's ExpressionCorrector does the same). */
	if (dt == NULL && c->inline_depth > 0) {
		for (i = c->nbinds; i-- > c->bind_base;)
			if (strcmp(c->binds[i].name, s) == 0) {
				*out = c->binds[i].expr;
				free(txt);
				return 0;
			}
	}
	if (dt != NULL) {
		if (parse_type(dt, &t) < 0) {
			free(txt);
			return UNSUP(c, n, "unsupported dataType '%s' in 'Constant'", dt);
		}
	} else {
		t = parse_num(s, &v) == 0 ? PT_DOUBLE : PT_STRING;
	}
	rc = new_expr(c, E_CONST, t, n, out);
	if (rc == 0) {
		if (attr_eq(n, "missing", "true"))
			c->d->exprs[*out].c = NAN;
		else {
			rc = conv(c, n, t, s, &v);
			if (rc == 0)
				c->d->exprs[*out].c = v;
		}
	}
	free(txt);
	return rc;
}

static int
c_fieldref(struct cc *c, const xmlNode *n, int32_t *out)
{
	const char *f = attr(n, "field");
	int32_t s;
	size_t i;
	int rc;

	if (f == NULL)
		return BAD(c, n, "'%s' has no 'field'", lname(n));
	if (c->inline_depth > 0) {
		for (i = c->nbinds; i-- > c->bind_base;)
			if (strcmp(c->binds[i].name, f) == 0) {
				if (attr(n, "mapMissingTo") == NULL) {
					*out = c->binds[i].expr;
					return 0;
				}
				/* wrap: a cast to the same type carries mapMissingTo */
				rc = new_expr(c, E_CAST, c->d->exprs[c->binds[i].expr].type, n, out);
				if (rc < 0)
					return rc;
				if (GROW(c->d->args, c->d->nargs, c->cap_args, 1) < 0)
					return oom(c);
				c->d->exprs[*out].a0 = (int32_t)c->d->nargs;
				c->d->exprs[*out].nargs = 1;
				c->d->args[c->d->nargs++] = c->binds[i].expr;
				return mm_dv(c, n, *out);
			}
		return BAD(c, n, "unknown parameter '%s' in function body", f);
	}
	s = lookup(c, f);
	if (s < 0)
		return BAD(c, n, "unknown field '%s' in '%s'", f, lname(n));
	rc = new_expr(c, E_FIELD, c->d->slots[s].type, n, out);
	if (rc < 0)
		return rc;
	c->d->exprs[*out].slot = s;
	return mm_dv(c, n, *out);
}

/* A field operand of a transformation: the slot, or inside a function body,
 * the bound argument expression (returned in *bound, slot -1). */
static int
operand(struct cc *c, const xmlNode *n, int32_t *slot, int32_t *bound, uint8_t *type)
{
	const char *f = attr(n, "field");
	size_t i;

	*bound = -1;
	*slot = -1;
	if (f == NULL)
		return BAD(c, n, "'%s' has no 'field'", lname(n));
	if (c->inline_depth > 0) {
		for (i = c->nbinds; i-- > c->bind_base;)
			if (strcmp(c->binds[i].name, f) == 0) {
				*bound = c->binds[i].expr;
				*type = c->d->exprs[*bound].type;
				return 0;
			}
		return BAD(c, n, "unknown parameter '%s' in function body", f);
	}
	*slot = lookup(c, f);
	if (*slot < 0)
		return BAD(c, n, "unknown field '%s' in '%s'", f, lname(n));
	*type = c->d->slots[*slot].type;
	return 0;
}

/* Transformations take their operand as argument 0 (a field expression). */
static int
operand_expr(struct cc *c, const xmlNode *n, int32_t *arg, uint8_t *type)
{
	int32_t slot, bound;
	int rc = operand(c, n, &slot, &bound, type);

	if (rc < 0)
		return rc;
	if (bound >= 0) {
		*arg = bound;
		return 0;
	}
	rc = new_expr(c, E_FIELD, *type, n, arg);
	if (rc == 0)
		c->d->exprs[*arg].slot = slot;
	return rc;
}

static int
set_args1(struct cc *c, int32_t e, int32_t a)
{
	if (GROW(c->d->args, c->d->nargs, c->cap_args, 1) < 0)
		return oom(c);
	c->d->exprs[e].a0 = (int32_t)c->d->nargs;
	c->d->exprs[e].nargs = 1;
	c->d->args[c->d->nargs++] = a;
	return 0;
}

static int
c_normcont(struct cc *c, const xmlNode *n, int32_t *out)
{
	const xmlNode *k;
	const char *o = attr(n, "outliers");
	int32_t a, e;
	uint8_t ft;
	int rc;
	double prev = -INFINITY;

	rc = operand_expr(c, n, &a, &ft);
	if (rc < 0)
		return rc;
	if (PT_IS_STR(ft))
		return BAD(c, n, "'NormContinuous' on the string field '%s'", attr(n, "field"));
	rc = new_expr(c, E_NORMCONT, c->fctx ? PT_FLOAT : PT_DOUBLE, n, &e);
	if (rc < 0 || (rc = set_args1(c, e, a)) < 0)
		return rc;
	c->d->exprs[e].d0 = (int32_t)c->d->ndbl;
	c->d->exprs[e].aux = o == NULL || strcmp(o, "asIs") == 0 ? OUTL_ASIS :
	    strcmp(o, "asMissingValues") == 0 ? OUTL_MISSING :
	    strcmp(o, "asExtremeValues") == 0 ? OUTL_EXTREME : -1;
	if (c->d->exprs[e].aux < 0)
		return UNSUP(c, n, "unsupported outliers '%s' in 'NormContinuous'", o);
	for (k = first_el(n); k != NULL; k = next_el(k)) {
		double orig, norm;
		if (is(k, "Extension"))
			continue;
		if (!is(k, "LinearNorm"))
			return UNSUP(c, k, "unsupported element '%s' in 'NormContinuous'", lname(k));
		if ((rc = num_attr(c, k, "orig", NAN, &orig)) < 0 ||
		    (rc = num_attr(c, k, "norm", NAN, &norm)) < 0)
			return rc;
		if (isnan(orig) || isnan(norm))
			return BAD(c, k, "'LinearNorm' needs 'orig' and 'norm'");
		if (orig <= prev)
			return BAD(c, k, "'LinearNorm' elements are not in increasing 'orig' order");
		prev = orig;
		if ((rc = push_dbl(c, orig)) < 0 || (rc = push_dbl(c, norm)) < 0)
			return rc;
		c->d->exprs[e].dn++;
	}
	if (c->d->exprs[e].dn < 2)
		return BAD(c, n, "'NormContinuous' needs at least two 'LinearNorm'");
	*out = e;
	return mm_dv(c, n, e);
}

static int
c_normdisc(struct cc *c, const xmlNode *n, int32_t *out)
{
	const char *v = attr(n, "value");
	int32_t a, e;
	uint8_t ft;
	double cv;
	int rc;

	if (v == NULL)
		return BAD(c, n, "'NormDiscrete' has no 'value'");
	if (attr(n, "method") != NULL && !attr_eq(n, "method", "indicator"))
		return UNSUP(c, n, "unsupported method '%s' in 'NormDiscrete'", attr(n, "method"));
	rc = operand_expr(c, n, &a, &ft);
	if (rc < 0)
		return rc;
	rc = conv(c, n, ft, v, &cv);
	if (rc < 0)
		return rc;
	rc = new_expr(c, E_NORMDISC, c->fctx ? PT_FLOAT : PT_DOUBLE, n, &e);
	if (rc < 0 || (rc = set_args1(c, e, a)) < 0)
		return rc;
	c->d->exprs[e].c = cv;
	*out = e;
	return mm_dv(c, n, e);
}

static int
interval(struct cc *c, const xmlNode *k, double *lo, double *hi, int *lc, int *hc)
{
	const char *cl = attr(k, "closure");
	int rc;

	if ((rc = num_attr(c, k, "leftMargin", -INFINITY, lo)) < 0 ||
	    (rc = num_attr(c, k, "rightMargin", INFINITY, hi)) < 0)
		return rc;
	if (cl == NULL)
		return BAD(c, k, "'Interval' has no 'closure'");
	if (strcmp(cl, "openClosed") == 0) { *lc = 0; *hc = 1; }
	else if (strcmp(cl, "openOpen") == 0) { *lc = 0; *hc = 0; }
	else if (strcmp(cl, "closedOpen") == 0) { *lc = 1; *hc = 0; }
	else if (strcmp(cl, "closedClosed") == 0) { *lc = 1; *hc = 1; }
	else
		return BAD(c, k, "bad closure '%s'", cl);
	return 0;
}

static int
c_discretize(struct cc *c, const xmlNode *n, int32_t *out)
{
	const xmlNode *k;
	int32_t a, e;
	uint8_t ft, t = PT_STRING;
	int rc;

	rc = operand_expr(c, n, &a, &ft);
	if (rc < 0)
		return rc;
	if (attr(n, "dataType") != NULL && parse_type(attr(n, "dataType"), &t) < 0)
		return UNSUP(c, n, "unsupported dataType '%s'", attr(n, "dataType"));
	rc = new_expr(c, E_DISCRETIZE, t, n, &e);
	if (rc < 0 || (rc = set_args1(c, e, a)) < 0)
		return rc;
	c->d->exprs[e].d0 = (int32_t)c->d->ndbl;
	for (k = first_el(n); k != NULL; k = next_el(k)) {
		const xmlNode *iv;
		const char *bv = attr(k, "binValue");
		double lo, hi, v;
		int lc, hc;
		if (is(k, "Extension"))
			continue;
		if (!is(k, "DiscretizeBin"))
			return UNSUP(c, k, "unsupported element '%s' in 'Discretize'", lname(k));
		iv = child(k, "Interval");
		if (iv == NULL || bv == NULL)
			return BAD(c, k, "'DiscretizeBin' needs 'binValue' and an 'Interval'");
		if ((rc = interval(c, iv, &lo, &hi, &lc, &hc)) < 0 ||
		    (rc = conv(c, k, t, bv, &v)) < 0)
			return rc;
		if ((rc = push_dbl(c, lo)) < 0 || (rc = push_dbl(c, hi)) < 0 ||
		    (rc = push_dbl(c, lc)) < 0 || (rc = push_dbl(c, hc)) < 0 ||
		    (rc = push_dbl(c, v)) < 0)
			return rc;
		c->d->exprs[e].dn++;
	}
	*out = e;
	return mm_dv(c, n, e);
}

/* The text of the cell of a row named column (local name; any namespace). */
static const xmlNode *
cell(const xmlNode *row, const char *col)
{
	const xmlNode *k;

	for (k = first_el(row); k != NULL; k = next_el(k))
		if (strcmp(lname(k), col) == 0)
			return k;
	return NULL;
}

static int
c_mapvalues(struct cc *c, const xmlNode *n, int32_t *out)
{
	const char *ocol = attr(n, "outputColumn");
	const xmlNode *k, *table = NULL;
	const char *cols[16];
	int32_t keys[16], e;
	uint8_t ktype[16], t = PT_STRING;
	int nk = 0, rc, i;

	if (ocol == NULL)
		return BAD(c, n, "'MapValues' has no 'outputColumn'");
	if (attr(n, "dataType") != NULL && parse_type(attr(n, "dataType"), &t) < 0)
		return UNSUP(c, n, "unsupported dataType '%s'", attr(n, "dataType"));
	for (k = first_el(n); k != NULL; k = next_el(k)) {
		if (is(k, "FieldColumnPair")) {
			if (nk == 16)
				return UNSUP(c, k, "'MapValues' with more than 16 keys");
			cols[nk] = attr(k, "column");
			if (cols[nk] == NULL)
				return BAD(c, k, "'FieldColumnPair' has no 'column'");
			rc = operand_expr(c, k, &keys[nk], &ktype[nk]);
			if (rc < 0)
				return rc;
			nk++;
		} else if (is(k, "InlineTable")) {
			table = k;
		} else if (is(k, "Extension")) {
			continue;
		} else {
			return UNSUP(c, k, "unsupported element '%s' in 'MapValues'", lname(k));
		}
	}
	if (nk == 0 || table == NULL)
		return BAD(c, n, "'MapValues' needs a 'FieldColumnPair' and an 'InlineTable'");
	rc = new_expr(c, E_MAPVALUES, t, n, &e);
	if (rc < 0)
		return rc;
	if (GROW(c->d->args, c->d->nargs, c->cap_args, (size_t)nk) < 0)
		return oom(c);
	c->d->exprs[e].a0 = (int32_t)c->d->nargs;
	c->d->exprs[e].nargs = nk;
	for (i = 0; i < nk; i++)
		c->d->args[c->d->nargs++] = keys[i];
	c->d->exprs[e].aux = nk;
	c->d->exprs[e].d0 = (int32_t)c->d->ndbl;
	for (k = first_el(table); k != NULL; k = next_el(k)) {
		const xmlNode *cl;
		char *txt;
		double v;
		if (is(k, "Extension"))
			continue;
		if (!is(k, "row"))
			return UNSUP(c, k, "unsupported element '%s' in 'InlineTable'", lname(k));
		for (i = 0; i <= nk; i++) {
			const char *col = i < nk ? cols[i] : ocol;
			cl = cell(k, col);
			if (cl == NULL)
				return BAD(c, k, "'row' has no column '%s'", col);
			txt = text_of(cl);
			if (txt == NULL)
				return oom(c);
			rc = conv(c, cl, i < nk ? ktype[i] : t, trim(txt), &v);
			free(txt);
			if (rc < 0)
				return rc;
			if ((rc = push_dbl(c, v)) < 0)
				return rc;
		}
		c->d->exprs[e].dn++;
	}
	*out = e;
	return mm_dv(c, n, e);
}

static int
cexpr(struct cc *c, const xmlNode *n, int32_t *out)
{
	if (is(n, "Constant"))
		return c_constant(c, n, out);
	if (is(n, "FieldRef"))
		return c_fieldref(c, n, out);
	if (is(n, "Apply"))
		return c_apply(c, n, out);
	if (is(n, "NormContinuous"))
		return c_normcont(c, n, out);
	if (is(n, "NormDiscrete"))
		return c_normdisc(c, n, out);
	if (is(n, "Discretize"))
		return c_discretize(c, n, out);
	if (is(n, "MapValues"))
		return c_mapvalues(c, n, out);
	return UNSUP(c, n, "unsupported expression element '%s'", lname(n));
}

/* A DerivedField: compile its expression into a new slot (a step). */
static int
c_derived(struct cc *c, const xmlNode *n, int32_t *slot_out)
{
	const char *name = attr(n, "name");
	const char *dt = attr(n, "dataType");
	const xmlNode *k, *ex = NULL;
	int32_t e, s;
	uint8_t t;
	int rc;

	if (name == NULL)
		return BAD(c, n, "'DerivedField' has no 'name'");
	for (k = first_el(n); k != NULL; k = next_el(k)) {
		if (is(k, "Extension") || is(k, "Value"))
			continue;
		if (ex != NULL)
			return UNSUP(c, k, "unsupported element '%s' in 'DerivedField'", lname(k));
		ex = k;
	}
	if (ex == NULL)
		return BAD(c, n, "'DerivedField' '%s' has no expression", name);
	rc = cexpr(c, ex, &e);
	if (rc < 0)
		return rc;
	t = c->d->exprs[e].type;
	if (dt != NULL) {
		if (parse_type(dt, &t) < 0)
			return UNSUP(c, n, "unsupported dataType '%s'", dt);
		rc = cast_to(c, n, e, t, &e);
		if (rc < 0)
			return rc;
	}
	rc = new_slot(c, name, t, attr_eq(n, "optype", "categorical") ||
	    attr_eq(n, "optype", "ordinal"), &s);
	if (rc < 0)
		return rc;
	/* A plain copy of another field (FieldRef, maybe cast to float): remembered
	 * for tree.h, which walks trees on the model's features. */
	{
		const struct pm_expr *x = &c->d->exprs[e];
		int fl = 0;
		if (x->kind == E_CAST && x->nargs == 1 && !x->has_mm &&
		    (x->type == PT_FLOAT || x->type == PT_DOUBLE)) {
			fl = x->type == PT_FLOAT;
			x = &c->d->exprs[c->d->args[x->a0]];
		}
		if (x->kind == E_FIELD && !x->has_mm && x->slot >= 0 &&
		    !PT_IS_STR(x->type) == !PT_IS_STR(t)) {
			c->d->slots[s].alias_of = x->slot;
			c->d->slots[s].alias_float = (uint8_t)(fl || t == PT_FLOAT);
		}
	}
	if (GROW(c->steps, c->nsteps, c->cap_steps, 1) < 0)
		return oom(c);
	c->steps[c->nsteps].dst = s;
	c->steps[c->nsteps].expr = e;
	c->steps[c->nsteps].treat = -1;
	c->nsteps++;
	rc = push_scope(c, s);
	if (rc == 0 && slot_out != NULL)
		*slot_out = s;
	return rc;
}

static int
c_transformations(struct cc *c, const xmlNode *n)
{
	const xmlNode *k;
	int rc;

	for (k = first_el(n); k != NULL; k = next_el(k)) {
		if (is(k, "Extension"))
			continue;
		if (is(k, "DefineFunction")) {
			if (attr(k, "name") == NULL)
				return BAD(c, k, "'DefineFunction' has no 'name'");
			if (GROW(c->funcs, c->nfuncs, c->cap_funcs, 1) < 0)
				return oom(c);
			c->funcs[c->nfuncs].name = attr(k, "name");
			c->funcs[c->nfuncs].node = (xmlNode *)k;
			c->nfuncs++;
			continue;
		}
		if (!is(k, "DerivedField"))
			return UNSUP(c, k, "unsupported element '%s' in '%s'", lname(k), lname(n));
		rc = c_derived(c, k, NULL);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- tree builder ---- */

struct tb {
	struct pm_tree *t;
	size_t cap_tests, cap_leaves, cap_set, cap_probs;
	int32_t null_leaf;
	int classification;
};

static int
tb_leaf(struct cc *c, struct tb *b, double value, int32_t prob, double count, int32_t *out)
{
	struct pm_tree *t = b->t;

	if (GROW(t->leaves, t->nleaf, b->cap_leaves, 1) < 0)
		return oom(c);
	t->leaves[t->nleaf].value = value;
	t->leaves[t->nleaf].prob = prob;
	t->leaves[t->nleaf].count = count;
	t->leaves[t->nleaf].inner = 0;
	*out = ~(int32_t)t->nleaf++;
	return 0;
}

static int
tb_null(struct cc *c, struct tb *b, int32_t *out)
{
	int rc;

	if (b->null_leaf == 0) {
		rc = tb_leaf(c, b, NAN, -1, NAN, &b->null_leaf);
		if (rc < 0)
			return rc;
	}
	*out = b->null_leaf;
	return 0;
}

static int
tb_test(struct cc *c, struct tb *b, int32_t slot, uint8_t op, double t, uint16_t nset,
    int32_t tt, int32_t tf, int32_t tu, int32_t *out)
{
	struct pm_tree *tr = b->t;
	struct pm_tnode *n;

	if (tr->ntest >= MAX_TESTS)
		return AUD_ERROR(c->err, AUD_EUNSUPPORTED,
		    "%s: a tree compiles to more than %d tests (nested compound predicates?)",
		    c->path, MAX_TESTS);
	if (GROW(tr->tests, tr->ntest, b->cap_tests, 1) < 0)
		return oom(c);
	n = &tr->tests[tr->ntest];
	n->slot = slot;
	n->op = op;
	n->fcast = slot >= 0 && c->d->slots[slot].type == PT_FLOAT;
	n->nset = nset;
	n->t = t;
	n->next[0] = tt;
	n->next[1] = tf;
	n->next[2] = tu;
	*out = (int32_t)tr->ntest++;
	return 0;
}

/* Parse the values of an <Array> into the tree's set. */
static int
parse_array(struct cc *c, struct tb *b, const xmlNode *arr, uint8_t type, size_t *n0, size_t *nn)
{
	char *txt = text_of(arr), *p;
	int rc = 0;

	if (txt == NULL)
		return oom(c);
	*n0 = b->t->nset;
	*nn = 0;
	p = txt;
	for (;;) {
		char *tok;
		double v;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (*p == '"') {
			char *w;
			tok = w = ++p;
			while (*p != '\0' && *p != '"') {
				if (*p == '\\' && p[1] == '"')
					p++;
				*w++ = *p++;
			}
			if (*p == '"')
				p++;
			*w = '\0';
		} else {
			tok = p;
			while (*p != '\0' && !isspace((unsigned char)*p))
				p++;
			if (*p != '\0')
				*p++ = '\0';
		}
		rc = conv(c, arr, type, tok, &v);
		if (rc < 0)
			break;
		if (GROW(b->t->set, b->t->nset, b->cap_set, 1) < 0) {
			rc = oom(c);
			break;
		}
		b->t->set[b->t->nset++] = v;
		(*nn)++;
		if (*p == '\0')
			break;
	}
	free(txt);
	if (rc == 0 && *nn > UINT16_MAX)
		rc = UNSUP(c, arr, "'Array' with more than 65535 values");
	return rc;
}

static int
is_pred(const xmlNode *n)
{
	return is(n, "True") || is(n, "False") || is(n, "SimplePredicate") ||
	    is(n, "SimpleSetPredicate") || is(n, "CompoundPredicate");
}

/* Compile predicate p into test nodes: entry reached on TRUE -> tt, FALSE -> tf, UNKNOWN -> tu. */
static int
c_pred(struct cc *c, struct tb *b, const xmlNode *p, int32_t tt, int32_t tf, int32_t tu,
    int depth, int32_t *out)
{
	int rc;

	if (depth > MAX_PRED_DEPTH)
		return UNSUP(c, p, "predicates nested deeper than %d", MAX_PRED_DEPTH);
	if (is(p, "True")) {
		*out = tt;
		return 0;
	}
	if (is(p, "False")) {
		*out = tf;
		return 0;
	}
	if (is(p, "SimplePredicate")) {
		const char *op = attr(p, "operator"), *v = attr(p, "value");
		int32_t slot;
		uint8_t o;
		double cv = 0;
		rc = field_slot(c, p, "field", &slot);
		if (rc < 0)
			return rc;
		if (op == NULL)
			return BAD(c, p, "'SimplePredicate' has no 'operator'");
		if (strcmp(op, "equal") == 0) o = OP_EQ;
		else if (strcmp(op, "notEqual") == 0) o = OP_NE;
		else if (strcmp(op, "lessThan") == 0) o = OP_LT;
		else if (strcmp(op, "lessOrEqual") == 0) o = OP_LE;
		else if (strcmp(op, "greaterThan") == 0) o = OP_GT;
		else if (strcmp(op, "greaterOrEqual") == 0) o = OP_GE;
		else if (strcmp(op, "isMissing") == 0) o = OP_ISMISSING;
		else if (strcmp(op, "isNotMissing") == 0) o = OP_NOTMISSING;
		else
			return UNSUP(c, p, "unsupported operator '%s' in 'SimplePredicate'", op);
		if (o != OP_ISMISSING && o != OP_NOTMISSING) {
			if (v == NULL)
				return BAD(c, p, "'SimplePredicate' has no 'value'");
			if (PT_IS_STR(c->d->slots[slot].type) && o != OP_EQ && o != OP_NE)
				return UNSUP(c, p, "ordering comparison '%s' on the string field '%s'",
				    op, attr(p, "field"));
			rc = conv(c, p, c->d->slots[slot].type, v, &cv);
			if (rc < 0)
				return rc;
		}
		return tb_test(c, b, slot, o, cv, 0, tt, tf, tu, out);
	}
	if (is(p, "SimpleSetPredicate")) {
		const char *bo = attr(p, "booleanOperator");
		const xmlNode *arr = child(p, "Array");
		int32_t slot;
		size_t n0 = 0, nn = 0;
		uint8_t o;
		rc = field_slot(c, p, "field", &slot);
		if (rc < 0)
			return rc;
		if (bo == NULL || arr == NULL)
			return BAD(c, p, "'SimpleSetPredicate' needs 'booleanOperator' and an 'Array'");
		if (strcmp(bo, "isIn") == 0) o = OP_IN;
		else if (strcmp(bo, "isNotIn") == 0) o = OP_NOTIN;
		else
			return UNSUP(c, p, "unsupported booleanOperator '%s'", bo);
		rc = parse_array(c, b, arr, c->d->slots[slot].type, &n0, &nn);
		if (rc < 0)
			return rc;
		return tb_test(c, b, slot, o, (double)n0, (uint16_t)nn, tt, tf, tu, out);
	}
	if (is(p, "CompoundPredicate")) {
		const char *bo = attr(p, "booleanOperator");
		const xmlNode *k;
		const xmlNode *ps[256];
		int np = 0, i;
		int32_t ea, eb;
		if (bo == NULL)
			return BAD(c, p, "'CompoundPredicate' has no 'booleanOperator'");
		for (k = first_el(p); k != NULL; k = next_el(k)) {
			if (is(k, "Extension"))
				continue;
			if (!is_pred(k))
				return UNSUP(c, k, "unsupported predicate '%s'", lname(k));
			if (np == 256)
				return UNSUP(c, k, "'CompoundPredicate' with more than 256 parts");
			ps[np++] = k;
		}
		if (np == 0)
			return BAD(c, p, "empty 'CompoundPredicate'");
		if (strcmp(bo, "and") == 0) {
			/* ea: all true so far; eb: some unknown so far */
			ea = tt;
			eb = tu;
			for (i = np - 1; i >= 0; i--) {
				int32_t na, nb;
				if ((rc = c_pred(c, b, ps[i], ea, tf, eb, depth + 1, &na)) < 0 ||
				    (rc = c_pred(c, b, ps[i], eb, tf, eb, depth + 1, &nb)) < 0)
					return rc;
				ea = na;
				eb = nb;
			}
			*out = ea;
			return 0;
		}
		if (strcmp(bo, "or") == 0) {
			ea = tf; /* all false so far */
			eb = tu;
			for (i = np - 1; i >= 0; i--) {
				int32_t na, nb;
				if ((rc = c_pred(c, b, ps[i], tt, ea, eb, depth + 1, &na)) < 0 ||
				    (rc = c_pred(c, b, ps[i], tt, eb, eb, depth + 1, &nb)) < 0)
					return rc;
				ea = na;
				eb = nb;
			}
			*out = ea;
			return 0;
		}
		if (strcmp(bo, "xor") == 0) {
			ea = tf; /* even parity so far */
			eb = tt; /* odd */
			for (i = np - 1; i >= 0; i--) {
				int32_t na, nb;
				if ((rc = c_pred(c, b, ps[i], eb, ea, tu, depth + 1, &na)) < 0 ||
				    (rc = c_pred(c, b, ps[i], ea, eb, tu, depth + 1, &nb)) < 0)
					return rc;
				ea = na;
				eb = nb;
			}
			*out = ea;
			return 0;
		}
		if (strcmp(bo, "surrogate") == 0) {
			ea = tu;
			for (i = np - 1; i >= 0; i--) {
				rc = c_pred(c, b, ps[i], tt, tf, ea, depth + 1, &ea);
				if (rc < 0)
					return rc;
			}
			*out = ea;
			return 0;
		}
		return UNSUP(c, p, "unsupported booleanOperator '%s'", bo);
	}
	return UNSUP(c, p, "unsupported predicate '%s'", lname(p));
}

static const xmlNode *
pred_of(const xmlNode *n)
{
	const xmlNode *k;

	for (k = first_el(n); k != NULL; k = next_el(k))
		if (is_pred(k))
			return k;
	return NULL;
}

/* ---- TreeModel ---- */

/* 1 when simple predicates a and b are exact complements on known values. */
static int
complement(const xmlNode *a, const xmlNode *b)
{
	static const char *const pairs[][2] = {
		{ "lessOrEqual", "greaterThan" }, { "greaterThan", "lessOrEqual" },
		{ "lessThan", "greaterOrEqual" }, { "greaterOrEqual", "lessThan" },
		{ "equal", "notEqual" }, { "notEqual", "equal" }
	};
	const char *oa, *ob;
	size_t i;

	if (b == NULL || !is(a, "SimplePredicate") || !is(b, "SimplePredicate"))
		return 0;
	oa = attr(a, "operator");
	ob = attr(b, "operator");
	if (oa == NULL || ob == NULL || attr(a, "field") == NULL || attr(b, "field") == NULL ||
	    attr(a, "value") == NULL || attr(b, "value") == NULL ||
	    strcmp(attr(a, "field"), attr(b, "field")) != 0 ||
	    strcmp(attr(a, "value"), attr(b, "value")) != 0)
		return 0;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (strcmp(oa, pairs[i][0]) == 0 && strcmp(ob, pairs[i][1]) == 0)
			return 1;
	return 0;
}

enum mvs { MVS_NONE, MVS_LAST, MVS_NULL, MVS_DEFAULT, MVS_WEIGHTED, MVS_AGGREGATE };

struct tctx {
	struct tb b;
	int mvs;
	int ntc_last;
	struct pm_model *m;
	int depth;
	/* the children of every node on the current path, and their entry
	 * points: one heap stack shared by the recursion (a frame of c_node
	 * stays small however wide a node is) */
	xmlNode **kids;
	int32_t *ent;
	size_t nstk, cap_kids, cap_ent;
};

/* The leaf that returns node n's own prediction (cached in n->_private). */
static int
node_leaf(struct cc *c, struct tctx *x, xmlNode *n, int32_t *out)
{
	const char *score = attr(n, "score");
	const xmlNode *k;
	double cnt, value = NAN;
	int32_t prob = -1;
	int rc;

	if (n->_private != NULL) {
		*out = (int32_t)(intptr_t)n->_private - 1;
		return 0;
	}
	rc = num_attr(c, n, "recordCount", NAN, &cnt);
	if (rc < 0)
		return rc;
	if (!x->m->classification) {
		if (score != NULL) {
			rc = conv(c, n, c->fctx ? PT_FLOAT : PT_DOUBLE, score, &value);
			if (rc < 0)
				return rc;
		}
	} else {
		size_t nc = c->d->ncat, i;
		double *pr = NULL, tot = 0;
		int anyp = 0, nsd = 0;
		int32_t ci;
		struct pm_tree *t = x->b.t;
		for (k = first_el(n); k != NULL; k = next_el(k))
			if (is(k, "ScoreDistribution"))
				nsd++;
		if (nsd > 0) {
			if (GROW(t->probs, t->nprobs, x->b.cap_probs, nc) < 0)
				return oom(c);
			prob = (int32_t)t->nprobs;
			pr = t->probs + t->nprobs;
			t->nprobs += nc;
			for (i = 0; i < nc; i++)
				pr[i] = 0;
			for (k = first_el(n); k != NULL; k = next_el(k)) {
				double rcnt, p;
				if (!is(k, "ScoreDistribution"))
					continue;
				if (attr(k, "value") == NULL)
					return BAD(c, k, "'ScoreDistribution' has no 'value'");
				rc = cat_index(c, k, attr(k, "value"), &ci);
				if (rc < 0)
					return rc;
				if ((size_t)ci >= nc)
					return BAD(c, k, "category '%s' is not declared", attr(k, "value"));
				if ((rc = num_attr(c, k, "recordCount", NAN, &rcnt)) < 0 ||
				    (rc = num_attr(c, k, "probability", NAN, &p)) < 0)
					return rc;
				if (!isnan(p)) {
					anyp = 1;
					pr[ci] = p;
				} else {
					if (isnan(rcnt))
						return BAD(c, k, "'ScoreDistribution' has neither 'recordCount' nor 'probability'");
					pr[ci] = rcnt;
					tot += rcnt;
				}
			}
			if (!anyp)
				for (i = 0; i < nc; i++)
					pr[i] = tot > 0 ? pr[i] / tot : NAN;
		}
		if (score != NULL) {
			rc = cat_index(c, n, score, &ci);
			if (rc < 0)
				return rc;
			value = c->d->cats[ci];
		} else if (pr != NULL) {
			size_t best = 0;
			for (i = 1; i < nc; i++)
				if (pr[i] > pr[best])
					best = i;
			value = c->d->cats[best];
		}
		if (isnan(value))
			prob = -1;
	}
	rc = tb_leaf(c, &x->b, value, prob, cnt, out);
	if (rc == 0)
		n->_private = (void *)(intptr_t)(*out + 1);
	return rc;
}

static int
c_node(struct cc *c, struct tctx *x, xmlNode *n, int32_t *out)
{
	xmlNode *k;
	const size_t base = x->nstk;
	int nk = 0, i, rc;
	int32_t fall, dflt = 0, unk, e;
	const char *dc = attr(n, "defaultChild");

#define KID(i) (x->kids[base + (size_t)(i)])
#define ENT(i) (x->ent[base + (size_t)(i)])
	if (++x->depth > MAX_TREE_DEPTH)
		return UNSUP(c, n, "tree deeper than %d levels", MAX_TREE_DEPTH);
	for (k = first_el(n); k != NULL; k = next_el(k)) {
		if (is(k, "Node")) {
			if (nk == MAX_NODE_KIDS)
				return UNSUP(c, k, "node with more than %d children", MAX_NODE_KIDS);
			if (GROW(x->kids, x->nstk, x->cap_kids, 1) < 0 ||
			    GROW(x->ent, x->nstk, x->cap_ent, 1) < 0)
				return oom(c);
			x->kids[x->nstk] = k;
			x->ent[x->nstk++] = -1;
			nk++;
		} else if (!is_pred(k) && !is(k, "ScoreDistribution") && !is(k, "Extension") &&
		    !is(k, "Partition")) {
			return UNSUP(c, k, "unsupported element '%s' in 'Node'", lname(k));
		}
	}
	if (nk == 0) {
		x->depth--;
		return node_leaf(c, x, n, out);
	}
	for (i = 0; i < nk; i++) {
		/* the recursion may move the stack: no pointer into it across the call */
		rc = c_node(c, x, KID(i), &e);
		if (rc < 0)
			return rc;
		ENT(i) = e;
	}
	if (x->ntc_last) {
		rc = node_leaf(c, x, n, &fall);
		if (rc == 0)
			x->b.t->leaves[~fall].inner = 1;
	} else {
		rc = tb_null(c, &x->b, &fall);
	}
	if (rc < 0)
		return rc;
	if (x->mvs == MVS_DEFAULT) {
		if (dc == NULL) {
			rc = tb_null(c, &x->b, &dflt);
		} else {
			for (i = 0; i < nk; i++)
				if (attr(KID(i), "id") != NULL && strcmp(attr(KID(i), "id"), dc) == 0)
					break;
			if (i == nk)
				return BAD(c, n, "'defaultChild' '%s' is not a child node", dc);
			dflt = ENT(i);
		}
	} else if (x->mvs == MVS_LAST) {
		rc = node_leaf(c, x, n, &dflt);
		if (rc == 0)
			x->b.t->leaves[~dflt].inner = 1;
	} else if (x->mvs == MVS_NULL) {
		rc = tb_null(c, &x->b, &dflt);
	} else if (x->mvs == MVS_WEIGHTED || x->mvs == MVS_AGGREGATE) {
		/* a fork: follow every child, weighted by its recordCount */
		size_t off;
		struct pm_tree *t = x->b.t;
		if (GROW(t->set, t->nset, x->b.cap_set, 2 * (size_t)nk) < 0)
			return oom(c);
		off = t->nset;
		for (i = 0; i < nk; i++) {
			double w = 1;
			if (x->mvs == MVS_WEIGHTED) {
				if ((rc = num_attr(c, KID(i), "recordCount", NAN, &w)) < 0)
					return rc;
				if (isnan(w))
					return BAD(c, KID(i), "missingValueStrategy 'weightedConfidence' needs 'recordCount' on every 'Node'");
			}
			t->set[t->nset++] = ENT(i);
			t->set[t->nset++] = w;
		}
		rc = tb_test(c, &x->b, -1, OP_FORK, (double)off, (uint16_t)nk, 0, 0, 0, &dflt);
	}
	if (rc < 0)
		return rc;
	for (i = nk - 1; i >= 0; i--) {
		const xmlNode *p = pred_of(KID(i));
		int32_t f = fall;
		if (p == NULL)
			return BAD(c, KID(i), "'Node' has no predicate");
		unk = x->mvs == MVS_NONE ? fall : dflt;
		/* x <= t, then x > t (the usual binary split): when the first is
		 * false on a known value the second is true, so go straight to its
		 * child; an unknown value still takes the unknown path */
		if (i == nk - 2 && complement(p, pred_of(KID(nk - 1))))
			f = ENT(nk - 1);
		rc = c_pred(c, &x->b, p, ENT(i), f, unk, 0, &fall);
		if (rc < 0)
			return rc;
	}
#undef KID
#undef ENT
	x->nstk = base;
	*out = fall;
	x->depth--;
	return 0;
}

static int
c_tree(struct cc *c, const xmlNode *tm, struct pm_model *m)
{
	const char *mvs = attr(tm, "missingValueStrategy");
	const char *ntc = attr(tm, "noTrueChildStrategy");
	struct tctx x;
	xmlNode *root = NULL, *k;
	const xmlNode *p;
	int32_t ent, nl;
	double pen;
	int rc;

	memset(&x, 0, sizeof(x));
	x.b.t = &m->tree;
	x.m = m;
	if (mvs == NULL || strcmp(mvs, "none") == 0) x.mvs = MVS_NONE;
	else if (strcmp(mvs, "lastPrediction") == 0) x.mvs = MVS_LAST;
	else if (strcmp(mvs, "nullPrediction") == 0) x.mvs = MVS_NULL;
	else if (strcmp(mvs, "defaultChild") == 0) x.mvs = MVS_DEFAULT;
	else if (strcmp(mvs, "weightedConfidence") == 0) x.mvs = MVS_WEIGHTED;
	else if (strcmp(mvs, "aggregateNodes") == 0) x.mvs = MVS_AGGREGATE;
	else
		return UNSUP(c, tm, "unsupported missingValueStrategy '%s'", mvs);
	if (ntc == NULL || strcmp(ntc, "returnNullPrediction") == 0) x.ntc_last = 0;
	else if (strcmp(ntc, "returnLastPrediction") == 0) x.ntc_last = 1;
	else
		return UNSUP(c, tm, "unsupported noTrueChildStrategy '%s'", ntc);
	rc = num_attr(c, tm, "missingValuePenalty", 1.0, &pen);
	if (rc < 0)
		return rc;
	if (pen != 1.0)
		return UNSUP(c, tm, "unsupported missingValuePenalty '%s'", attr(tm, "missingValuePenalty"));
	for (k = first_el(tm); k != NULL; k = next_el(k)) {
		if (is(k, "Node")) {
			if (root != NULL)
				return BAD(c, k, "'TreeModel' with two root nodes");
			root = k;
		} else if (!informational(k)) {
			return UNSUP(c, k, "unsupported element '%s' in 'TreeModel'", lname(k));
		}
	}
	if (root == NULL)
		return BAD(c, tm, "'TreeModel' has no 'Node'");
	rc = c_node(c, &x, root, &ent);
	free(x.kids);
	free(x.ent);
	if (rc < 0)
		return rc;
	p = pred_of(root);
	if (p == NULL)
		return BAD(c, root, "'Node' has no predicate");
	if (!is(p, "True")) {
		rc = tb_null(c, &x.b, &nl);
		if (rc < 0)
			return rc;
		rc = c_pred(c, &x.b, p, ent, nl, x.mvs == MVS_LAST ? nl : nl, 0, &ent);
		if (rc < 0)
			return rc;
	}
	m->tree.root = ent;
	m->tree.fork = x.mvs == MVS_WEIGHTED ? 1 : x.mvs == MVS_AGGREGATE ? 2 : 0;
	return 0;
}

/* A segment or stand-alone predicate as a tiny tree: leaves 1 (true), 0, NAN. */
static int
c_pred_tree(struct cc *c, const xmlNode *p, struct pm_tree *t)
{
	struct tb b;
	int32_t lt, lf, lu;
	int rc;

	memset(&b, 0, sizeof(b));
	b.t = t;
	if ((rc = tb_leaf(c, &b, 1, -1, NAN, &lt)) < 0 ||
	    (rc = tb_leaf(c, &b, 0, -1, NAN, &lf)) < 0 ||
	    (rc = tb_leaf(c, &b, NAN, -1, NAN, &lu)) < 0)
		return rc;
	return c_pred(c, &b, p, lt, lf, lu, 0, &t->root);
}

/* ---- RegressionModel ---- */

static int
push_factor(struct cc *c, size_t *nf, size_t *cap, struct pm_factor **fac, int32_t slot,
    uint8_t kind, double v)
{
	if (grow_((void **)fac, cap, *nf + 1, sizeof(**fac)) < 0)
		return oom(c);
	(*fac)[*nf].slot = slot;
	(*fac)[*nf].kind = kind;
	(*fac)[*nf].v = v;
	(*nf)++;
	return 0;
}

/* The model's term and factor arrays are stored after its tables. */
struct lin {
	struct pm_term *terms;
	size_t nterms, cap_terms;
	struct pm_factor *fac;
	size_t nfac, cap_fac;
};

static int
parse_norm(const char *s, uint8_t *out)
{
	static const struct { const char *n; uint8_t v; } t[] = {
		{ "none", N_NONE }, { "softmax", N_SOFTMAX }, { "logit", N_LOGIT },
		{ "probit", N_PROBIT }, { "cloglog", N_CLOGLOG }, { "exp", N_EXP },
		{ "loglog", N_LOGLOG }, { "cauchit", N_CAUCHIT }, { "simplemax", N_SIMPLEMAX },
		{ "identity", N_IDENTITY }, { "log", N_LOG }, { "power", N_POWER },
		{ "oddspower", N_ODDSPOWER }, { NULL, 0 }
	};
	size_t i;

	if (s == NULL) {
		*out = N_NONE;
		return 0;
	}
	for (i = 0; t[i].n != NULL; i++)
		if (strcmp(t[i].n, s) == 0) {
			*out = t[i].v;
			return 0;
		}
	return -1;
}

static int
add_term(struct cc *c, struct lin *l, double coef, int32_t *t0)
{
	if (GROW(l->terms, l->nterms, l->cap_terms, 1) < 0)
		return oom(c);
	l->terms[l->nterms].coef = coef;
	l->terms[l->nterms].f0 = (int32_t)l->nfac;
	l->terms[l->nterms].fn = 0;
	if (t0 != NULL)
		*t0 = (int32_t)l->nterms;
	l->nterms++;
	return 0;
}

static int
c_regression(struct cc *c, const xmlNode *rm, struct pm_model *m, struct lin *l)
{
	const xmlNode *k, *p;
	size_t nt = 0;
	int rc;

	if (parse_norm(attr(rm, "normalizationMethod"), &m->norm) < 0 || m->norm >= N_IDENTITY)
		return UNSUP(c, rm, "unsupported normalizationMethod '%s'", attr(rm, "normalizationMethod"));
	for (k = first_el(rm); k != NULL; k = next_el(k))
		if (is(k, "RegressionTable"))
			nt++;
		else if (!informational(k))
			return UNSUP(c, k, "unsupported element '%s' in 'RegressionModel'", lname(k));
	if (nt == 0)
		return BAD(c, rm, "'RegressionModel' has no 'RegressionTable'");
	m->tables = calloc(nt, sizeof(*m->tables));
	if (m->tables == NULL)
		return oom(c);
	for (k = first_el(rm); k != NULL; k = next_el(k)) {
		struct pm_rtable *t;
		if (!is(k, "RegressionTable"))
			continue;
		t = &m->tables[m->ntables++];
		t->cat = -1;
		if ((rc = num_attr_f(c, k, "intercept", NAN, &t->intercept)) < 0)
			return rc;
		if (isnan(t->intercept))
			return BAD(c, k, "'RegressionTable' has no 'intercept'");
		if (m->classification) {
			const char *tc = attr(k, "targetCategory");
			if (tc == NULL)
				return BAD(c, k, "'RegressionTable' of a classifier has no 'targetCategory'");
			rc = cat_index(c, k, tc, &t->cat);
			if (rc < 0)
				return rc;
		}
		t->t0 = (int32_t)l->nterms;
		for (p = first_el(k); p != NULL; p = next_el(p)) {
			double coef, v;
			int32_t slot, ti;
			if (is(p, "Extension"))
				continue;
			if (!is(p, "NumericPredictor") && !is(p, "CategoricalPredictor") &&
			    !is(p, "PredictorTerm"))
				return UNSUP(c, p, "unsupported element '%s' in 'RegressionTable'", lname(p));
			if ((rc = num_attr_f(c, p, "coefficient", NAN, &coef)) < 0)
				return rc;
			if (isnan(coef))
				return BAD(c, p, "'%s' has no 'coefficient'", lname(p));
			if (is(p, "NumericPredictor")) {
				if ((rc = field_slot(c, p, "name", &slot)) < 0 ||
				    (rc = num_attr(c, p, "exponent", 1, &v)) < 0 ||
				    (rc = add_term(c, l, coef, &ti)) < 0 ||
				    (rc = push_factor(c, &l->nfac, &l->cap_fac, &l->fac, slot, 0, v)) < 0)
					return rc;
				if (PT_IS_STR(c->d->slots[slot].type))
					return BAD(c, p, "'NumericPredictor' on the string field '%s'", attr(p, "name"));
				l->terms[ti].fn = 1;
			} else if (is(p, "CategoricalPredictor")) {
				const char *val = attr(p, "value");
				if ((rc = field_slot(c, p, "name", &slot)) < 0)
					return rc;
				if (val == NULL)
					return BAD(c, p, "'CategoricalPredictor' has no 'value'");
				if ((rc = conv(c, p, c->d->slots[slot].type, val, &v)) < 0 ||
				    (rc = add_term(c, l, coef, &ti)) < 0 ||
				    (rc = push_factor(c, &l->nfac, &l->cap_fac, &l->fac, slot, 1, v)) < 0)
					return rc;
				l->terms[ti].fn = 1;
			} else if (is(p, "PredictorTerm")) {
				const xmlNode *f;
				if ((rc = add_term(c, l, coef, &ti)) < 0)
					return rc;
				for (f = first_el(p); f != NULL; f = next_el(f)) {
					if (is(f, "Extension"))
						continue;
					if (!is(f, "FieldRef"))
						return UNSUP(c, f, "unsupported element '%s' in 'PredictorTerm'", lname(f));
					if ((rc = field_slot(c, f, "field", &slot)) < 0 ||
					    (rc = push_factor(c, &l->nfac, &l->cap_fac, &l->fac, slot, 0, 1)) < 0)
						return rc;
					l->terms[ti].fn++;
				}
			} else {
				return UNSUP(c, p, "unsupported element '%s' in 'RegressionTable'", lname(p));
			}
		}
		t->tn = (int32_t)l->nterms - t->t0;
	}
	if (!m->classification && m->ntables != 1)
		return BAD(c, rm, "a regression 'RegressionModel' needs exactly one 'RegressionTable'");
	return 0;
}

/* ---- GeneralRegressionModel ---- */

static int
c_genreg(struct cc *c, const xmlNode *gm, struct pm_model *m, struct lin *l)
{
	const char *mt = attr(gm, "modelType"), *lf = attr(gm, "linkFunction");
	const xmlNode *k, *plist = NULL, *flist = NULL, *clist = NULL, *pp = NULL, *pm = NULL;
	const char *refc = attr(gm, "targetReferenceCategory");
	size_t np = 0, i;
	const char **pnames = NULL;
	int32_t *pcat = NULL;
	int rc = 0;

	for (k = first_el(gm); k != NULL; k = next_el(k)) {
		if (is(k, "ParameterList")) plist = k;
		else if (is(k, "FactorList")) flist = k;
		else if (is(k, "CovariateList")) clist = k;
		else if (is(k, "PPMatrix")) pp = k;
		else if (is(k, "ParamMatrix")) pm = k;
		else if (!informational(k))
			return UNSUP(c, k, "unsupported element '%s' in 'GeneralRegressionModel'", lname(k));
	}
	if (mt == NULL || plist == NULL || pm == NULL)
		return BAD(c, gm, "'GeneralRegressionModel' needs 'modelType', 'ParameterList' and 'ParamMatrix'");
	m->norm = N_IDENTITY;
	m->ref_cat = -1;
	m->offset_slot = -1;
	if (strcmp(mt, "regression") == 0 || strcmp(mt, "generalLinear") == 0) {
		m->glm_type = m->classification ? 1 : 0;
		if (m->classification)
			return UNSUP(c, gm, "modelType '%s' for classification", mt);
	} else if (strcmp(mt, "generalizedLinear") == 0) {
		if (lf == NULL)
			return BAD(c, gm, "'generalizedLinear' model without 'linkFunction'");
		if (parse_norm(lf, &m->norm) < 0 || m->norm == N_NONE || m->norm == N_SOFTMAX ||
		    m->norm == N_EXP || m->norm == N_SIMPLEMAX)
			return UNSUP(c, gm, "unsupported linkFunction '%s'", lf);
		if ((rc = num_attr(c, gm, "linkParameter", NAN, &m->link_param)) < 0)
			return rc;
		if ((m->norm == N_POWER || m->norm == N_ODDSPOWER) && isnan(m->link_param))
			return BAD(c, gm, "link '%s' without 'linkParameter'", lf);
		m->glm_type = m->classification ? 1 : 0;
	} else if (strcmp(mt, "multinomialLogistic") == 0) {
		if (!m->classification)
			return BAD(c, gm, "'multinomialLogistic' model that is not a classifier");
		m->glm_type = 2;
	} else {
		return UNSUP(c, gm, "unsupported modelType '%s'", mt);
	}
	if (attr(gm, "trialsVariable") != NULL || attr(gm, "trialsValue") != NULL)
		return UNSUP(c, gm, "unsupported attribute 'trialsVariable'");
	if ((rc = num_attr(c, gm, "offsetValue", 0, &m->offset_value)) < 0)
		return rc;
	if (attr(gm, "offsetVariable") != NULL &&
	    (rc = field_slot(c, gm, "offsetVariable", &m->offset_slot)) < 0)
		return rc;
	if (refc != NULL && m->classification) {
		rc = cat_index(c, gm, refc, &m->ref_cat);
		if (rc < 0)
			return rc;
	}
	for (k = first_el(plist); k != NULL; k = next_el(k))
		if (is(k, "Parameter"))
			np++;
	pnames = calloc(np + 1, sizeof(*pnames));
	if (pnames == NULL)
		return oom(c);
	np = 0;
	for (k = first_el(plist); k != NULL; k = next_el(k))
		if (is(k, "Parameter")) {
			pnames[np] = attr(k, "name");
			if (pnames[np] == NULL) {
				rc = BAD(c, k, "'Parameter' has no 'name'");
				goto done;
			}
			np++;
		}
	/* tables: one per category that has PCells (classification), or one */
	{
		size_t ncat = m->classification ? c->d->ncat : 1;
		size_t cell;
		m->tables = calloc(ncat + 1, sizeof(*m->tables));
		pcat = calloc(ncat + 1, sizeof(*pcat));
		if (m->tables == NULL || pcat == NULL) {
			rc = oom(c);
			goto done;
		}
		/* one pass per table, in the order categories first appear in PCells */
		for (k = first_el(pm); k != NULL; k = next_el(k)) {
			const char *tc;
			int32_t ci = -1;
			if (!is(k, "PCell"))
				continue;
			tc = attr(k, "targetCategory");
			if (m->classification) {
				if (tc == NULL) {
					rc = BAD(c, k, "'PCell' of a classifier has no 'targetCategory'");
					goto done;
				}
				rc = cat_index(c, k, tc, &ci);
				if (rc < 0)
					goto done;
			}
			for (i = 0; i < m->ntables; i++)
				if (m->tables[i].cat == ci)
					break;
			if (i == m->ntables) {
				if (m->ntables == ncat + 1) {
					rc = BAD(c, k, "too many target categories in 'ParamMatrix'");
					goto done;
				}
				m->tables[m->ntables].cat = ci;
				m->ntables++;
			}
		}
		for (i = 0; i < m->ntables; i++) {
			struct pm_rtable *t = &m->tables[i];
			t->intercept = 0;
			t->t0 = (int32_t)l->nterms;
			for (k = first_el(pm); k != NULL; k = next_el(k)) {
				const char *tc = attr(k, "targetCategory"), *pn = attr(k, "parameterName");
				const xmlNode *q;
				double beta;
				int32_t ci = -1, ti;
				if (!is(k, "PCell"))
					continue;
				if (m->classification && (rc = cat_index(c, k, tc, &ci)) < 0)
					goto done;
				if (ci != t->cat)
					continue;
				if ((rc = num_attr(c, k, "beta", NAN, &beta)) < 0)
					goto done;
				if (pn == NULL || isnan(beta)) {
					rc = BAD(c, k, "'PCell' needs 'parameterName' and 'beta'");
					goto done;
				}
				for (cell = 0; cell < np; cell++)
					if (strcmp(pnames[cell], pn) == 0)
						break;
				if (cell == np) {
					rc = BAD(c, k, "unknown parameter '%s'", pn);
					goto done;
				}
				if ((rc = add_term(c, l, beta, &ti)) < 0)
					goto done;
				for (q = pp != NULL ? first_el(pp) : NULL; q != NULL; q = next_el(q)) {
					const char *pr, *val;
					int32_t slot;
					int factor = 0;
					const xmlNode *f;
					double v;
					if (!is(q, "PPCell") || !attr_eq(q, "parameterName", pn))
						continue;
					if (attr(q, "targetCategory") != NULL) {
						rc = UNSUP(c, q, "'PPCell' with 'targetCategory'");
						goto done;
					}
					pr = attr(q, "predictorName");
					val = attr(q, "value");
					if (pr == NULL || val == NULL) {
						rc = BAD(c, q, "'PPCell' needs 'predictorName' and 'value'");
						goto done;
					}
					slot = lookup(c, pr);
					if (slot < 0) {
						rc = BAD(c, q, "unknown field '%s' in 'PPCell'", pr);
						goto done;
					}
					for (f = flist != NULL ? first_el(flist) : NULL; f != NULL; f = next_el(f))
						if (is(f, "Predictor") && attr_eq(f, "name", pr)) {
							factor = 1;
							if (first_el(f) != NULL && !is(first_el(f), "Extension")) {
								rc = UNSUP(c, first_el(f), "unsupported element '%s' in 'Predictor'",
								    lname(first_el(f)));
								goto done;
							}
						}
					if (!factor) {
						int cov = 0;
						for (f = clist != NULL ? first_el(clist) : NULL; f != NULL; f = next_el(f))
							if (is(f, "Predictor") && attr_eq(f, "name", pr))
								cov = 1;
						if (!cov) {
							rc = BAD(c, q, "'%s' is neither a factor nor a covariate", pr);
							goto done;
						}
						if (parse_num(val, &v) < 0) {
							rc = BAD(c, q, "exponent '%s' is not a number", val);
							goto done;
						}
					} else if ((rc = conv(c, q, c->d->slots[slot].type, val, &v)) < 0) {
						goto done;
					}
					if ((rc = push_factor(c, &l->nfac, &l->cap_fac, &l->fac, slot,
					    (uint8_t)factor, v)) < 0)
						goto done;
					l->terms[ti].fn++;
				}
			}
			t->tn = (int32_t)l->nterms - t->t0;
		}
	}
	if (m->classification && m->glm_type == 1) {
		/* binomial: one modelled category; the other is the reference */
		if (m->ntables != 1 || c->d->ncat != 2) {
			rc = UNSUP(c, gm, "a binomial model needs one modelled category of two");
			goto done;
		}
		if (m->tables[0].cat < 0) {
			rc = BAD(c, gm, "no target category in 'ParamMatrix'");
			goto done;
		}
		m->ref_cat = 1 - m->tables[0].cat;
	}
	if (m->classification && m->glm_type == 2 && m->ref_cat < 0) {
		/* the reference is the category without PCells */
		size_t cidx;
		for (cidx = 0; cidx < c->d->ncat; cidx++) {
			for (i = 0; i < m->ntables; i++)
				if (m->tables[i].cat == (int32_t)cidx)
					break;
			if (i == m->ntables) {
				m->ref_cat = (int32_t)cidx;
				break;
			}
		}
	}
	if (!m->classification && m->ntables == 0) {
		m->ntables = 1;
		m->tables[0].cat = -1;
		m->tables[0].t0 = (int32_t)l->nterms;
	}
done:
	free(pnames);
	free(pcat);
	return rc;
}

/* ---- NeuralNetwork ---- */

struct nid { const char *id; int32_t idx; };

static int
parse_act(const char *s, uint8_t *out)
{
	static const char *const t[] = { "threshold", "logistic", "tanh", "identity",
		"exponential", "reciprocal", "square", "Gauss", "sine", "cosine", "Elliott",
		"arctan", "rectifier", NULL };
	size_t i;

	for (i = 0; t[i] != NULL; i++)
		if (strcmp(t[i], s) == 0) {
			*out = (uint8_t)i;
			return 0;
		}
	return -1;
}

static int32_t
nid_find(const struct nid *ids, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(ids[i].id, id) == 0)
			return ids[i].idx;
	return -1;
}

static int
c_nn(struct cc *c, const xmlNode *nn, struct pm_model *m)
{
	const xmlNode *k, *q, *r;
	struct nid *ids = NULL;
	size_t nids = 0, cap_ids = 0, cap_cons = 0, cap_neur = 0, cap_out[3] = { 0, 0, 0 };
	uint8_t dact, dnorm;
	double dthr, dwidth, dalt;
	int rc = 0;

	if (attr(nn, "activationFunction") == NULL ||
	    parse_act(attr(nn, "activationFunction"), &dact) < 0)
		return UNSUP(c, nn, "unsupported activationFunction '%s'",
		    attr(nn, "activationFunction") ? attr(nn, "activationFunction") : "");
	if (parse_norm(attr(nn, "normalizationMethod"), &dnorm) < 0 ||
	    (dnorm != N_NONE && dnorm != N_SOFTMAX && dnorm != N_SIMPLEMAX))
		return UNSUP(c, nn, "unsupported normalizationMethod '%s'", attr(nn, "normalizationMethod"));
	if ((rc = num_attr(c, nn, "threshold", 0, &dthr)) < 0 ||
	    (rc = num_attr(c, nn, "width", NAN, &dwidth)) < 0 ||
	    (rc = num_attr(c, nn, "altitude", 1, &dalt)) < 0)
		return rc;
	for (k = first_el(nn); k != NULL; k = next_el(k)) {
		if (is(k, "NeuralInputs")) {
			for (q = first_el(k); q != NULL; q = next_el(q)) {
				const xmlNode *df;
				const xmlNode *ex;
				int32_t e;
				if (is(q, "Extension"))
					continue;
				/* ids may hold earlier inputs: every error goes through done */
				if (!is(q, "NeuralInput") || attr(q, "id") == NULL) {
					rc = UNSUP(c, q, "unsupported element '%s' in 'NeuralInputs'", lname(q));
					goto done;
				}
				df = child(q, "DerivedField");
				if (df == NULL) {
					rc = BAD(c, q, "'NeuralInput' has no 'DerivedField'");
					goto done;
				}
				for (ex = first_el(df); ex != NULL && (is(ex, "Extension") || is(ex, "Value"));)
					ex = next_el(ex);
				if (ex == NULL) {
					rc = BAD(c, df, "'DerivedField' has no expression");
					goto done;
				}
				if ((rc = cexpr(c, ex, &e)) < 0)
					goto done;
				if (PT_IS_STR(c->d->exprs[e].type)) {
					rc = BAD(c, ex, "neural input is not a number");
					goto done;
				}
				if (grow_((void **)&m->nn_in_expr, &cap_neur, m->nnin + 1, sizeof(int32_t)) < 0 ||
				    GROW(ids, nids, cap_ids, 1) < 0) {
					rc = oom(c);
					goto done;
				}
				m->nn_in_expr[m->nnin] = e;
				ids[nids].id = attr(q, "id");
				ids[nids].idx = (int32_t)m->nnin;
				nids++;
				m->nnin++;
			}
		}
	}
	m->nneurons = m->nnin;
	cap_neur = 0;
	m->neurons = NULL;
	for (k = first_el(nn); k != NULL; k = next_el(k)) {
		struct pm_layer *ly;
		uint8_t act = dact, nrm = dnorm;
		if (!is(k, "NeuralLayer"))
			continue;
		if (attr(k, "activationFunction") != NULL &&
		    parse_act(attr(k, "activationFunction"), &act) < 0) {
			rc = UNSUP(c, k, "unsupported activationFunction '%s'", attr(k, "activationFunction"));
			goto done;
		}
		if (attr(k, "normalizationMethod") != NULL &&
		    (parse_norm(attr(k, "normalizationMethod"), &nrm) < 0 ||
		    (nrm != N_NONE && nrm != N_SOFTMAX && nrm != N_SIMPLEMAX))) {
			rc = UNSUP(c, k, "unsupported normalizationMethod '%s'", attr(k, "normalizationMethod"));
			goto done;
		}
		ly = realloc(m->layers, (m->nlayers + 1) * sizeof(*ly));
		if (ly == NULL) {
			rc = oom(c);
			goto done;
		}
		m->layers = ly;
		ly = &m->layers[m->nlayers++];
		ly->act = act;
		ly->norm = nrm;
		ly->n0 = (int32_t)m->nneurons;
		ly->nn = 0;
		for (q = first_el(k); q != NULL; q = next_el(q)) {
			struct pm_neuron *ne;
			double thr, alt, width;
			if (is(q, "Extension"))
				continue;
			if (!is(q, "Neuron") || attr(q, "id") == NULL) {
				rc = UNSUP(c, q, "unsupported element '%s' in 'NeuralLayer'", lname(q));
				goto done;
			}
			if (grow_((void **)&m->neurons, &cap_neur, m->nneurons + 1, sizeof(*m->neurons)) < 0 ||
			    GROW(ids, nids, cap_ids, 1) < 0) {
				rc = oom(c);
				goto done;
			}
			ne = &m->neurons[m->nneurons];
			memset(ne, 0, sizeof(*ne));
			if ((rc = num_attr(c, q, "bias", 0, &ne->bias)) < 0 ||
			    (rc = num_attr(c, k, "threshold", dthr, &thr)) < 0 ||
			    (rc = num_attr(c, q, "width", dwidth, &width)) < 0 ||
			    (rc = num_attr(c, k, "altitude", dalt, &alt)) < 0)
				goto done;
			ne->width = thr;  /* threshold activation uses width as the threshold */
			ne->alt = alt;
			ne->act = act;
			ne->c0 = (int32_t)m->ncons;
			for (r = first_el(q); r != NULL; r = next_el(r)) {
				int32_t from;
				if (is(r, "Extension"))
					continue;
				if (!is(r, "Con") || attr(r, "from") == NULL) {
					rc = UNSUP(c, r, "unsupported element '%s' in 'Neuron'", lname(r));
					goto done;
				}
				from = nid_find(ids, nids, attr(r, "from"));
				if (from < 0 || from >= ly->n0) {
					rc = BAD(c, r, "'Con' from unknown or later neuron '%s'", attr(r, "from"));
					goto done;
				}
				if (GROW(m->cons, m->ncons, cap_cons, 1) < 0) {
					rc = oom(c);
					goto done;
				}
				m->cons[m->ncons].from = from;
				if ((rc = num_attr(c, r, "weight", NAN, &m->cons[m->ncons].w)) < 0)
					goto done;
				if (isnan(m->cons[m->ncons].w)) {
					rc = BAD(c, r, "'Con' has no 'weight'");
					goto done;
				}
				m->ncons++;
			}
			ne->cn = (int32_t)m->ncons - ne->c0;
			ids[nids].id = attr(q, "id");
			ids[nids].idx = (int32_t)m->nneurons;
			nids++;
			m->nneurons++;
			ly->nn++;
		}
	}
	if (m->nlayers == 0) {
		rc = BAD(c, nn, "'NeuralNetwork' has no 'NeuralLayer'");
		goto done;
	}
	for (k = first_el(nn); k != NULL; k = next_el(k)) {
		if (!is(k, "NeuralOutputs"))
			continue;
		for (q = first_el(k); q != NULL; q = next_el(q)) {
			const xmlNode *df, *ex;
			int32_t ne;
			size_t o;
			if (is(q, "Extension"))
				continue;
			if (!is(q, "NeuralOutput") || attr(q, "outputNeuron") == NULL) {
				rc = UNSUP(c, q, "unsupported element '%s' in 'NeuralOutputs'", lname(q));
				goto done;
			}
			ne = nid_find(ids, nids, attr(q, "outputNeuron"));
			if (ne < 0) {
				rc = BAD(c, q, "unknown output neuron '%s'", attr(q, "outputNeuron"));
				goto done;
			}
			df = child(q, "DerivedField");
			ex = df != NULL ? first_el(df) : NULL;
			while (ex != NULL && is(ex, "Extension"))
				ex = next_el(ex);
			if (ex == NULL) {
				rc = BAD(c, q, "'NeuralOutput' has no expression");
				goto done;
			}
			o = m->nnout;
			if (grow_((void **)&m->nn_out_neuron, &cap_out[0], o + 1, sizeof(int32_t)) < 0 ||
			    grow_((void **)&m->nn_out_cat, &cap_out[1], o + 1, sizeof(int32_t)) < 0 ||
			    grow_((void **)&m->nn_out_expr, &cap_out[2], o + 1, sizeof(int32_t)) < 0) {
				rc = oom(c);
				goto done;
			}
			m->nn_out_neuron[o] = ne;
			m->nn_out_cat[o] = -1;
			m->nn_out_expr[o] = -1;
			m->nnout++;
			if (m->classification) {
				if (!is(ex, "NormDiscrete") || attr(ex, "value") == NULL) {
					rc = UNSUP(c, ex, "unsupported '%s' in a classifier's 'NeuralOutput'", lname(ex));
					goto done;
				}
				rc = cat_index(c, ex, attr(ex, "value"), &m->nn_out_cat[o]);
				if (rc < 0)
					goto done;
			} else if (is(ex, "FieldRef")) {
				/* the neuron's value is the prediction */
			} else if (is(ex, "NormContinuous")) {
				const xmlNode *ln;
				size_t d0 = c->d->ndbl;
				m->nn_out_expr[o] = (int32_t)d0;
				for (ln = first_el(ex); ln != NULL; ln = next_el(ln)) {
					double orig, norm;
					if (!is(ln, "LinearNorm"))
						continue;
					if ((rc = num_attr(c, ln, "orig", NAN, &orig)) < 0 ||
					    (rc = num_attr(c, ln, "norm", NAN, &norm)) < 0 ||
					    (rc = push_dbl(c, orig)) < 0 || (rc = push_dbl(c, norm)) < 0)
						goto done;
				}
				if (c->d->ndbl - d0 < 4) {
					rc = BAD(c, ex, "'NormContinuous' needs two 'LinearNorm'");
					goto done;
				}
				m->nn_out_a = (double)(c->d->ndbl - d0) / 2;  /* number of pairs */
			} else {
				rc = UNSUP(c, ex, "unsupported '%s' in 'NeuralOutput'", lname(ex));
				goto done;
			}
		}
	}
	if (m->nnout == 0)
		rc = BAD(c, nn, "'NeuralNetwork' has no 'NeuralOutput'");
	else if (!m->classification && m->nnout != 1)
		rc = UNSUP(c, nn, "a regression network with %zu outputs", m->nnout);
done:
	free(ids);
	return rc;
}

/* ---- Output ---- */

static int
add_output(struct cc *c, struct pm_model *m, const char *name, uint8_t feature, uint8_t type,
    int final, int32_t cat, int32_t expr, int32_t *slot_out)
{
	struct pm_output *o;
	int32_t s;
	int rc;

	rc = new_slot(c, name, type, PT_IS_STR(type), &s);
	if (rc < 0)
		return rc;
	o = realloc(m->outs, (m->nouts + 1) * sizeof(*o));
	if (o == NULL)
		return oom(c);
	m->outs = o;
	o = &m->outs[m->nouts++];
	memset(o, 0, sizeof(*o));
	o->name = c->d->slots[s].name;
	o->slot = s;
	o->feature = feature;
	o->type = type;
	o->final = (uint8_t)final;
	o->cat = cat;
	o->expr = expr;
	if (slot_out != NULL)
		*slot_out = s;
	return 0;
}

/* Compile an <Output> for model m; each field becomes visible by name. */
static int
c_output(struct cc *c, const xmlNode *out, struct pm_model *m)
{
	const xmlNode *k;
	int rc;

	for (k = first_el(out); k != NULL; k = next_el(k)) {
		const char *name = attr(k, "name"), *feat = attr(k, "feature");
		const char *dt = attr(k, "dataType");
		uint8_t f, t;
		int32_t cat = -1, e = -1, s;
		if (is(k, "Extension"))
			continue;
		if (!is(k, "OutputField"))
			return UNSUP(c, k, "unsupported element '%s' in 'Output'", lname(k));
		if (name == NULL)
			return BAD(c, k, "'OutputField' has no 'name'");
		if (attr(k, "segmentId") != NULL)
			return UNSUP(c, k, "'OutputField' with 'segmentId'");
		if (attr(k, "targetField") != NULL && c->target != NULL &&
		    strcmp(attr(k, "targetField"), c->target) != 0)
			return UNSUP(c, k, "'OutputField' for another target '%s'", attr(k, "targetField"));
		if (feat == NULL || strcmp(feat, "predictedValue") == 0) {
			f = OF_PREDICTED;
			t = m->classification ? PT_STRING : (c->fctx ? PT_FLOAT : PT_DOUBLE);
		} else if (strcmp(feat, "predictedDisplayValue") == 0) {
			f = OF_DISPLAY;
			t = PT_STRING;
		} else if (strcmp(feat, "probability") == 0) {
			if (!m->classification)
				return BAD(c, k, "'probability' output of a regression model");
			f = OF_PROBABILITY;
			t = c->fctx ? PT_FLOAT : PT_DOUBLE;
			if (attr(k, "value") != NULL) {
				rc = cat_index(c, k, attr(k, "value"), &cat);
				if (rc < 0)
					return rc;
			}
		} else if (strcmp(feat, "transformedValue") == 0 || strcmp(feat, "decision") == 0) {
			const xmlNode *ex = first_el(k);
			while (ex != NULL && (is(ex, "Extension") || is(ex, "Decisions") || is(ex, "Value")))
				ex = next_el(ex);
			if (ex == NULL)
				return BAD(c, k, "'OutputField' '%s' has no expression", name);
			rc = cexpr(c, ex, &e);
			if (rc < 0)
				return rc;
			f = OF_TRANSFORMED;
			t = c->d->exprs[e].type;
		} else {
			return UNSUP(c, k, "unsupported OutputField feature '%s'", feat);
		}
		if (dt != NULL && f != OF_TRANSFORMED) {
			uint8_t dtt;
			if (parse_type(dt, &dtt) < 0)
				return UNSUP(c, k, "unsupported dataType '%s'", dt);
			if (!PT_IS_STR(t) && dtt == PT_FLOAT)
				t = PT_FLOAT;
		}
		if (f == OF_TRANSFORMED && dt != NULL) {
			uint8_t dtt;
			if (parse_type(dt, &dtt) < 0)
				return UNSUP(c, k, "unsupported dataType '%s'", dt);
			rc = cast_to(c, k, e, dtt, &e);
			if (rc < 0)
				return rc;
			t = dtt;
		}
		rc = add_output(c, m, name, f, t, !attr_eq(k, "isFinalResult", "false"), cat, e, &s);
		if (rc < 0)
			return rc;
		rc = push_scope(c, s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- models ---- */

static int c_model(struct cc *c, xmlNode *n, struct pm_model **out, int top);

static int
is_model(const xmlNode *n)
{
	static const char *const names[] = { "RegressionModel", "GeneralRegressionModel",
		"TreeModel", "MiningModel", "NeuralNetwork", "AssociationModel",
		"BayesianNetworkModel", "BaselineModel", "ClusteringModel",
		"GaussianProcessModel", "NearestNeighborModel", "NaiveBayesModel",
		"RuleSetModel", "Scorecard", "SequenceModel", "SupportVectorMachineModel",
		"TextModel", "TimeSeriesModel", "AnomalyDetectionModel", "DeepNetwork", NULL };
	size_t i;

	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return 0;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(lname(n), names[i]) == 0)
			return 1;
	return 0;
}

static int
c_mining(struct cc *c, const xmlNode *mm, struct pm_model *m)
{
	const xmlNode *seg = NULL, *k, *q;
	const char *meth, *mpt;
	size_t ns = 0;
	int rc;

	for (k = first_el(mm); k != NULL; k = next_el(k)) {
		if (is(k, "Segmentation"))
			seg = k;
		else if (is_model(k))
			return UNSUP(c, k, "'MiningModel' with an embedded model outside 'Segmentation'");
		else if (!informational(k))
			return UNSUP(c, k, "unsupported element '%s' in 'MiningModel'", lname(k));
	}
	if (seg == NULL)
		return BAD(c, mm, "'MiningModel' has no 'Segmentation'");
	if (++c->seg_depth > MAX_SEG_DEPTH)
		return UNSUP(c, seg, "'Segmentation' nested deeper than %d", MAX_SEG_DEPTH);
	meth = attr(seg, "multipleModelMethod");
	if (meth == NULL)
		return BAD(c, seg, "'Segmentation' has no 'multipleModelMethod'");
	if (strcmp(meth, "sum") == 0) m->method = MM_SUM;
	else if (strcmp(meth, "average") == 0) m->method = MM_AVERAGE;
	else if (strcmp(meth, "weightedAverage") == 0) m->method = MM_WAVERAGE;
	else if (strcmp(meth, "median") == 0) m->method = MM_MEDIAN;
	else if (strcmp(meth, "weightedMedian") == 0) m->method = MM_WMEDIAN;
	else if (strcmp(meth, "max") == 0) m->method = MM_MAX;
	else if (strcmp(meth, "majorityVote") == 0) m->method = MM_MAJORITY;
	else if (strcmp(meth, "weightedMajorityVote") == 0) m->method = MM_WMAJORITY;
	else if (strcmp(meth, "selectFirst") == 0) m->method = MM_SELECTFIRST;
	else if (strcmp(meth, "modelChain") == 0) m->method = MM_CHAIN;
	else
		return UNSUP(c, seg, "unsupported multipleModelMethod '%s'", meth);
	if (m->classification && (m->method == MM_SUM || m->method == MM_MEDIAN ||
	    m->method == MM_WMEDIAN))
		return UNSUP(c, seg, "multipleModelMethod '%s' for classification", meth);
	if (!m->classification && (m->method == MM_MAJORITY || m->method == MM_WMAJORITY))
		return UNSUP(c, seg, "multipleModelMethod '%s' for regression", meth);
	mpt = attr(seg, "missingPredictionTreatment");
	if (mpt == NULL || strcmp(mpt, "returnMissing") == 0 || strcmp(mpt, "continue") == 0)
		m->skip_missing = 0;
	else if (strcmp(mpt, "skipSegment") == 0)
		m->skip_missing = 1;
	else
		return UNSUP(c, seg, "unsupported missingPredictionTreatment '%s'", mpt);
	for (k = first_el(seg); k != NULL; k = next_el(k))
		if (is(k, "Segment"))
			ns++;
		else if (!is(k, "Extension"))
			return UNSUP(c, k, "unsupported element '%s' in 'Segmentation'", lname(k));
	if (ns == 0)
		return BAD(c, seg, "'Segmentation' has no 'Segment'");
	m->segs = calloc(ns, sizeof(*m->segs));
	if (m->segs == NULL)
		return oom(c);
	for (k = first_el(seg); k != NULL; k = next_el(k)) {
		struct pm_segment *s;
		const xmlNode *p = NULL;
		xmlNode *mod = NULL;
		if (!is(k, "Segment"))
			continue;
		s = &m->segs[m->nseg++];
		if ((rc = num_attr(c, k, "weight", 1, &s->weight)) < 0)
			return rc;
		for (q = first_el(k); q != NULL; q = next_el(q)) {
			if (is_pred(q) && p == NULL)
				p = q;
			else if (is_model(q) && mod == NULL)
				mod = (xmlNode *)q;
			else if (!is(q, "Extension") && !is(q, "VariableWeight"))
				return UNSUP(c, q, "unsupported element '%s' in 'Segment'", lname(q));
			else if (is(q, "VariableWeight"))
				return UNSUP(c, q, "unsupported element 'VariableWeight'");
		}
		if (p == NULL || mod == NULL)
			return BAD(c, k, "'Segment' needs a predicate and a model");
		rc = c_pred_tree(c, p, &s->pred);
		if (rc < 0)
			return rc;
		rc = c_model(c, mod, &s->model, 0);
		if (rc < 0)
			return rc;
		if (s->model->classification != m->classification && m->method != MM_CHAIN)
			return UNSUP(c, mod, "a %s segment in a %s 'MiningModel'",
			    s->model->classification ? "classification" : "regression",
			    m->classification ? "classification" : "regression");
	}
	if (m->method == MM_CHAIN &&
	    m->segs[m->nseg - 1].model->classification != m->classification)
		return UNSUP(c, seg, "the last segment of a 'modelChain' does not match the model's function");
	c->seg_depth--;
	return 0;
}

/* MiningSchema of a nested model: explicit treatments become steps. */
static int
c_schema_nested(struct cc *c, const xmlNode *ms)
{
	const xmlNode *k;
	int rc;

	for (k = first_el(ms); k != NULL; k = next_el(k)) {
		const char *name = attr(k, "name"), *ut = attr(k, "usageType");
		const char *mvr = attr(k, "missingValueReplacement");
		const char *ivt = attr(k, "invalidValueTreatment");
		const char *out = attr(k, "outliers");
		struct pm_treat *t;
		int32_t src, dst;
		if (is(k, "Extension"))
			continue;
		if (!is(k, "MiningField") || name == NULL)
			return UNSUP(c, k, "unsupported element '%s' in 'MiningSchema'", lname(k));
		if (ut != NULL && strcmp(ut, "active") != 0)
			continue;
		src = lookup(c, name);
		if (src < 0)
			return BAD(c, k, "unknown field '%s' in 'MiningSchema'", name);
		if (mvr == NULL && (ivt == NULL || strcmp(ivt, "asIs") == 0 ||
		    strcmp(ivt, "returnInvalid") == 0) && (out == NULL || strcmp(out, "asIs") == 0))
			continue;
		if (GROW(c->d->treats, c->d->ntreats, c->cap_treats, 1) < 0)
			return oom(c);
		t = &c->d->treats[c->d->ntreats];
		memset(t, 0, sizeof(*t));
		t->src = src;
		t->type = c->d->slots[src].type;
		t->df = c->d->slots[src].df;
		t->check = t->df >= 0;
		t->invalid = INV_ASIS;
		t->repl_missing = NAN;
		t->repl_invalid = NAN;
		t->low = -INFINITY;
		t->high = INFINITY;
		if (ivt != NULL && strcmp(ivt, "asMissing") == 0)
			t->invalid = INV_MISSING;
		else if (ivt != NULL && strcmp(ivt, "asValue") == 0) {
			if (attr(k, "invalidValueReplacement") == NULL)
				return BAD(c, k, "'asValue' without 'invalidValueReplacement'");
			t->invalid = INV_VALUE;
			if ((rc = conv(c, k, t->type, attr(k, "invalidValueReplacement"), &t->repl_invalid)) < 0)
				return rc;
		} else if (ivt != NULL && strcmp(ivt, "asIs") != 0 && strcmp(ivt, "returnInvalid") != 0)
			return UNSUP(c, k, "unsupported invalidValueTreatment '%s'", ivt);
		if (mvr != NULL && (rc = conv(c, k, t->type, mvr, &t->repl_missing)) < 0)
			return rc;
		if (out != NULL && strcmp(out, "asIs") != 0) {
			t->outliers = strcmp(out, "asMissingValues") == 0 ? OUTL_MISSING :
			    strcmp(out, "asExtremeValues") == 0 ? OUTL_EXTREME : 255;
			if (t->outliers == 255)
				return UNSUP(c, k, "unsupported outliers '%s'", out);
			if ((rc = num_attr(c, k, "lowValue", -INFINITY, &t->low)) < 0 ||
			    (rc = num_attr(c, k, "highValue", INFINITY, &t->high)) < 0)
				return rc;
		}
		rc = new_slot(c, name, t->type, c->d->slots[src].categorical, &dst);
		if (rc < 0)
			return rc;
		t = &c->d->treats[c->d->ntreats];
		t->dst = dst;
		t->name = c->d->slots[dst].name;
		c->d->slots[dst].df = c->d->slots[src].df;
		c->d->slots[dst].feature = -1;
		c->d->slots[dst].alias_of = -1;  /* a treatment is not a plain copy (tree.h) */
		if (GROW(c->steps, c->nsteps, c->cap_steps, 1) < 0)
			return oom(c);
		c->steps[c->nsteps].dst = dst;
		c->steps[c->nsteps].expr = -1;
		c->steps[c->nsteps].treat = (int32_t)c->d->ntreats;
		c->nsteps++;
		c->d->ntreats++;
		if ((rc = push_scope(c, dst)) < 0)
			return rc;
	}
	return 0;
}

static int
c_targets(struct cc *c, const xmlNode *tg, struct pm_model *m)
{
	const xmlNode *k, *q;
	int rc;

	for (k = first_el(tg); k != NULL; k = next_el(k)) {
		const char *ci;
		if (is(k, "Extension"))
			continue;
		if (!is(k, "Target"))
			return UNSUP(c, k, "unsupported element '%s' in 'Targets'", lname(k));
		if (attr(k, "field") != NULL && c->target != NULL && !attr_eq(k, "field", c->target))
			return UNSUP(c, k, "'Target' for another field '%s'", attr(k, "field"));
		if ((rc = num_attr_f(c, k, "rescaleFactor", 1, &m->rfactor)) < 0 ||
		    (rc = num_attr_f(c, k, "rescaleConstant", 0, &m->rconst)) < 0 ||
		    (rc = num_attr(c, k, "min", -INFINITY, &m->tmin)) < 0 ||
		    (rc = num_attr(c, k, "max", INFINITY, &m->tmax)) < 0)
			return rc;
		m->has_rescale = 1;
		ci = attr(k, "castInteger");
		if (ci != NULL) {
			if (strcmp(ci, "round") == 0) m->cast_int = 1;
			else if (strcmp(ci, "ceiling") == 0) m->cast_int = 2;
			else if (strcmp(ci, "floor") == 0) m->cast_int = 3;
			else
				return UNSUP(c, k, "unsupported castInteger '%s'", ci);
		}
		for (q = first_el(k); q != NULL; q = next_el(q)) {
			int32_t idx;
			if (is(q, "Extension"))
				continue;
			if (!is(q, "TargetValue"))
				return UNSUP(c, q, "unsupported element '%s' in 'Target'", lname(q));
			if (!m->classification) {
				if (attr(q, "defaultValue") != NULL &&
				    (rc = num_attr(c, q, "defaultValue", NAN, &m->tdefault)) < 0)
					return rc;
				continue;
			}
			if (attr(q, "value") == NULL)
				continue;
			rc = cat_index(c, q, attr(q, "value"), &idx);
			if (rc < 0)
				return rc;
			if (attr(q, "displayValue") != NULL) {
				int32_t id = aud__pm_pool_intern(&c->d->pool, attr(q, "displayValue"),
				    strlen(attr(q, "displayValue")));
				if (id < 0)
					return oom(c);
				if (m->display == NULL) {
					size_t i;
					m->display = malloc(c->d->ncat * sizeof(double));
					if (m->display == NULL)
						return oom(c);
					for (i = 0; i < c->d->ncat; i++)
						m->display[i] = NAN;
				}
				if ((size_t)idx < c->d->ncat)
					m->display[idx] = id;
			}
		}
	}
	return 0;
}

static void
lin_attach(struct pm_model *m, struct lin *l)
{
	m->terms = l->terms;
	m->nterms = l->nterms;
	m->fac = l->fac;
	m->nfac = l->nfac;
}

static int
c_model(struct cc *c, xmlNode *n, struct pm_model **out, int top)
{
	struct pm_model *m;
	const char *fn = attr(n, "functionName");
	const xmlNode *k, *ms = NULL, *lt = NULL, *op = NULL, *tg = NULL;
	struct pm_step *saved_steps = c->steps;
	size_t saved_nsteps = c->nsteps, saved_cap = c->cap_steps;
	size_t mark = c->nscope;
	int saved_fctx = c->fctx;
	struct lin l;
	int rc = 0;

	memset(&l, 0, sizeof(l));
	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return oom(c);
	*out = m;
	m->name = strdup(lname(n));
	if (m->name == NULL)
		return oom(c);
	m->line = (int32_t)line_of(n);
	m->rfactor = 1;
	m->tmin = -INFINITY;
	m->tmax = INFINITY;
	m->tdefault = NAN;
	m->ref_cat = -1;
	m->offset_slot = -1;
	if (attr_eq(n, "isScorable", "false"))
		return UNSUP(c, n, "'%s' is marked isScorable=\"false\"", lname(n));
	if (!is(n, "RegressionModel") && !is(n, "GeneralRegressionModel") && !is(n, "TreeModel") &&
	    !is(n, "MiningModel") && !is(n, "NeuralNetwork"))
		return UNSUP(c, n, "unsupported model element '%s'", lname(n));
	if (fn == NULL)
		return BAD(c, n, "'%s' has no 'functionName'", lname(n));
	if (strcmp(fn, "classification") == 0)
		m->classification = 1;
	else if (strcmp(fn, "regression") != 0)
		return UNSUP(c, n, "unsupported functionName '%s'", fn);
	if (m->classification && c->d->ncat == 0 && !c->cats_open)
		return UNSUP(c, n, "a classifier without a categorical target field");
	if (attr(n, "x-mathContext") != NULL) {
		if (attr_eq(n, "x-mathContext", "float"))
			c->fctx = 1;
		else if (attr_eq(n, "x-mathContext", "double"))
			c->fctx = 0;
		else
			return UNSUP(c, n, "unsupported x-mathContext '%s'", attr(n, "x-mathContext"));
	}
	m->fctx = (uint8_t)c->fctx;
	for (k = first_el(n); k != NULL; k = next_el(k)) {
		if (is(k, "MiningSchema")) ms = k;
		else if (is(k, "LocalTransformations")) lt = k;
		else if (is(k, "Output")) op = k;
		else if (is(k, "Targets")) tg = k;
	}
	if (ms == NULL)
		return BAD(c, n, "'%s' has no 'MiningSchema'", lname(n));
	c->steps = NULL;
	c->nsteps = 0;
	c->cap_steps = 0;
	if (!top) {
		rc = c_schema_nested(c, ms);
		if (rc < 0)
			goto done;
	}
	if (tg != NULL && (rc = c_targets(c, tg, m)) < 0)
		goto done;
	if (lt != NULL && (rc = c_transformations(c, lt)) < 0)
		goto done;
	if (is(n, "TreeModel"))
		m->kind = MK_TREE, rc = c_tree(c, n, m);
	else if (is(n, "MiningModel"))
		m->kind = MK_MINING, rc = c_mining(c, n, m);
	else if (is(n, "RegressionModel"))
		m->kind = MK_REGRESSION, rc = c_regression(c, n, m, &l);
	else if (is(n, "GeneralRegressionModel"))
		m->kind = MK_GENREG, rc = c_genreg(c, n, m, &l);
	else
		m->kind = MK_NN, rc = c_nn(c, n, m);
	if (rc < 0)
		goto done;
	if (m->kind == MK_REGRESSION || m->kind == MK_GENREG)
		lin_attach(m, &l), l.terms = NULL, l.fac = NULL;
	m->steps = c->steps;
	m->nsteps = c->nsteps;
	c->steps = NULL;
	if (op != NULL && !top) {
		rc = c_output(c, op, m);
		if (rc < 0)
			goto done;
		/* outputs stay visible (modelChain); the model's own fields do not */
		{
			size_t i, no = m->nouts;
			c->nscope = mark;
			for (i = 0; i < no; i++)
				if ((rc = push_scope(c, m->outs[i].slot)) < 0)
					goto done;
		}
	} else if (!top) {
		c->nscope = mark;
	}
done:
	free(l.terms);
	free(l.fac);
	free(c->steps);
	c->steps = saved_steps;
	c->nsteps = saved_nsteps;
	c->cap_steps = saved_cap;
	c->fctx = saved_fctx;
	return rc;
}

/* ---- the document ---- */

static int
c_datadictionary(struct cc *c, const xmlNode *dd)
{
	const xmlNode *k, *v;
	struct pm_doc *d = c->d;
	size_t n = 0;
	int rc;

	for (k = first_el(dd); k != NULL; k = next_el(k))
		if (is(k, "DataField"))
			n++;
		else if (!is(k, "Extension") && !is(k, "Taxonomy"))
			return UNSUP(c, k, "unsupported element '%s' in 'DataDictionary'", lname(k));
	d->dfs = calloc(n + 1, sizeof(*d->dfs));
	if (d->dfs == NULL)
		return oom(c);
	for (k = first_el(dd); k != NULL; k = next_el(k)) {
		struct pm_datafield *f;
		const char *name = attr(k, "name"), *ot = attr(k, "optype");
		if (!is(k, "DataField"))
			continue;
		f = &d->dfs[d->ndf++];
		if (name == NULL)
			return BAD(c, k, "'DataField' has no 'name'");
		f->name = strdup(name);
		if (f->name == NULL)
			return oom(c);
		if (parse_type(attr(k, "dataType"), &f->type) < 0)
			return UNSUP(c, k, "unsupported dataType '%s' of field '%s'", attr(k, "dataType"), name);
		if (attr(k, "dataType") == NULL)
			return BAD(c, k, "'DataField' '%s' has no 'dataType'", name);
		f->categorical = ot != NULL && (strcmp(ot, "categorical") == 0 || strcmp(ot, "ordinal") == 0);
		for (v = first_el(k); v != NULL; v = next_el(v)) {
			if (is(v, "Value")) {
				const char *val = attr(v, "value"), *prop = attr(v, "property");
				double x;
				double **arr;
				size_t *cnt;
				if (val == NULL)
					return BAD(c, v, "'Value' has no 'value'");
				if (prop == NULL || strcmp(prop, "valid") == 0) {
					arr = &f->valid;
					cnt = &f->nvalid;
				} else if (strcmp(prop, "invalid") == 0) {
					arr = &f->invalid;
					cnt = &f->ninvalid;
				} else if (strcmp(prop, "missing") == 0) {
					arr = &f->missing;
					cnt = &f->nmissing;
				} else {
					return BAD(c, v, "bad property '%s'", prop);
				}
				rc = conv(c, v, f->type, val, &x);
				if (rc < 0)
					return rc;
				if (!f->categorical && (prop == NULL || strcmp(prop, "valid") == 0))
					continue;  /* valid values of a continuous field: informational */
				{
					double *na = realloc(*arr, (*cnt + 1) * sizeof(double));
					if (na == NULL)
						return oom(c);
					*arr = na;
					na[(*cnt)++] = x;
				}
			} else if (is(v, "Interval")) {
				struct pm_interval *iv;
				double lo, hi;
				int lc, hc;
				if ((rc = interval(c, v, &lo, &hi, &lc, &hc)) < 0)
					return rc;
				if (f->categorical)
					continue;
				iv = realloc(f->intervals, (f->nint + 1) * sizeof(*iv));
				if (iv == NULL)
					return oom(c);
				f->intervals = iv;
				iv[f->nint].lo = lo;
				iv[f->nint].hi = hi;
				iv[f->nint].lo_closed = (uint8_t)lc;
				iv[f->nint].hi_closed = (uint8_t)hc;
				f->nint++;
			} else if (!is(v, "Extension")) {
				return UNSUP(c, v, "unsupported element '%s' in 'DataField'", lname(v));
			}
		}
	}
	return 0;
}

static int32_t
df_find(const struct pm_doc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->ndf; i++)
		if (strcmp(d->dfs[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

/* Categories of a target without declared values, in order of appearance. */
static int
collect_cats(struct cc *c, const xmlNode *n, int depth)
{
	const xmlNode *k;
	const char *v = NULL;
	int32_t idx;
	int rc;

	if (depth > 600)
		return UNSUP(c, n, "document nested too deeply");
	if (is(n, "ScoreDistribution") || is(n, "TargetValue"))
		v = attr(n, "value");
	else if (is(n, "RegressionTable") || is(n, "PCell"))
		v = attr(n, "targetCategory");
	else if (is(n, "GeneralRegressionModel"))
		v = attr(n, "targetReferenceCategory");
	else if (is(n, "OutputField") && attr_eq(n, "feature", "probability"))
		v = attr(n, "value");
	else if (is(n, "NormDiscrete") && c->target != NULL && attr_eq(n, "field", c->target))
		v = attr(n, "value");
	if (v != NULL) {
		rc = cat_index(c, n, v, &idx);
		if (rc < 0)
			return rc;
	}
	for (k = first_el(n); k != NULL; k = next_el(k)) {
		rc = collect_cats(c, k, depth + 1);
		if (rc < 0)
			return rc;
	}
	/* the leaves' scores of classification trees */
	if (is(n, "Node") && attr(n, "score") != NULL && n->parent != NULL) {
		const xmlNode *tm = n->parent;
		while (tm != NULL && is(tm, "Node"))
			tm = tm->parent;
		if (tm != NULL && is(tm, "TreeModel") && attr_eq(tm, "functionName", "classification")) {
			rc = cat_index(c, n, attr(n, "score"), &idx);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* The top MiningSchema: features, their slots and treatments; the target. */
static int
c_schema_top(struct cc *c, const xmlNode *ms)
{
	struct pm_doc *d = c->d;
	const xmlNode *k;
	size_t n = 0;
	int rc;

	for (k = first_el(ms); k != NULL; k = next_el(k))
		if (is(k, "MiningField"))
			n++;
	d->in_slot = calloc(n + 1, sizeof(*d->in_slot));
	d->in_df = calloc(n + 1, sizeof(*d->in_df));
	d->in_invalid = calloc(n + 1, sizeof(*d->in_invalid));
	d->in_repl_invalid = calloc(n + 1, sizeof(*d->in_repl_invalid));
	if (d->in_slot == NULL || d->in_df == NULL || d->in_invalid == NULL ||
	    d->in_repl_invalid == NULL)
		return oom(c);
	for (k = first_el(ms); k != NULL; k = next_el(k)) {
		const char *name = attr(k, "name"), *ut = attr(k, "usageType");
		const char *mvr = attr(k, "missingValueReplacement");
		const char *ivt = attr(k, "invalidValueTreatment");
		const char *out = attr(k, "outliers");
		const struct pm_datafield *f;
		struct pm_treat *t;
		int32_t df, raw, dst;
		if (is(k, "Extension"))
			continue;
		if (!is(k, "MiningField") || name == NULL)
			return UNSUP(c, k, "unsupported element '%s' in 'MiningSchema'", lname(k));
		df = df_find(d, name);
		if (ut != NULL && (strcmp(ut, "target") == 0 || strcmp(ut, "predicted") == 0)) {
			if (c->target != NULL)
				return UNSUP(c, k, "more than one target field");
			c->target = attr(k, "name");
			if (df < 0)
				return BAD(c, k, "target '%s' is not in the 'DataDictionary'", name);
			d->target_type = d->dfs[df].type;
			continue;
		}
		if (ut != NULL && strcmp(ut, "active") != 0)
			continue;  /* supplementary, group, order, weights: not inputs */
		if (df < 0)
			return BAD(c, k, "field '%s' is not in the 'DataDictionary'", name);
		f = &d->dfs[df];
		rc = new_slot(c, name, f->type, f->categorical, &raw);
		if (rc < 0)
			return rc;
		d->slots[raw].df = df;
		d->slots[raw].feature = (int32_t)d->nfeat;
		d->in_slot[d->nfeat] = raw;
		d->in_df[d->nfeat] = df;
		if (GROW(d->treats, d->ntreats, c->cap_treats, 1) < 0)
			return oom(c);
		t = &d->treats[d->ntreats];
		memset(t, 0, sizeof(*t));
		t->src = raw;
		t->type = f->type;
		t->df = df;
		t->check = 1;
		t->invalid = INV_RETURN;
		t->repl_missing = NAN;
		t->repl_invalid = NAN;
		t->low = -INFINITY;
		t->high = INFINITY;
		if (ivt == NULL || strcmp(ivt, "returnInvalid") == 0) t->invalid = INV_RETURN;
		else if (strcmp(ivt, "asIs") == 0) t->invalid = INV_ASIS;
		else if (strcmp(ivt, "asMissing") == 0) t->invalid = INV_MISSING;
		else if (strcmp(ivt, "asValue") == 0) {
			if (attr(k, "invalidValueReplacement") == NULL)
				return BAD(c, k, "'asValue' without 'invalidValueReplacement'");
			t->invalid = INV_VALUE;
			if ((rc = conv(c, k, t->type, attr(k, "invalidValueReplacement"), &t->repl_invalid)) < 0)
				return rc;
		} else
			return UNSUP(c, k, "unsupported invalidValueTreatment '%s'", ivt);
		if (mvr != NULL && (rc = conv(c, k, t->type, mvr, &t->repl_missing)) < 0)
			return rc;
		if (out != NULL && strcmp(out, "asIs") != 0) {
			t->outliers = strcmp(out, "asMissingValues") == 0 ? OUTL_MISSING :
			    strcmp(out, "asExtremeValues") == 0 ? OUTL_EXTREME : 255;
			if (t->outliers == 255)
				return UNSUP(c, k, "unsupported outliers '%s'", out);
			if ((rc = num_attr(c, k, "lowValue", -INFINITY, &t->low)) < 0 ||
			    (rc = num_attr(c, k, "highValue", INFINITY, &t->high)) < 0)
				return rc;
		}
		d->in_invalid[d->nfeat] = t->invalid;
		d->in_repl_invalid[d->nfeat] = t->repl_invalid;
		d->nfeat++;
		/* a treatment step only when it can change something */
		if (isnan(t->repl_missing) && t->outliers == OUTL_ASIS &&
		    (f->nvalid == 0 && f->nint == 0 && f->ninvalid == 0 && f->nmissing == 0)) {
			if ((rc = push_scope(c, raw)) < 0)
				return rc;
			continue;
		}
		rc = new_slot(c, name, f->type, f->categorical, &dst);
		if (rc < 0)
			return rc;
		t = &d->treats[d->ntreats];
		t->dst = dst;
		t->name = d->slots[dst].name;
		d->slots[dst].df = df;
		if (isnan(t->repl_missing) && t->outliers == OUTL_ASIS)
			d->slots[dst].alias_of = raw;   /* only validity checks: same value */
		if (GROW(c->steps, c->nsteps, c->cap_steps, 1) < 0)
			return oom(c);
		c->steps[c->nsteps].dst = dst;
		c->steps[c->nsteps].expr = -1;
		c->steps[c->nsteps].treat = (int32_t)d->ntreats;
		c->nsteps++;
		d->ntreats++;
		if ((rc = push_scope(c, dst)) < 0)
			return rc;
	}
	return 0;
}

/* Last segment's model of a modelChain / first of a selectFirst: its Output
 * declarations are final results too. */
static const xmlNode *
final_segment_output(const xmlNode *model, int depth)
{
	const xmlNode *seg, *k, *last = NULL, *q;
	const char *meth;

	if (depth > MAX_SEG_DEPTH || !is(model, "MiningModel"))
		return NULL;
	seg = child(model, "Segmentation");
	if (seg == NULL)
		return NULL;
	meth = attr(seg, "multipleModelMethod");
	if (meth == NULL || (strcmp(meth, "modelChain") != 0 && strcmp(meth, "selectFirst") != 0))
		return NULL;
	for (k = first_el(seg); k != NULL; k = next_el(k))
		if (is(k, "Segment")) {
			last = k;
			if (strcmp(meth, "selectFirst") == 0)
				break;
		}
	if (last == NULL)
		return NULL;
	for (q = first_el(last); q != NULL; q = next_el(q))
		if (is_model(q)) {
			const xmlNode *o = child(q, "Output");
			if (o != NULL)
				return o;
			return final_segment_output(q, depth + 1);
		}
	return NULL;
}

static int
has_output_named(const struct pm_model *m, const char *name, size_t upto)
{
	size_t i;

	for (i = 0; i < upto && i < m->nouts; i++)
		if (strcmp(m->outs[i].name, name) == 0)
			return 1;
	return 0;
}

/* Refuse DTDs before libxml2 sees the document (no entity can be declared). */
/* s[0..n) for a message: printable ASCII, others as '?', cut to fit */
static void
printable_ascii(char *out, size_t outsz, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < outsz; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

/* Encodings in which '<', '!', '?', quotes and letters are the ASCII bytes
 * and no other character's bytes include them. */
static int
ascii_compatible(const char *enc, size_t n)
{
	static const char *const ok[] = { "UTF-8", "UTF8", "US-ASCII", "ASCII", "LATIN1",
		"ISO-LATIN-1", "KOI8-R", "KOI8-U", "SHIFT_JIS", "EUC-JP", "EUC-KR",
		"GB2312", "GBK", "GB18030", "BIG5", NULL };
	static const char *const prefix[] = { "ISO-8859-", "ISO_8859-", "WINDOWS-125", "CP125", NULL };
	size_t i, k;

	for (i = 0; ok[i] != NULL; i++)
		if (strlen(ok[i]) == n && strncasecmp(ok[i], enc, n) == 0)
			return 1;
	for (i = 0; prefix[i] != NULL; i++) {
		size_t pl = strlen(prefix[i]);
		if (n <= pl || strncasecmp(prefix[i], enc, pl) != 0)
			continue;
		for (k = pl; k < n && isdigit((unsigned char)enc[k]); k++)
			;
		if (k == n && n - pl <= 2)
			return 1;
	}
	return 0;
}

/*
 * The byte scan of prescan() holds only when the document's markup is ASCII
 * bytes. Refuse what libxml2 would decode otherwise: EBCDIC (detected from
 * its first bytes, as the parser does), UTF-16 and UTF-32 (byte order marks;
 * without one their NUL bytes are refused by the scan) and an XML
 * declaration naming any encoding that is not ASCII-compatible (UTF-7,
 * IBM037...).
 */
static int
check_encoding(struct cc *c, const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	size_t i = 0, end, e;
	char q;

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		i = 3;  /* UTF-8's byte order mark */
	else if (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
		return AUD_ERROR(c->err, AUD_EUNSUPPORTED,
		    "%s:1: UTF-16 and UTF-32 documents are not supported (convert the document to UTF-8)",
		    c->path);
	if (len - i >= 4 && u[i] == 0x4C && u[i + 1] == 0x6F && u[i + 2] == 0xA7 && u[i + 3] == 0x94)
		return AUD_ERROR(c->err, AUD_EUNSUPPORTED,
		    "%s:1: EBCDIC documents are not supported (convert the document to UTF-8)", c->path);
	if (len - i < 5 || memcmp(data + i, "<?xml", 5) != 0 ||
	    (len - i > 5 && !isspace((unsigned char)data[i + 5])))
		return 0;
	/* the XML declaration: <?xml version="1.0" encoding="NAME" ...?> */
	for (end = i + 5; end + 1 < len && end < i + 1024; end++)
		if (data[end] == '?' && data[end + 1] == '>')
			break;
	for (e = i + 5; e + 8 <= end; e++) {
		if (memcmp(data + e, "encoding", 8) != 0 || !isspace((unsigned char)data[e - 1]))
			continue;
		e += 8;
		while (e < end && isspace((unsigned char)data[e]))
			e++;
		if (e >= end || data[e] != '=')
			return 0;  /* malformed: the parser says so */
		e++;
		while (e < end && isspace((unsigned char)data[e]))
			e++;
		if (e >= end || (data[e] != '"' && data[e] != '\''))
			return 0;
		q = data[e++];
		for (i = e; i < end && data[i] != q; i++)
			;
		if (i >= end)
			return 0;
		if (!ascii_compatible(data + e, i - e)) {
			char name[40];
			printable_ascii(name, sizeof(name), data + e, i - e);
			return AUD_ERROR(c->err, AUD_EUNSUPPORTED,
			    "%s:1: encoding '%s' is not supported (convert the document to UTF-8)",
			    c->path, name);
		}
		return 0;
	}
	return 0;
}

static int
prescan(struct cc *c, const char *data, size_t len)
{
	size_t i, line = 1;
	int rc;

	rc = check_encoding(c, data, len);
	if (rc < 0)
		return rc;

	for (i = 0; i < len; i++) {
		if (data[i] == '\n')
			line++;
		else if (data[i] == '<' && i + 1 < len && data[i + 1] == '!' &&
		    i + 2 < len && data[i + 2] != '-' && data[i + 2] != '[') {
			int k = 0;
			while (k < 8 && i + 2 + (size_t)k < len &&
			    isalpha((unsigned char)data[i + 2 + (size_t)k]))
				k++;
			return AUD_ERROR(c->err, AUD_EUNSUPPORTED,
			    "%s:%zu: document type declarations ('<!%.*s') are not allowed in PMML",
			    c->path, line, k, data + i + 2);
		}
		else if (data[i] == '\0')
			return AUD_ERROR(c->err, AUD_EPARSE, "%s:%zu: NUL byte in the document",
			    c->path, line);
	}
	return 0;
}

static int
positive_of(struct cc *c, const char *want)
{
	struct pm_doc *d = c->d;
	int32_t id;
	size_t i;
	char buf[32];
	double v;

	if (d->ncat == 0) {
		d->positive = -1;
		return 0;
	}
	if (want == NULL) {
		id = aud__pm_pool_find(&d->pool, "1", 1);
		for (i = 0; i < d->ncat; i++)
			if (d->cats[i] == id) {
				d->positive = (int32_t)i;
				return 0;
			}
		d->positive = (int32_t)d->ncat - 1;
		return 0;
	}
	if (!PT_IS_STR(d->target_type) && d->target_type != PT_BOOLEAN &&
	    parse_num(want, &v) == 0) {
		fmt_num(buf, v);
		want = buf;
	}
	id = aud__pm_pool_find(&d->pool, want, strlen(want));
	for (i = 0; i < d->ncat; i++)
		if (d->cats[i] == id) {
			d->positive = (int32_t)i;
			return 0;
		}
	{
		char list[256] = "";
		size_t off = 0;
		for (i = 0; i < d->ncat && off < sizeof(list) - 1; i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s'%s'",
			    i ? ", " : "", d->pool.s[d->cats[i]]);
		return AUD_ERROR(c->err, AUD_EINVAL,
		    "positive class '%s' is not a category of the target (categories: %s)",
		    want, list);
	}
}

static int
linked(const struct pm_model *m, size_t ncat)
{
	size_t i;

	switch (m->kind) {
	case MK_REGRESSION:
		if (!m->classification)
			return m->norm != N_NONE;
		return ncat == 2 && (m->norm == N_LOGIT || m->norm == N_PROBIT ||
		    m->norm == N_CAUCHIT || m->norm == N_CLOGLOG || m->norm == N_LOGLOG ||
		    (m->norm == N_SOFTMAX && m->ntables == 2));
	case MK_GENREG:
		if (!m->classification)
			return m->norm != N_IDENTITY;
		return ncat == 2;
	case MK_MINING:
		if (m->method == MM_CHAIN)
			return linked(m->segs[m->nseg - 1].model, ncat);
		if (m->method == MM_SELECTFIRST) {
			for (i = 0; i < m->nseg; i++)
				if (!linked(m->segs[i].model, ncat))
					return 0;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static int
compile_doc(struct cc *c, xmlDoc *doc, const struct aud_pmml_options *opts)
{
	struct pm_doc *d = c->d;
	xmlNode *root = xmlDocGetRootElement(doc), *k, *model = NULL;
	const xmlNode *dd = NULL, *td = NULL, *ms, *op, *fo;
	int rc;
	size_t i;

	if (root == NULL || !is(root, "PMML"))
		return BAD(c, root, "the root element is '%s', not 'PMML'", root ? lname(root) : "");
	if (root->ns == NULL || root->ns->href == NULL ||
	    strncmp((const char *)root->ns->href, "http://www.dmg.org/PMML-", 24) != 0)
		return BAD(c, root, "'PMML' is not in a PMML namespace (http://www.dmg.org/PMML-*)");
	for (k = first_el(root); k != NULL; k = next_el(k)) {
		if (is(k, "DataDictionary"))
			dd = k;
		else if (is(k, "TransformationDictionary"))
			td = k;
		else if (is_model(k)) {
			if (model == NULL && !attr_eq(k, "isScorable", "false"))
				model = k;
		} else if (!informational(k) && !is(k, "MiningBuildTask"))
			return UNSUP(c, k, "unsupported element '%s' in 'PMML'", lname(k));
	}
	if (dd == NULL)
		return BAD(c, root, "no 'DataDictionary'");
	if (model == NULL)
		return BAD(c, root, "no scorable model");
	if ((rc = c_datadictionary(c, dd)) < 0)
		return rc;
	ms = child(model, "MiningSchema");
	if (ms == NULL)
		return BAD(c, model, "'%s' has no 'MiningSchema'", lname(model));
	if ((rc = c_schema_top(c, ms)) < 0)
		return rc;
	/* target categories */
	if (attr_eq(model, "functionName", "classification")) {
		int32_t df = c->target != NULL ? df_find(d, c->target) : -1;
		if (df < 0)
			return UNSUP(c, model, "a classifier without a target field");
		if (!d->dfs[df].categorical)
			return BAD(c, model, "the target '%s' of a classifier is not categorical", c->target);
		for (i = 0; i < d->dfs[df].nvalid; i++) {
			char buf[32];
			const char *txt;
			int32_t idx;
			if (PT_IS_STR(d->target_type))
				txt = d->pool.s[(int32_t)d->dfs[df].valid[i]];
			else {
				fmt_num(buf, d->dfs[df].valid[i]);
				txt = buf;
			}
			c->cats_open = 1;
			rc = cat_index(c, dd, txt, &idx);
			if (rc < 0)
				return rc;
		}
		if (d->ncat == 0) {
			c->cats_open = 1;
			rc = collect_cats(c, model, 0);
			if (rc < 0)
				return rc;
		}
		c->cats_open = 0;
		if (d->ncat < 2)
			return BAD(c, model, "the target '%s' has fewer than two categories", c->target);
	}
	if (td != NULL && (rc = c_transformations(c, td)) < 0)
		return rc;
	{
		/* TransformationDictionary steps and top-level treatments run first */
		struct pm_step *gsteps = c->steps;
		size_t ng = c->nsteps;
		c->steps = NULL;
		c->nsteps = c->cap_steps = 0;
		rc = c_model(c, model, &d->top, 1);
		if (rc == 0 && ng > 0) {
			struct pm_step *all = malloc((ng + d->top->nsteps) * sizeof(*all));
			if (all == NULL)
				rc = oom(c);
			else {
				memcpy(all, gsteps, ng * sizeof(*all));
				if (d->top->nsteps > 0)
					memcpy(all + ng, d->top->steps, d->top->nsteps * sizeof(*all));
				free(d->top->steps);
				d->top->steps = all;
				d->top->nsteps += ng;
			}
		}
		free(gsteps);
		if (rc < 0)
			return rc;
	}
	/* result fields: the target's predicted value, then final outputs */
	{
		struct pm_model *m = d->top;
		const char *tname = c->target != NULL ? c->target : "predicted";
		size_t first;
		rc = add_output(c, m, tname, OF_PREDICTED, m->classification ? PT_STRING :
		    (m->fctx ? PT_FLOAT : PT_DOUBLE), 1, -1, -1, &d->target_slot);
		if (rc < 0)
			return rc;
		first = m->nouts;
		op = child(model, "Output");
		if (op != NULL && (rc = c_output(c, op, m)) < 0)
			return rc;
		fo = final_segment_output(model, 0);
		if (fo != NULL && (rc = c_output(c, fo, m)) < 0)
			return rc;
		if (m->nouts == first && m->classification) {
			for (i = 0; i < d->ncat; i++) {
				char name[300];
				snprintf(name, sizeof(name), "probability(%s)", d->pool.s[d->cats[i]]);
				rc = add_output(c, m, name, OF_PROBABILITY, m->fctx ? PT_FLOAT : PT_DOUBLE,
				    1, (int32_t)i, -1, NULL);
				if (rc < 0)
					return rc;
			}
		}
		d->res_name = calloc(m->nouts, sizeof(*d->res_name));
		d->res_slot = calloc(m->nouts, sizeof(*d->res_slot));
		d->res_type = calloc(m->nouts, sizeof(*d->res_type));
		if (d->res_name == NULL || d->res_slot == NULL || d->res_type == NULL)
			return oom(c);
		for (i = 0; i < m->nouts; i++) {
			if (!m->outs[i].final || has_output_named(m, m->outs[i].name, i))
				continue;
			d->res_name[d->nres] = m->outs[i].name;
			d->res_slot[d->nres] = m->outs[i].slot;
			d->res_type[d->nres] = m->outs[i].type;
			d->nres++;
		}
	}
	if (d->ncat > 0) {
		d->cat_names = calloc(d->ncat, sizeof(*d->cat_names));
		if (d->cat_names == NULL)
			return oom(c);
		for (i = 0; i < d->ncat; i++)
			d->cat_names[i] = d->pool.s[d->cats[i]];
	}
	rc = positive_of(c, opts != NULL ? opts->positive : NULL);
	if (rc < 0)
		return rc;
	d->margin_kind = linked(d->top, d->ncat);
	return 0;
}

static void
pmml_free(void *impl)
{
	aud__pm_doc_free(impl);
}

static const struct aud_model_ops pmml_ops = { aud__pm_predict, pmml_free, aud__pm_trees };

static int
make_model(struct aud_model **out, struct pm_doc *d, struct aud_error *err)
{
	struct aud_model *m = NULL;
	size_t i, j;
	int rc;

	rc = aud__model_new(&m, d->nfeat, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < d->nfeat; i++) {
		const struct pm_datafield *f = &d->dfs[d->in_df[i]];
		struct aud_feature *ft = &m->features[i];
		ft->name = strdup(f->name);
		if (ft->name == NULL)
			goto nomem;
		ft->kind = f->categorical ? AUD_COL_CATEGORICAL : AUD_COL_NUMERIC;
		if (f->categorical && d->nfcats[i] > 0) {
			const char **cs = calloc(d->nfcats[i], sizeof(*cs));
			if (cs == NULL)
				goto nomem;
			ft->categories = cs;
			for (j = 0; j < d->nfcats[i]; j++) {
				char buf[32];
				if (PT_IS_STR(f->type))
					cs[j] = strdup(d->pool.s[(int32_t)d->fcats[i][j]]);
				else {
					fmt_num(buf, d->fcats[i][j]);
					cs[j] = strdup(buf);
				}
				if (cs[j] == NULL)
					goto nomem;
				ft->ncategories++;
			}
		}
	}
	m->task = d->ncat > 0 ? AUD_TASK_CLASSIFICATION : AUD_TASK_REGRESSION;
	if (d->ncat > 0) {
		m->positive = strdup(d->pool.s[d->cats[d->positive]]);
		if (m->positive == NULL)
			goto nomem;
	}
	m->has_margin = d->margin_kind;
	{
		char desc[128];
		snprintf(desc, sizeof(desc), "pmml %s", d->top->name);
		m->description = strdup(desc);
		if (m->description == NULL)
			goto nomem;
	}
	m->ops = &pmml_ops;
	m->impl = d;
	*out = m;
	return 0;
nomem:
	aud_model_free(m);
	return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
}

/*
 * libxml2's errors, captured instead of printed. The parser's own errors are
 * also kept in its context (xmlCtxtGetLastError()); what matters here is that
 * nothing reaches stderr and that an allocation failure anywhere in libxml2
 * (its tree and buffer code report those outside any parser) is seen.
 */
struct xml_errs {
	int nomem;
};

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_err_arg;
#else
typedef xmlErrorPtr xml_err_arg;
#endif

static void
xml_note(struct xml_errs *x, xml_err_arg e)
{
	if (x != NULL && e != NULL && e->code == XML_ERR_NO_MEMORY)
		x->nomem = 1;
}

/* the handler of one parser context: data is the context (its userData) */
static void
xml_parser_error(void *data, xml_err_arg e)
{
	xmlParserCtxtPtr ctx = data;

	if (ctx != NULL)
		xml_note(ctx->_private, e);
}

/* the handler for errors raised outside a parser context: data is ours */
static void
xml_other_error(void *data, xml_err_arg e)
{
	xml_note(data, e);
}

int
aud_pmml_load_mem(struct aud_model **out, const char *name, const char *data, size_t len,
    const struct aud_pmml_options *opts, struct aud_error *err)
{
	struct cc c;
	struct pm_doc *d = NULL;
	xmlParserCtxtPtr ctx = NULL;
	xmlDoc *doc = NULL;
	struct xml_errs xe = { 0 };
	xmlStructuredErrorFunc old_handler;
	void *old_handler_data;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.path = name;
	c.err = err;
	if (len > AUD_PMML_MAX_BYTES)
		return AUD_ERROR(err, AUD_EUNSUPPORTED, "%s: document larger than %zu bytes",
		    name, (size_t)AUD_PMML_MAX_BYTES);
	if (len > INT32_MAX)
		return AUD_ERROR(err, AUD_EUNSUPPORTED, "%s: document too large", name);
	rc = prescan(&c, data, len);
	if (rc < 0)
		return rc;
	xmlInitParser();
	/* libxml2 keeps this handler per thread: set for this call, restored at done */
	old_handler = xmlStructuredError;
	old_handler_data = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(&xe, xml_other_error);
	ctx = xmlNewParserCtxt();
	if (ctx == NULL || ctx->sax == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	ctx->_private = &xe;
	ctx->sax->serror = xml_parser_error;
	/* no NOENT (no entity substitution), no DTDLOAD/DTDATTR, no HUGE, no network */
	doc = xmlCtxtReadMemory(ctx, data, (int)len, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
	    XML_PARSE_NOCDATA);
	if (xe.nomem || ctx->errNo == XML_ERR_NO_MEMORY) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "%s: out of memory while parsing the document", name);
		goto done;
	}
	if (doc == NULL || !ctx->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctx);
		char msg[300] = "";
		if (e != NULL && e->message != NULL) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			msg[strcspn(msg, "\n")] = '\0';
		}
		if (msg[0] != '\0')
			msg[0] = (char)tolower((unsigned char)msg[0]);
		if (e != NULL && e->message != NULL &&
		    strncmp(e->message, "Excessive depth in document", 27) == 0)
			rc = AUD_ERROR(err, AUD_EUNSUPPORTED,
			    "%s:%d:%d: elements nested deeper than %d levels (the limit)",
			    name, e->line, e->int2, XML_MAX_NESTING);
		else if (msg[0] == '\0')
			rc = AUD_ERROR(err, AUD_EPARSE, "%s:%d:%d: malformed XML", name,
			    e != NULL ? e->line : 0, e != NULL ? e->int2 : 0);
		else
			rc = AUD_ERROR(err, AUD_EPARSE, "%s:%d:%d: malformed XML: %s", name,
			    e->line, e->int2, msg);
		goto done;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		rc = AUD_ERROR(err, AUD_EUNSUPPORTED, "%s: document type declarations are not allowed", name);
		goto done;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	d->positive = -1;
	d->target_slot = -1;
	c.d = d;
	rc = compile_doc(&c, doc, opts);
	if (rc < 0)
		goto done;
	rc = aud__pm_feature_cats(d, err);
	if (rc < 0)
		goto done;
	rc = aud__pm_set_bits(d, err);
	if (rc < 0)
		goto done;
	rc = aud__pm_trees_build(d, err);
	if (rc < 0)
		goto done;
	rc = make_model(out, d, err);
	if (rc == 0)
		d = NULL;
done:
	free(c.scope);
	free(c.funcs);
	free(c.binds);
	free(c.steps);
	aud__pm_doc_free(d);
	if (doc != NULL)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctx);
	if (xe.nomem && rc != AUD_ENOMEM) {
		aud_model_free(*out);
		*out = NULL;
		rc = AUD_ERROR(err, AUD_ENOMEM, "%s: out of memory while reading the document", name);
	}
	xmlSetStructuredErrorFunc(old_handler_data, old_handler);
	return rc;
}

int
aud_pmml_load(struct aud_model **out, const char *path, const struct aud_pmml_options *opts,
    struct aud_error *err)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (f == NULL)
		return AUD_ERROR_ERRNO(err, AUD_EIO, errno, "cannot open '%s': %s", path, strerror(errno));
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb;
			if (cap > AUD_PMML_MAX_BYTES) {
				fclose(f);
				free(buf);
				return AUD_ERROR(err, AUD_EUNSUPPORTED, "%s: document larger than %zu bytes",
				    path, (size_t)AUD_PMML_MAX_BYTES);
			}
			nb = realloc(buf, ncap);
			if (nb == NULL) {
				fclose(f);
				free(buf);
				return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
			}
			buf = nb;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		return AUD_ERROR_ERRNO(err, AUD_EIO, e, "cannot read '%s': %s", path, strerror(e));
	}
	fclose(f);
	rc = aud_pmml_load_mem(out, path, buf, len, opts, err);
	free(buf);
	return rc;
}
