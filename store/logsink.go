package store

import (
	"context"
	"log/slog"
)

// logSink is the driver's options.LogSink on a slog.Logger. The driver's
// levels are verbosities (1 informational, 2 debugging); they become Info
// and Debug.
type logSink struct{ log *slog.Logger }

func (s logSink) Info(level int, msg string, keysAndValues ...any) {
	lvl := slog.LevelInfo
	if level > 1 {
		lvl = slog.LevelDebug
	}
	s.log.Log(context.Background(), lvl, "mongo driver: "+msg, keysAndValues...)
}

func (s logSink) Error(err error, msg string, keysAndValues ...any) {
	s.log.Error("mongo driver: "+msg, append([]any{"err", err}, keysAndValues...)...)
}
