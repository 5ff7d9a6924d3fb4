package domaintest

import (
	"context"
	"sync"

	"scolarite/domain"
)

// TranscriptRepo is an in-memory domain.TranscriptRepo.
type TranscriptRepo struct {
	mu      sync.Mutex
	records map[string]domain.Transcript
}

func (r *TranscriptRepo) RecordTranscripts(_ context.Context, ts []*domain.Transcript) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.records == nil {
		r.records = map[string]domain.Transcript{}
	}
	for _, t := range ts {
		have, ok := r.records[t.Code]
		switch {
		case !ok:
			r.records[t.Code] = *t
		case have.Digest != t.Digest:
			return domain.Errorf(domain.EINTERNAL, "relevé code %s recorded for another content", t.Code)
		default:
			t.IssuedAt, t.IssuedBy = have.IssuedAt, have.IssuedBy
		}
	}
	return nil
}

func (r *TranscriptRepo) Transcript(_ context.Context, code string) (*domain.Transcript, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.records[code]
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "no relevé %s", code)
	}
	return &t, nil
}

// Len is how many relevés are recorded.
func (r *TranscriptRepo) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.records)
}
