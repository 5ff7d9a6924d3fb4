package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

// UserRepo implements domain.UserRepo on the `users` collection.
type UserRepo struct {
	coll *mongo.Collection
}

var _ domain.UserRepo = (*UserRepo)(nil)

// userDoc is an account as stored. The password hash is stored (it is what
// log-in checks) but never leaves the store and the domain.
type userDoc struct {
	ID           bson.ObjectID `bson:"_id"`
	Username     string        `bson:"username"`
	PasswordHash string        `bson:"password_hash"`
	Role         string        `bson:"role"`
	// StudentID references students._id, so it is an ObjectID like the
	// key it points at; absent for staff.
	StudentID *bson.ObjectID `bson:"student_id,omitempty"`
	// Classes is always an array (empty for non-teachers) so that a query
	// on it never has to tell null from missing.
	Classes  []string `bson:"classes"`
	Disabled bool     `bson:"disabled"`
	// SSHKeys is absent, not empty, for an account without keys: the
	// sparse unique index on ssh_keys.fingerprint then leaves it out
	// (MongoDB would index a missing value as null, and refuse a second
	// account without keys).
	SSHKeys   []sshKeyDoc `bson:"ssh_keys,omitempty"`
	Lang      string      `bson:"lang,omitempty"`
	CreatedAt time.Time   `bson:"created_at"`
	UpdatedAt time.Time   `bson:"updated_at"`
}

// sshKeyDoc is one registered public key, a subdocument of the user.
type sshKeyDoc struct {
	Fingerprint string    `bson:"fingerprint"`
	Type        string    `bson:"type"`
	Key         string    `bson:"key"`
	Comment     string    `bson:"comment,omitempty"`
	AddedAt     time.Time `bson:"added_at"`
}

func toUserDoc(u *domain.User, id bson.ObjectID) (userDoc, error) {
	d := userDoc{
		ID: id, Username: u.Username, PasswordHash: u.PasswordHash, Role: string(u.Role),
		Classes: append(make([]string, 0, len(u.Classes)), u.Classes...), Disabled: u.Disabled,
		Lang: u.Lang, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
	for _, k := range u.SSHKeys {
		d.SSHKeys = append(d.SSHKeys, sshKeyDoc(k))
	}
	if u.StudentID != "" {
		sid, ok := parseID(u.StudentID)
		if !ok {
			return userDoc{}, domain.Invalid("student_id", "is not a valid student identifier ("+u.StudentID+")")
		}
		d.StudentID = &sid
	}
	return d, nil
}

func (d *userDoc) user() *domain.User {
	u := &domain.User{
		ID: d.ID.Hex(), Username: d.Username, PasswordHash: d.PasswordHash, Role: domain.Role(d.Role),
		Disabled: d.Disabled, Lang: d.Lang, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}
	for _, k := range d.SSHKeys {
		u.SSHKeys = append(u.SSHKeys, domain.SSHKey(k))
	}
	if d.StudentID != nil {
		u.StudentID = d.StudentID.Hex()
	}
	if len(d.Classes) > 0 {
		u.Classes = d.Classes
	}
	return u
}

// Insert stores u, assigning u.ID when it is empty.
func (r *UserRepo) Insert(ctx context.Context, u *domain.User) error {
	oid, err := newOrParseID("id", u.ID)
	if err != nil {
		return err
	}
	d, err := toUserDoc(u, oid)
	if err != nil {
		return err
	}
	if _, err := r.coll.InsertOne(ctx, d); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return r.duplicate(ctx, u, oid, err)
		}
		return fmt.Errorf("insert user %s: %w", u.Username, err)
	}
	u.ID = oid.Hex()
	return nil
}

// ByUsername returns the account with that username.
func (r *UserRepo) ByUsername(ctx context.Context, username string) (*domain.User, error) {
	return r.findOne(ctx, bson.D{{Key: "username", Value: username}}, username)
}

// ByID returns the account with that ID.
func (r *UserRepo) ByID(ctx context.Context, id string) (*domain.User, error) {
	oid, ok := parseID(id)
	if !ok {
		return nil, notFound("user", id)
	}
	return r.findOne(ctx, bson.D{{Key: "_id", Value: oid}}, id)
}

