package store

import (
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/domain"
)

// This file is the only place where driver errors become domain errors.
// Everything the domain can act on (missing record, taken phone or
// username, stale version) gets a code; any other driver error is wrapped
// with context and stays uncoded, so domain.ErrorCode reports EINTERNAL and
// the details reach the log rather than the screen.

// notFound is the ENOTFOUND error for an entity looked up by key.
func notFound(entity, key string) error {
	return domain.Errorf(domain.ENOTFOUND, "%s %s not found", entity, key)
}

// stale is the ECONFLICT error of an optimistic-concurrency miss: someone
// else wrote the record since the caller read it.
func stale(entity, key string) error {
	return domain.Errorf(domain.ECONFLICT, "%s %s was changed by someone else; reload and try again", entity, key)
}

// taken is the ECONFLICT error of a unique value already held by another
// record. existing names that record (a matricule for students) so the UI
// can offer to open it.
func taken(field, reason, existing string) *domain.Error {
	return &domain.Error{
		Code:     domain.ECONFLICT,
		Problems: []domain.Problem{{Field: field, Reason: reason}},
		Existing: existing,
	}
}

// duplicateFallback is returned when the server reported a duplicate key
// but no other record holds the value any more (it was deleted in the
// meantime, or the duplicate was on _id). It keeps the driver error in the
// chain for the log while the domain error decides the code and the words.
func duplicateFallback(entity, key string, cause error) error {
	return fmt.Errorf("%w: %w", domain.Errorf(domain.ECONFLICT, "%s %s duplicates an existing record; reload and try again", entity, key), cause)
}

// isNoDocuments reports whether a FindOne (or FindOneAndX) matched nothing.
func isNoDocuments(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }

// isServerError reports whether err came from the server (as opposed to the
// network or the context). FerretDB 1.24 reports a unique-index violation
// on update as a generic server error rather than E11000, so write paths
// that may break a unique index look for the holder on any server error.
// outOfSpace turns a write refused for want of disk space into the
// domain's "unavailable" with a sentence that says so, whether it comes
// from FerretDB's SQLite or from MongoDB (OutOfDiskSpace, 14031); any
// other error is returned as it is. Reads go on meanwhile, and writes work
// again once space is freed: nothing half-done is left, because every
// collection exists before the first write (ensureCollections).
func outOfSpace(err error) error {
	if err == nil {
		return nil
	}
	var se mongo.ServerError
	full := errors.As(err, &se) && se.HasErrorCode(14031)
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"database or disk is full", "sqlite_full", "no space left on device", "disk i/o error"} {
		full = full || strings.Contains(msg, s)
	}
	if !full {
		return err
	}
	return &domain.Error{Code: domain.EUNAVAILABLE, Err: err,
		Message: "the disk of the database server is full: nothing was written; free some space there and try again"}
}

// isNamespaceExists is the "collection already exists" of a create that
// raced another process's.
func isNamespaceExists(err error) bool {
	var se mongo.ServerError
	return errors.As(err, &se) && se.HasErrorCode(48)
}

func isServerError(err error) bool {
	var se mongo.ServerError
	return errors.As(err, &se)
}

// parseID turns a domain ID (hex) into an ObjectID. ok is false for an ID
// that cannot exist in the database: callers answer ENOTFOUND for lookups
// rather than leaking a parse error to people.
func parseID(id string) (oid bson.ObjectID, ok bool) {
	oid, err := bson.ObjectIDFromHex(id)
	return oid, err == nil
}

// newOrParseID returns the ObjectID for an entity about to be inserted:
// a fresh one when the domain left the ID empty, otherwise the given one,
// which must be valid hex.
func newOrParseID(field, id string) (bson.ObjectID, error) {
	if id == "" {
		return bson.NewObjectID(), nil
	}
	oid, ok := parseID(id)
	if !ok {
		return bson.ObjectID{}, domain.Invalid(field, "is not a valid identifier ("+id+")")
	}
	return oid, nil
}
