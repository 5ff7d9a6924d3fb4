package store_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

func curriculum() *domain.Curriculum {
	return &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", Status: domain.SemesterOpen, Version: 1,
		UEs: []domain.UE{{Code: "UE11", Title: "Mathématiques", Credits: 6, Subjects: []domain.CourseSubject{
			{Name: "Analyse", Coefficient: 2, Teachers: []string{"prof.diop"}}, {Name: "Algèbre", Coefficient: 1}}}}}
}

func TestCurricula(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Curricula()
	audit := domain.Trail{Audit: []domain.AuditEntry{{Action: "curriculum.create", Entity: "curriculum", EntityID: "L1-INFO S1"}}}
	c := curriculum()
	if err := repo.SaveCurriculum(ctx(t), c, 0, audit); err != nil {
		t.Fatal(err)
	}
	wantCode(t, repo.SaveCurriculum(ctx(t), curriculum(), 0, domain.Trail{}), domain.ECONFLICT)
	got, err := repo.Curriculum(ctx(t), "L1-INFO", "S1", "2026-2027")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != c.ID || len(got.UEs) != 1 || got.UEs[0].Subjects[0].Teachers[0] != "prof.diop" || got.UEs[0].Subjects[1].Name != "Algèbre" {
		t.Errorf("read back %+v", got)
	}
	got.Status, got.Version, got.Session, got.Regulations = domain.SemesterClosed, 2, 2, []int{3, 4}
	if err := repo.SaveCurriculum(ctx(t), got, 1, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	if back, err := repo.Curriculum(ctx(t), "L1-INFO", "S1", "2026-2027"); err != nil || back.Session != 2 || back.RegulationOf(1) != 3 || back.RegulationOf(2) != 4 {
		t.Errorf("the sessions read back: %+v, %v", back, err)
	}
	wantCode(t, repo.SaveCurriculum(ctx(t), got, 1, domain.Trail{}), domain.ECONFLICT)
	_, err = repo.Curriculum(ctx(t), "L1-INFO", "S2", "2026-2027")
	wantCode(t, err, domain.ENOTFOUND)
	s2 := curriculum()
	s2.Semester, s2.Class = "S10", "M2-INFO"
	s3 := curriculum()
	s3.Semester, s3.Class = "S2", "M2-INFO"
	for _, x := range []*domain.Curriculum{s2, s3} {
		if err := repo.SaveCurriculum(ctx(t), x, 0, domain.Trail{}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := repo.Curricula(ctx(t), "2026-2027", "")
	if err != nil || len(all) != 3 || all[0].Class != "L1-INFO" || all[1].Semester != "S2" || all[2].Semester != "S10" {
		t.Fatalf("Curricula = %v, %v", all, err)
	}

	e := &domain.Evaluation{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", Subject: "Analyse", Kind: domain.KindExam,
		Title: "Examen", Weight: 60, Session: 1, Version: 1}
	if e.Date, err = domain.ParseDate("2027-01-15"); err != nil {
		t.Fatal(err)
	}
	if err := repo.SaveEvaluation(ctx(t), e, 0, audit); err != nil {
		t.Fatal(err)
	}
	e.Published, e.Version = true, 2
	if err := repo.SaveEvaluation(ctx(t), e, 1, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, repo.SaveEvaluation(ctx(t), e, 1, domain.Trail{}), domain.ECONFLICT)
	evals, err := repo.Evaluations(ctx(t), "L1-INFO", "S1", "2026-2027")
	if err != nil || len(evals) != 1 || !evals[0].Published || evals[0].Date.String() != "2027-01-15" || evals[0].Weight != 60 {
		t.Fatalf("Evaluations = %+v, %v", evals, err)
	}
	if n, _ := s.Database().Collection("audit").CountDocuments(ctx(t), bson.D{}); n != 2 {
		t.Errorf("%d audit entries delivered, want 2", n)
	}
	if n, _ := s.Database().Collection("claims").CountDocuments(ctx(t), bson.D{}); n != 0 {
		t.Errorf("%d claims left", n)
	}
}

// Every version of the regulation stays readable (a closed session is
// computed under its own); version 1 is the default until one is set.
func TestRegulationVersions(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Results()
	if r, err := repo.RegulationVersion(ctx(t), 1); err != nil || r.Version != 1 || r.Barrier == nil || *r.Barrier != 8 {
		t.Fatalf("version 1 of a store that set none: %+v, %v", r, err)
	}
	r := domain.DefaultRegulation()
	r.Version, r.Barrier, r.AJACCredits = 2, nil, 40
	if err := repo.SaveRegulation(ctx(t), r, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	if got, err := repo.RegulationVersion(ctx(t), 2); err != nil || got.Barrier != nil || got.AJACCredits != 40 {
		t.Errorf("version 2: %+v, %v", got, err)
	}
	if got, err := repo.RegulationVersion(ctx(t), 1); err != nil || got.Barrier == nil || got.AJACCredits != 45 {
		t.Errorf("version 1 after 2 was set: %+v, %v", got, err)
	}
	_, err := repo.RegulationVersion(ctx(t), 3)
	wantCode(t, err, domain.ENOTFOUND)
}

// Evaluations inserted together: each stored with its ID and its own audit
// entry delivered, no claim left; one that is not new refuses the batch
// before anything is written.
func TestInsertEvaluations(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Curricula()
	if err := repo.SaveCurriculum(ctx(t), curriculum(), 0, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	var es []*domain.Evaluation
	var trails []domain.Trail
	for _, subject := range []string{"Analyse", "Algèbre"} {
		for _, kind := range []domain.EvalKind{domain.KindCC, domain.KindExam} {
			es = append(es, &domain.Evaluation{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", Subject: subject, Kind: kind,
				Title: string(kind), Weight: 50, Session: 1, Version: 1})
			trails = append(trails, domain.Trail{Audit: []domain.AuditEntry{{Action: "evaluation.add", Entity: "curriculum", EntityID: "L1-INFO S1 " + subject}}})
		}
	}
	if err := repo.InsertEvaluations(ctx(t), es, trails); err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		got, err := repo.Evaluation(ctx(t), e.ID)
		if err != nil || got.Subject != e.Subject || got.Kind != e.Kind || got.Version != 1 {
			t.Errorf("evaluation %s read back %+v, %v", e.ID, got, err)
		}
	}
	again := []*domain.Evaluation{{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", Subject: "Analyse", Kind: domain.KindTP, Weight: 10, Version: 1}, es[0]}
	if err := repo.InsertEvaluations(ctx(t), again, nil); err == nil {
		t.Error("a batch with a stored evaluation was accepted")
	}
	if evals, err := repo.Evaluations(ctx(t), "L1-INFO", "S1", "2026-2027"); err != nil || len(evals) != 4 {
		t.Errorf("%d evaluations stored, want 4 (%v)", len(evals), err)
	}
	if n, _ := s.Database().Collection("audit").CountDocuments(ctx(t), bson.D{{Key: "action", Value: "evaluation.add"}}); n != 4 {
		t.Errorf("%d audit entries delivered, want 4", n)
	}
	if n, _ := s.Database().Collection("claims").CountDocuments(ctx(t), bson.D{}); n != 0 {
		t.Errorf("%d claims left", n)
	}
}
