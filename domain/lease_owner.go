package domain

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
)

// NewLeaseOwner names this process in a lease (see Leases): host:pid and
// a random part, so two processes never take one another for the holder,
// even across a restart that reuses a pid.
func NewLeaseOwner() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}
