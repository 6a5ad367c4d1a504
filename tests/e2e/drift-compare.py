# drift-compare.py GOT.json WANT.json PREFIX — the statistics of an audit.drift/1
# document against expected values ({"numeric": {COL: {...}}, "categorical": {...}}
# as in the drift-adult reference, or a flat {COL: {...}}), one line per value:
#   num NAME GOT WANT      (compared by the test within its tolerance)
#   str NAME GOT WANT      (compared exactly; null is "null")
# The standard library only: any python3 runs it.
import json
import sys

got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
prefix = sys.argv[3]
scope = got["results"]
for part in sys.argv[4:]:
    # a scope inside the results: groups=NAME or windows=NAME
    key, _, name = part.partition("=")
    scope = [s for s in scope[key] if s.get("group", s.get("window")) == name][0]
cols = {c["column"]: c for c in scope["columns"]}
for role in ("prediction", "label"):
    if role in scope:
        cols[scope[role]["column"]] = scope[role]


def show(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


flat = {}
if "numeric" in want or "categorical" in want:
    for kind in ("numeric", "categorical"):
        flat.update(want.get(kind, {}))
else:
    flat = want
for col, stats in sorted(flat.items()):
    c = cols.get(col)
    for k, w in sorted(stats.items()):
        if k == "categories":
            continue
        g = c.get(k, "absent") if c is not None else "no-column"
        name = "%s.%s.%s" % (prefix, col, k)
        if isinstance(w, (int, float)) and not isinstance(w, bool) and \
                isinstance(g, (int, float)) and not isinstance(g, bool):
            print("num", name, repr(float(g)), repr(float(w)))
        else:
            print("str", name, show(g).replace(" ", "_"), show(w).replace(" ", "_"))
