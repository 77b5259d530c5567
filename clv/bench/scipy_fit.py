#!/usr/bin/env python3
"""Times scipy's L-BFGS-B on the likelihoods clv fits, on CDNOW.

Used by clv/bench/run.sh; needs python3 with numpy and scipy (it
installs nothing). Same data as the Go benchmarks (testdata/cdnow/
cdnowElog.csv summarised as clv.SummarizeRows does: calibration to
1997-09-30, weeks, purchases merged per day), same likelihoods (per
customer, written with numpy/scipy.special), same start (clv's default:
r, a, s, p, q = 1; alpha, beta and BG/NBD's b = mean T / mean x;
gamma = mean spend), same parametrisation (log-parameters), L-BFGS-B with scipy's own
finite-difference gradient (jac=None: "plain L-BFGS-B on the same
likelihood") and gtol 1e-7 on the mean log-likelihood per customer, as
clv's threshold. Prints one line per model: name, CPU seconds per fit
(median of --reps), log-likelihood, parameters.
"""
import argparse
import csv
import datetime
import math
import os
import statistics
import sys
import time

import numpy as np
from scipy import optimize, special


def summary(path):
    cal_end = datetime.date(1997, 9, 30)
    days = {}
    spend = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            d = datetime.datetime.strptime(row["date"], "%Y%m%d").date()
            c = row["sampleid"] if "sampleid" in row else row["id"]
            if d > cal_end:
                continue
            days.setdefault(c, {})
            days[c][d] = days[c].get(d, 0.0) + float(row["sales"])
    x, tx, T, zbar = [], [], [], []
    for c, dd in days.items():
        ds = sorted(dd)
        first = ds[0]
        rep = ds[1:]
        x.append(len(rep))
        tx.append((ds[-1] - first).days / 7 if rep else 0.0)
        T.append((cal_end - first).days / 7)
        zbar.append(sum(dd[d] for d in rep) / len(rep) if rep else 0.0)
    return np.array(x, float), np.array(tx), np.array(T), np.array(zbar)


def bgnbd_ll(p, x, tx, T, mod):
    r, alpha, a, b = np.exp(p)
    o = 1.0 if mod else 0.0
    xp = (special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
          + special.gammaln(b + x + o) + special.gammaln(a + b) - special.gammaln(b) - special.gammaln(a + b + x + o))
    c = -(r + x) * np.log(alpha + T)
    has = (x > 0) | mod
    d = np.where(has, np.log(a) - np.log(np.where(has, b + x - 1 + o, 1.0)) - (r + x) * np.log(alpha + tx), -np.inf)
    return np.sum(xp + np.logaddexp(c, d))


def pareto_ll(p, x, tx, T):
    r, alpha, s, beta = np.exp(p)
    # Fader & Hardie (2005) eq. 22 with scipy's hyp2f1, as lifetimes does.
    maxab = max(alpha, beta)
    absab = abs(alpha - beta)
    param2 = s + 1 if alpha >= beta else r + x
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    l1 = special.hyp2f1(r + s + x, param2, r + s + x + 1, absab / (maxab + tx))
    l2 = special.hyp2f1(r + s + x, param2, r + s + x + 1, absab / (maxab + T))
    a2 = np.log(l1) - (r + s + x) * np.log(maxab + tx)
    a3 = np.log(l2) - (r + s + x) * np.log(maxab + T)
    a4 = np.log(s) - np.log(r + s + x)
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    dead = a4 + a2 + np.log(-np.expm1(a3 - a2))
    return np.sum(a1 + np.logaddexp(alive, dead))


def gg_ll(p, x, z):
    pp, q, g = np.exp(p)
    px = pp * x
    return np.sum(special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(g)
                  + (px - 1) * np.log(z) + px * np.log(x) - (px + q) * np.log(g + x * z))


def fit(ll, start, n):
    f = lambda th: -ll(th) / n
    res = optimize.minimize(f, np.log(start), method="L-BFGS-B", options={"gtol": 1e-7, "maxiter": 2000})
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    x, tx, T, zbar = summary(args.data)
    n = len(x)
    scale = T.mean() / max(x.mean(), 0.01)
    rep = x > 0
    models = {
        "BGNBD": (lambda th: bgnbd_ll(th, x, tx, T, False), [1, scale, 1, scale], n),
        "ParetoNBD": (lambda th: pareto_ll(th, x, tx, T), [1, scale, 1, scale], n),
        "MBGNBD": (lambda th: bgnbd_ll(th, x, tx, T, True), [1, scale, 1, scale], n),
        "GammaGamma": (lambda th: gg_ll(th, x[rep], zbar[rep]), [1, 1, zbar[rep].mean()], int(rep.sum())),
    }
    for name, (ll, start, m) in models.items():
        times = []
        for _ in range(args.reps):
            t0 = time.process_time()
            res = fit(ll, start, m)
            times.append(time.process_time() - t0)
        print("%s %.6f %.4f %s nfev=%d" % (name, statistics.median(times), -res.fun * m,
                                            " ".join("%.6g" % v for v in np.exp(res.x)), res.nfev))
        sys.stdout.flush()


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
