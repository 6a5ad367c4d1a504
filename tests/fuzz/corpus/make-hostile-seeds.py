#!/usr/bin/env python3
"""Seeds of the new hostile shapes for fuzz_json and fuzz_report (issue 12):
strings longer than libharu takes (65,535 bytes), \\u0000 in strings and
keys, characters the report's font cannot draw, look-alike names, model
cards of the wrong shape. Run from this folder: python3 make-hostile-seeds.py"""
import json

L = "x" * 65600  # just over the 65,535 bytes libharu takes
nul = {
    "nul-in-string.json": '{"schema": "audit.fairness/1\\u0000x", "results": {}}',
    "nul-in-key.json": '{"a\\u0000b": 1}',
    "nul-alone.json": '["\\u0000"]',
    "backslash-then-u0000.json": '["a\\\\u0000"]',
    "nul-truncated-escape.json": '["\\u000',
}
for f, text in nul.items():
    open("json/" + f, "w").write(text + "\n")
json.dump({"s": L}, open("json/long-string.json", "w"))
json.dump({L[:66000]: 1}, open("json/long-key.json", "w"))

fair = json.load(open("../../data/report/fair.json"))
fair["results"]["attributes"] = fair["results"]["attributes"][:1]
def fair_with(names, path=None, title_like=None):
    d = json.loads(json.dumps(fair))
    a = d["results"]["attributes"][0]
    a["groups"] = [dict(a["groups"][0], group=n) for n in names]
    if path is not None:
        d.setdefault("input", {})["path"] = path
    return d
json.dump(fair_with([L, L[:-1] + "y", "female"], path="/" + L), open("report/long-names.json", "w"))
json.dump(fair_with(["\u4e2d\u6587", "\U0001F600", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
                     "m\u0430le", "male", "male ", "ma\u200ble", "\u27e6U+4E2D\u27e7", "\x01\x1b[31m"]),
          open("report/unicode-names.json", "w"), ensure_ascii=False)
open("report/nul-schema.json", "w").write('{"schema": "audit.fairness/1\\u0000x", "results": {}}\n')
cards = {
    "card-long.json": {"model_details": {"name": L, "description": L}, "intended_use": [L]},
    "card-number.json": 42,
    "card-no-sections.json": {"name": "m"},
    "card-wrong-types.json": {"model_details": {"name": {"x": 1}}, "intended_use": 42,
                              "factors": [[1]], "metrics": {"a": None}},
    "card-deep.json": {"metrics": {"a": {"b": {"c": {"d": {"e": "f"}}}}}},
    "card-unicode.json": {"model_details": {"name": "\u4e2d\u6587 \U0001F600"},
                          "intended_use": "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"},
}
for f, c in cards.items():
    json.dump(c, open("report/" + f, "w"), ensure_ascii=False)
