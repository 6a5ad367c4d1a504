# rai-audit — build, test, demo, bench, install.
#
#   make            build build/libaudit.a and bin/audit-*
#   make check      install missing packages, build, run every test suite
#   make demo       install missing packages, build, run the whole audit of the bundled data
#   make asan       build and run the tests under AddressSanitizer + UBSan (in build-asan/)
#   make bench      benchmarks (throughput and peak RSS, printed; never asserted)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Variables: WERROR=0 drops -Werror; SANITIZE=address,undefined adds sanitizers;
# BUILD=dir puts objects, the library and the tools under another folder; V=1 shows commands.

PKG_CONFIG ?= pkg-config
CC ?= cc
PREFIX ?= /usr/local
BUILD ?= build
WERROR ?= 1
SANITIZE ?=

ifeq ($(BUILD),build)
BIN := bin
else
BIN := $(BUILD)/bin
endif

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wwrite-strings -Wpointer-arith -Wformat=2 -Wvla -fno-common
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT ?= -O2 -g
# The dependencies' flags are asked of pkg-config the first time a recipe needs them,
# never while the Makefile is read: on a fresh machine the packages are installed by
# the `deps` step first (a recipe), and only then do `demo`, `check` and the others
# start a second make that compiles. `lazy` evaluates once and keeps the value.
lazy = $(eval $(1) := $$(shell $(2)))$($(1))
DEP_CFLAGS = $(call lazy,DEP_CFLAGS,$(PKG_CONFIG) --cflags libxml-2.0 libcjson fontconfig 2>/dev/null)
# Tools, benchmarks and fuzz harnesses see only the public headers (include/audit/);
# the library's own private headers (libaudit/*.h) are for the library and its unit tests.
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) -Iinclude \
	$(DEP_CFLAGS) $(CFLAGS_SAN) $(CFLAGS)
CFLAGS_LIB = $(CFLAGS_ALL) -Ilibaudit
# Each compile writes the headers it read to a .d file next to its output (-MMD), with an
# empty rule for each header (-MP) so that a deleted header does not stop the build.
DEPFLAGS = -MMD -MP -MT $@ -MF $(DEPDIR)/$(subst /,_,$@).d
DEPDIR = $(BUILD)/dep
ifneq ($(SANITIZE),)
CFLAGS_SAN := -fsanitize=$(SANITIZE) -fno-sanitize-recover=$(SANITIZE) -fno-omit-frame-pointer
LDFLAGS_SAN := -fsanitize=$(SANITIZE)
endif

# GSL's CBLAS calls go to OpenBLAS; libgslcblas is not linked.
GSL_LIBS = $(call lazy,GSL_LIBS,$(PKG_CONFIG) --libs gsl --define-variable=GSL_CBLAS_LIB=-lopenblas 2>/dev/null || echo -lgsl -lopenblas -lm)
# GLPK (the exact optimum of audit-mitigate's thresholds) ships no pkg-config file.
GLPK_LIBS = -lglpk
DEP_LIBS = $(GSL_LIBS) $(call lazy,PKG_LIBS,$(PKG_CONFIG) --libs lapacke openblas libxml-2.0 libcjson nettle 2>/dev/null || echo -llapacke -lopenblas -lxml2 -lcjson -lnettle) \
	$(call lazy,HPDF_LIBS,$(PKG_CONFIG) --libs libhpdf 2>/dev/null || echo -lhpdf) \
	$(call lazy,FC_LIBS,$(PKG_CONFIG) --libs fontconfig 2>/dev/null || echo -lfontconfig) $(GLPK_LIBS) -lpthread -lm
LDLIBS_ALL = $(LDFLAGS_SAN) $(LDFLAGS) $(DEP_LIBS)

# OpenBLAS's threaded build starts its worker threads when it is loaded, and
# under a low `ulimit -v` a worker retries its work buffer forever (the tool
# hangs, even for --version). So only the tools that call LAPACKE/BLAS link
# OpenBLAS, and they link its single-threaded build when it is installed
# (Debian's libopenblas-serial-dev; they split the work over their own
# threads). The others take GSL's own CBLAS, which they never call.
BLAS_TOOLS := audit-explain
comma := ,
MULTIARCH = $(call lazy,MULTIARCH,$(CC) -print-multiarch 2>/dev/null)
OPENBLAS_SERIAL_DIR = $(patsubst %/libopenblas.so,%,$(wildcard /usr/lib/$(MULTIARCH)/openblas-serial/libopenblas.so))
# DT_RPATH, not DT_RUNPATH: it also applies to liblapacke's own libblas/liblapack
BLAS_LDFLAGS = $(if $(OPENBLAS_SERIAL_DIR),-L$(OPENBLAS_SERIAL_DIR) -Wl$(comma)--disable-new-dtags$(comma)-rpath$(comma)$(OPENBLAS_SERIAL_DIR))
LDLIBS_BLAS = $(LDFLAGS_SAN) $(LDFLAGS) $(BLAS_LDFLAGS) $(DEP_LIBS)
LDLIBS_NOBLAS = $(LDFLAGS_SAN) $(LDFLAGS) -Wl,--as-needed $(filter-out -lopenblas -llapacke -L%/openblas-pthread -L%/openblas-pthread/,$(DEP_LIBS))

