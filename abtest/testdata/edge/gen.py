#!/usr/bin/env python3
"""Reference values for abtest's edge-case tests (edge_test.go).

Run with Debian's python3-mpmath: /usr/bin/python3 gen.py > edge.json
Everything is computed with mpmath at 25 significant digits from the
exact definitions (no float shortcuts); the Go tests never run this.
"""
import json
import sys
import mpmath
from mpmath import mp, mpf, erfc, sqrt, betainc, beta, quad, findroot, log, inf

mp.dps = 25

def f(x):
    return float(x)

def norm_isf(q):
    # z with P(Z > z) = q, solved on the upper tail itself.
    q = mpf(q)
    z0 = sqrt(-2 * log(q))
    return findroot(lambda z: log(erfc(z / sqrt(2)) / 2) - log(q), z0)

def t_sf(t, nu):
    # P(T > t) for t > 0: I_{nu/(nu+t^2)}(nu/2, 1/2) / 2.
    t, nu = mpf(t), mpf(nu)
    return betainc(nu / 2, mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2

def t_isf(q, nu):
    q = mpf(q)
    lo = norm_isf(q)
    # Solve log P(T > t) = log q in log t: robust for heavy tails.
    g = lambda lt: log(t_sf(mp.e ** lt, nu)) - log(q)
    return mp.e ** findroot(g, log(lo) + 1)

out = {"about": "mpmath " + mpmath.__version__ + " at 25 digits; see gen.py"}

# Critical values for tiny alpha (two-sided: upper alpha/2 point).
out["z_crit"] = [{"alpha": a, "two_sided": f(norm_isf(mpf(a) / 2)), "one_sided": f(norm_isf(a))}
                 for a in [0.05, 1e-10, 1e-16, 1e-17, 1e-20, 1e-100, 1e-300]]
out["t_crit"] = [{"alpha": a, "df": nu, "two_sided": f(t_isf(mpf(a) / 2, nu))}
                 for a in [0.05, 1e-17, 1e-30] for nu in [3, 30, 1000, 1e6]]

# Two-proportion z-test deep in the tail: z from the exact counts.
zt = []
for (na, xa, nb, xb) in [(100000, 1000, 100000, 1400), (100000, 1000, 100000, 1800),
                         (1000000, 10000, 1000000, 16000), (1000000, 10000, 1000000, 40000),
                         (1000000, 1000, 1000000, 60000), (2000000, 20000, 2000000, 80000)]:
    pa, pb = mpf(xa) / na, mpf(xb) / nb
    pool = mpf(xa + xb) / (na + nb)
    z = (pb - pa) / sqrt(pool * (1 - pool) * (mpf(1) / na + mpf(1) / nb))
    zt.append({"n_a": na, "x_a": xa, "n_b": nb, "x_b": xb, "z": f(z),
               "p_one_sided": f(erfc(z / sqrt(2)) / 2),
               "p_two_sided": f(erfc(z / sqrt(2)))})
out["ztest_tail"] = zt
print("ztest done", file=sys.stderr)

# Normal upper tail at z = 6..37 (z exactly representable).
out["norm_sf"] = [{"z": z, "sf": f(erfc(mpf(z) / sqrt(2)) / 2)} for z in [6, 8.5, 10, 15, 20, 25.25, 30, 37, 37.5]]

# Bayes P(B > A) and expected losses with priors below 1.
def bayes(a1, b1, a2, b2):
    # Each expectation over A ~ Beta(a1, b1) is split at 1/2 and each half
    # changes variables so that the endpoint singularity of a parameter
    # below 1 disappears: x = y^(1/a1) near 0, 1 - x = y^(1/b1) near 1
    # (x^(a1-1) dx = dy/a1). Break points follow the mass of A.
    B = beta(a1, b1)
    m = a1 / (a1 + b1)
    sd = sqrt(a1 * b1 / (a1 + b1) ** 2 / (a1 + b1 + 1))
    xs = [m / 10, 10 * m, 1 - (1 - m) / 10] + [m + k * sd for k in (-6, -3, -1, 0, 1, 3, 6)]
    half = mpf(1) / 2
    left = sorted(set([mpf(0), half ** a1] + [x ** a1 for x in xs if 0 < x < half]))
    right = sorted(set([mpf(0), half ** b1] + [(1 - x) ** b1 for x in xs if half < x < 1]))
    xl = sorted(set([mpf(0), half] + [x for x in xs if 0 < x < half]))
    xr = sorted(set([half, mpf(1)] + [x for x in xs if half < x < 1]))

    def E(g):
        # The change of variables only where the parameter is below 1
        # (elsewhere there is no singularity and it would only distort).
        if a1 < 1:
            l = quad(lambda y: g(y ** (1 / a1)) * (1 - y ** (1 / a1)) ** (b1 - 1), left) / a1
        else:
            l = quad(lambda x: g(x) * x ** (a1 - 1) * (1 - x) ** (b1 - 1), xl)
        if b1 < 1:
            r = quad(lambda y: g(1 - y ** (1 / b1)) * (1 - y ** (1 / b1)) ** (a1 - 1), right) / b1
        else:
            r = quad(lambda x: g(x) * x ** (a1 - 1) * (1 - x) ** (b1 - 1), xr)
        return (l + r) / B
    pgt = E(lambda x: betainc(a2, b2, x, 1, regularized=True))
    plt = 1 - pgt  # at 25 digits, exact for the probabilities used here
    # E[max(pA - pB, 0)] = E_A[ x I_x(a2,b2) - (a2/(a2+b2)) I_x(a2+1,b2) ]
    mB = a2 / (a2 + b2)
    lossB = E(lambda x: x * betainc(a2, b2, 0, x, regularized=True)
              - mB * betainc(a2 + 1, b2, 0, x, regularized=True))
    lossA = lossB + mB - m  # E[max(pB-pA,0)] = E[max(pA-pB,0)] + E[pB] - E[pA]
    return pgt, plt, lossB, lossA

bc = []
for prior in [0.1, 0.3, 0.5]:
    for (na, xa, nb, xb) in [(5000, 1, 5000, 0), (100, 0, 100, 3), (20, 0, 20, 0), (3, 3, 2, 0)]:
        p = mpf(prior)
        a1, b1 = p + xa, p + na - xa
        a2, b2 = p + xb, p + nb - xb
        pgt, plt, lossB, lossA = bayes(a1, b1, a2, b2)
        print(prior, na, xa, nb, xb, float(pgt), file=sys.stderr)
        bc.append({"prior": prior, "n_a": na, "x_a": xa, "n_b": nb, "x_b": xb,
                   "prob_b_beats_a": f(pgt), "prob_a_beats_b": f(plt),
                   "expected_loss_choose_b": f(lossB), "expected_loss_choose_a": f(lossA)})
out["bayes_small_prior"] = bc

print(json.dumps(out, indent=1))
