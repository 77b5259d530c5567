package riverhost

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenario"
)

func testMessage() Message {
	return Message{Key: "k1", Customer: "c1", At: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		Action: scenario.Action{Scenario: "cart", Run: "r1", Step: "remind", Key: "k1", Channel: parcours.Email, Template: "cart-reminder"}}
}

func TestWebhook(t *testing.T) {
	var got []Message
	var keys []string
	status := http.StatusAccepted
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m Message
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			t.Error(err)
		}
		got = append(got, m)
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		w.WriteHeader(status)
	}))
	defer srv.Close()
	s := Webhook(srv.URL, srv.Client())
	m := testMessage()
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Message{m}, got); d != "" {
		t.Errorf("received (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"k1"}, keys); d != "" {
		t.Errorf("Idempotency-Key (-want +got):\n%s", d)
	}
	status = http.StatusInternalServerError
	if err := s.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), "500") {
		t.Errorf("a 500 is an error naming it, got %v", err)
	}
}

func TestStdoutWritesAKeyOnce(t *testing.T) {
	var b bytes.Buffer
	s := Stdout(&b)
	m := testMessage()
	for range 2 {
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1:\n%s", len(lines), b.String())
	}
	var back Message
	if err := json.Unmarshal([]byte(lines[0]), &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(m, back); d != "" {
		t.Errorf("line (-want +got):\n%s", d)
	}
	_ = io.Discard
}
