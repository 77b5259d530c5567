package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/parcours-dev/parcours/internal/schemagen"
)

func runSchema(args []string, _ io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	fs.SetOutput(errw)
	src := fs.String("src", ".", "the repository's root `dir`, whose Go sources give the descriptions")
	fs.Usage = func() {
		fmt.Fprint(errw, `usage: parcours schema [-src dir] scenario|policy

Prints the JSON Schema (draft 2020-12) of scenario or policy files,
generated from the Go types by reflection, with each field's Go doc
comment as its description. The repository ships them in schema/; a test
fails when they drift from the types:
    go test ./internal/schemagen -update
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	b, err := schemagen.Generate(fs.Arg(0), *src)
	if err != nil {
		fmt.Fprintln(errw, "parcours schema:", err)
		return exitUsage
	}
	out.Write(b)
	return exitOK
}
