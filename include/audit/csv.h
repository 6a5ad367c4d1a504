/*
 * csv.h — a streaming RFC 4180 reader.
 *
 * Reads a file or standard input in large blocks, one record at a time, with
 * memory bounded by the longest record. Handles quoted fields with embedded
 * separators, doubled quotes and newlines, CRLF or LF, a UTF-8 BOM, and a
 * separator given or detected from the first line (comma, semicolon, tab,
 * pipe; a single space when the line holds none of these). Columns are named
 * by the header, by the caller's names, or "1", "2", ... when there is no
 * header; a repeated name gets pandas' suffix (`priors_count`,
 * `priors_count.1`). When every separator of the first line is followed by a
 * space (Adult's ", "), the leading spaces of every field are dropped, as
 * pandas' `skipinitialspace=True` does. Missing values: the NA tokens (default
 * pandas' list plus "?", see AUD_CSV_NA_DEFAULT). Numbers parse in the C
 * locale whatever the process locale is. The text must be UTF-8 (checked), or
 * Latin-1 / Windows-1252 transcoded to UTF-8 on the fly. While reading it
 * hashes every input byte with SHA-256.
 *
 * Scanning is linear: a record that crosses the end of the buffer is resumed
 * where its scan stopped, never scanned again from its start.
 *
 * Every error message starts with "PATH:LINE:COLUMN: " (1-based; the column
 * counts bytes of the physical line, after transcoding).
 */
#ifndef AUDIT_CSV_H
#define AUDIT_CSV_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include <audit/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aud_csv;

/**
 * The default NA tokens, comma-separated: pandas' default list (empty,
 * #N/A, #N/A N/A, #NA, -1.#IND, -1.#QNAN, -NaN, -nan, 1.#IND, 1.#QNAN, <NA>,
 * N/A, NA, NULL, NaN, None, n/a, nan, null) and "?".
 */
#define AUD_CSV_NA_DEFAULT \
	",#N/A,#N/A N/A,#NA,-1.#IND,-1.#QNAN,-NaN,-nan,1.#IND,1.#QNAN,<NA>,N/A,NA," \
	"NULL,NaN,None,n/a,nan,null,?"

/** Text encodings of the input. */
enum aud_csv_encoding {
	AUD_CSV_UTF8 = 0,     /**< UTF-8 (ASCII included), validated */
	AUD_CSV_LATIN1,       /**< ISO-8859-1, transcoded to UTF-8 */
	AUD_CSV_CP1252        /**< Windows-1252, transcoded to UTF-8 */
};

/** Leading-space handling. */
enum aud_csv_trim {
	AUD_CSV_TRIM_AUTO = 0, /**< trim when every separator of line 1 is followed by a space */
	AUD_CSV_TRIM_NEVER,    /**< keep every space */
	AUD_CSV_TRIM_ALWAYS    /**< drop the leading spaces of every field */
};

/** Reader options. */
struct aud_csv_options {
	char sep;             /**< separator; 0 = detect from the first line */
	const char *na;       /**< comma-separated NA tokens; NULL = AUD_CSV_NA_DEFAULT */
	size_t max_record;    /**< longest record in bytes; 0 = 64 MiB */
	int no_header;        /**< 1: no header, columns named "1", "2", ... (or `names`) */
	const char *names;    /**< comma-separated column names; NULL = the header's */
	enum aud_csv_trim trim;         /**< leading spaces of fields */
	enum aud_csv_encoding encoding; /**< input encoding */
	unsigned long skip_lines;       /**< physical lines skipped before the header */
	/**
	 * Called once with a one-line notice when the reader decides something
	 * the user should know (trimming was switched on). NULL = no notice.
	 */
	void (*notice)(const char *msg, void *payload);
	void *notice_payload;
	/**
	 * --shard K/N (docs/scale-out.md): 1 <= shard_k <= shard_n; 0 and 0 read
	 * the whole input. The data bytes [D, S) of a regular file (D: after the
	 * skipped lines and the header; S: its size) are cut into N ranges at
	 * D + floor(i (S - D) / N); shard K owns the records whose first byte
	 * lies in its range. Record boundaries are found by one quote-aware
	 * scan from D (a newline inside quotes does not end a record), which
	 * also gives the shard's first row index and line number, so rows,
	 * lines and messages are numbered as in a single run. Standard input
	 * or a pipe cannot be sharded (AUD_EINVAL).
	 */
	unsigned shard_k, shard_n;
	/**
	 * With a shard: 1 reads every record of the input anyway (the caller
	 * works on its own rows, aud_csv_shard() says which), 0 reads only the
	 * shard's records.
	 */
	int shard_whole;
};
#define AUD_CSV_OPTIONS_INIT { 0, NULL, 0, 0, NULL, AUD_CSV_TRIM_AUTO, AUD_CSV_UTF8, 0, NULL, NULL, \
	0, 0, 0 }

/** Where a shard lies in its input (aud_csv_shard()). */
struct aud_csv_shard_info {
	unsigned k, n;            /**< --shard K/N; 0 and 0: not sharded */
	uint64_t size;            /**< the input's size in bytes */
	uint64_t data_start;      /**< D: the first byte after the header */
	uint64_t lo, hi;          /**< the shard's records: bytes [lo, hi), whole records */
	uint64_t first_row;       /**< the global index (0-based) of the shard's first record */
	uint64_t end_row;         /**< one past its last record */
	uint64_t first_line;      /**< the physical line (1-based) where it starts */
};

