#!/usr/bin/env python3
"""Kept so that older commands still work: runs python/rai_audit_serve.py.

usage: sklearn-model-cmd.py [--positive CLASS] [--features COLS] MODEL.pkl

The helper that serves a pickled scikit-learn model to --model-cmd is now
python/rai_audit_serve.py (every --model-protocol, a pandas DataFrame with the
training kinds, so a Pipeline whose ColumnTransformer selects columns by name
works). This file hands its arguments to it unchanged.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
helper = os.path.join(here, os.pardir, "python", "rai_audit_serve.py")
os.execv(sys.executable, [sys.executable, helper] + sys.argv[1:])
