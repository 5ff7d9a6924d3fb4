package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// A relevé de notes (transcript) certifies one session of a student's
// semester: identity, every UE with its subjects' marks, the average,
// credits, decision and mention, as printed. Its verification code is a
// short hash of exactly that content, so issuing the same relevé again
// gives the same code; every relevé issued is recorded under its code
// (TranscriptRepo), and `scolarite verify CODE` reads the record back.

// TranscriptContent is what a relevé certifies, and nothing else: its
// canonical text (JSON of this struct, fields in this order) is what the
// code hashes. Averages are written as printed, 2 decimals half up with
// a dot ("" when there is none); the PDF only translates them.
type TranscriptContent struct {
	Number       string         `json:"number"`
	LastName     string         `json:"last_name"`
	FirstName    string         `json:"first_name"`
	BirthDate    Date           `json:"birth_date"`
	Class        string         `json:"class"`
	Semester     string         `json:"semester"`
	Year         string         `json:"year"`
	Session      int            `json:"session"`
	Provisional  bool           `json:"provisional"` // issued while the semester was open
	UEs          []TranscriptUE `json:"ues"`
	Average      string         `json:"average"`
	Credits      int            `json:"credits"` // earned
	TotalCredits int            `json:"total_credits"`
	Decision     Decision       `json:"decision"`
	Jury         bool           `json:"jury"` // the jury decided or gave points: "ADM (jury)"
	Mention      Mention        `json:"mention"`
}

// TranscriptUE is a UE as a relevé prints it.
type TranscriptUE struct {
	Code     string              `json:"code"`
	Title    string              `json:"title"`
	Credits  int                 `json:"credits"`
	Average  string              `json:"average"`
	Status   UEStatus            `json:"status"`
	Earned   int                 `json:"earned"`
	Subjects []TranscriptSubject `json:"subjects"`
}

// TranscriptSubject is a subject's mark /20 on a relevé (its average).
type TranscriptSubject struct {
	Name        string  `json:"name"`
	Coefficient float64 `json:"coefficient"`
	Average     string  `json:"average"`
	Resit       bool    `json:"resit"` // the resit mark counted
}

// Transcript is a relevé: its content, its code, and its record (the
// first issue's date and issuer).
type Transcript struct {
	TranscriptContent
	Code      string // e.g. 7KQ2-M9XD-4T1A
	Digest    string // hex SHA-256 of the canonical text; tells a code's collision
	StudentID string
	IssuedAt  time.Time
	IssuedBy  string
}

// transcriptVersion names the canonical form; a change of the content's
// fields must change it, so that old codes keep meaning what they meant.
const transcriptVersion = "scolarite-releve-v1\n"

// TranscriptOf is the relevé of outcome o of the semester c: what it
// certifies and its code (not yet recorded).
func TranscriptOf(c *Curriculum, o *SemesterOutcome) Transcript {
	t := Transcript{StudentID: o.StudentID, TranscriptContent: TranscriptContent{
		Number: o.Number, LastName: o.LastName, FirstName: o.FirstName, BirthDate: o.BirthDate,
		Class: o.Class, Semester: o.Semester, Year: o.Year, Session: o.Session,
		Provisional: c.Status == "" || c.Status == SemesterOpen,
		Average:     FormatAverage(o.Average, false), Credits: o.Credits, TotalCredits: c.Credits(),
		Decision: o.Decision, Jury: o.Overridden() || len(o.Jury) > 0, Mention: o.Mention,
	}}
	for _, u := range o.UEs {
		tu := TranscriptUE{Code: u.Code, Title: u.Title, Credits: u.Credits, Average: FormatAverage(u.Average, false),
			Status: u.Status, Earned: u.Earned}
		for _, s := range u.Subjects {
			tu.Subjects = append(tu.Subjects, TranscriptSubject{Name: s.Subject, Coefficient: s.Coefficient,
				Average: FormatAverage(s.Average, false), Resit: s.Resit})
		}
		t.UEs = append(t.UEs, tu)
	}
	sum := sha256.Sum256(t.canonical())
	t.Digest, t.Code = hex.EncodeToString(sum[:]), codeOf(sum)
	return t
}

// canonical is the text the code hashes: a version line, then the
// content as JSON (fields in declaration order, strings escaped).
func (c *TranscriptContent) canonical() []byte {
	b, err := json.Marshal(c)
	if err != nil { // strings, numbers and a date: cannot fail
		panic(fmt.Sprintf("canonical relevé: %v", err))
	}
	return append([]byte(transcriptVersion), b...)
}

