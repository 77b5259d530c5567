package scenario

import (
	"log/slog"
)

// Results and actions log well with log/slog: Result, Action, Skipped and
// Deferred implement slog.LogValuer, so
//
//	slog.Info("evaluated", "result", res)
//	slog.Info("sending", "action", a)
//
// write a group of what identifies them and why, the same way under every
// handler. Action.Vars are left out: they are the message's
// personalisation and may hold personal data; log them on purpose if
// needed.

// LogValue is the action as a group: customer, scenario, version, run,
// step, kind (for a do step), channel, template, key, due_at, and variant,
// priority and transactional when set.
func (a Action) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 14)
	attrs = append(attrs,
		slog.String("customer", a.CustomerID),
		slog.String("scenario", a.Scenario),
		slog.Int("version", a.Version),
		slog.String("run", a.Run),
		slog.String("step", a.Step))
	if a.Kind != "" {
		attrs = append(attrs, slog.String("kind", a.Kind))
	}
	if a.Channel != "" {
		attrs = append(attrs, slog.String("channel", a.Channel))
	}
	if a.Template != "" {
		attrs = append(attrs, slog.String("template", a.Template))
	}
	attrs = append(attrs, slog.String("key", a.Key), slog.Time("due_at", a.DueAt))
	if a.Variant != "" {
		attrs = append(attrs, slog.String("variant", a.Variant))
	}
	if a.Priority != 0 {
		attrs = append(attrs, slog.Int("priority", a.Priority))
	}
	if a.Transactional {
		attrs = append(attrs, slog.Bool("transactional", true))
	}
	return slog.GroupValue(attrs...)
}

// LogValue is the skip as a group: code, detail and the action.
func (s Skipped) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("code", string(s.Code)),
		slog.String("detail", s.Detail),
		slog.Any("action", s.Action))
}

// LogValue is the deferral as a group: code, until, detail and the
// action.
func (d Deferred) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("code", string(d.Code)),
		slog.Time("until", d.Until),
		slog.String("detail", d.Detail),
		slog.Any("action", d.Action))
}

// LogValue is the result as a summary group: how many actions are due,
// deferred and skipped, the errors' texts, and next when something is
// pending. Log the actions themselves one by one.
func (r Result) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.Int("due", len(r.Due)),
		slog.Int("deferred", len(r.Deferred)),
		slog.Int("skipped", len(r.Skipped)),
	}
	if len(r.Errors) > 0 {
		texts := make([]string, len(r.Errors))
		for i, err := range r.Errors {
			texts[i] = err.Error()
		}
		attrs = append(attrs, slog.Any("errors", texts))
	}
	if !r.Next.IsZero() {
		attrs = append(attrs, slog.Time("next", r.Next))
	}
	return slog.GroupValue(attrs...)
}
