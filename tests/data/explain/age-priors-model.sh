#!/bin/sh
# A --model-cmd for audit-explain's tests: score = 0.05 + 0.5 [age < 38] + 0.4 [priors > 3].
# Reads the columns by their header names; refuses an input without both.
exec awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
	if (!("age" in c) || !("priors" in c)) { print "age-priors-model: needs the columns age and priors" > "/dev/stderr"; exit 1 }
	next }
{ print 0.05 + ($c["age"] < 38 ? 0.5 : 0) + ($c["priors"] > 3 ? 0.4 : 0) }'