LIB_SRCS := $(sort $(wildcard libaudit/*.c))
LIB_OBJS := $(patsubst libaudit/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIB := $(BUILD)/libaudit.a
TOOL_SRCS := $(sort $(wildcard tools/*.c))
TOOLS := $(patsubst tools/%.c,$(BIN)/%,$(TOOL_SRCS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
HEADERS := $(sort $(wildcard include/audit/*.h))
HEADER_CHECKS := $(patsubst include/audit/%.h,$(BUILD)/hdr/%.o,$(HEADERS))

.PHONY: all deps check check-build asan bench demo install clean fuzz header-check valgrind
.SECONDARY:
all: $(LIB) $(TOOLS)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# The objects also depend on the Makefile: a change of flags rebuilds them (and writes the
# .d files of a tree built before they existed).
$(BUILD)/obj/%.o: libaudit/%.c Makefile | $(BUILD)/obj $(DEPDIR)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_LIB) $(DEPFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BIN)/%: tools/%.c $(LIB) | $(BIN) $(DEPDIR)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(DEPFLAGS) -o $@ $< $(LIB) $(if $(filter $*,$(BLAS_TOOLS)),$(LDLIBS_BLAS),$(LDLIBS_NOBLAS))

$(BUILD)/tests/%_main.c: tests/unit/%.c tests/unit/gen-main.sh | $(BUILD)/tests
	$(Q)sh tests/unit/gen-main.sh $< > $@

# The unit tests may also reach the library's private headers. With several sources, -MF
# keeps the headers of the last one: the test's own source comes last.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/tests/%_main.c tests/unit/runner.c tests/unit/runner.h $(LIB) | $(BUILD)/tests $(DEPDIR)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_LIB) $(DEPFLAGS) -Wno-missing-prototypes -Itests/unit -o $@ $(BUILD)/tests/$*_main.c tests/unit/runner.c $< $(LIB) $(LDLIBS_BLAS)

# Each public header compiles on its own: it includes whatever it needs.
$(BUILD)/hdr/%.o: include/audit/%.h Makefile | $(BUILD)/hdr $(DEPDIR)
	$(Q)printf '#include <audit/%s.h>\n' $* > $(BUILD)/hdr/$*.c
	$(Q)$(CC) -std=c11 -Wall -Wextra -pedantic -Werror -Iinclude $(shell $(PKG_CONFIG) --cflags libcjson 2>/dev/null) $(DEPFLAGS) -c -o $@ $(BUILD)/hdr/$*.c

$(BUILD)/obj $(BUILD)/tests $(BUILD)/hdr $(BUILD)/bench $(DEPDIR) $(BIN):
	mkdir -p $@

# INSTALL_DEPS, DEMO_RUN and BENCH_RUN can be replaced (tests/e2e/fresh-build.sh does, to prove
# that nothing asks pkg-config before the dependency step has run).
INSTALL_DEPS ?= sh scripts/install-deps.sh
DEMO_RUN ?= sh scripts/demo.sh
BENCH_RUN ?= sh bench/run.sh

deps:
	@$(INSTALL_DEPS)

check-build: $(LIB) $(TOOLS) $(UNIT_BINS)

# Runs every suite even when one fails, then prints the total and fails if anything did.
check: deps
	@$(MAKE) --no-print-directory check-build
	@BUILD=$(BUILD) BIN=$(BIN) sh tests/run-all.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=address,undefined OPT="-O1 -g" check

$(BUILD)/bench/%: bench/%.c $(LIB) | $(BUILD)/bench $(DEPDIR)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(DEPFLAGS) -O3 -o $@ $< $(LIB) $(LDLIBS_BLAS)

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) BIN=$(BIN) $(BENCH_RUN)

demo: deps
	@$(MAKE) --no-print-directory all
	@BIN=$(BIN) $(DEMO_RUN)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/

header-check: $(HEADER_CHECKS)

# Fuzz every reader for FUZZ_SECONDS each (default 60) with clang's libFuzzer.
fuzz: deps
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) sh tests/fuzz/run.sh

# The unit tests and the CLI tests under valgrind memcheck.
valgrind: deps
	@$(MAKE) --no-print-directory check-build
	@BUILD=$(BUILD) BIN=$(BIN) AUD_VALGRIND=1 sh tests/run-all.sh

-include $(wildcard $(DEPDIR)/*.d)

clean:
	rm -rf build build-asan build-fuzz bin
