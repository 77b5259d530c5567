// Package jsonx is the one strict JSON decoder of parcours. Every parser
// (scenario, trigger, segment, clv, abtest, the examples) calls Decode, so
// they share one contract:
//
//   - unknown fields, values of the wrong type, numbers out of range and
//     anything after the value are errors, as is bad syntax;
//   - every problem is a *parcours.DecodeError naming the field path
//     ("steps[2].send.vars"), the line and the column; all the problems of
//     a document are reported (up to maxProblems), joined with
//     errors.Join, not only the first;
//   - on error the target is left as it was: callers return their zero
//     value, never a partly decoded one.
//
// Decode first reads the document into a tree that remembers where each
// value starts, then checks the tree against the Go type by reflection
// (collecting every problem with its path and position), and only then
// decodes it with encoding/json (DisallowUnknownFields), so the decoded
// value is exactly what encoding/json gives. Field names match as in
// encoding/json: exactly, else case-insensitively. Types with their own
// UnmarshalJSON or UnmarshalText (parcours.Duration, time.Time) are handed
// their own bytes, and an error they return is reported at their path.
package jsonx

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parcours-dev/parcours"
)

// maxProblems bounds the problems reported for one document, so a huge
// bad input gives a readable error.
const maxProblems = 20

// Decode decodes the single JSON value in data into v, a non-nil pointer,
// strictly. On error v is unchanged and the error is one
// *parcours.DecodeError, or several joined.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("jsonx: Decode needs a non-nil pointer, got %T", v)
	}
	d := &decoder{data: data}
	root, err := d.document()
	if err != nil {
		return err
	}
	d.check(root, rv.Type().Elem(), "")
	if len(d.problems) > 0 {
		return d.err()
	}
	// The tree matches the type: decode for real into a fresh value, so v
	// is only set on success.
	fresh := reflect.New(rv.Type().Elem())
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(fresh.Interface()); err != nil {
		// Not expected after the check; report what encoding/json says.
		off := dec.InputOffset()
		var te *json.UnmarshalTypeError
		path := ""
		if errors.As(err, &te) {
			off, path = te.Offset, te.Field
		}
		d.add(path, off, err)
		return d.err()
	}
	rv.Elem().Set(fresh.Elem())
	return nil
}

// node is one JSON value and where it is in the input.
type node struct {
	start, end int64 // byte offsets of the value
	kind       kind
	keys       []string // object keys, in order
	keyAt      []int64  // offset of each key
	elems      []*node  // object values (parallel to keys) or array elements
	text       string   // a string's value or a number's text
	b          bool
}

type kind uint8

const (
	null kind = iota
	boolean
	number
	str
	object
	array
)

func (k kind) String() string {
	return [...]string{"null", "a bool", "a number", "a string", "an object", "an array"}[k]
}

type decoder struct {
	data     []byte
	depth    int
	dec      *json.Decoder
	problems []*parcours.DecodeError
	more     int // problems beyond maxProblems
}

// document reads the whole input into a tree; bad syntax and trailing
// data are reported at once (nothing else can be checked).
func (d *decoder) document() (*node, error) {
	d.dec = json.NewDecoder(bytes.NewReader(d.data))
	d.dec.UseNumber()
	n, err := d.value()
	if err != nil {
		var se *json.SyntaxError
		off := d.dec.InputOffset()
		if errors.As(err, &se) {
			off = se.Offset
		}
		if errors.Is(err, io.EOF) {
			err = errors.New("unexpected end of JSON input")
		}
		d.add("", off, err)
		return nil, d.err()
	}
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		d.add("", d.skip(n.end), errors.New("data after the JSON value"))
		return nil, d.err()
	}
	return n, nil
}

