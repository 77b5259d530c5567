package segment

import "github.com/parcours-dev/parcours"

// Duration is parcours.Duration: "182d", "2w", "36h", "1d12h". It is named
// here so configurations read naturally; there is one duration type and
// one syntax across parcours. Calendar months are deliberately absent: a
// month has no fixed length.
type Duration = parcours.Duration
