#!/bin/sh
# run.sh — build every tests/fuzz/fuzz_*.c with clang's libFuzzer (+ASan+UBSan)
# and run each for FUZZ_SECONDS (default 60) from its seed corpus:
# tests/fuzz/corpus/<name>/ plus the project's own test data of that kind.
# A crash leaves its input in build-fuzz/ and fails the run; make it a regression
# test (tests/fuzz/regress/<name>/) once fixed. FUZZ_ONLY=csv,pmml picks harnesses.
set -u
SECONDS_EACH=${FUZZ_SECONDS:-60}
OUT=build-fuzz
CC=${FUZZ_CC:-clang}
mkdir -p "$OUT"
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found (apt-get install clang libclang-rt-14-dev)"; exit 1
fi
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Iinclude $(pkg-config --cflags libxml-2.0 libcjson fontconfig)"
LIBS="$(pkg-config --libs gsl --define-variable=GSL_CBLAS_LIB=-lopenblas) $(pkg-config --libs lapacke openblas libxml-2.0 libcjson nettle fontconfig) -lhpdf -lglpk -lpthread -lm"
# Link OpenBLAS's single-threaded build when it is installed, as the Makefile
# does for the tools: where the libblas.so.3/liblapack.so.3 alternatives name
# one OpenBLAS build and -lopenblas the other, the link fails (undefined
# *_thread_* symbols). DT_RPATH also applies to liblapacke's own dependencies.
serial=/usr/lib/$($CC -print-multiarch 2>/dev/null)/openblas-serial
if [ -f "$serial/libopenblas.so" ]; then
	LIBS="-L$serial -Wl,--disable-new-dtags,-rpath,$serial $LIBS"
fi
# libaudit is compiled once for every harness (instrumented for coverage, ASan and
# UBSan), two files at a time, into one archive the harnesses link against.
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
mkdir -p "$OUT/obj"
rm -f "$OUT/obj"/*.o "$OUT/libaudit-fuzz.a" "$OUT/lib.build.log"
export CC CFLAGS SAN OUT
# shellcheck disable=SC2016
if ! ls libaudit/*.c | xargs -P "${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}" -I{} sh -c \
    '$CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -c -o "$OUT/obj/$(basename "$1" .c).o" "$1" 2>>"$OUT/lib.build.log"' _ {} ||
    ! ar rcs "$OUT/libaudit-fuzz.a" "$OUT"/obj/*.o; then
	echo "FAIL: libaudit does not build for fuzzing"; tail -20 "$OUT/lib.build.log"
	echo "0 passed, 1 failed"; exit 1
fi
pass=0; fail=0
for h in tests/fuzz/fuzz_*.c; do
	name=$(basename "$h" .c)
	kind=${name#fuzz_}
	# FUZZ_ONLY=csv,pmml runs only those
	case ",${FUZZ_ONLY:-$kind}," in *",$kind,"*) ;; *) continue ;; esac
	bin="$OUT/$name"
	echo "== $name"
	if ! $CC $CFLAGS $SAN -fsanitize=fuzzer \
	    -o "$bin" "$h" "$OUT/libaudit-fuzz.a" $LIBS 2>"$OUT/$name.build.log"; then
		echo "FAIL: $name does not build"; tail -20 "$OUT/$name.build.log"; fail=$((fail + 1)); continue
	fi
	corpus="$OUT/corpus-$kind"
	mkdir -p "$corpus"
	[ -d "tests/fuzz/corpus/$kind" ] && cp -r tests/fuzz/corpus/"$kind"/. "$corpus"/ 2>/dev/null
	case $kind in
	csv) find tests/data datasets -name '*.csv' -size -200k -exec cp {} "$corpus"/ \; 2>/dev/null ;;
	json|report|policy|schema) find tests/data datasets -name '*.json' -size -200k -exec cp {} "$corpus"/ \; 2>/dev/null ;;
	pmml) find tests/data datasets -name '*.pmml' -size -200k -exec cp {} "$corpus"/ \; 2>/dev/null ;;
	esac
	# regression inputs first: each must run clean
	if [ -d "tests/fuzz/regress/$kind" ] && ls "tests/fuzz/regress/$kind"/* >/dev/null 2>&1; then
		if ! "$bin" "tests/fuzz/regress/$kind"/* >"$OUT/$name.regress.log" 2>&1; then
			echo "FAIL: $name regression input crashes"; tail -30 "$OUT/$name.regress.log"; fail=$((fail + 1)); continue
		fi
	fi
	if "$bin" -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
	    -artifact_prefix="$OUT/$name-" "$corpus" >"$OUT/$name.log" 2>&1; then
		echo "ok $name: $(grep -E '^#[0-9]+.*DONE|Done [0-9]+ runs' "$OUT/$name.log" | tail -1)"
		pass=$((pass + 1))
	else
		echo "FAIL: $name found a crash:"; grep -E 'ERROR|SUMMARY|Test unit written' "$OUT/$name.log" | head -10
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
