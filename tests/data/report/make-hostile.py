#!/usr/bin/env python3
"""Write the hostile report fixtures from fair.json (run from this folder):
    python3 make-hostile.py
hostile-names.json: group names the font cannot draw faithfully (Chinese,
emoji, Hebrew, Arabic), look-alikes (Cyrillic 'а' for Latin 'a', a trailing
space, a zero-width space) and a control character.
hostile-long.json: a group name and an input path of 70,000 bytes.
card-*.json: model cards of the wrong shape.
nul-schema.json: a schema string with an embedded NUL (\\u0000)."""
import json

base = json.load(open("fair.json"))

def with_names(names):
    d = json.loads(json.dumps(base))
    a = d["results"]["attributes"][0]
    g0 = a["groups"][0]
    a["groups"] = []
    for n in names:
        g = json.loads(json.dumps(g0))
        g["group"] = n
        a["groups"].append(g)
    return d

names = ["\u4e2d\u6587", "\u65e5\u672c", "\U0001F600", "\u05e9\u05dc\u05d5\u05dd",
         "\u0645\u0631\u062d\u0628\u0627", "male", "m\u0430le", "male ", "ma\u200ble",
         "tab\there", "\u27e6U+4E2D\u27e7", "other", "other "]
json.dump(with_names(names), open("hostile-names.json", "w"), ensure_ascii=False, indent=1)

long = "x" * 70000
d = with_names(["female", long, long[:-1] + "y"])
d["input"]["path"] = "/data/" + long
json.dump(d, open("hostile-long.json", "w"), indent=1)

cards = {
    "card-number.json": 42,
    "card-no-sections.json": {"name": "m", "purpose": "x"},
    "card-bad-section.json": {"model_details": {"name": "m"}, "intended_use": 42},
    "card-bad-name.json": {"model_details": {"name": {"first": "m"}}},
    "card-null-item.json": {"factors": {"relevant_factors": ["a", None]}},
    "card-list-in-list.json": {"metrics": [["a"]]},
    "card-long.json": {"model_details": {"name": "m", "description": "y" * 70000},
                       "intended_use": "z" * 70000},
}
for f, c in cards.items():
    json.dump(c, open(f, "w"))

open("nul-schema.json", "w").write('{"schema": "audit.fairness/1\\u0000x", "results": {}}\n')
