package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Languages a user may choose.
var langs = []string{"fr", "en"}

// account reads the account username for a change that its owner may make
// as well as an admin. Anyone else is refused before the read, so they
// cannot learn which accounts exist.
func (s *AuthService) account(ctx context.Context, a Actor, username string) (*User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	self := a.UserID != "" && a.Name == username
	if a.Role != RoleAdmin && !self {
		return nil, Errorf(EFORBIDDEN, "a %s may only change their own account", roleName(a.Role))
	}
	u, err := s.d.Users.ByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	if a.Role != RoleAdmin && u.ID != a.UserID {
		return nil, Errorf(EFORBIDDEN, "a %s may only change their own account", roleName(a.Role))
	}
	return u, nil
}

// cloneUser copies u deeply enough that changing the copy's keys or
// classes leaves u (kept for the audit entry) as it was.
func cloneUser(u *User) *User {
	c := *u
	c.Classes = slices.Clone(u.Classes)
	c.SSHKeys = slices.Clone(u.SSHKeys)
	return &c
}

// Keys lists the SSH keys of username, oldest first (admin or self).
func (s *AuthService) Keys(ctx context.Context, a Actor, username string) ([]SSHKey, error) {
	u, err := s.account(ctx, a, username)
	if err != nil {
		return nil, err
	}
	return u.SSHKeys, nil
}

// AddKey registers a public key (an authorized_keys line) for username, so
// that a connection authenticated with it opens their session without the
// password (admin or self). Errors: EINVALID on "key" for anything but one
// acceptable public key (see ParseSSHKey) or past MaxSSHKeys; ECONFLICT on
// "key" when it is already registered, to this account or another (a key
// identifies one user; only an admin is told which). Audited.
func (s *AuthService) AddKey(ctx context.Context, a Actor, username, authorizedKey string) (*SSHKey, error) {
	key, err := ParseSSHKey(authorizedKey)
	if err != nil {
		return nil, err
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	u, err := s.account(ctx, a, username)
	if err != nil {
		return nil, err
	}
	if u.keyIndex(key.Fingerprint) >= 0 {
		return nil, keyTaken(fmt.Sprintf("is already registered to this account (%s)", key.Fingerprint), u.Username)
	}
	if len(u.SSHKeys) >= MaxSSHKeys {
		return nil, Invalid("key", fmt.Sprintf("an account has at most %d keys: remove one first", MaxSSHKeys))
	}
	holder, err := s.d.Users.ByKeyFingerprint(ctx, key.Fingerprint)
	switch ErrorCode(err) {
	case ENOTFOUND:
	case "", ECONFLICT: // ECONFLICT: several accounts have it already
		if a.Role == RoleAdmin && holder != nil {
			return nil, keyTaken(fmt.Sprintf("is already registered to the account %s (%s)", holder.Username, key.Fingerprint), holder.Username)
		}
		return nil, keyTaken(fmt.Sprintf("is already registered to another account (%s)", key.Fingerprint), "")
	default:
		return nil, fmt.Errorf("add SSH key: %w", err)
	}
	old := cloneUser(u)
	key.AddedAt = s.d.Now()
	u.SSHKeys = append(u.SSHKeys, key)
	u.UpdatedAt = key.AddedAt
	if err := s.d.Users.Update(ctx, u); err != nil {
		return nil, err
	}
	s.recordUser(ctx, a, "user.key.add", old, u)
	return &key, nil
}

// keyTaken is the ECONFLICT of a key already registered; holder (for an
// admin only) names the account that has it.
func keyTaken(reason, holder string) *Error {
	return &Error{Code: ECONFLICT, Problems: []Problem{{Field: "key", Reason: reason}}, Existing: holder}
}

// RemoveKey unregisters the key of that fingerprint (as ssh-keygen -l
// prints it, with or without "SHA256:", or the public key itself) from
// username, and ends the sessions it opened (admin or self). ENOTFOUND if
// the account has no such key. Audited.
func (s *AuthService) RemoveKey(ctx context.Context, a Actor, username, fingerprint string) error {
	fingerprint = NormaliseFingerprint(fingerprint)
	s.writes.Lock()
	defer s.writes.Unlock()
	u, err := s.account(ctx, a, username)
	if err != nil {
		return err
	}
	i := u.keyIndex(fingerprint)
	if i < 0 {
		return Errorf(ENOTFOUND, "the account %s has no SSH key %s", u.Username, fingerprint)
	}
	old := cloneUser(u)
	// A new array: the one read may be shared with whoever returned it.
	u.SSHKeys = slices.Concat(u.SSHKeys[:i], u.SSHKeys[i+1:])
	u.UpdatedAt = s.d.Now()
	if err := s.d.Users.Update(ctx, u); err != nil {
		return err
	}
	// Resume refuses these sessions anyway (their key is gone), so a
	// failure here leaves them unusable, only not yet deleted.
	if n, err := s.d.Sessions.DeleteKey(ctx, u.ID, fingerprint); err != nil {
		s.d.Log.Warn("sessions of a removed SSH key not deleted", "user", u.Username, "err", err)
	} else if n > 0 {
		s.d.Log.Info("sessions of a removed SSH key ended", "user", u.Username, "sessions", n)
	}
	s.recordUser(ctx, a, "user.key.remove", old, u)
	return nil
}

// SetLang records the language username chose, "fr" or "en" (admin or
// self; EINVALID on "lang" otherwise). Audited.
func (s *AuthService) SetLang(ctx context.Context, a Actor, username, lang string) error {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if err := CheckText("lang", lang, SingleLine); err != nil {
		return err
	}
	if !slices.Contains(langs, lang) {
		return Invalid("lang", "must be fr or en (got "+lang+")")
	}
	s.writes.Lock()
	defer s.writes.Unlock()
	u, err := s.account(ctx, a, username)
	if err != nil {
		return err
	}
	if u.Lang == lang {
		return nil
	}
	old := cloneUser(u)
	u.Lang = lang
	u.UpdatedAt = s.d.Now()
	if err := s.d.Users.Update(ctx, u); err != nil {
		return err
	}
	s.recordUser(ctx, a, "user.lang", old, u)
	return nil
}
