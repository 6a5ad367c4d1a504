/*
 * rowexpr.c — the row expressions of audit-slice --slice (rowexpr.h): a
 * recursive-descent parser into a small tree of nodes, the canonical text
 * written back from the tree, and the evaluation over a CSV record.
 */
#include <audit/rowexpr.h>

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/csv.h>

/* Deeper nesting is refused (the parser and the evaluator recurse). */
#define MAX_DEPTH 100

enum kind { K_OR, K_AND, K_NOT, K_CMP, K_IN, K_CONTAINS, K_STARTS, K_MISSING };
enum cmp { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

struct value {
	int numeric;
	double num;
	char *s;        /* the text (strings), NUL-terminated; NULL for numbers */
	size_t len;
};

struct node {
	enum kind kind;
	enum cmp op;          /* K_CMP */
	int negated;          /* K_MISSING: is not missing */
	struct node *a, *b;   /* K_OR, K_AND: both; K_NOT: a */
	size_t col;           /* index into the expression's columns */
	struct value *v;      /* K_CMP, K_CONTAINS, K_STARTS: one; K_IN: nv */
	size_t nv;
};

struct aud_rowexpr {
	struct node *root;
	char **cols;
	size_t ncols;
	size_t *idx;          /* bound CSV indices */
	int bound;
	char *text;           /* canonical */
};

struct parser {
	const char *s;
	size_t pos;
	struct aud_rowexpr *e;
	struct aud_error *err;
	int rc;
};

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	node_free(n->a);
	node_free(n->b);
	for (i = 0; i < n->nv; i++)
		free(n->v[i].s);
	free(n->v);
	free(n);
}

void
aud_rowexpr_free(struct aud_rowexpr *e)
{
	size_t i;

	if (e == NULL)
		return;
	node_free(e->root);
	for (i = 0; i < e->ncols; i++)
		free(e->cols[i]);
	free(e->cols);
	free(e->idx);
	free(e->text);
	free(e);
}

/* Record the first error: "bad slice expression 'TEXT' at column N: WHAT". */
static struct node *
fail(struct parser *p, size_t at, const char *what)
{
	if (p->rc == 0)
		p->rc = AUD_ERROR(p->err, AUD_EINVAL, "bad slice expression '%s' at column %zu: %s",
		    p->s, at + 1, what);
	return NULL;
}

static struct node *
nomem(struct parser *p)
{
	if (p->rc == 0)
		p->rc = AUD_ERROR(p->err, AUD_ENOMEM, "out of memory");
	return NULL;
}

static void
skip_blanks(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	    p->s[p->pos] == '\r')
		p->pos++;
}

/* 1 (and consumed, blanks after it skipped) when the text continues with tok. */
static int
accept(struct parser *p, const char *tok)
{
	size_t n = strlen(tok);

	if (strncmp(p->s + p->pos, tok, n) != 0)
		return 0;
	p->pos += n;
	skip_blanks(p);
	return 1;
}

static int
is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int
is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '.';
}

/* A bare word at the current position (its length), without consuming it. */
static size_t
word_len(const struct parser *p)
{
	size_t n = 0;

	if (!is_name_start(p->s[p->pos]))
		return 0;
	while (is_name_char(p->s[p->pos + n]))
		n++;
	return n;
}

/* 1 (consumed) when the next bare word is kw. */
static int
accept_word(struct parser *p, const char *kw)
{
	size_t n = word_len(p);

	if (n != strlen(kw) || strncmp(p->s + p->pos, kw, n) != 0)
		return 0;
	p->pos += n;
	skip_blanks(p);
	return 1;
}

static struct node *
new_node(struct parser *p, enum kind k)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return nomem(p);
	n->kind = k;
	return n;
}

/* The index of column name[0..len) in e->cols, added when new; -1 on no memory. */
static long
column_index(struct parser *p, const char *name, size_t len)
{
	struct aud_rowexpr *e = p->e;
	char **cols;
	size_t i;

	for (i = 0; i < e->ncols; i++)
		if (strlen(e->cols[i]) == len && memcmp(e->cols[i], name, len) == 0)
			return (long)i;
	cols = realloc(e->cols, (e->ncols + 1) * sizeof(*cols));
	if (cols == NULL)
		return -1;
	e->cols = cols;
	e->cols[e->ncols] = malloc(len + 1);
	if (e->cols[e->ncols] == NULL)
		return -1;
	memcpy(e->cols[e->ncols], name, len);
	e->cols[e->ncols][len] = '\0';
	return (long)e->ncols++;
}

