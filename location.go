package parcours

import (
	"sync"
	"time"

	// The embedded zone database makes local-time rules work, and agree,
	// on machines without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// zones caches loaded time zones. time.LoadLocation reads the zone database
// each time; caching the immutable result is the one piece of package-level
// state parcours keeps, and it cannot change any answer.
var zones sync.Map // string -> *time.Location

func loadLocation(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, l)
	return l, nil
}
