package stream

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

// EmbeddedPartitions is the partition count of the embedded topics.
const EmbeddedPartitions = 4

// Embedded is an in-process Kafka broker (kfake) keeping its log under a
// directory, for the analytics demo with no cluster anywhere. One process
// at a time may run it on a directory (an exclusive lock guards it).
type Embedded struct {
	cluster *kfake.Cluster
	lock    *os.File
}

// StartEmbedded starts the broker with its log in dir, listening on
// 127.0.0.1, with topic and its dead-letter topic created.
func StartEmbedded(dir, topic string) (*Embedded, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded kafka: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embedded kafka: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("embedded kafka: %s is in use by another scolarite command; wait for it to finish", dir)
		}
		return nil, fmt.Errorf("embedded kafka: lock %s: %w", dir, err)
	}
	if topic == "" {
		topic = DefaultTopic
	}
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.DataDir(filepath.Join(dir, "log")),
		kfake.SeedTopics(EmbeddedPartitions, topic, Config{Topic: topic}.DLQTopic()),
		kfake.ClusterID("scolarite-embedded"),
	)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("embedded kafka: start: %w", err)
	}
	return &Embedded{cluster: c, lock: lock}, nil
}

// Brokers are the addresses to connect to.
func (e *Embedded) Brokers() []string { return e.cluster.ListenAddrs() }

// Close stops the broker (its log stays on disk) and releases the lock.
func (e *Embedded) Close() error {
	e.cluster.Close()
	return e.lock.Close()
}
