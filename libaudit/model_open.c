/*
 * model_open.c — aud_model_open(): the loader behind every tool's
 * `-m FILE` and `--model-cmd 'COMMAND'` (model.h).
 *
 * A model file is recognised by its content: one whose first non-blank byte
 * is `{` is read as an XGBoost JSON model (xgb.h), anything else as PMML
 * (pmml.h), whatever its name.
 */
#include <audit/model.h>

#include <stdio.h>

#include <audit/modelcmd.h>
#include <audit/pmml.h>
#include <audit/xgb.h>

/* 1 when the file's first byte that is not white space (or a UTF-8 BOM) is '{'. */
static int
looks_like_json(const char *path)
{
	FILE *f = fopen(path, "rb");
	int ch, n = 0, json = 0;

	if (f == NULL)
		return 0;       /* the PMML loader says why it cannot be read */
	while ((ch = getc(f)) != EOF && n++ < 4096) {
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
		    (n <= 3 && (ch == 0xEF || ch == 0xBB || ch == 0xBF)))
			continue;
		json = ch == '{';
		break;
	}
	fclose(f);
	return json;
}

int
aud_model_open(struct aud_model **out, const char *pmml_path, const char *command,
    const struct aud_model_open_options *opts, struct aud_error *err)
{
	struct aud_model_open_options defaults = AUD_MODEL_OPEN_OPTIONS_INIT;

	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if (pmml_path != NULL && command != NULL)
		return AUD_ERROR(err, AUD_EINVAL,
		    "give either a PMML model or a model command, not both");
	if (command == NULL && opts->protocol >= 0)
		return AUD_ERROR(err, AUD_EINVAL, "--model-protocol is for --model-cmd "
		    "(a model file is read by the tool itself)");
	if (command != NULL) {
		struct aud_modelcmd_options mo = AUD_MODELCMD_OPTIONS_INIT;

		mo.batch_size = opts->batch_size;
		mo.positive = opts->positive;
		mo.timeout = opts->timeout;
		mo.on_child = opts->on_child;
		mo.payload = opts->payload;
		if (opts->protocol >= 0)
			mo.protocol = (enum aud_modelcmd_protocol)opts->protocol;
		return aud_modelcmd_new(out, command, opts->ncolumns, opts->columns,
		    opts->kinds, &mo, err);
	}
	if (pmml_path != NULL && looks_like_json(pmml_path)) {
		struct aud_xgb_options xo = AUD_XGB_OPTIONS_INIT;

		xo.positive = opts->positive;
		return aud_xgb_load(out, pmml_path, &xo, err);
	}
	if (pmml_path != NULL) {
		struct aud_pmml_options po = AUD_PMML_OPTIONS_INIT;

		po.positive = opts->positive;
		return aud_pmml_load(out, pmml_path, &po, err);
	}
	return AUD_ERROR(err, AUD_EINVAL, "no model: give a PMML file or a model command");
}
