package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// locate returns the byte offset of the value at path in the JSON
// document data, path written as the library writes field paths:
// "steps[2].send.vars.greeting", `vars["first name"]`, "[0].trigger". When
// the path is not there in full, it returns the deepest part that is (a
// missing field is reported where its object starts); ok is false when
// not even the first step is there.
func locate(data []byte, path string) (off int64, ok bool) {
	want := splitPath(path)
	l := &locator{dec: json.NewDecoder(bytes.NewReader(data)), data: data, want: want, best: -1}
	l.value(nil)
	return l.at, l.best > 0 || (l.best == 0 && len(want) == 0)
}

type locator struct {
	dec  *json.Decoder
	data []byte
	want []string
	best int   // length of the longest prefix of want found
	at   int64 // where it starts
}

func (l *locator) value(path []string) bool {
	start := l.skip(l.dec.InputOffset())
	if len(path) > l.best && len(path) <= len(l.want) && slices.Equal(path, l.want[:len(path)]) {
		l.best, l.at = len(path), start
	} else if len(path) == 0 && l.best < 0 {
		l.best, l.at = 0, start
	}
	tok, err := l.dec.Token()
	if err != nil {
		return false
	}
	switch tok {
	case json.Delim('{'):
		for l.dec.More() {
			k, err := l.dec.Token()
			if err != nil {
				return false
			}
			key, _ := k.(string)
			if !l.value(append(path[:len(path):len(path)], key)) {
				return false
			}
		}
		_, err = l.dec.Token()
	case json.Delim('['):
		for i := 0; l.dec.More(); i++ {
			if !l.value(append(path[:len(path):len(path)], fmt.Sprintf("[%d]", i))) {
				return false
			}
		}
		_, err = l.dec.Token()
	}
	return err == nil
}

// skip moves off past white space and separators to the next token.
func (l *locator) skip(off int64) int64 {
	for off < int64(len(l.data)) {
		switch l.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// splitPath splits "a.b[2].c" into "a", "b", "[2]", "c", and `v["x y"]`
// into "v", "x y".
func splitPath(p string) []string {
	var out []string
	for p != "" {
		switch {
		case p[0] == '.':
			p = p[1:]
		case strings.HasPrefix(p, `["`):
			end := strings.Index(p[2:], `"]`)
			if end < 0 {
				return append(out, p)
			}
			s, err := strconv.Unquote(p[1 : end+3])
			if err != nil {
				s = p[2 : end+2]
			}
			out = append(out, s)
			p = p[end+4:]
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return append(out, p)
			}
			out = append(out, p[:end+1])
			p = p[end+1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			out = append(out, p[:end])
			p = p[end:]
		}
	}
	return out
}
