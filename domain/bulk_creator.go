package domain

import (
	"context"
	"fmt"
)

// BulkCreator creates students in successive batches, each with
// CreateMany's rules (everything validated first, all or none of the batch
// written, every problem reported), but reads the phones already in the
// store once for all the batches: an import of 10,000 rows in batches of
// 1,000 would otherwise read the whole roster ten times. A phone taken by
// someone else after that read is still refused by the store's unique
// index, which fails that batch and leaves it unwritten.
type BulkCreator struct {
	s       *StudentService
	a       Actor
	action  string
	holders map[string]RosterRow // phone -> its holder: the store's, then ours
}

// NewBulkCreator checks that the actor may create students and reads the
// phones in use.
func (s *StudentService) NewBulkCreator(ctx context.Context, a Actor, action string) (*BulkCreator, error) {
	if err := Authorize(a, OpCreateStudent, "", ""); err != nil {
		return nil, err
	}
	rows, _, err := s.roster(ctx)
	if err != nil {
		return nil, fmt.Errorf("load phones: %w", err)
	}
	holders := make(map[string]RosterRow, len(rows))
	for _, r := range rows {
		holders[r.Phone] = r
	}
	return &BulkCreator{s: s, a: a, action: action, holders: holders}, nil
}

// Create validates and inserts one batch, like CreateMany; item indexes in
// a BatchError are positions in this batch.
func (b *BulkCreator) Create(ctx context.Context, items []NewStudent) ([]*Student, error) {
	out, err := b.s.createMany(ctx, b.a, items, b.action, b.taken)
	for _, st := range out {
		b.holders[st.Phone] = st.Row()
	}
	return out, err
}

func (b *BulkCreator) taken(_ context.Context, phone string) error {
	if r, ok := b.holders[phone]; ok {
		return phoneTaken(r.Number, r.LastName+" "+r.FirstName)
	}
	return nil
}
