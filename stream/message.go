package stream

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/domain"
)

// Message is the value of every event on the topic (the key is the
// student's matricule, so one student's events stay in order on one
// partition). It is what other programs read: keep it stable.
type Message struct {
	Type      string       `json:"type"`
	Time      time.Time    `json:"time"`
	FirstName string       `json:"first_name"`
	LastName  string       `json:"last_name"`
	Age       int          `json:"age"` // whole years on the day of the event
	Major     string       `json:"major"`
	Class     string       `json:"class"`
	Grade     *GradeRecord `json:"grade,omitempty"` // grade.* events only
}

// GradeRecord is the grade a grade event is about.
type GradeRecord struct {
	Subject     string  `json:"subject"`
	Value       float64 `json:"value"`
	Coefficient float64 `json:"coefficient"`
}

// FromEvent is the message of an outbox event. The age is taken on the
// day of the event, so publishing an event twice gives the same message.
func FromEvent(e *domain.Event) Message {
	m := Message{
		Type: e.Type, Time: e.At.UTC(), FirstName: e.Student.FirstName, LastName: e.Student.LastName,
		Major: e.Student.Major, Class: e.Student.Class,
	}
	if !e.Student.BirthDate.IsZero() {
		m.Age = e.Student.BirthDate.AgeOn(domain.DateOf(e.At.UTC()))
	}
	if e.Grade != nil {
		m.Grade = &GradeRecord{Subject: e.Grade.Subject, Value: e.Grade.Value, Coefficient: e.Grade.Coefficient}
	}
	return m
}

// Record encodes m for topic under key (no key: the partitioner spreads
// keyless records).
func (m Message) Record(topic, key string) (*kgo.Record, error) {
	v, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode %s event: %w", m.Type, err)
	}
	// No Timestamp: franz-go measures the delivery timeout from it, so an
	// old event would time out at once. The event's time is in the value.
	r := &kgo.Record{Topic: topic, Value: v}
	if key != "" {
		r.Key = []byte(key)
	}
	return r, nil
}

// EventRecord is the record of an outbox event, keyed by matricule.
func EventRecord(topic string, e *domain.Event) (*kgo.Record, error) {
	return FromEvent(e).Record(topic, e.Student.Number)
}

// StudentMessage is a student as a student.created message at time now
// (the embedded demo publishes the store's students so).
func StudentMessage(s *domain.Student, now time.Time) Message {
	return Message{Type: domain.EventStudentCreated, Time: now.UTC(), FirstName: s.FirstName, LastName: s.LastName,
		Age: s.Age(domain.DateOf(now.UTC())), Major: s.Major, Class: s.Class}
}
