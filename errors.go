package parcours

import "errors"

// ErrInvalid is wrapped by every error parcours returns for input it
// cannot use: an event property that breaks the rules ([PropError]).
// Test for it with errors.Is; get the details with errors.As.
var ErrInvalid = errors.New("parcours: invalid input")
