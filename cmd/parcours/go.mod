module github.com/parcours-dev/parcours/cmd/parcours

go 1.25

require (
	github.com/google/go-cmp v0.7.0
	github.com/parcours-dev/parcours v0.0.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.2
)

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	golang.org/x/text v0.23.0 // indirect
	golang.org/x/tools v0.30.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)

replace github.com/parcours-dev/parcours => ../..