/**
 * Open PATH (or standard input when PATH is NULL or "-") and read its header.
 * @param[out] out caller owns; free with aud_csv_free()
 * @return 0, AUD_EIO (cannot open/read), AUD_EPARSE (bad or empty header)
 */
int aud_csv_open(struct aud_csv **out, const char *path,
    const struct aud_csv_options *opts, struct aud_error *err);

/**
 * Open an in-memory text (tests, fuzzing). `name` is used in messages.
 * The data is copied.
 */
int aud_csv_open_mem(struct aud_csv **out, const char *name, const char *data,
    size_t len, const struct aud_csv_options *opts, struct aud_error *err);

/** Close and free. NULL is allowed. */
void aud_csv_free(struct aud_csv *c);

/** Number of columns (from the header). */
size_t aud_csv_ncols(const struct aud_csv *c);
/** Name of column i (deduplicated). Borrowed; valid until the reader is freed. */
const char *aud_csv_colname(const struct aud_csv *c, size_t i);
/** The separator in use. */
char aud_csv_sep(const struct aud_csv *c);
/** The path given (or "-" for standard input). Borrowed. */
const char *aud_csv_path(const struct aud_csv *c);

/**
 * Index of the column called `name`.
 * @return 0, or AUD_ENOTFOUND with the message of aud_csv_unknown_column()
 */
int aud_csv_find(size_t *out, const struct aud_csv *c, const char *name,
    struct aud_error *err);

/**
 * Build the "unknown column" error for `name`: "PATH:LINE: unknown column
 * 'name' (columns: a, b, ...)"; when the header holds a single name, the
 * message says which separators were tried and suggests -d instead.
 * @return AUD_ENOTFOUND
 */
int aud_csv_unknown_column(const struct aud_csv *c, const char *name,
    struct aud_error *err);

/**
 * Write ch as it is shown in messages: 'x', '\t', '\n', '\r' or '\xNN'
 * (quotes included). buf needs 8 bytes.
 */
void aud_csv_char_name(char buf[8], char ch);

/** 1 when the leading spaces of fields are dropped. */
int aud_csv_trimmed(const struct aud_csv *c);

/**
 * Read the next record.
 * @return 1 (a record), 0 (end of input), AUD_EPARSE (unterminated quote,
 * ragged row, record too long, NUL byte), AUD_EIO
 */
int aud_csv_next(struct aud_csv *c, struct aud_error *err);

/**
 * Field i of the current record: pointer and length, quotes removed and
 * doubled quotes undone. NOT NUL-terminated. Borrowed; valid until the next
 * aud_csv_next().
 */
const char *aud_csv_field(const struct aud_csv *c, size_t i, size_t *len);

/** 1 when field i is one of the NA tokens. */
int aud_csv_is_na(const struct aud_csv *c, size_t i);

/**
 * Field i as a number.
 * @return 1 (a number in *out), 0 (missing: *out = NAN), AUD_EPARSE
 * ("PATH:LINE:COL: non-numeric value 'x' in column 'name'")
 */
int aud_csv_number(double *out, const struct aud_csv *c, size_t i,
    struct aud_error *err);

/**
 * The raw text of the current record as it stands in the input, without the
 * line terminator. Borrowed; valid until the next aud_csv_next().
 */
const char *aud_csv_raw(const struct aud_csv *c, size_t *len);

/** Physical line (1-based) where the current record starts. */
uint64_t aud_csv_line(const struct aud_csv *c);
/** Byte column (1-based) of field i of the current record, on its starting line. */
uint64_t aud_csv_column(const struct aud_csv *c, size_t i);
/**
 * The shard being read (all zero but size when not sharded). Known once the
 * reader is open: the boundaries come from the scan at open.
 */
void aud_csv_shard(const struct aud_csv *c, struct aud_csv_shard_info *out);
/** Global index (0-based) of the first data record this reader delivers (0 unless sharded). */
uint64_t aud_csv_first_row(const struct aud_csv *c);
/** Data records read so far (the header not counted). */
uint64_t aud_csv_rows(const struct aud_csv *c);
/** Bytes consumed so far. */
uint64_t aud_csv_bytes(const struct aud_csv *c);
/** Total input size when known (a regular file), else 0. */
uint64_t aud_csv_size(const struct aud_csv *c);

/**
 * Hex SHA-256 of the whole input. Reads (and hashes) any input not yet read,
 * without parsing it. buf needs 65 bytes. A shard that reads its byte range
 * only (not shard_whole) hashes the whole file when it is the last shard
 * (it has scanned every byte before its range anyway) and returns 1 without
 * a hash otherwise.
 * @return 0, 1 (a shard without the whole input's hash), AUD_EIO
 */
int aud_csv_sha256(struct aud_csv *c, char buf[65], struct aud_error *err);

/**
 * Parse a number in the C locale from a non-terminated text.
 * @return 1 ok, 0 not a number (the whole text must be one number, surrounding
 * blanks allowed)
 */
int aud_parse_number(double *out, const char *s, size_t len);

/**
 * Write `s` as a CSV field to f, quoted only when it holds the separator, a
 * quote, CR or LF. @return 0 or AUD_EOUTPUT
 */
int aud_csv_write_field(FILE *f, const char *s, size_t len, char sep);

/** Shortest text that parses back to exactly x ("%.15g" or "%.17g"); "" for NaN. buf needs 32 bytes. */
void aud_format_double(char buf[32], double x);

#ifdef __cplusplus
}
#endif
#endif
