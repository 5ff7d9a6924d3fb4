package domaintest

import (
	"context"
	"fmt"
	"sync"

	"scolarite/domain"
)

// ResultsRepo is an in-memory domain.ResultsRepo; Audit, when set,
// receives the trails.
type ResultsRepo struct {
	mu          sync.Mutex
	regulations []domain.Regulation
	jury        []domain.JuryEntry
	Audit       domain.AuditLog
}

func (r *ResultsRepo) record(ctx context.Context, t domain.Trail) error {
	for _, e := range t.Audit {
		if r.Audit != nil {
			if err := r.Audit.Record(ctx, e); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *ResultsRepo) Regulation(context.Context) (domain.Regulation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.regulations) == 0 {
		return domain.DefaultRegulation(), nil
	}
	return r.regulations[len(r.regulations)-1], nil
}

func (r *ResultsRepo) RegulationVersion(_ context.Context, version int) (domain.Regulation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, have := range r.regulations {
		if have.Version == version {
			return have, nil
		}
	}
	if version == 1 {
		return domain.DefaultRegulation(), nil
	}
	return domain.Regulation{}, domain.Errorf(domain.ENOTFOUND, "no regulation version %d", version)
}

func (r *ResultsRepo) SaveRegulation(ctx context.Context, reg domain.Regulation, t domain.Trail) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, have := range r.regulations {
		if have.Version == reg.Version {
			return domain.Errorf(domain.ECONFLICT, "regulation version %d exists", reg.Version)
		}
	}
	r.regulations = append(r.regulations, reg)
	return r.record(ctx, t)
}

func (r *ResultsRepo) JuryEntries(_ context.Context, class, semester, year string) ([]domain.JuryEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []domain.JuryEntry
	for _, e := range r.jury {
		if e.Class == class && e.Semester == semester && e.Year == year {
			out = append(out, e)
		}
	}
	return out, nil
}

func (r *ResultsRepo) AddJuryEntry(ctx context.Context, e *domain.JuryEntry, t domain.Trail) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.ID = fmt.Sprintf("jury-%d", len(r.jury)+1)
	r.jury = append(r.jury, *e)
	return r.record(ctx, t)
}
