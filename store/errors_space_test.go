package store

import (
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/domain"
)

func TestOutOfSpace(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		full bool
	}{
		{"FerretDB's SQLite", errors.New("(InternalError) [msg_insert.go:168] database or disk is full (13)"), true},
		{"FerretDB's SQLite, I/O", fmt.Errorf("claim: %w", errors.New("disk I/O error (4874)")), true},
		{"the OS", errors.New("write /data/x: no space left on device"), true},
		{"MongoDB", mongo.CommandError{Code: 14031, Message: "OutOfDiskSpace"}, true},
		{"a duplicate", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000, Message: "E11000"}}}, false},
		{"the network", errors.New("connection refused"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := outOfSpace(tc.err)
			if full := domain.ErrorCode(got) == domain.EUNAVAILABLE; full != tc.full {
				t.Fatalf("outOfSpace(%v) = %v", tc.err, got)
			}
			var de *domain.Error
			if tc.full && (!errors.As(got, &de) || de.Err == nil) || !tc.full && got.Error() != tc.err.Error() {
				t.Fatalf("the cause is lost: %v", got)
			}
		})
	}
}
