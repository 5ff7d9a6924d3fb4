package domaintest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"scolarite/domain"
)

// CurriculumRepo is a map-backed domain.CurriculumRepo with
// version-checked writes; Audit and Events, when set, receive the
// trails.
type CurriculumRepo struct {
	mu        sync.Mutex
	curricula map[string]*domain.Curriculum // by Key
	evals     []*domain.Evaluation
	Audit     domain.AuditLog
	Events    domain.EventLog
}

// NewCurriculumRepo is an empty repository.
func NewCurriculumRepo() *CurriculumRepo {
	return &CurriculumRepo{curricula: map[string]*domain.Curriculum{}}
}

func cloneCurriculum(c *domain.Curriculum) *domain.Curriculum {
	out := *c
	out.UEs = slices.Clone(c.UEs)
	for i := range out.UEs {
		out.UEs[i].Subjects = slices.Clone(c.UEs[i].Subjects)
	}
	return &out
}

func (r *CurriculumRepo) record(ctx context.Context, t domain.Trail) error {
	for _, e := range t.Audit {
		if r.Audit != nil {
			if err := r.Audit.Record(ctx, e); err != nil {
				return err
			}
		}
	}
	for _, e := range t.Events {
		if r.Events != nil {
			if err := r.Events.Append(ctx, e); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *CurriculumRepo) Curriculum(_ context.Context, class, semester, year string) (*domain.Curriculum, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.curricula[class+" "+semester+" "+year]
	if !ok {
		return nil, notFound("no curriculum for %s %s %s", class, semester, year)
	}
	return cloneCurriculum(c), nil
}

func (r *CurriculumRepo) Curricula(_ context.Context, year, class string) ([]*domain.Curriculum, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*domain.Curriculum
	for _, c := range r.curricula {
		if c.Year == year && (class == "" || c.Class == class) {
			out = append(out, cloneCurriculum(c))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Class+out[i].Semester < out[j].Class+out[j].Semester })
	return out, nil
}

func (r *CurriculumRepo) SaveCurriculum(ctx context.Context, c *domain.Curriculum, prev int64, t domain.Trail) error {
	r.mu.Lock()
	cur, ok := r.curricula[c.Key()]
	switch {
	case ok && cur.Version != prev, !ok && prev != 0:
		r.mu.Unlock()
		return domain.Errorf(domain.ECONFLICT, "curriculum %s changed meanwhile", c.Key())
	}
	if c.ID == "" {
		c.ID = strings.ReplaceAll(c.Key(), " ", "/")
	}
	r.curricula[c.Key()] = cloneCurriculum(c)
	r.mu.Unlock()
	return r.record(ctx, t)
}

func (r *CurriculumRepo) Evaluations(_ context.Context, class, semester, year string) ([]domain.Evaluation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []domain.Evaluation
	for _, e := range r.evals {
		if e.Class == class && e.Semester == semester && e.Year == year {
			out = append(out, *e)
		}
	}
	return out, nil
}

func (r *CurriculumRepo) Evaluation(_ context.Context, id string) (*domain.Evaluation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.evals {
		if e.ID == id {
			c := *e
			return &c, nil
		}
	}
	return nil, notFound("evaluation %s not found", id)
}

func (r *CurriculumRepo) SaveEvaluation(ctx context.Context, e *domain.Evaluation, prev int64, t domain.Trail) error {
	r.mu.Lock()
	if e.ID == "" {
		e.ID = fmt.Sprintf("%024x", len(r.evals)+1)
		c := *e
		r.evals = append(r.evals, &c)
	} else {
		i := slices.IndexFunc(r.evals, func(x *domain.Evaluation) bool { return x.ID == e.ID })
		if i < 0 || r.evals[i].Version != prev {
			r.mu.Unlock()
			return domain.Errorf(domain.ECONFLICT, "evaluation %s changed meanwhile", e.ID)
		}
		c := *e
		r.evals[i] = &c
	}
	r.mu.Unlock()
	return r.record(ctx, t)
}

// InsertEvaluations inserts new evaluations, all or none.
func (r *CurriculumRepo) InsertEvaluations(ctx context.Context, es []*domain.Evaluation, trails []domain.Trail) error {
	r.mu.Lock()
	for _, e := range es {
		if e.ID != "" {
			r.mu.Unlock()
			return domain.Errorf(domain.EINTERNAL, "evaluation %s is not new", e.ID)
		}
	}
	for _, e := range es {
		e.ID = fmt.Sprintf("%024x", len(r.evals)+1)
		c := *e
		r.evals = append(r.evals, &c)
	}
	r.mu.Unlock()
	for _, t := range trails {
		if err := r.record(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

var _ domain.CurriculumRepo = (*CurriculumRepo)(nil)