// codeAlphabet is Crockford's base 32: digits and capitals without I, L,
// O and U, which a reader takes for 1, 1, 0 and V.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeLen is how many characters a code has: 60 bits of the hash, in
// three groups of four.
const codeLen = 12

// codeOf writes the first 60 bits of a digest as XXXX-XXXX-XXXX.
func codeOf(sum [32]byte) string {
	var v uint64
	for _, b := range sum[:8] {
		v = v<<8 | uint64(b)
	}
	var sb strings.Builder
	for i := range codeLen {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[v>>(64-5*(i+1))&31])
	}
	return sb.String()
}

// ParseTranscriptCode reads a code as a person types it: any case,
// with or without hyphens and spaces, O for 0 and I or L for 1.
func ParseTranscriptCode(s string) (string, error) {
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case !strings.ContainsRune(codeAlphabet, r):
			return "", Invalid("code", "is not a relevé code such as 7KQ2-M9XD-4T1A (got "+Quote(s, 30)+")")
		}
		if sb.Len() > 0 && sb.Len()%5 == 4 {
			sb.WriteByte('-')
		}
		sb.WriteRune(r)
	}
	if sb.Len() != codeLen+2 {
		return "", Invalid("code", "is not a relevé code such as 7KQ2-M9XD-4T1A: it has 12 letters and digits (got "+Quote(s, 30)+")")
	}
	return sb.String(), nil
}

// TranscriptQuery selects the relevés to issue: one student's (Student,
// a matricule or phone) or a whole class's.
type TranscriptQuery struct {
	Student  string
	Class    string
	Semester string
	Year     string // "": the current one
	Session  int
}

// IssueTranscripts computes the relevés of a session of a semester, one
// student's or a whole class's (in the class's order), and records those
// not recorded yet. Only admins issue them. A relevé issued again, its
// content unchanged, keeps its code and its first issue's date.
func (s *ResultsService) IssueTranscripts(ctx context.Context, a Actor, q TranscriptQuery) ([]Transcript, *ClassResults, error) {
	if a.Role != RoleAdmin {
		return nil, nil, Errorf(EFORBIDDEN, "only an administrator issues relevés de notes")
	}
	if s.d.Transcripts == nil {
		return nil, nil, Errorf(EINTERNAL, "relevés cannot be recorded here (no store for them)")
	}
	class, number := q.Class, ""
	if strings.TrimSpace(q.Student) != "" {
		st, err := s.d.Students.Get(ctx, a, q.Student)
		if err != nil {
			return nil, nil, err
		}
		class, number = st.Class, st.Number
	}
	if strings.TrimSpace(class) == "" {
		return nil, nil, Invalid("class", "is required: give a student or a class")
	}
	res, err := s.Results(ctx, a, class, q.Semester, q.Year, q.Session)
	if err != nil {
		return nil, nil, err
	}
	issued := make([]*Transcript, 0, len(res.Outcomes))
	out := make([]Transcript, 0, len(res.Outcomes))
	for i := range res.Outcomes {
		if number != "" && res.Outcomes[i].Number != number {
			continue
		}
		out = append(out, TranscriptOf(res.Curriculum, &res.Outcomes[i]))
	}
	if len(out) == 0 {
		return nil, nil, Errorf(ENOTFOUND, "no student in %s: no relevé to issue", res.Curriculum.Key())
	}
	now := s.d.Now().UTC()
	for i := range out {
		out[i].IssuedAt, out[i].IssuedBy = now, a.Name
		issued = append(issued, &out[i])
	}
	if err := s.d.Transcripts.RecordTranscripts(ctx, issued); err != nil {
		return nil, nil, err
	}
	return out, res, nil
}

// VerifyTranscript returns the relevé recorded under code; ENOTFOUND when
// no relevé has it. Anyone holding a relevé may check it: the code is
// what it reveals.
func (s *ResultsService) VerifyTranscript(ctx context.Context, code string) (*Transcript, error) {
	code, err := ParseTranscriptCode(code)
	if err != nil {
		return nil, err
	}
	if s.d.Transcripts == nil {
		return nil, Errorf(EINTERNAL, "relevés cannot be read here (no store for them)")
	}
	t, err := s.d.Transcripts.Transcript(ctx, code)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "no relevé de notes has the code %s: it was not issued by this school (check the code as printed)", code)
	}
	if err != nil {
		return nil, err
	}
	// The record must still hash to its code: one changed in the
	// database certifies nothing.
	if sum := sha256.Sum256(t.canonical()); codeOf(sum) != code || hex.EncodeToString(sum[:]) != t.Digest {
		return nil, Errorf(EINTERNAL, "the record of relevé %s no longer matches its code: it was changed after it was issued", code)
	}
	return t, nil
}
