package sandbox

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/expr-lang/expr"
)

// functions are the budget functions the patcher calls. Each takes the
// environment first and finds the Meter through its Hook. Overloads keep
// the static type of what they wrap, so compile-time checks still apply.
var functions = []expr.Option{
	expr.Function(fnTick, tick,
		new(func(any, bool) bool), new(func(any, int) int), new(func(any, float64) float64),
		new(func(any, string) string), new(func(any, any) any)),
	expr.Function(fnCost, cost,
		new(func(any, string) string), new(func(any, int) int), new(func(any, float64) float64),
		new(func(any, bool) bool), new(func(any, any) any)),
	expr.Function(fnBytes, bytes,
		new(func(any, string) string), new(func(any, []string) []string), new(func(any, []any) []any),
		new(func(any, map[string]any) map[string]any), new(func(any, any) any)),
	expr.Function(fnRepl, replace, new(func(any, string, string, string) string), new(func(any, any, any, any) string)),
	expr.Function(fnJoin, join, new(func(any, any) string), new(func(any, any, string) string), new(func(any, any, any) string)),
	expr.Function(fnScan, scanFn,
		new(func(any, string) string), new(func(any, []any) []any), new(func(any, []string) []string),
		new(func(any, []int) []int), new(func(any, []float64) []float64),
		new(func(any, map[string]any) map[string]any), new(func(any, any) any)),
	expr.Function(fnDeep, deep, new(func(any, any) any)),
	expr.Function(fnMatch, matches, new(func(any, string, string) bool), new(func(any, any, any) bool)),
}

var errNoMeter = errors.New("sandbox: the environment carries no meter")

func meterOf(env any) (*Meter, error) {
	h, ok := env.(hooked)
	if !ok || h.meter() == nil {
		return nil, errNoMeter
	}
	return h.meter(), nil
}

// tick charges one loop iteration and passes its body's value through.
func tick(params ...any) (any, error) {
	m, err := meterOf(params[0])
	if err != nil {
		return nil, err
	}
	return params[1], m.Spend(1)
}

// cost charges a helper call, before it runs, and passes its first
// argument through.
func cost(params ...any) (any, error) {
	m, err := meterOf(params[0])
	if err != nil {
		return nil, err
	}
	return params[1], m.Spend(max(m.callCost, 1))
}

// bytes charges the size of a string or array just built.
func bytes(params ...any) (any, error) {
	m, err := meterOf(params[0])
	if err != nil {
		return nil, err
	}
	return params[1], m.spendBytes(size(params[1]))
}

// size is what v holds, in bytes: a string's length, 16 per element of
// an array or map (an interface value), 0 for anything else.
func size(v any) int64 {
	switch v := v.(type) {
	case string:
		return int64(len(v))
	case nil:
		return 0
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return 16 * int64(r.Len())
	}
	return 0
}

// replace is expr's replace(s, old, new), with the result's size charged
// before it is allocated.
func replace(params ...any) (any, error) {
	m, err := meterOf(params[0])
	if err != nil {
		return nil, err
	}
	s, okS := params[1].(string)
	old, okO := params[2].(string)
	repl, okN := params[3].(string)
	if !okS || !okO || !okN {
		return nil, fmt.Errorf("replace wants three strings, got %T, %T and %T", params[1], params[2], params[3])
	}
	n := int64(strings.Count(s, old))
	if err := m.spendBytes(int64(len(s)) + n*int64(len(repl)-len(old))); err != nil {
		return nil, err
	}
	return strings.ReplaceAll(s, old, repl), nil
}

// join is expr's join(array[, sep]), with the result's size charged
// before it is allocated.
func join(params ...any) (any, error) {
	m, err := meterOf(params[0])
	if err != nil {
		return nil, err
	}
	sep := ""
	if len(params) > 2 {
		s, ok := params[2].(string)
		if !ok {
			return nil, fmt.Errorf("join wants a string separator, got %T", params[2])
		}
		sep = s
	}
	r := reflect.ValueOf(params[1])
	if r.Kind() != reflect.Slice && r.Kind() != reflect.Array {
		return nil, fmt.Errorf("join wants an array, got %T", params[1])
	}
	parts := make([]string, r.Len())
	total := int64(len(sep)) * int64(max(r.Len()-1, 0))
	for i := range parts {
		s, ok := r.Index(i).Interface().(string)
		if !ok {
			return nil, fmt.Errorf("join wants an array of strings, got %T at %d", r.Index(i).Interface(), i)
		}
		parts[i] = s
		total += int64(len(s))
	}
	if err := m.spendBytes(total); err != nil {
		return nil, err
	}
	return strings.Join(parts, sep), nil
}

// matches is s matches pattern for a pattern known only at run time: the
// compiled pattern is kept in the Meter (at most MaxPatterns of them), so
// a pattern read from the profile is compiled once per evaluation, not
// once per event. Compiling is charged one operation per byte of pattern.
func matches(params ...any) (any, error) {
	m, err := meterOf(params[0])
	if err != nil {
		return nil, err
	}
	s, okS := params[1].(string)
	pat, okP := params[2].(string)
	if !okS || !okP {
		return nil, fmt.Errorf("matches wants strings, got %T and %T", params[1], params[2])
	}
	re, ok := m.patterns[pat]
	if !ok {
		if err := m.Spend(int64(len(pat)) + 1); err != nil {
			return nil, err
		}
		if re, err = regexp.Compile(pat); err != nil {
			return nil, err
		}
		if m.patterns == nil {
			m.patterns = map[string]*regexp.Regexp{}
		}
		if len(m.patterns) < MaxPatterns {
			m.patterns[pat] = re
		}
	}
	if err := m.Spend(1); err != nil {
		return nil, err
	}
	return re.MatchString(s), nil
}

// scanFn charges reading a value whole: one operation per element of an
// array or map, one per 64 bytes of a string (a loop iteration costs
// about what scanning 64 bytes does).
func scanFn(params ...any) (any, error) {
	m, err := meterOf(params[0])
	if err != nil {
		return nil, err
	}
	var n int64
	if s, ok := params[1].(string); ok {
		n = int64(len(s)) / 64
	} else {
		n = size(params[1]) / 16
	}
	return params[1], m.Spend(n)
}

// deep charges, before toJSON or string() formats a value, the bytes it
// holds, walking it no further than the budget left.
func deep(params ...any) (any, error) {
	m, err := meterOf(params[0])
	if err != nil {
		return nil, err
	}
	n := deepSize(reflect.ValueOf(params[1]), MaxBytes-m.bytes+1, 0)
	return params[1], m.spendBytes(n)
}

// deepSize is about the bytes v holds: string lengths, 16 per element
// and field. It stops once past limit, and below 32 levels (a cycle).
func deepSize(v reflect.Value, limit int64, depth int) int64 {
	if depth > 32 || !v.IsValid() {
		return 16
	}
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 8
		}
		return deepSize(v.Elem(), limit, depth+1)
	case reflect.Slice, reflect.Array:
		n := int64(16)
		for i := 0; i < v.Len() && n <= limit; i++ {
			n += 16 + deepSize(v.Index(i), limit-n, depth+1)
		}
		return n
	case reflect.Map:
		n := int64(16)
		for it := v.MapRange(); it.Next() && n <= limit; {
			n += 16 + deepSize(it.Key(), limit-n, depth+1) + deepSize(it.Value(), limit-n, depth+1)
		}
		return n
	case reflect.Struct:
		n := int64(16)
		for i := 0; i < v.NumField() && n <= limit; i++ {
			n += deepSize(v.Field(i), limit-n, depth+1)
		}
		return n
	}
	return 16
}
