package domain_test

import (
	"testing"

	"scolarite/domain"
)

// TestLifecycleWhoMayDoWhat walks every kind of user × every operation on
// a class's semester × every status it can be in, through the services:
// who may add an evaluation, mark it, publish it, close, reopen and
// publish the semester, or change its curriculum (testCurriculum: Maths
// is taught by prof.diop, Physique by nobody named).
func TestLifecycleWhoMayDoWhat(t *testing.T) {
	const (
		ok        = domain.Code("")
		forbidden = domain.EFORBIDDEN
		conflict  = domain.ECONFLICT
		invalid   = domain.EINVALID
	)
	actors := []struct {
		name  string
		actor func(student string) domain.Actor
	}{
		{"admin", func(string) domain.Actor { return admin }},
		// named on Maths in the curriculum: the class is in their scope
		// (Taught), Maths only is theirs to mark
		{"subject teacher", func(string) domain.Actor {
			return domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher, Taught: []string{"L1-INFO"}}
		}},
		// the scope of accounts made before curricula: every subject
		{"class teacher", func(string) domain.Actor {
			return domain.Actor{Name: "prof.fall", Role: domain.RoleTeacher, Classes: []string{"L1-INFO"}}
		}},
		{"other class's teacher", func(string) domain.Actor {
			return domain.Actor{Name: "prof.sy", Role: domain.RoleTeacher, Classes: []string{"L2-INFO"}}
		}},
		{"student of the class", studentActor},
	}
	type op struct {
		name string
		do   func(s *school, a domain.Actor, st *domain.Student, maths, physics *domain.Evaluation) error
	}
	addEval := func(subject string) func(*school, domain.Actor, *domain.Student, *domain.Evaluation, *domain.Evaluation) error {
		return func(s *school, a domain.Actor, _ *domain.Student, _, _ *domain.Evaluation) error {
			_, err := s.curricula.AddEvaluation(ctx, a, domain.EvaluationInput{Class: "L1-INFO", Semester: "S1", Subject: subject, Kind: "tp", Weight: "20"})
			return err
		}
	}
	status := func(act domain.SemesterAction) func(*school, domain.Actor, *domain.Student, *domain.Evaluation, *domain.Evaluation) error {
		return func(s *school, a domain.Actor, _ *domain.Student, _, _ *domain.Evaluation) error {
			_, err := s.curricula.ChangeStatus(ctx, a, "L1-INFO", "S1", "", act, "erreur de saisie")
			return err
		}
	}
	ops := []op{
		{"add an evaluation of Maths", addEval("Maths")},
		{"add an evaluation of Physique", addEval("Physique")},
		{"mark Maths", func(s *school, a domain.Actor, st *domain.Student, maths, _ *domain.Evaluation) error {
			_, _, err := s.svc.Mark(ctx, a, st.Number, 0, maths.ID, domain.MarkInput{Value: "12"})
			return err
		}},
		{"mark Physique", func(s *school, a domain.Actor, st *domain.Student, _, physics *domain.Evaluation) error {
			_, _, err := s.svc.Mark(ctx, a, st.Number, 0, physics.ID, domain.MarkInput{Absent: "ABJ"})
			return err
		}},
		{"publish the Maths exam", func(s *school, a domain.Actor, _ *domain.Student, maths, _ *domain.Evaluation) error {
			_, err := s.curricula.PublishEvaluation(ctx, a, maths.ID)
			return err
		}},
		{"publish the Physique exam", func(s *school, a domain.Actor, _ *domain.Student, _, physics *domain.Evaluation) error {
			_, err := s.curricula.PublishEvaluation(ctx, a, physics.ID)
			return err
		}},
		{"close the semester", status(domain.ActionClose)},
		{"reopen the semester", status(domain.ActionReopen)},
		{"publish the semester", status(domain.ActionPublish)},
		{"change the curriculum", func(s *school, a domain.Actor, _ *domain.Student, _, _ *domain.Evaluation) error {
			c := testCurriculum()
			c.UEs[1].Credits = 5
			_, _, err := s.curricula.Import(ctx, a, []*domain.Curriculum{c})
			return err
		}},
	}
	states := []domain.SemesterStatus{domain.SemesterOpen, domain.SemesterClosed, domain.SemesterPublished}

	// want[actor][op] is the outcome in an open, a closed and a published
	// semester.
	type outcomes [3]domain.Code
	grade, never := outcomes{ok, conflict, conflict}, outcomes{forbidden, forbidden, forbidden}
	always := outcomes{ok, ok, ok} // publishing an evaluation changes no mark
	want := map[string]map[string]outcomes{
		"admin": {
			"add an evaluation of Maths": grade, "add an evaluation of Physique": grade,
			"mark Maths": grade, "mark Physique": grade,
			"publish the Maths exam": always, "publish the Physique exam": always,
			"close the semester":    {ok, conflict, conflict},
			"reopen the semester":   {conflict, ok, ok},
			"publish the semester":  {conflict, ok, conflict},
			"change the curriculum": {ok, invalid, invalid},
		},
		"subject teacher": {
			"add an evaluation of Maths": grade, "add an evaluation of Physique": never,
			"mark Maths": grade, "mark Physique": never,
			"publish the Maths exam": always, "publish the Physique exam": never,
			"close the semester": never, "reopen the semester": never, "publish the semester": never,
			"change the curriculum": never,
		},
		"class teacher": {
			"add an evaluation of Maths": grade, "add an evaluation of Physique": grade,
			"mark Maths": grade, "mark Physique": grade,
			"publish the Maths exam": always, "publish the Physique exam": always,
			"close the semester": never, "reopen the semester": never, "publish the semester": never,
			"change the curriculum": never,
		},
		"other class's teacher": {
			"add an evaluation of Maths": never, "add an evaluation of Physique": never,
			"mark Maths": never, "mark Physique": never,
			"publish the Maths exam": never, "publish the Physique exam": never,
			"close the semester": never, "reopen the semester": never, "publish the semester": never,
			"change the curriculum": never,
		},
		"student of the class": {
			"add an evaluation of Maths": never, "add an evaluation of Physique": never,
			"mark Maths": never, "mark Physique": never,
			"publish the Maths exam": never, "publish the Physique exam": never,
			"close the semester": never, "reopen the semester": never, "publish the semester": never,
			"change the curriculum": never,
		},
	}
	checked := 0
	for _, who := range actors {
		for _, o := range ops {
			outs, listed := want[who.name][o.name]
			if !listed {
				t.Errorf("the expected table has no row for %s × %s: add it", who.name, o.name)
				continue
			}
			for i, state := range states {
				s := newSchool(t)
				st := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
				maths, physics := s.eval(t, "Maths", "exam", "60"), s.eval(t, "Physique", "exam", "100")
				for _, act := range map[domain.SemesterStatus][]domain.SemesterAction{
					domain.SemesterClosed: {domain.ActionClose}, domain.SemesterPublished: {domain.ActionClose, domain.ActionPublish},
				}[state] {
					if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", act, ""); err != nil {
						t.Fatal(err)
					}
				}
				audits, events := s.audit.Len(), s.events.Len()
				err := o.do(s, who.actor(st.ID), st, maths, physics)
				checked++
				if got := domain.ErrorCode(err); got != outs[i] && !(outs[i] == ok && err == nil) {
					t.Errorf("%s may %s in a %s semester: got %v, want code %q", who.name, o.name, state, err, outs[i])
				}
				if err != nil && (s.audit.Len() != audits || s.events.Len() != events) {
					t.Errorf("%s: %s in a %s semester was refused but wrote its trail", who.name, o.name, state)
				}
			}
		}
	}
	if want := len(actors) * len(ops) * len(states); checked != want {
		t.Errorf("checked %d cases, want %d", checked, want)
	}
}
