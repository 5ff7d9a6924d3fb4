package domain

import (
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// MinBcryptCost is the lowest cost accepted for stored passwords.
const MinBcryptCost = 12

// PasswordHasher hashes and checks passwords. Compare returns a non-nil
// error for a wrong password.
type PasswordHasher interface {
	Hash(password string) (string, error)
	Compare(hash, password string) error
}

// Bcrypt hashes with bcrypt at Cost (MinBcryptCost when lower).
type Bcrypt struct{ Cost int }

func (b Bcrypt) Hash(password string) (string, error) {
	cost := max(b.Cost, MinBcryptCost)
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

func (Bcrypt) Compare(hash, password string) error {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// checkPassword validates a new password without ever echoing it.
func checkPassword(pw string) error {
	switch {
	case len(pw) < MinPasswordLength:
		return Invalid("password", fmt.Sprintf("must be at least %d characters long", MinPasswordLength))
	case len(pw) > 72:
		// bcrypt ignores what follows byte 72; refuse rather than surprise.
		return Invalid("password", "must be at most 72 bytes long")
	}
	return nil
}
