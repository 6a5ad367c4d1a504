/*
 * report.h — the PDF audit report: one PDF drawn with libharu from
 * any set of the tools' JSON documents (audit-fair, audit-robust,
 * audit-explain, audit-mitigate, audit-data, audit-slice) and an optional
 * model card.
 *
 * Usage: aud_report_new(), aud_report_add_file() for each document (each is
 * read and checked: malformed JSON and unknown schemas are refused with
 * AUD_EPARSE), aud_report_set_model_card(), then aud_report_render() to get
 * the PDF bytes, which the tool writes through an aud_output. Rendering is
 * deterministic: the same documents and options give the same bytes (the
 * document's dates come from `created`, nothing is random).
 *
 * A section shows what its documents hold: absent optional keys leave out a
 * table or chart, never fail the report.
 *
 * aud_report_print() prints a saved document's table view instead, as its
 * tool printed it (audit-report --format table|md|csv).
 */
#ifndef AUDIT_REPORT_H
#define AUDIT_REPORT_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include <audit/error.h>
#include <audit/text.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Paper sizes. */
enum aud_paper { AUD_PAPER_A4 = 0, AUD_PAPER_LETTER = 1 };

/** Parse "a4" or "letter" (case-insensitive). @return 0 or AUD_EINVAL */
int aud_paper_parse(enum aud_paper *out, const char *s, struct aud_error *err);

/** Options of a report. */
struct aud_report_options {
	const char *title;       /**< UTF-8; NULL: "Responsible-AI audit report" */
	enum aud_paper paper;
	time_t created;          /**< the report's date (SOURCE_DATE_EPOCH or now) */
	const char *font;        /**< a font family found through fontconfig, or a
	                              TrueType file (.ttf, .ttc); NULL: DejaVu Sans */
	const char *bold_font;   /**< the same for bold; NULL: the bold face of
	                              font's family, or font itself when it has none */
	const char *generator;   /**< "audit-report 0.1.0", for the document info */
};
#define AUD_REPORT_OPTIONS_INIT { NULL, AUD_PAPER_A4, 0, NULL, NULL, NULL }

/** The default font family (Debian's fonts-dejavu-core), found through fontconfig. */
#define AUD_REPORT_FONT "DejaVu Sans"
/** The default bold face: none named, the bold face of the family. */
#define AUD_REPORT_BOLD_FONT NULL

/**
 * The kind of decision the audited model makes, which chooses the fairness
 * metrics the report's findings lead with: punitive (a false positive harms:
 * false positive and false discovery rates), assistive (a false negative
 * withholds a benefit: false negative and false omission rates).
 */
enum aud_decision { AUD_DECISION_NONE = 0, AUD_DECISION_PUNITIVE, AUD_DECISION_ASSISTIVE };

/** Parse "punitive" or "assistive". @return 0 or AUD_EINVAL */
int aud_decision_parse(enum aud_decision *out, const char *s, struct aud_error *err);

/** The kinds of document a report reads (by their envelope's schema). */
enum aud_report_kind {
	AUD_REPORT_FAIRNESS = 0,  /**< audit-fair, "audit.fairness/1" */
	AUD_REPORT_ROBUSTNESS,    /**< audit-robust, "audit.robustness/1" (or "audit.robust/1") */
	AUD_REPORT_EXPLANATION,   /**< audit-explain, "audit.explanation/1" (or "audit.explain/1") */
	AUD_REPORT_MITIGATION,    /**< audit-mitigate, "audit.mitigate/1" (thresholds, frontier, reweigh) */
	AUD_REPORT_DATA_PROFILE,  /**< audit-data profile, "audit.data-profile/1" */
	AUD_REPORT_DATA_CHECK,    /**< audit-data check, "audit.data-check/1" */
	AUD_REPORT_DRIFT,         /**< audit-data drift, "audit.drift/1" */
	AUD_REPORT_SLICE,         /**< audit-slice, "audit.slice/1" (named or discovered slices) */
	AUD_REPORT_FAIRNESS_MULTICLASS, /**< audit-fair --task multiclass, "audit.fairness-multiclass/1" */
	AUD_REPORT_FAIRNESS_REGRESSION  /**< audit-fair --task regression, "audit.fairness-regression/1" */
};

struct aud_report;

/**
 * A new, empty report. The options' strings are copied.
 * @param[out] out caller owns; free with aud_report_free()
 * @return 0 or AUD_ENOMEM
 */
int aud_report_new(struct aud_report **out, const struct aud_report_options *opts,
    struct aud_error *err);

/** Free. NULL is allowed. */
void aud_report_free(struct aud_report *r);

/**
 * Which kind a document's envelope names ("schema", e.g.
 * "audit.fairness/1"), checking the envelope's shape (an object with a
 * "schema" string and a "results" object; "checks" and "warnings" arrays
 * when present).
 * @param name  the document's name for messages (its path)
 * @return 0, or AUD_EPARSE ("NAME: unknown schema 'x'", "NAME: not a
 *         rai-audit result: ...")
 */
int aud_report_classify(enum aud_report_kind *out, const cJSON *doc, const char *name,
    struct aud_error *err);

/**
 * Add a parsed document; the report takes ownership of `doc` (also on failure).
 * @return 0, AUD_ENOMEM or AUD_EPARSE (see aud_report_classify())
 */
int aud_report_add(struct aud_report *r, const char *name, cJSON *doc,
    struct aud_error *err);