/* column := name | '`' text '`'. Returns 0 or -1 (error recorded). */
static int
parse_column(struct parser *p, size_t *out)
{
	size_t start = p->pos, n;
	const char *name;
	long i;

	if (p->s[p->pos] == '`') {
		const char *end = strchr(p->s + p->pos + 1, '`');

		if (end == NULL)
			return fail(p, start, "unterminated `column name`"), -1;
		name = p->s + p->pos + 1;
		n = (size_t)(end - name);
		if (n == 0)
			return fail(p, start, "empty `column name`"), -1;
		p->pos += n + 2;
	} else {
		n = word_len(p);
		if (n == 0)
			return fail(p, start, "expected a column name"), -1;
		name = p->s + p->pos;
		p->pos += n;
	}
	i = column_index(p, name, n);
	if (i < 0)
		return nomem(p), -1;
	*out = (size_t)i;
	skip_blanks(p);
	return 0;
}

/* string := '"' text with \" and \\ '"'. Returns 0 or -1. */
static int
parse_string(struct parser *p, struct value *v)
{
	size_t start = p->pos, i, n = 0;
	char *buf;

	assert(p->s[p->pos] == '"');
	buf = malloc(strlen(p->s + p->pos) + 1);
	if (buf == NULL)
		return nomem(p), -1;
	for (i = p->pos + 1; p->s[i] != '"'; i++) {
		if (p->s[i] == '\0') {
			free(buf);
			return fail(p, start, "unterminated string"), -1;
		}
		if (p->s[i] == '\\') {
			if (p->s[i + 1] != '"' && p->s[i + 1] != '\\') {
				free(buf);
				return fail(p, i, "only \\\" and \\\\ are escapes in a string"), -1;
			}
			i++;
		}
		buf[n++] = p->s[i];
	}
	buf[n] = '\0';
	v->numeric = 0;
	v->s = buf;
	v->len = n;
	p->pos = i + 1;
	skip_blanks(p);
	return 0;
}

/* number: [+-] digits [. digits] [e [+-] digits], parsed in the C locale. */
static int
parse_number(struct parser *p, struct value *v)
{
	size_t start = p->pos, i = p->pos, digits = 0;

	if (p->s[i] == '+' || p->s[i] == '-')
		i++;
	while (p->s[i] >= '0' && p->s[i] <= '9')
		i++, digits++;
	if (p->s[i] == '.') {
		i++;
		while (p->s[i] >= '0' && p->s[i] <= '9')
			i++, digits++;
	}
	if (digits == 0)
		return fail(p, start, "expected a number or a \"quoted text\""), -1;
	if (p->s[i] == 'e' || p->s[i] == 'E') {
		size_t e = i + 1, ed = 0;

		if (p->s[e] == '+' || p->s[e] == '-')
			e++;
		while (p->s[e] >= '0' && p->s[e] <= '9')
			e++, ed++;
		if (ed == 0)
			return fail(p, i, "expected the digits of an exponent"), -1;
		i = e;
	}
	if (is_name_char(p->s[i]))
		return fail(p, i, "expected a blank or an operator after a number"), -1;
	if (!aud_parse_number(&v->num, p->s + start, i - start))
		return fail(p, start, "number out of range"), -1;
	v->numeric = 1;
	v->s = NULL;
	p->pos = i;
	skip_blanks(p);
	return 0;
}

static int
parse_value(struct parser *p, struct value *v)
{
	if (p->s[p->pos] == '"')
		return parse_string(p, v);
	return parse_number(p, v);
}

static struct node *
with_value(struct parser *p, struct node *n, int string_only)
{
	size_t at = p->pos;

	n->v = calloc(1, sizeof(*n->v));
	if (n->v == NULL) {
		node_free(n);
		return nomem(p);
	}
	n->nv = 1;
	if (string_only && p->s[p->pos] != '"') {
		node_free(n);
		return fail(p, at, "expected a \"quoted text\"");
	}
	if (parse_value(p, &n->v[0]) < 0) {
		node_free(n);
		return NULL;
	}
	return n;
}

