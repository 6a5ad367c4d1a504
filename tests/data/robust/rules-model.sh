#!/bin/sh
# The rule list of rules.pmml as a --model-cmd: score 0.9 when
# (18 <= age <= 20 and sex = M) or priors > 3, else 0.1.
# Input: CSV with a header holding the columns sex, age and priors.
exec awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
{ s = $c["sex"]; a = $c["age"]; p = $c["priors"];
  print (((a >= 18 && a <= 20 && s == "M") || p > 3) ? 0.9 : 0.1) }'