// ByKeyFingerprint returns the account holding the SSH key with that
// fingerprint. Where the unique index is not enforced (FerretDB 1.24 keeps
// it but checks nothing on a path into an array), two accounts may hold
// one key after two concurrent additions: that is ECONFLICT, so that a log-in
// never picks one of them at random.
func (r *UserRepo) ByKeyFingerprint(ctx context.Context, fingerprint string) (*domain.User, error) {
	cur, err := r.coll.Find(ctx, bson.D{{Key: "ssh_keys.fingerprint", Value: fingerprint}}, options.Find().SetLimit(2))
	if err != nil {
		return nil, fmt.Errorf("find user by SSH key %s: %w", fingerprint, err)
	}
	defer cur.Close(ctx)
	var docs []userDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("find user by SSH key %s: %w", fingerprint, err)
	}
	switch len(docs) {
	case 0:
		return nil, notFound("SSH key", fingerprint)
	case 1:
		return docs[0].user(), nil
	}
	return nil, domain.Errorf(domain.ECONFLICT, "the SSH key %s is registered to both %s and %s", fingerprint, docs[0].Username, docs[1].Username)
}

func (r *UserRepo) findOne(ctx context.Context, filter bson.D, key string) (*domain.User, error) {
	var d userDoc
	if err := r.coll.FindOne(ctx, filter).Decode(&d); err != nil {
		if isNoDocuments(err) {
			return nil, notFound("user", key)
		}
		return nil, fmt.Errorf("find user %s: %w", key, err)
	}
	return d.user(), nil
}

// Update writes u over the stored account with the same ID. Accounts carry
// no version: only admins edit them, and the last edit wins.
func (r *UserRepo) Update(ctx context.Context, u *domain.User) error {
	oid, ok := parseID(u.ID)
	if !ok {
		return notFound("user", u.Username)
	}
	d, err := toUserDoc(u, oid)
	if err != nil {
		return err
	}
	res, err := r.coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: oid}}, d)
	if err != nil {
		// FerretDB reports a unique violation on update as a generic
		// server error; see isServerError.
		if mongo.IsDuplicateKeyError(err) || isServerError(err) {
			return r.duplicate(ctx, u, oid, err)
		}
		return fmt.Errorf("update user %s: %w", u.Username, err)
	}
	if res.MatchedCount == 0 {
		return notFound("user", u.Username)
	}
	return nil
}

// duplicate turns a failed write into ECONFLICT on "username" or "key"
// when another account holds the username or one of the SSH keys (the
// unique fields besides _id).
func (r *UserRepo) duplicate(ctx context.Context, u *domain.User, oid bson.ObjectID, cause error) error {
	for _, k := range u.SSHKeys {
		holder, err := r.ByKeyFingerprint(ctx, k.Fingerprint)
		if err == nil && holder.ID != oid.Hex() {
			return taken("key", "is already registered to the account "+holder.Username+" ("+k.Fingerprint+")", holder.Username)
		}
	}
	var h struct {
		ID bson.ObjectID `bson:"_id"`
	}
	err := r.coll.FindOne(ctx,
		bson.D{{Key: "username", Value: u.Username}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: oid}}}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&h)
	switch {
	case err == nil:
		return taken("username", "is already taken ("+u.Username+")", u.Username)
	case !isNoDocuments(err):
		return fmt.Errorf("write user %s: %w (and looking for the holder of its username: %w)", u.Username, cause, err)
	case mongo.IsDuplicateKeyError(cause):
		return duplicateFallback("user", u.Username, cause)
	}
	return fmt.Errorf("write user %s: %w", u.Username, cause)
}

// List returns every account by username.
func (r *UserRepo) List(ctx context.Context) ([]*domain.User, error) {
	cur, err := r.coll.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "username", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer cur.Close(ctx)
	var out []*domain.User
	for cur.Next(ctx) {
		var d userDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("list users: decode: %w", err)
		}
		out = append(out, d.user())
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// Count returns the number of accounts.
func (r *UserRepo) Count(ctx context.Context) (int64, error) {
	n, err := r.coll.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
