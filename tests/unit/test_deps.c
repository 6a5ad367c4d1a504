/*
 * test_deps.c — how the dependencies are bound. Debian's libgsl.so.27 lists
 * libgslcblas.so.0 as NEEDED, so that library is loaded; but the tools link
 * OpenBLAS before it, so every cblas_* symbol (GSL's calls included: they go
 * through the global scope) binds to OpenBLAS. This test checks that binding.
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_vector.h>

#include "runner.h"

static const char *
library_of(const char *symbol)
{
	Dl_info info;
	void *p = dlsym(RTLD_DEFAULT, symbol);

	if (p == NULL || dladdr(p, &info) == 0 || info.dli_fname == NULL)
		return "";
	return info.dli_fname;
}

void
test_deps__gsl_cblas_calls_bind_to_openblas(void)
{
	gsl_vector *v = gsl_vector_alloc(3);
	double d = 0;

	CHECK(strstr(library_of("cblas_ddot"), "openblas") != NULL);
	CHECK(strstr(library_of("cblas_dgemm"), "openblas") != NULL);
	/* and GSL's own BLAS wrapper computes through it */
	gsl_vector_set_all(v, 2.0);
	CHECK_INT_EQ(gsl_blas_ddot(v, v, &d), 0);
	CHECK_DBL_EQ(d, 12.0);
	gsl_vector_free(v);
}