// skip moves off past white space and the separators the decoder has
// not consumed yet, to the start of the next token.
func (d *decoder) skip(off int64) int64 {
	for off < int64(len(d.data)) {
		switch d.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// maxDepth is the deepest nesting accepted, as in encoding/json.
const maxDepth = 10000

func (d *decoder) value() (*node, error) {
	if d.depth++; d.depth > maxDepth {
		return nil, errors.New("nesting deeper than 10000")
	}
	defer func() { d.depth-- }()
	n := &node{start: d.skip(d.dec.InputOffset())}
	tok, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		n.kind = null
	case bool:
		n.kind, n.b = boolean, t
	case json.Number:
		n.kind, n.text = number, string(t)
	case string:
		n.kind, n.text = str, t
	case json.Delim:
		switch t {
		case '{':
			n.kind = object
			for d.dec.More() {
				at := d.skip(d.dec.InputOffset())
				k, err := d.dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := d.value()
				if err != nil {
					return nil, err
				}
				n.keys, n.keyAt, n.elems = append(n.keys, k.(string)), append(n.keyAt, at), append(n.elems, v)
			}
		case '[':
			n.kind = array
			for d.dec.More() {
				v, err := d.value()
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
		}
		if _, err := d.dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	}
	n.end = d.dec.InputOffset()
	return n, nil
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// check reports every way n does not fit type t, at path.
func (d *decoder) check(n *node, t reflect.Type, path string) {
	if n.kind == null {
		return // encoding/json leaves the value as it is
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		u := reflect.New(t).Interface().(json.Unmarshaler)
		if err := u.UnmarshalJSON(d.data[n.start:n.end]); err != nil {
			d.add(path, n.start, err)
		}
		return
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textUnmarshalerType) {
		if n.kind != str {
			d.mismatch(n, "a string", path)
			return
		}
		u := reflect.New(t).Interface().(encoding.TextUnmarshaler)
		if err := u.UnmarshalText([]byte(n.text)); err != nil {
			d.add(path, n.start, err)
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		d.check(n, t.Elem(), path)
	case reflect.Interface:
		if t.NumMethod() > 0 {
			d.add(path, n.start, fmt.Errorf("cannot decode into %v", t))
		}
	case reflect.Struct:
		if n.kind != object {
			d.mismatch(n, "an object", path)
			return
		}
		fs := fieldsOf(t)
		for i, k := range n.keys {
			f, ok := fs.find(k)
			if !ok {
				d.add(join(path, k), n.keyAt[i], fmt.Errorf("unknown field %q", k))
				continue
			}
			if !f.quoted { // ",string" fields: left to encoding/json
				d.check(n.elems[i], f.typ, join(path, f.name))
			}
		}
	case reflect.Map:
		if n.kind != object {
			d.mismatch(n, "an object", path)
			return
		}
		for i, k := range n.keys {
			kp := join(path, k)
			if err := checkKey(k, t.Key()); err != nil {
				d.add(kp, n.keyAt[i], err)
				continue
			}
			d.check(n.elems[i], t.Elem(), kp)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && n.kind == str {
			return // []byte from base64, as encoding/json does
		}
		fallthrough
	case reflect.Array:
		if n.kind != array {
			d.mismatch(n, "an array", path)
			return
		}
		if t.Kind() == reflect.Array && len(n.elems) > t.Len() {
			d.add(path, n.start, fmt.Errorf("%d elements, at most %d", len(n.elems), t.Len()))
		}
		for i, e := range n.elems {
			d.check(e, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.String:
		if n.kind != str {
			d.mismatch(n, "a string", path)
		}
	case reflect.Bool:
		if n.kind != boolean {
			d.mismatch(n, "true or false", path)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n.kind != number {
			d.mismatch(n, "an integer", path)
		} else if _, err := strconv.ParseInt(n.text, 10, t.Bits()); err != nil {
			d.add(path, n.start, fmt.Errorf("%s is not an integer in the range of %v", n.text, t))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if n.kind != number {
			d.mismatch(n, "a non-negative integer", path)
		} else if _, err := strconv.ParseUint(n.text, 10, t.Bits()); err != nil {
			d.add(path, n.start, fmt.Errorf("%s is not an integer in the range of %v", n.text, t))
		}
	case reflect.Float32, reflect.Float64:
		if n.kind != number {
			d.mismatch(n, "a number", path)
		} else if _, err := strconv.ParseFloat(n.text, t.Bits()); err != nil {
			d.add(path, n.start, fmt.Errorf("%s is out of the range of %v", n.text, t))
		}
	default:
		d.add(path, n.start, fmt.Errorf("cannot decode into %v", t))
	}
}

// checkKey reports whether k can be a key of a map with key type t.
func checkKey(k string, t reflect.Type) error {
	switch {
	case reflect.PointerTo(t).Implements(textUnmarshalerType):
		return reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(k))
	case t.Kind() == reflect.String:
		return nil
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		if _, err := strconv.ParseInt(k, 10, t.Bits()); err != nil {
			return fmt.Errorf("key %q is not an integer", k)
		}
		return nil
	case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uintptr:
		if _, err := strconv.ParseUint(k, 10, t.Bits()); err != nil {
			return fmt.Errorf("key %q is not a non-negative integer", k)
		}
		return nil
	}
	return fmt.Errorf("cannot decode a key into %v", t)
}

func (d *decoder) mismatch(n *node, want, path string) {
	d.add(path, n.start, fmt.Errorf("want %s, got %s", want, n.kind))
}

func (d *decoder) add(path string, off int64, err error) {
	if len(d.problems) == maxProblems {
		d.more++
		return
	}
	line, col := position(d.data, off)
	d.problems = append(d.problems, &parcours.DecodeError{Path: path, Line: line, Column: col, Err: err})
}

func (d *decoder) err() error {
	errs := make([]error, 0, len(d.problems)+1)
	for _, p := range d.problems {
		errs = append(errs, p)
	}
	if d.more > 0 {
		errs = append(errs, &parcours.DecodeError{Err: fmt.Errorf("%d more problems", d.more)})
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// Locate returns where the value at path starts in the JSON document
// data, path written as a DecodeError's Path is ("steps[2].send.vars.x",
// `vars["first name"]`, "[0].trigger"; "" is the whole document): for a
// tool that points at a field a later check refused. When the path is
// not there in full it gives the deepest part that is (a missing field:
// where its object starts); ok is false when not even its first step is
// there, or data is not JSON.
func Locate(data []byte, path string) (off int64, ok bool) {
	d := &decoder{data: data}
	n, err := d.document()
	if err != nil {
		return 0, false
	}
	off, ok = n.start, path == ""
	for at := ""; at != path; {
		var next *node
		var nextAt string
		for i, e := range n.elems {
			p := at + "[" + strconv.Itoa(i) + "]"
			if n.kind == object {
				p = join(at, n.keys[i])
			}
			if p == path || strings.HasPrefix(path, p) && (path[len(p)] == '.' || path[len(p)] == '[') {
				next, nextAt = e, p
				break
			}
		}
		if next == nil {
			break
		}
		n, at, off, ok = next, nextAt, next.start, true
	}
	return off, ok
}

// Position returns the 1-based line and column (in characters) of byte
// offset off in data, as DecodeError gives them.
func Position(data []byte, off int64) (line, col int) {
	off = max(off, 0)
	return position(data, off)
}

// position returns the 1-based line and column (in characters) of byte
// offset off in data.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCount(before)
}

// join appends a field or map key to a path: "a.b", or `a["b c"]` for a
// key that is not a plain name.
func join(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return path + "[" + strconv.Quote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

// field is one JSON-visible field of a struct.
type field struct {
	name   string
	typ    reflect.Type
	depth  int
	quoted bool // the ",string" option
}

type fields []field

// find matches a key to a field as encoding/json does: exactly, else
// ignoring case.
func (fs fields) find(k string) (field, bool) {
	for _, f := range fs {
		if f.name == k {
			return f, true
		}
	}
	for _, f := range fs {
		if strings.EqualFold(f.name, k) {
			return f, true
		}
	}
	return field{}, false
}

// fieldsOf lists the JSON-visible fields of struct type t, embedded
// structs' fields promoted; a shallower field hides a deeper one of the
// same name.
func fieldsOf(t reflect.Type) fields {
	var out fields
	var walk func(t reflect.Type, depth int, seen map[reflect.Type]bool)
	walk = func(t reflect.Type, depth int, seen map[reflect.Type]bool) {
		if seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous && name == "" {
				et := ft
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct {
					walk(et, depth+1, seen)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			out = append(out, field{name: name, typ: ft, depth: depth, quoted: strings.Contains(","+opts+",", ",string,")})
		}
	}
	walk(t, 0, map[reflect.Type]bool{})
	// Keep the shallowest field of each name.
	best := fields{}
	for _, f := range out {
		i := -1
		for j, b := range best {
			if b.name == f.name {
				i = j
			}
		}
		switch {
		case i < 0:
			best = append(best, f)
		case f.depth < best[i].depth:
			best[i] = f
		}
	}
	return best
}

// Sentinel returns a package's sentinel error with text msg that wraps
// parcours.ErrInvalid, so that errors.Is(err, parcours.ErrInvalid) holds
// for every bad-input error whatever the package, while the package's
// older sentinels (trigger.ErrSpec, segment.ErrConfig, clv.ErrParams...)
// keep matching what they matched.
func Sentinel(msg string) error { return &sentinel{msg} }

type sentinel struct{ msg string }

func (s *sentinel) Error() string { return s.msg }
func (s *sentinel) Unwrap() error { return parcours.ErrInvalid }
