module github.com/parcours-dev/parcours

go 1.25

require (
	github.com/expr-lang/expr v1.17.8
	github.com/google/go-cmp v0.7.0
	gonum.org/v1/gonum v0.17.0
)

require golang.org/x/tools v0.30.0 // indirect
