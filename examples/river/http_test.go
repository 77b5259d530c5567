package riverhost

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parcours-dev/parcours"
)

// TestHTTPIngest: events posted are stored once, wake the customer, and
// the cart reminder goes out when due.
func TestHTTPIngest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	clock := &ManualClock{}
	clock.Set(simFrom.Add(10 * time.Hour)) // events arrive as they happen
	snk := newSink()
	h := startShop(ctx, t, Config{Sender: snk, Clock: clock})
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	do := func(method, path, body string) int {
		req, _ := http.NewRequestWithContext(ctx, method, srv.URL+path, strings.NewReader(body))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := do("PUT", "/customers/c1", `{"time_zone": "Europe/Paris", "consent": {"email": true}}`); code != http.StatusNoContent {
		t.Fatalf("PUT profile: %d", code)
	}
	cart := `[{"customer": "c1", "id": "e1", "type": "cart_abandoned", "time": "2026-03-02T10:00:00Z", "props": {"amount": 42}}]`
	for range 2 {
		if code := do("POST", "/events", cart); code != http.StatusOK {
			t.Fatalf("POST events: %d", code)
		}
	}
	if code := do("POST", "/events", `[{"customer": "c1", "id": "e2", "type": "x", "time": "2026-03-02T10:00:00Z", "typo": 1}]`); code != http.StatusBadRequest {
		t.Errorf("unknown field: got %d, want 400", code)
	}
	if code := do("POST", "/events", `[{"customer": "c1", "type": "x", "time": "2026-03-02T10:00:00Z"}]`); code != http.StatusBadRequest {
		t.Errorf("missing id: got %d, want 400", code)
	}
	clock.Set(simFrom.Add(12 * time.Hour)) // two hours after the cart
	if err := h.settle(ctx); err != nil {
		t.Fatal(err)
	}
	tl, err := h.Timeline(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range tl.Events {
		types = append(types, e.Type)
	}
	if want := []string{parcours.CartAbandoned, parcours.MessageSent}; strings.Join(types, " ") != strings.Join(want, " ") {
		t.Errorf("timeline %v, want %v", types, want)
	}
	if len(snk.keys()) != 1 {
		t.Errorf("delivered %v, want the cart reminder", snk.keys())
	}
}