/* COL 'in' '(' value (',' value)* ')' */
static struct node *
parse_in(struct parser *p, struct node *n)
{
	struct value *v;

	if (!accept(p, "(")) {
		node_free(n);
		return fail(p, p->pos, "expected '(' after 'in'");
	}
	for (;;) {
		v = realloc(n->v, (n->nv + 1) * sizeof(*v));
		if (v == NULL) {
			node_free(n);
			return nomem(p);
		}
		n->v = v;
		memset(&n->v[n->nv], 0, sizeof(*v));
		n->nv++;
		if (parse_value(p, &n->v[n->nv - 1]) < 0) {
			node_free(n);
			return NULL;
		}
		if (accept(p, ")"))
			return n;
		if (!accept(p, ",")) {
			node_free(n);
			return fail(p, p->pos, "expected ',' or ')' in the list of 'in'");
		}
	}
}

static struct node *
parse_pred(struct parser *p)
{
	static const struct { const char *tok; enum cmp op; } ops[] = {
		{ "==", C_EQ }, { "!=", C_NE }, { "<=", C_LE }, { ">=", C_GE },
		{ "<", C_LT }, { ">", C_GT }
	};
	struct node *n;
	size_t col, i, at;

	if (parse_column(p, &col) < 0)
		return NULL;
	n = new_node(p, K_CMP);
	if (n == NULL)
		return NULL;
	n->col = col;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (accept(p, ops[i].tok)) {
			n->op = ops[i].op;
			return with_value(p, n, 0);
		}
	if (accept_word(p, "in")) {
		n->kind = K_IN;
		return parse_in(p, n);
	}
	if (accept_word(p, "contains")) {
		n->kind = K_CONTAINS;
		return with_value(p, n, 1);
	}
	if (accept_word(p, "startswith")) {
		n->kind = K_STARTS;
		return with_value(p, n, 1);
	}
	if (accept_word(p, "is")) {
		n->kind = K_MISSING;
		n->negated = accept_word(p, "not");
		at = p->pos;
		if (!accept_word(p, "missing")) {
			node_free(n);
			return fail(p, at, "expected 'missing'");
		}
		return n;
	}
	at = p->pos;
	node_free(n);
	if (p->s[at] == '=')
		return fail(p, at, "expected an operator ('==' compares)");
	return fail(p, at, "expected an operator (== != < <= > >= in contains startswith is)");
}

static struct node *parse_or(struct parser *p, int depth);

static struct node *
parse_unary(struct parser *p, int depth)
{
	struct node *n, *c;
	size_t at = p->pos;

	if ((p->s[at] == '!' || p->s[at] == '(') && depth >= MAX_DEPTH)
		return fail(p, at, "nested too deeply");
	if (p->s[p->pos] == '!' && p->s[p->pos + 1] != '=') {
		accept(p, "!");
		c = parse_unary(p, depth + 1);
		if (c == NULL)
			return NULL;
		n = new_node(p, K_NOT);
		if (n == NULL) {
			node_free(c);
			return NULL;
		}
		n->a = c;
		return n;
	}
	if (accept(p, "(")) {
		n = parse_or(p, depth + 1);
		if (n == NULL)
			return NULL;
		if (!accept(p, ")")) {
			node_free(n);
			return fail(p, p->pos, "expected ')'");
		}
		return n;
	}
	return parse_pred(p);
}

/* and := unary ('&&' unary)*; or := and ('||' and)* */
static struct node *
parse_bin(struct parser *p, int depth, int is_or)
{
	struct node *l, *r, *n;

	l = is_or ? parse_bin(p, depth, 0) : parse_unary(p, depth);
	if (l == NULL)
		return NULL;
	while (accept(p, is_or ? "||" : "&&")) {
		r = is_or ? parse_bin(p, depth, 0) : parse_unary(p, depth);
		if (r == NULL) {
			node_free(l);
			return NULL;
		}
		n = new_node(p, is_or ? K_OR : K_AND);
		if (n == NULL) {
			node_free(l);
			node_free(r);
			return NULL;
		}
		n->a = l;
		n->b = r;
		l = n;
	}
	return l;
}

