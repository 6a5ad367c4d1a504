/*
 * runner.h — the unit-test runner (about 100 lines, clar naming).
 *
 * A test file defines `void test_<module>__<case>(void)` functions; the
 * Makefile generates its main() with gen-main.sh. Each failed CHECK prints
 * `FAIL: file:line: message`; the program ends with `N passed, M failed`
 * (N and M count test functions) and exits non-zero if any failed.
 */
#ifndef AUDIT_TEST_RUNNER_H
#define AUDIT_TEST_RUNNER_H

#include <stddef.h>

void aud_test_fail(const char *file, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int aud_test_rel(double got, double want, double tol);
/* Path of the project's shared folder (../shared) or NULL when absent. */
const char *aud_test_shared(void);
/* Mark the current test skipped, saying why (counts as passed, reported). */
void aud_test_skip(const char *why);

#define CHECK(c) do { if (!(c)) aud_test_fail(__FILE__, __LINE__, "%s", #c); } while (0)
#define CHECK_INT_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) aud_test_fail(__FILE__, __LINE__, "%s == %lld, want %lld", #a, a_, b_); } while (0)
#define CHECK_STR_EQ(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) \
		aud_test_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"", #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)
/* |got - want| <= tol * max(1, |want|) */
#define CHECK_REL(got, want, tol) do { double g_ = (got), w_ = (want); \
	if (!aud_test_rel(g_, w_, (tol))) aud_test_fail(__FILE__, __LINE__, "%s = %.17g, want %.17g (tol %g)", #got, g_, w_, (double)(tol)); } while (0)
/* Exact equality of doubles (identities that must hold bit for bit). */
#define CHECK_DBL_EQ(got, want) do { double g_ = (got), w_ = (want); \
	if (!(g_ == w_)) aud_test_fail(__FILE__, __LINE__, "%s = %.17g, want exactly %.17g", #got, g_, w_); } while (0)

struct aud_test_case { const char *name; void (*fn)(void); };
int aud_test_main(const struct aud_test_case *cases, size_t n, int argc, char **argv);

#endif
