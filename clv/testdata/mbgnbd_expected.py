#!/usr/bin/env python3
"""Reference values of MBG/NBD's unconditional expectation E[X(t)]
(Batislam, Denizel & Filiztekin 2007; the formula lifetimes' MBG/NBD
fitter uses): b/(a-1) * (1 - 2F1(r, b+1; a+b; t/(alpha+t)) (alpha/(alpha+t))^r).

Run: /usr/bin/python3 mbgnbd_expected.py > mbgnbd_expected.json
(mpmath at 30 digits; the Go tests only read the JSON.)
"""
import json
import mpmath
from mpmath import mp, mpf, hyp2f1

mp.dps = 30
out = {"about": "mpmath %s, 30 digits, see mbgnbd_expected.py" % mpmath.__version__, "cases": []}
for params in [(0.5248379648388778, 6.182991570892805, 0.8913561553496666, 1.6139993002702717),
               (2.0, 0.5, 3.5, 1.0), (0.05, 0.1, 0.2, 80.0), (1.0, 30.0, 1.5, 0.05)]:
    r, alpha, a, b = [mpf(v) for v in params]
    for t in [0.5, 1, 39, 78, 520]:
        t = mpf(t)
        v = b / (a - 1) * (1 - hyp2f1(r, b + 1, a + b, t / (alpha + t)) * (alpha / (alpha + t)) ** r)
        out["cases"].append({"params": list(params), "t": float(t), "expected": float(v)})
print(json.dumps(out, indent=1))