static struct node *
parse_or(struct parser *p, int depth)
{
	return parse_bin(p, depth, 1);
}

/* ---- canonical text ---- */

struct buf {
	char *s;
	size_t len, cap;
	int oom;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	char *t;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap * 2 + n + 64;

		t = realloc(b->s, cap);
		if (t == NULL) {
			b->oom = 1;
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static int
is_keyword(const char *s)
{
	return strcmp(s, "in") == 0 || strcmp(s, "contains") == 0 ||
	    strcmp(s, "startswith") == 0 || strcmp(s, "is") == 0 || strcmp(s, "not") == 0 ||
	    strcmp(s, "missing") == 0;
}

static void
put_column(struct buf *b, const char *name)
{
	size_t i;
	int bare = is_name_start(name[0]) && !is_keyword(name);

	for (i = 0; bare && name[i] != '\0'; i++)
		bare = is_name_char(name[i]);
	if (bare) {
		puts_(b, name);
		return;
	}
	puts_(b, "`");
	puts_(b, name);
	puts_(b, "`");
}

static void
put_value(struct buf *b, const struct value *v)
{
	char num[32];
	size_t i;

	if (v->numeric) {
		aud_format_double(num, v->num);
		puts_(b, num);
		return;
	}
	puts_(b, "\"");
	for (i = 0; i < v->len; i++) {
		if (v->s[i] == '"' || v->s[i] == '\\')
			puts_(b, "\\");
		put(b, &v->s[i], 1);
	}
	puts_(b, "\"");
}

static void
put_node(struct buf *b, const struct aud_rowexpr *e, const struct node *n)
{
	static const char *const cmp[] = { " == ", " != ", " < ", " <= ", " > ", " >= " };
	size_t i;

	switch (n->kind) {
	case K_OR:
	case K_AND:
		/* an || under && keeps its parentheses */
		if (n->kind == K_AND && n->a->kind == K_OR) {
			puts_(b, "(");
			put_node(b, e, n->a);
			puts_(b, ")");
		} else {
			put_node(b, e, n->a);
		}
		puts_(b, n->kind == K_OR ? " || " : " && ");
		if (n->b->kind == K_OR || (n->kind == K_AND && n->b->kind == K_AND)) {
			puts_(b, "(");
			put_node(b, e, n->b);
			puts_(b, ")");
		} else {
			put_node(b, e, n->b);
		}
		break;
	case K_NOT:
		if (n->a->kind == K_NOT) {
			puts_(b, "!");
			put_node(b, e, n->a);
		} else {
			puts_(b, "!(");
			put_node(b, e, n->a);
			puts_(b, ")");
		}
		break;
	case K_CMP:
		put_column(b, e->cols[n->col]);
		puts_(b, cmp[n->op]);
		put_value(b, &n->v[0]);
		break;
	case K_IN:
		put_column(b, e->cols[n->col]);
		puts_(b, " in (");
		for (i = 0; i < n->nv; i++) {
			if (i > 0)
				puts_(b, ", ");
			put_value(b, &n->v[i]);
		}
		puts_(b, ")");
		break;
	case K_CONTAINS:
	case K_STARTS:
		put_column(b, e->cols[n->col]);
		puts_(b, n->kind == K_CONTAINS ? " contains " : " startswith ");
		put_value(b, &n->v[0]);
		break;
	case K_MISSING:
		put_column(b, e->cols[n->col]);
		puts_(b, n->negated ? " is not missing" : " is missing");
		break;
	}
}

int
aud_rowexpr_parse(struct aud_rowexpr **out, const char *text, struct aud_error *err)
{
	struct parser p;
	struct buf b = { NULL, 0, 0, 0 };

	assert(out != NULL && text != NULL);
	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.s = text;
	p.err = err;
	p.e = calloc(1, sizeof(*p.e));
	if (p.e == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	skip_blanks(&p);
	if (p.s[p.pos] == '\0') {
		fail(&p, p.pos, "empty expression");
		goto bad;
	}
	p.e->root = parse_or(&p, 0);
	if (p.e->root == NULL)
		goto bad;
	if (p.s[p.pos] != '\0') {
		fail(&p, p.pos, p.s[p.pos] == ')' ? "unbalanced ')'" :
		    "expected '&&', '||' or the end");
		goto bad;
	}
	put_node(&b, p.e, p.e->root);
	if (b.oom || b.s == NULL) {
		free(b.s);
		nomem(&p);
		goto bad;
	}
	p.e->text = b.s;
	p.e->idx = calloc(p.e->ncols + 1, sizeof(*p.e->idx));
	if (p.e->idx == NULL) {
		nomem(&p);
		goto bad;
	}
	*out = p.e;
	return 0;
bad:
	aud_rowexpr_free(p.e);
	return p.rc;
}

const char *
aud_rowexpr_text(const struct aud_rowexpr *e)
{
	return e->text;
}

size_t
aud_rowexpr_ncolumns(const struct aud_rowexpr *e)
{
	return e->ncols;
}

const char *
aud_rowexpr_column(const struct aud_rowexpr *e, size_t i)
{
	assert(i < e->ncols);
	return e->cols[i];
}

int
aud_rowexpr_bind(struct aud_rowexpr *e, struct aud_csv *csv, struct aud_error *err)
{
	size_t i, j, n = aud_csv_ncols(csv);

	for (i = 0; i < e->ncols; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(aud_csv_colname(csv, j), e->cols[i]) == 0)
				break;
		if (j == n)
			return AUD_ERROR(err, AUD_ENOTFOUND, "slice '%s': no column '%s' in %s",
			    e->text, e->cols[i], aud_csv_path(csv));
		e->idx[i] = j;
	}
	e->bound = 1;
	return 0;
}

/* Byte order of a[0..al) and b[0..bl): <0, 0, >0. */
static int
bytecmp(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return al < bl ? -1 : al > bl ? 1 : 0;
}

static int
holds(enum cmp op, int c)
{
	switch (op) {
	case C_EQ: return c == 0;
	case C_NE: return c != 0;
	case C_LT: return c < 0;
	case C_LE: return c <= 0;
	case C_GT: return c > 0;
	default: return c >= 0;
	}
}

/* The field against one value: -2 when not comparable (missing, not a number). */
static int
compare(const char *f, size_t len, const struct value *v)
{
	double x;

	if (!v->numeric)
		return bytecmp(f, len, v->s, v->len);
	if (!aud_parse_number(&x, f, len) || x != x)
		return -2;
	return x < v->num ? -1 : x > v->num ? 1 : 0;
}

static int
find(const char *hay, size_t hl, const char *needle, size_t nl)
{
	size_t i;

	if (nl == 0)
		return 1;
	for (i = 0; i + nl <= hl; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nl) == 0)
			return 1;
	return 0;
}

static int
eval(const struct aud_rowexpr *e, const struct node *n, struct aud_csv *csv)
{
	const char *f;
	size_t len, i, col;
	int c;

	switch (n->kind) {
	case K_OR:
		return eval(e, n->a, csv) || eval(e, n->b, csv);
	case K_AND:
		return eval(e, n->a, csv) && eval(e, n->b, csv);
	case K_NOT:
		return !eval(e, n->a, csv);
	default:
		break;
	}
	col = e->idx[n->col];
	if (n->kind == K_MISSING)
		return aud_csv_is_na(csv, col) != n->negated;
	/* a missing value is in no comparison */
	if (aud_csv_is_na(csv, col))
		return 0;
	f = aud_csv_field(csv, col, &len);
	switch (n->kind) {
	case K_CMP:
		c = compare(f, len, &n->v[0]);
		return c != -2 && holds(n->op, c);
	case K_IN:
		for (i = 0; i < n->nv; i++)
			if (compare(f, len, &n->v[i]) == 0)
				return 1;
		return 0;
	case K_CONTAINS:
		return find(f, len, n->v[0].s, n->v[0].len);
	default:
		return len >= n->v[0].len && memcmp(f, n->v[0].s, n->v[0].len) == 0;
	}
}

int
aud_rowexpr_eval(const struct aud_rowexpr *e, struct aud_csv *csv)
{
	assert(e->bound);
	return eval(e, e->root, csv);
}
