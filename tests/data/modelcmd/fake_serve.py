#!/usr/bin/env python3
"""A fake model command for the tests of --model-protocol (standard library only).

It speaks the three protocols (batch, stream, binary: told from the first
bytes of its input) and scores a row with a formula of its values that the
tests know, so every protocol must give the same scores:

    score = sum over features i of w_i(value), w = (i + 1) * x for a number,
    -(i + 1) for a missing value, and for a text t
    (i + 1) * (len(t.encode()) + sum(t.encode()) % 97) / 1000.

A feature is a number when its handshake kind is numeric (binary) or when its
text reads as a float (batch, stream) -- the tests send numeric columns with
numbers only.

Misbehaviours, from argv (each "NAME" or "NAME=K"):
  start=PATH     append a line to PATH when starting
  die=K          exit 0 after answering K frames (batch: never)
  exit=S         exit with status S before answering anything
  kill=K         kill itself with SIGKILL after K frames
  hang=K         sleep forever after K frames
  few            answer one score too few, then exit 0
  many           answer one score too many
  count          binary: echo a wrong count
  nan            the last score of each frame is NaN
  magic          binary: answer the handshake with 'RAIAUDBX'
  stderr=TEXT    write TEXT to stderr first
"""
import csv
import io
import math
import os
import signal
import struct
import sys
import time

opts = {}
for a in sys.argv[1:]:
    k, _, v = a.partition("=")
    opts[k] = v

if "start" in opts:
    with open(opts["start"], "a") as f:
        f.write("%d\n" % os.getpid())
if "stderr" in opts:
    sys.stderr.write(opts["stderr"] + "\n")
    sys.stderr.flush()
if "exit" in opts:
    sys.exit(int(opts["exit"]))


def weight(i, v, numeric):
    if v is None:
        return -(i + 1.0)
    if numeric:
        return (i + 1.0) * v
    b = v.encode("utf-8")
    return (i + 1.0) * (len(b) + sum(b) % 97) / 1000.0


def score_text_row(row):
    s = 0.0
    for i, t in enumerate(row):
        if t == "":
            s += weight(i, None, True)
            continue
        try:
            x = float(t)
            s += weight(i, x, True)
        except ValueError:
            s += weight(i, t, False)
    return s


frames = 0


def after_frame():
    global frames
    frames += 1
    k = str(frames)
    if opts.get("die") == k:
        sys.exit(0)
    if opts.get("kill") == k:
        os.kill(os.getpid(), signal.SIGKILL)
    if opts.get("hang") == k:
        time.sleep(3600)


def answer_scores(scores):
    if "nan" in opts:
        scores[-1] = float("nan")
    if "few" in opts:
        scores = scores[:-1]
    if "many" in opts:
        scores = scores + [0.5]
    return scores


inp = sys.stdin.buffer
out = sys.stdout.buffer
first = inp.peek(8)[:8] if hasattr(inp, "peek") else b""

if first == b"RAIAUDB1":
    def need(n):
        b = inp.read(n)
        if len(b) < n:
            if len(b) == 0:
                sys.exit(0)
            sys.stderr.write("fake_serve: short read\n")
            sys.exit(5)
        return b

    def u32():
        return struct.unpack("<I", need(4))[0]

    need(8)
    nf = u32()
    kinds = []
    for _ in range(nf):
        kinds.append(need(1)[0])
        need(u32())
    out.write(b"RAIAUDBX" if "magic" in opts else b"RAIAUDB1")
    out.flush()
    dicts = [[] for _ in range(nf)]
    while True:
        b = inp.read(8)
        if len(b) == 0:
            break
        n = struct.unpack("<Q", b)[0]
        for i in range(nf):
            if kinds[i] == 1:
                for _ in range(u32()):
                    dicts[i].append(need(u32()).decode("utf-8"))
        cols = []
        for i in range(nf):
            cols.append(struct.unpack("<%dd" % n, need(8 * n)))
        scores = []
        for r in range(n):
            s = 0.0
            for i in range(nf):
                v = cols[i][r]
                if math.isnan(v):
                    s += weight(i, None, True)
                elif kinds[i] == 1:
                    s += weight(i, dicts[i][int(v)], False)
                else:
                    s += weight(i, v, True)
            scores.append(s)
        scores = answer_scores(scores)
        cnt = len(scores) + (1 if "count" in opts else 0)
        if "few" in opts:
            cnt = n
        out.write(struct.pack("<Q", cnt) + struct.pack("<%dd" % len(scores), *scores))
        out.flush()
        if "few" in opts:
            sys.exit(0)
        after_frame()
    sys.exit(0)

text = io.TextIOWrapper(inp, encoding="utf-8", newline="")
reader = csv.reader(text)
if first.startswith(b"@batch "):
    for rec in reader:
        if not rec or not rec[0].startswith("@batch "):
            sys.stderr.write("fake_serve: expected @batch\n")
            sys.exit(6)
        n = int(rec[0][7:])
        next(reader)
        scores = [score_text_row(next(reader)) for _ in range(n)]
        scores = answer_scores(scores)
        sys.stdout.write("".join(repr(s) + "\n" for s in scores))
        sys.stdout.flush()
        if "few" in opts:
            sys.exit(0)
        after_frame()
    sys.exit(0)

# batch: a header, then rows until the end
rows = list(reader)[1:]
scores = answer_scores([score_text_row(r) for r in rows])
sys.stdout.write("".join(repr(s) + "\n" for s in scores))