/**
 * Read, check and add a document from a file ("-" is standard input).
 * @return 0, AUD_EIO (cannot open or read), AUD_EPARSE
 *         ("PATH:LINE:COLUMN: malformed JSON", unknown schema) or AUD_ENOMEM
 */
int aud_report_add_file(struct aud_report *r, const char *path, struct aud_error *err);

/**
 * Print a document's table view, as the tool that wrote it prints it with
 * --format table, md or csv (audit-fair's whole text view, audit-robust's
 * baseline line and table, audit-explain's ranking or curves, audit-mitigate's
 * group rules with the rates before and after, or its frontier's points,
 * audit-data's profile, violations or drift table, audit-slice's slices,
 * audit-fair --task multiclass and regression's group tables),
 * chosen by the document's schema.
 * @param name  the document's name for messages (its path)
 * @return 0, AUD_EINVAL (fmt is json), AUD_EPARSE (see
 *         aud_report_classify(), or results lacking what the view needs),
 *         AUD_ENOMEM or AUD_EOUTPUT
 */
int aud_report_print(FILE *f, const cJSON *doc, const char *name, enum aud_format fmt,
    struct aud_error *err);

/**
 * Read a document from a file ("-" is standard input) and print its view
 * (aud_report_print()).
 * @return as aud_report_print(), and AUD_EIO or AUD_EPARSE as aud_json_read_file()
 */
int aud_report_print_file(FILE *f, const char *path, enum aud_format fmt,
    struct aud_error *err);

/**
 * Check the shape of a model card: a JSON object with at least one of the
 * sections below; each section a string, a list, or an object; a list
 * holds strings, numbers, booleans or objects; an object's members are
 * strings, numbers, booleans, lists or objects; at most 4 levels deep;
 * "model_details"."name", when present, a string. Other sections are allowed.
 * @param name the card's name for messages (its path)
 * @return 0 or AUD_EPARSE ("NAME: model card: 'intended_use' is a number,
 *         expected a string, a list or an object")
 */
int aud_report_check_card(const cJSON *card, const char *name, struct aud_error *err);

/**
 * Read a model card (a JSON object whose members are the sections of
 * Mitchell et al.'s model card: "model_details", "intended_use", "factors",
 * "metrics", "evaluation_data", "training_data", "quantitative_analyses",
 * "ethical_considerations", "caveats_and_recommendations"; each a string, a
 * list of strings, or an object of such; see aud_report_check_card()).
 * Replaces a card read before.
 * @return 0, AUD_EIO, AUD_EPARSE or AUD_ENOMEM
 */
int aud_report_set_model_card(struct aud_report *r, const char *path,
    struct aud_error *err);

/**
 * The decision the model makes (--decision); AUD_DECISION_NONE leaves it to
 * the model card's intended_use.decision, if any.
 */
void aud_report_set_decision(struct aud_report *r, enum aud_decision d);

/** Number of documents added so far. */
size_t aud_report_count(const struct aud_report *r);

/**
 * Counts of the checks of every document. pass, fail and undefined count the
 * requested checks (those the user asked for with --check or --policy), each
 * once; they make the verdict. `reported` counts the entries a tool reports
 * without being asked (audit-fair's four-fifths rule, marked
 * "requested": false), and `reported_fail` those of them that do not hold:
 * they never change the verdict.
 */
struct aud_report_verdict {
	size_t pass, fail, undefined;
	size_t reported, reported_fail;
};

/**
 * Count the checks of all documents: an entry of `checks` with
 * "requested": false is only reported; any other entry (with "requested":
 * true or without the key) is a requested check, counted by its status
 * ("pass", "fail", anything else undefined).
 */
void aud_report_verdict(struct aud_report_verdict *out, const struct aud_report *r);

/**
 * Draw the report.
 * @param[out] out the PDF's bytes; caller owns; free with free()
 * @param[out] len their number
 * Characters the main font lacks are drawn with the first installed font
 * (fontconfig) that has them.
 * @return 0, AUD_EINVAL (no document, or a font named in the options that
 *         fontconfig does not find), AUD_ENOTFOUND (the default family is
 *         not installed), AUD_EIO (a font cannot be loaded),
 *         AUD_ENOMEM or AUD_EINTERNAL (libharu failed)
 */
int aud_report_render(unsigned char **out, size_t *len, struct aud_report *r,
    struct aud_error *err);

/**
 * Draw the same report as one self-contained HTML file: the same sections,
 * tables and numbers, charts as inline SVG, a table of contents, inline CSS
 * for screen and print; no script and no external resource. The same
 * documents give the same bytes.
 * @param[out] out the HTML's bytes (UTF-8); caller owns; free with free()
 * @param[out] len their number
 * @return as aud_report_render()
 */
int aud_report_render_html(unsigned char **out, size_t *len, struct aud_report *r,
    struct aud_error *err);

/**
 * After aud_report_render(): a warning for the user, or NULL. No installed
 * font draws some characters, or not faithfully (emoji, right-to-left
 * scripts unshaped, private use, invisible or look-alike characters, or
 * Chinese, Japanese and Korean where no font has them); the report draws each
 * such character as a placeholder "⟦U+4E2D⟧" (a byte that is not UTF-8 as
 * "⟦0xFF⟧"), and says so once, naming the first text concerned.
 * @return borrowed; valid until the next render or aud_report_free()
 */
const char *aud_report_warning(const struct aud_report *r);

#ifdef __cplusplus
}
#endif
#endif
