/* cli_check.c — --check, --policy, --allow-undefined and --junit for every tool. */
#include <audit/clicheck.h>

#include <stdio.h>
#include <string.h>

#include <audit/json.h>

#include "check_impl.h"

static int
ensure_set(struct aud_cli_checks *c, struct aud_error *err)
{
	if (c->set != NULL)
		return 0;
	return aud_check_set_new(&c->set, &c->resolver, err);
}

int
aud_cli_checks_option(struct aud_cli_checks *c, const char *prog, int opt, const char *arg)
{
	struct aud_error err = AUD_ERROR_INIT;
	int rc;

	switch (opt) {
	case AUD_CLICHECK_CHECK:
		rc = ensure_set(c, &err);
		if (rc == 0)
			rc = aud_check_set_add(c->set, arg, &err);
		if (rc == AUD_ENOMEM)
			return aud_cli_report(prog, &err);
		if (rc < 0)
			return aud_cli_usage_error(prog, "--check: %s", err.msg);
		c->nargs++;
		return AUD_EXIT_OK;
	case AUD_CLICHECK_POLICY:
		if (c->policy != NULL)
			return aud_cli_usage_error(prog, "--policy given twice");
		c->policy = arg;
		return AUD_EXIT_OK;
	case AUD_CLICHECK_ALLOW_UNDEFINED:
		c->allow_undefined = 1;
		return AUD_EXIT_OK;
	case AUD_CLICHECK_JUNIT:
		if (c->junit != NULL)
			return aud_cli_usage_error(prog, "--junit given twice");
		c->junit = arg;
		return AUD_EXIT_OK;
	default:
		return AUD_EXIT_INTERNAL;
	}
}

static int
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

int
aud_cli_checks_prepare(struct aud_cli_checks *c, const char *prog, const char *out_path,
    const char *input)
{
	struct aud_error err = AUD_ERROR_INIT;
	const struct aud_cli_file outs[] = { { "-o", out_path }, { "--junit", c->junit } };
	const struct aud_cli_file ins[] = { { "the input", input }, { "--policy", c->policy } };
	int rc, status;

	if (c->junit != NULL && is_stdout(c->junit) && is_stdout(out_path))
		return aud_cli_usage_error(prog, "--junit: standard output already takes the "
		    "results; give -o FILE or a --junit FILE");
	status = aud_cli_check_files(prog, outs, 2, ins, 2);
	if (status != AUD_EXIT_OK)
		return status;
	rc = ensure_set(c, &err);
	if (rc == 0 && c->policy != NULL)
		rc = aud_check_set_add_policy(c->set, c->policy, &err);
	if (rc == 0)
		aud_check_set_allow_undefined(c->set, c->allow_undefined);
	if (rc == 0 && c->junit != NULL)
		rc = aud_output_open(&c->junit_out, c->junit, &err);
	return rc < 0 ? aud_cli_report(prog, &err) : AUD_EXIT_OK;
}

int
aud_cli_checks_run(struct aud_cli_checks *c, const char *prog, int quiet, cJSON *doc)
{
	struct aud_error err = AUD_ERROR_INIT;
	const cJSON *w;
	int rc, n0 = cJSON_GetArraySize(aud_envelope_warnings(doc)), i = 0;

	rc = ensure_set(c, &err);
	if (rc == 0)
		rc = aud_check_set_run(c->set, aud_envelope_results(doc), aud_envelope_checks(doc),
		    aud_envelope_warnings(doc), &c->nfailed, &err);
	if (rc == AUD_EINVAL)
		return aud_cli_usage_error(prog, "%s", err.msg);
	if (rc < 0)
		return aud_cli_report(prog, &err);
	cJSON_ArrayForEach(w, aud_envelope_warnings(doc))
		if (i++ >= n0 && cJSON_IsString(w))
			aud_cli_warn(prog, quiet, "%s", w->valuestring);
	return AUD_EXIT_OK;
}

size_t
aud_cli_checks_print_failures(FILE *f, const char *prog, const cJSON *checks,
    int allow_undefined)
{
	const cJSON *e;
	size_t n = 0;

	cJSON_ArrayForEach(e, checks) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
		char place[512], val[32];

		if (!aud_check_entry_fails(e, allow_undefined))
			continue;
		aud__check_where(place, sizeof(place), e);
		aud__check_value_text(val, e);
		fprintf(f, "%s: check failed: %s (%s%svalue %s)\n", prog, id ? id : "?", place,
		    place[0] ? ", " : "", val);
		n++;
	}
	return n;
}

int
aud_cli_checks_commit(struct aud_cli_checks *c, const char *prog, const cJSON *doc,
    struct aud_output *const *outs, size_t n)
{
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_output *all[8];
	const cJSON *checks = cJSON_GetObjectItemCaseSensitive(doc, "checks");
	size_t i;
	int rc = 0;

	if (n + 1 > sizeof(all) / sizeof(all[0])) {
		AUD_ERROR(&err, AUD_EINTERNAL, "too many outputs to commit together");
		return aud_cli_report(prog, &err);
	}
	for (i = 0; i < n; i++)
		all[i] = outs[i];
	all[n] = c->junit_out;
	if (c->junit_out != NULL)
		rc = aud_check_junit_write(checks, prog, c->allow_undefined,
		    aud_output_stream(c->junit_out), &err);
	if (rc == 0)
		rc = aud_output_commit_all(all, n + 1, &err);
	if (rc < 0)
		return aud_cli_report(prog, &err);
	aud_cli_checks_print_failures(stderr, prog, checks, c->allow_undefined);
	return c->nfailed > 0 ? AUD_EXIT_CHECK : AUD_EXIT_OK;
}

void
aud_cli_checks_release(struct aud_cli_checks *c)
{
	aud_check_set_free(c->set);
	c->set = NULL;
	aud_output_free(c->junit_out);
	c->junit_out = NULL;
}
