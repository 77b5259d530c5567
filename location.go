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

// badZones remembers names the zone database does not know, so a customer
// with a mistyped zone does not cost a search of the whole database (1-2 ms)
// at every evaluation. Unlike the known zones, the names are the hosts'
// data, unbounded: only the first maxBadZones are kept.
var badZones struct {
	sync.Mutex
	errs map[string]error
}

const maxBadZones = 1024

func loadLocation(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	badZones.Lock()
	err, bad := badZones.errs[name]
	badZones.Unlock()
	if bad {
		return nil, err
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		badZones.Lock()
		if badZones.errs == nil {
			badZones.errs = make(map[string]error)
		}
		if len(badZones.errs) < maxBadZones {
			badZones.errs[name] = err
		}
		badZones.Unlock()
		return nil, err
	}
	zones.Store(name, l)
	return l, nil
}
