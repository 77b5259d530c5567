package riverhost

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/parcours-dev/parcours"
)

// IncomingEvent is an event as the HTTP endpoint takes it: the customer
// beside the event's own fields.
type IncomingEvent struct {
	Customer string `json:"customer"`
	parcours.Event
}

// maxBody bounds a request body: 8 MiB of events.
const maxBody = 8 << 20

// Handler serves the host's HTTP API:
//
//	POST /events          a JSON array of events, each with "customer",
//	                      "id", "type", "time" (RFC 3339), optional
//	                      "channel" and "props"; answers {"added": n}
//	PUT  /customers/{id}  a profile as JSON
//
// Unknown fields are errors (400), so a typo is not silently dropped.
// Events already stored (same customer and ID) are not added again.
func (h *Host) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /events", h.postEvents)
	mux.HandleFunc("PUT /customers/{id}", h.putCustomer)
	return mux
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
		return false
	}
	if dec.More() {
		http.Error(w, "bad JSON: trailing data", http.StatusBadRequest)
		return false
	}
	return true
}

func (h *Host) postEvents(w http.ResponseWriter, r *http.Request) {
	var in []IncomingEvent
	if !decode(w, r, &in) {
		return
	}
	byCustomer := map[string][]parcours.Event{}
	var order []string
	for i, e := range in {
		if e.Customer == "" || e.ID == "" || e.Type == "" || e.Time.IsZero() {
			http.Error(w, fmt.Sprintf("event %d: customer, id, type and time are required", i), http.StatusBadRequest)
			return
		}
		if _, ok := byCustomer[e.Customer]; !ok {
			order = append(order, e.Customer)
		}
		byCustomer[e.Customer] = append(byCustomer[e.Customer], e.Event)
	}
	added := 0
	for _, c := range order {
		n, err := h.Ingest(r.Context(), c, byCustomer[c]...)
		added += n
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"added": added})
}

func (h *Host) putCustomer(w http.ResponseWriter, r *http.Request) {
	var p parcours.Profile
	if !decode(w, r, &p) {
		return
	}
	id := r.PathValue("id")
	if p.ID != "" && p.ID != id {
		http.Error(w, "profile id differs from the URL", http.StatusBadRequest)
		return
	}
	p.ID = id
	if err := h.PutProfile(r.Context(), p); err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, errNoCustomer) {
			code = http.StatusNotFound
		}
		http.Error(w, err.Error(), code)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
