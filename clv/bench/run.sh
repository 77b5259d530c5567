#!/bin/sh
# clv/bench/run.sh: CPU time of clv's fits on CDNOW, side by side with
# scipy's L-BFGS-B on the same likelihoods, in one run.
#
#   clv/bench/run.sh [reps]          # default 5 repetitions
#   BASE=<git rev> clv/bench/run.sh  # also time the package at <rev>
#   PYTHON=/usr/bin/python3 clv/bench/run.sh
#
# It installs nothing. The Go side is BenchmarkFitCPU (clv.Fit, the
# default entry point, which computes the standard errors) and
# BenchmarkFitCPUNoStdErrors (FitWith with NoStdErrors, the strict
# comparable of scipy, which computes none), each reporting process CPU
# per fit. The scipy side (scipy_fit.py, only when $PYTHON imports numpy
# and scipy) reports process CPU per fit too. The sides alternate rep by
# rep so that a change in the machine's load hits both; the table shows
# medians and the ratios scipy / Fit and scipy / Fit without standard
# errors.
set -eu
cd "$(dirname "$0")/../.."
reps=${1:-5}
py=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go test -c -o "$tmp/new.test" ./clv
if [ -n "${BASE:-}" ]; then
	mkdir "$tmp/base"
	git archive "$BASE" | tar -x -C "$tmp/base"
	# The CPU-time benchmark uses only Fit: build it into the old package.
	cp clv/fitcpu_test.go clv/cputime_linux_test.go clv/cputime_other_test.go "$tmp/base/clv/"
	(cd "$tmp/base" && go test -c -o "$tmp/base.test" ./clv)
fi
havepy=
if "$py" -c 'import numpy, scipy' 2>/dev/null; then
	havepy=1
else
	echo "($py has no numpy/scipy: Go side only)" >&2
fi

bench() { # binary pattern label
	(cd clv && "$1" -test.run '^$' -test.bench "$2" -test.count 1) |
		awk -v l="$3" '/cpu-ns\/op/ { n = $1; sub(/^Benchmark[A-Za-z]*\//, "", n); sub(/-[0-9]+$/, "", n)
			for (i = 2; i < NF; i++) if ($(i+1) == "cpu-ns/op") print l, n, $i / 1e6 }'
}
i=0
while [ "$i" -lt "$reps" ]; do
	i=$((i + 1))
	if [ -n "${BASE:-}" ]; then
		bench "$tmp/base.test" '^BenchmarkFitCPU$' before >>"$tmp/all"
	fi
	bench "$tmp/new.test" '^BenchmarkFitCPU$' after >>"$tmp/all"
	bench "$tmp/new.test" '^BenchmarkFitCPUNoStdErrors$' after-nose >>"$tmp/all"
	if [ -n "$havepy" ]; then
		OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
			"$py" clv/bench/scipy_fit.py --data testdata/cdnow/cdnowElog.csv --reps 1 |
			awk '{ m = $1; sub(/BGNBD$/, "bgnbd", m); sub(/ParetoNBD/, "pareto_nbd", m); sub(/MBGNBD/, "mbgnbd", m); sub(/GammaGamma/, "gamma_gamma", m); if (m == "Mbgnbd") m = "mbgnbd"; print "scipy", m, $2 * 1000 }' >>"$tmp/all"
	fi
done

# Medians per (label, model), in ms.
sort -k1,1 -k2,2 -k3,3n "$tmp/all" | awk '
	{ k = $1 " " $2; v[k, ++c[k]] = $3 }
	END { for (k in c) { n = c[k]; m = (n % 2) ? v[k, (n + 1) / 2] : (v[k, n / 2] + v[k, n / 2 + 1]) / 2; print k, m, n } }' >"$tmp/med"
med() { awk -v k="$1 $2" '$1 " " $2 == k { print $3 }' "$tmp/med"; }
printf '%-12s %12s %12s %12s %12s %10s %10s\n' fit "before (ms)" "Fit (ms)" "no SE (ms)" "scipy (ms)" "scipy/Fit" "scipy/noSE"
ratio() { # scipy parcours
	if [ -n "$1" ] && [ -n "$2" ]; then awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1fx", s / n }'; else echo -; fi
}
for m in bgnbd pareto_nbd mbgnbd gamma_gamma; do
	b=$(med before $m); a=$(med after $m); n=$(med after-nose $m); s=$(med scipy $m)
	printf '%-12s %12s %12s %12s %12s %10s %10s\n' "$m" "${b:--}" "${a:--}" "${n:--}" "${s:--}" "$(ratio "$s" "$a")" "$(ratio "$s" "$n")"
done
echo "medians of $reps alternating runs, process CPU per fit, ms. Fit is the default entry point"
echo "(clv.Fit: standard errors included); no SE is FitWith(FitOptions{NoStdErrors: true}),"
echo "like scipy's L-BFGS-B, which computes none."
