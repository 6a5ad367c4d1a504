/*
 * opt.c — the option front end (see opt.h): getopt_long(3) driven by a table.
 */
#include <audit/opt.h>
#include <audit/cli.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
aud_strlist_push(struct aud_strlist *out, const char *s, struct aud_error *err)
{
	char **nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
	char *copy;

	if (nv == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	out->v = nv;
	copy = strdup(s);
	if (copy == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	out->v[out->n++] = copy;
	return 0;
}

int
aud_strlist_split(struct aud_strlist *out, const char *s, const char *what,
    struct aud_error *err)
{
	const char *p = s;
	char shown[96];
	int rc;

	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c != NULL ? (size_t)(c - p) : strlen(p);
		char *name;

		if (len == 0) {
			aud_cli_escape(shown, sizeof(shown), s);
			return AUD_ERROR(err, AUD_EINVAL, "%s: empty name in '%s'", what, shown);
		}
		name = strndup(p, len);
		if (name == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		rc = aud_strlist_push(out, name, err);
		free(name);
		if (rc < 0)
			return rc;
		if (c == NULL)
			return 0;
		p = c + 1;
	}
}

void
aud_strlist_free(struct aud_strlist *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
aud_parse_numbers(double **out, size_t *n, const char *s, double min, double max,
    const char *what, struct aud_error *err)
{
	struct aud_strlist items = { NULL, 0 };
	double *v;
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	rc = aud_strlist_split(&items, s, what, err);
	if (rc < 0) {
		aud_strlist_free(&items);
		return rc;
	}
	v = calloc(items.n, sizeof(*v));
	if (v == NULL) {
		aud_strlist_free(&items);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	for (i = 0; i < items.n; i++) {
		rc = aud_parse_double(&v[i], items.v[i], min, max, what, err);
		if (rc < 0) {
			free(v);
			aud_strlist_free(&items);
			return rc;
		}
	}
	*n = items.n;
	*out = v;
	aud_strlist_free(&items);
	return 0;
}

int
aud_opt_format(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err)
{
	enum aud_format f;

	(void)opt;
	if (aud_parse_format(&f, arg, err) < 0)
		return AUD_EINVAL;
	*(int *)dest = (int)f;
	return 0;
}

int
aud_opt_csv(void *dest, const char *arg, const struct aud_opt *opt,
    struct aud_error *err)
{
	int rc = aud_csvopt_set(dest, opt->tag, arg, err);

	return rc > 0 ? AUD_ERROR(err, AUD_EINTERNAL, "not a CSV option") : rc;
}

/* "--name" or "-c": how messages name an option. */
static void
opt_name(char *buf, size_t size, const struct aud_opt *o)
{
	if (o->long_name != NULL)
		snprintf(buf, size, "--%s", o->long_name);
	else
		snprintf(buf, size, "-%c", o->short_name);
}

static int
takes_arg(const struct aud_opt *o)
{
	return o->kind != AUD_OPT_FLAG && o->kind != AUD_OPT_HELP &&
	    o->kind != AUD_OPT_VERSION && o->arg != NULL;
}

static int
is_option(const struct aud_opt *o)
{
	return o->kind != AUD_OPT_END && o->kind != AUD_OPT_SECTION;
}

static int
store_int(void *dest, size_t width, long v)
{
	switch (width) {
	case 2: { int16_t x = (int16_t)v; memcpy(dest, &x, 2); return 0; }
	case 4: { int32_t x = (int32_t)v; memcpy(dest, &x, 4); return 0; }
	case 8: { int64_t x = (int64_t)v; memcpy(dest, &x, 8); return 0; }
	default: return -1;
	}
}

static int
choice(int *dest, const char *arg, const char *name, const char *const *choices,
    struct aud_error *err)
{
	char list[256], shown[96];
	size_t i, n = 0, len = 0;

	for (i = 0; choices[i] != NULL; i++)
		if (strcmp(arg, choices[i]) == 0) {
			*dest = (int)i;
			return 0;
		}
	while (choices[n] != NULL)
		n++;
	list[0] = '\0';
	for (i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", choices[i]);
	aud_cli_escape(shown, sizeof(shown), arg);
	return AUD_ERROR(err, AUD_EINVAL, "%s: expected %s, got '%s'", name, list, shown);
}

/* Store one option's argument. 0 or an AUD_E* code. */
static int
store(const struct aud_opt *o, char *args, const char *arg, struct aud_error *err)
{
	void *dest = args + o->offset;
	char name[64];
	long l;

	opt_name(name, sizeof(name), o);
	switch (o->kind) {
	case AUD_OPT_FLAG:
		*(int *)dest = 1;
		return 0;
	case AUD_OPT_STRING:
		*(const char **)dest = arg;
		return 0;
	case AUD_OPT_INT:
		if (aud_parse_long(&l, arg, (long)o->min, (long)o->max, name, err) < 0)
			return AUD_EINVAL;
		if (store_int(dest, o->width, l) < 0)
			return AUD_ERROR(err, AUD_EINTERNAL, "%s: bad integer width", name);
		return 0;
	case AUD_OPT_NUMBER:
		return aud_parse_double(dest, arg, o->min, o->max, name, err) < 0 ? AUD_EINVAL : 0;
	case AUD_OPT_SEED:
		return aud_parse_seed(dest, arg, err) < 0 ? AUD_EINVAL : 0;
	case AUD_OPT_CHOICE:
		return choice(dest, arg, name, o->choices, err);
	case AUD_OPT_LIST:
		return aud_strlist_split(dest, arg, name, err);
	case AUD_OPT_APPEND:
		return aud_strlist_push(dest, arg, err);
	case AUD_OPT_CALL:
		return o->call(dest, arg, o, err);
	default:
		return AUD_ERROR(err, AUD_EINTERNAL, "%s: not an option", name);
	}
}

/* The option part of a help line ("  -o, --output FILE"). */
static void
help_left(char *buf, size_t size, const struct aud_opt *o)
{
	size_t n;

	if (o->short_name != 0 && o->long_name != NULL)
		n = (size_t)snprintf(buf, size, "  -%c, --%s", o->short_name, o->long_name);
	else if (o->short_name != 0)
		n = (size_t)snprintf(buf, size, "  -%c", o->short_name);
	else
		n = (size_t)snprintf(buf, size, "      --%s", o->long_name);
	if (o->arg != NULL && n < size)
		snprintf(buf + n, size - n, " %s", o->arg);
}

#define HELP_COLUMN 26

int
aud_opt_help(const struct aud_tool *tool, const struct aud_opt *spec, FILE *f)
{
	const struct aud_opt *o;
	const char *s, *brk;
	int indent = (int)strlen(tool->name) + 8;

	/* a synopsis line break continues under the first option */
	fprintf(f, "usage: %s ", tool->name);
	for (s = tool->synopsis; (brk = strchr(s, '\n')) != NULL; s = brk + 1) {
		fprintf(f, "%.*s\n", (int)(brk - s), s);
		if (brk[1] == '|') {    /* another form of the command */
			fprintf(f, "   or: %s ", tool->name);
			brk++;
		} else {
			fprintf(f, "%*s", indent, "");
		}
	}
	fprintf(f, "%s\n", s);
	if (tool->about != NULL)
		fprintf(f, "\n%s", tool->about);
	for (o = spec; o->kind != AUD_OPT_END; o++) {
		char left[128];
		const char *h, *nl;
		int width;

		if (o->kind == AUD_OPT_SECTION) {
			fprintf(f, "\n%s:\n", o->help);
			continue;
		}
		help_left(left, sizeof(left), o);
		width = (int)strlen(left);
		if (width >= HELP_COLUMN - 1)
			fprintf(f, "%s\n%*s", left, HELP_COLUMN, "");
		else
			fprintf(f, "%-*s", HELP_COLUMN, left);
		for (h = o->help != NULL ? o->help : ""; (nl = strchr(h, '\n')) != NULL; h = nl + 1)
			fprintf(f, "%.*s\n%*s", (int)(nl - h), h, HELP_COLUMN, "");
		fprintf(f, "%s\n", h);
	}
	if (tool->more != NULL)
		fprintf(f, "\n%s", tool->more);
	fputs("\nExit status: 0 success, 1 a requested check failed, 2 usage error,\n"
	    "3 bad input, 4 model failure, 5 output cannot be written, 6 internal error.\n", f);
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}

void
aud_opt_free(const struct aud_opt *spec, void *args)
{
	const struct aud_opt *o;

	for (o = spec; o->kind != AUD_OPT_END; o++)
		if (o->kind == AUD_OPT_LIST || o->kind == AUD_OPT_APPEND)
			aud_strlist_free((struct aud_strlist *)((char *)args + o->offset));
}

/* Long options and the short-option string of `spec`; val = 256 + index. */
static int
build(const struct aud_opt *spec, size_t n, struct option **lo, char **so)
{
	size_t i, nl = 0, ns = 0;

	*lo = calloc(n + 1, sizeof(**lo));
	*so = calloc(3 * n + 2, 1);
	if (*lo == NULL || *so == NULL)
		return -1;
	(*so)[ns++] = ':';
	for (i = 0; i < n; i++) {
		const struct aud_opt *o = &spec[i];

		if (!is_option(o))
			continue;
		if (o->long_name != NULL) {
			(*lo)[nl].name = o->long_name;
			(*lo)[nl].has_arg = takes_arg(o) ? required_argument : no_argument;
			(*lo)[nl].val = 256 + (int)i;
			nl++;
		}
		if (o->short_name != 0) {
			(*so)[ns++] = (char)o->short_name;
			if (takes_arg(o))
				(*so)[ns++] = ':';
		}
	}
	return 0;
}

int
aud_opt_parse(const struct aud_tool *tool, const struct aud_opt *spec, void *args,
    int argc, char **argv, const char **operands, size_t *noperands, int *status)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct option *lo = NULL;
	char *so = NULL, name[64];
	unsigned *seen = NULL;
	size_t n = 0, i;
	int ch, stop = 1;

	*noperands = 0;
	while (spec[n].kind != AUD_OPT_END)
		n++;
	seen = calloc(n + 1, sizeof(*seen));
	if (seen == NULL || build(spec, n, &lo, &so) < 0) {
		AUD_ERROR(&err, AUD_ENOMEM, "out of memory");
		*status = aud_cli_report(tool->name, &err);
		goto done;
	}
	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		const struct aud_opt *o = NULL;
		const char *bad = argv[optind - 1];

		if (ch >= 256 && (size_t)(ch - 256) < n) {
			o = &spec[ch - 256];
		} else if (ch != '?' && ch != ':') {
			for (i = 0; i < n; i++)
				if (is_option(&spec[i]) && spec[i].short_name == ch)
					o = &spec[i];
		}
		if (ch == ':') {
			*status = aud_cli_usage_error(tool->name, "option '%s' needs an argument",
			    optopt > 0 && optopt < 256 ? (snprintf(name, sizeof(name), "-%c",
			    optopt), name) : bad);
			goto done;
		}
		if (o == NULL) {
			char shown[96];

			if (optopt > 0 && optopt < 256)
				snprintf(shown, sizeof(shown), "-%c", optopt);
			else
				aud_cli_escape(shown, sizeof(shown), bad);
			*status = aud_cli_usage_error(tool->name, "unknown option '%s'", shown);
			goto done;
		}
		opt_name(name, sizeof(name), o);
		if (o->kind == AUD_OPT_HELP) {
			*status = aud_opt_help(tool, spec, stdout) < 0 ? AUD_EXIT_OUTPUT : AUD_EXIT_OK;
			goto done;
		}
		if (o->kind == AUD_OPT_VERSION) {
			aud_cli_version(tool->name);
			*status = fflush(stdout) == EOF || ferror(stdout) ? AUD_EXIT_OUTPUT :
			    AUD_EXIT_OK;
			goto done;
		}
		if ((o->flags & AUD_OPT_ONCE) && seen[o - spec] > 0) {
			*status = aud_cli_usage_error(tool->name, "%s given twice", name);
			goto done;
		}
		seen[o - spec]++;
		if (store(o, args, takes_arg(o) ? optarg : NULL, &err) < 0) {
			*status = err.code == AUD_EINVAL ?
			    aud_cli_usage_error(tool->name, "%s", err.msg) :
			    aud_cli_report(tool->name, &err);
			goto done;
		}
	}
	for (i = 0; i < n; i++)
		if ((spec[i].flags & AUD_OPT_REQUIRED) && seen[i] == 0) {
			opt_name(name, sizeof(name), &spec[i]);
			*status = aud_cli_usage_error(tool->name, "%s is required", name);
			goto done;
		}
	if (argc - optind > tool->max_args) {
		if (tool->max_args == 0) {
			char shown[96];

			aud_cli_escape(shown, sizeof(shown), argv[optind]);
			*status = aud_cli_usage_error(tool->name, "unexpected operand '%s'", shown);
		} else if (tool->max_args == 1) {
			*status = aud_cli_usage_error(tool->name, "one input file at most (got %d)",
			    argc - optind);
		} else {
			*status = aud_cli_usage_error(tool->name, "%d input files at most (got %d)",
			    tool->max_args, argc - optind);
		}
		goto done;
	}
	for (i = 0; (int)i < argc - optind; i++)
		operands[i] = argv[optind + (int)i];
	*noperands = (size_t)(argc - optind);
	*status = AUD_EXIT_OK;
	stop = 0;
done:
	free(seen);
	free(lo);
	free(so);
	return stop;
}

/* "a, b or c" from a NULL-terminated list, cut to fit buf. */
static void
join_or(char *buf, size_t size, const char *const *names)
{
	size_t n = 0, i, len = 0;

	while (names[n] != NULL)
		n++;
	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		int w = snprintf(buf + len, size - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);

		if (w < 0)
			break;
		len += (size_t)w;
	}
}

int
aud_opt_parse_sub(const struct aud_tool *all, const struct aud_opt *all_spec,
    const char *const *names, const struct aud_tool *tools,
    const struct aud_opt *const *specs, void *args, int argc, char **argv,
    size_t *command, const char **operands, size_t *noperands, int *status)
{
	char list[256], shown[96];
	size_t k;

	join_or(list, sizeof(list), names);
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && aud_opt_parse(all, all_spec, args, argc, argv, operands,
		    noperands, status))
			return 1;
		*status = aud_cli_usage_error(all->name, "give a subcommand first: %s", list);
		return 1;
	}
	for (k = 0; names[k] != NULL; k++)
		if (strcmp(argv[1], names[k]) == 0)
			break;
	if (names[k] == NULL) {
		aud_cli_escape(shown, sizeof(shown), argv[1]);
		*status = aud_cli_usage_error(all->name, "unknown subcommand '%s' (%s)", shown,
		    list);
		return 1;
	}
	*command = k;
	return aud_opt_parse(&tools[k], specs[k], args, argc - 1, argv + 1, operands, noperands,
	    status);
}
