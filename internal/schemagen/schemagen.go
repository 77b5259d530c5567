// Package schemagen generates the JSON Schemas of parcours' file formats
// (schema/*.schema.json) from the Go types, by reflection: struct fields
// as encoding/json sees them (embedded structs flattened), a $defs entry
// per named type of the module (so recursive types close), durations by
// parcours.ParseDuration's grammar, and each field's Go doc comment, read
// from the sources, as its description. What reflection cannot see is
// listed by hand: the fields the compiler requires and the values of
// string enumerations.
//
// It lives in the library's module, with only the standard library, so
// that the drift test (schemagen_test.go) runs with go test ./... and a
// change of a type that forgets to regenerate fails there:
//
//	go test ./internal/schemagen -update
//
// The parcours command prints the same schemas (parcours schema NAME).
package schemagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

// The schemas, by name.
var schemas = map[string]struct {
	title string
	build func(g *schemaGen) map[string]any
}{
	"scenario": {"parcours scenario file: one scenario or an array of scenarios", func(g *schemaGen) map[string]any {
		one := g.of(reflect.TypeFor[scenario.Scenario]())
		return map[string]any{"anyOf": []any{one, map[string]any{"type": "array", "items": one}}}
	}},
	"policy": {"parcours contact-pressure policy", func(g *schemaGen) map[string]any {
		return g.of(reflect.TypeFor[scenario.Policy]())
	}},
}

// Names lists the schemas, sorted.
func Names() []string {
	var out []string
	for n := range schemas {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Generate returns the named schema as indented JSON; src is the
// repository's root, whose Go sources give the descriptions (none when
// they cannot be read).
func Generate(name, src string) ([]byte, error) {
	s, ok := schemas[name]
	if !ok {
		return nil, fmt.Errorf("no schema %q (scenario or policy)", name)
	}
	g := &schemaGen{src: src, defs: map[string]any{}, docs: map[string]string{}, parsed: map[string]bool{}}
	root := s.build(g)
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://github.com/parcours-dev/parcours/schema/" + name + ".schema.json"
	root["title"] = s.title
	root["$defs"] = g.defs
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// schemaGen builds schemas from Go types: each named struct (and named
// type of the library) becomes a definition under $defs, so that
// recursive types (a send's variants are sends) close.
type schemaGen struct {
	src    string
	defs   map[string]any
	docs   map[string]string // "pkgpath.Type" and "pkgpath.Type.Field" -> doc comment
	parsed map[string]bool   // package paths read
}

// What reflection cannot see: the fields the compiler requires, and the
// values of string enumerations (their constants).
var (
	schemaRequired = map[reflect.Type][]string{
		reflect.TypeFor[scenario.Scenario](): {"id", "trigger", "steps"},
		reflect.TypeFor[scenario.Step]():     {"id"},
	}
	schemaEnums = map[reflect.Type][]any{
		reflect.TypeFor[scenario.ReentryMode](): {string(scenario.Every), string(scenario.Once), string(scenario.OncePer)},
	}
)

// DurationPattern is parcours.ParseDuration's grammar (tested against it).
const DurationPattern = `^[-+]?(0|(([0-9]+\.?[0-9]*|\.[0-9]+)(ns|us|µs|ms|s|m|h|d|w))+)$`

const modulePath = "github.com/parcours-dev/parcours"

func defName(t reflect.Type) string {
	return filepath.Base(t.PkgPath()) + "." + t.Name()
}

// of returns the schema of values of type t.
func (g *schemaGen) of(t reflect.Type) map[string]any {
	switch t {
	case reflect.TypeFor[time.Time]():
		return map[string]any{"type": "string", "format": "date-time"}
	case reflect.TypeFor[parcours.Duration]():
		return g.def(t, func() map[string]any {
			return map[string]any{"type": "string", "pattern": DurationPattern}
		})
	}
	if t.Kind() == reflect.Pointer {
		return g.of(t.Elem())
	}
	if t.Name() != "" && strings.HasPrefix(t.PkgPath(), modulePath) && t.Kind() != reflect.Interface {
		return g.def(t, func() map[string]any { return g.shape(t) })
	}
	return g.shape(t)
}

// def registers t under $defs (once) and returns a reference to it.
func (g *schemaGen) def(t reflect.Type, build func() map[string]any) map[string]any {
	name := defName(t)
	ref := map[string]any{"$ref": "#/$defs/" + name}
	if _, ok := g.defs[name]; ok {
		return ref
	}
	g.defs[name] = nil // placeholder: a recursive reference stops here
	s := build()
	if doc := g.doc(t, ""); doc != "" {
		s["description"] = doc
	}
	if enum, ok := schemaEnums[t]; ok {
		s["enum"] = enum
	}
	g.defs[name] = s
	return ref
}

// shape is the schema of t's structure.
func (g *schemaGen) shape(t reflect.Type) map[string]any {
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		g.fields(t, props)
		s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if req := schemaRequired[t]; len(req) > 0 {
			s["required"] = req
		}
		return s
	case reflect.Pointer:
		return g.of(t.Elem())
	}
	return map[string]any{} // any value
}

// fields adds the JSON fields of struct t to props, those of embedded
// structs included, as encoding/json sees them.
func (g *schemaGen) fields(t reflect.Type, props map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				g.fields(et, props)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := g.of(f.Type)
		if doc := g.doc(t, f.Name); doc != "" {
			// A $ref with siblings is allowed in 2020-12; keep the
			// reference's own schema shared.
			c := make(map[string]any, len(s)+1)
			for k, v := range s {
				c[k] = v
			}
			c["description"] = doc
			s = c
		}
		props[name] = s
	}
}

// doc returns the doc comment of type t (field "") or of its field.
func (g *schemaGen) doc(t reflect.Type, field string) string {
	pkg := t.PkgPath()
	if !strings.HasPrefix(pkg, modulePath) {
		return ""
	}
	if !g.parsed[pkg] {
		g.parsed[pkg] = true
		g.parse(pkg)
	}
	key := pkg + "." + t.Name()
	if field != "" {
		key += "." + field
	}
	return g.docs[key]
}

// parse reads the doc comments of a package of this module from its
// sources under g.src; without sources the schema has no descriptions.
func (g *schemaGen) parse(pkg string) {
	dir := filepath.Join(g.src, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(pkg, modulePath), "/")))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, sp := range gd.Specs {
				ts := sp.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				key := pkg + "." + ts.Name.Name
				g.docs[key] = clean(doc.Text())
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, fl := range st.Fields.List {
					text := fl.Doc.Text()
					if text == "" {
						text = fl.Comment.Text()
					}
					for _, n := range fl.Names {
						g.docs[key+"."+n.Name] = clean(text)
					}
				}
			}
		}
	}
}

// clean joins a comment's lines into paragraphs, keeping list items
// ("- ", "1. ") on lines of their own.
func clean(s string) string {
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			l = strings.Join(strings.Fields(l), " ")
			if len(lines) == 0 || listItem.MatchString(l) {
				lines = append(lines, l)
			} else if l != "" {
				lines[len(lines)-1] += " " + l
			}
		}
		paras = append(paras, strings.Join(lines, "\n"))
	}
	return strings.TrimSpace(strings.Join(paras, "\n\n"))
}

var listItem = regexp.MustCompile(`^([-*] |[0-9]+\. )`)
